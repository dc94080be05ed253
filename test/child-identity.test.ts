// One record per child, kept right: staff correct who the child is (with the NHS number and unique pupil number
// checked, and no number given to two children) and record the people in the child's life who have no account.
// Every change is audited and on the timeline; a stale form changes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { seededApp, signedInClient, type TestClient } from './helpers/app.ts';

const TOBI = {
  givenName: 'Tobi',
  familyName: 'Okafor',
  dobDay: '14',
  dobMonth: '3',
  dobYear: '2016',
  address: '12 Mill Lane\nNorthmoor',
  postcode: 'nm1 2ab',
  nhsNumber: '943 476 5919',
  upn: 'y351 2013 2100 5',
};

for (const target of databaseTargets()) {
  describe(`Keeping a child's record right on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let triage: TestClient;
    let tobiId: string;
    let zofiaId: string;

    before(async () => {
      database = await target.open();
      app = await seededApp(database);
      triage = await signedInClient(app, 'triage@demo.pathway.test');
      const children = await database.db.selectFrom('children').select(['id', 'given_name']).execute();
      tobiId = children.find((child) => child.given_name === 'Tobi')!.id;
      zofiaId = children.find((child) => child.given_name === 'Zofia')!.id;
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    const identityPage = (childId: string) => `/children/${childId}/identity`;
    const tobi = () =>
      database.db
        .selectFrom('children')
        .innerJoin('families', 'families.id', 'children.family_id')
        .select([
          'children.given_name',
          'children.date_of_birth',
          'children.nhs_number',
          'children.upn',
          'children.version',
          'families.address',
          'families.postcode',
          'families.locality_id',
        ])
        .where('children.id', '=', tobiId)
        .executeTakeFirstOrThrow();

    test('wrong details get GOV.UK messages and change nothing', async () => {
      const before = await tobi();
      const wrong = await triage.submit(identityPage(tobiId), identityPage(tobiId), {
        ...TOBI,
        version: String(before.version),
        dobYear: String(new Date().getUTCFullYear() + 1),
        nhsNumber: '943 476 5918',
        upn: 'A123456789123',
        postcode: 'not a postcode',
        givenName: '',
      });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /There is a problem/);
      assert.match(wrong.body, /Enter the child’s first name/);
      assert.match(wrong.body, /date of birth must be today or in the past/);
      assert.match(wrong.body, /Enter a real NHS number/);
      assert.match(wrong.body, /Enter a real unique pupil number/);
      assert.match(wrong.body, /Enter a real postcode/);
      assert.deepEqual(await tobi(), before);
    });

    test('a triage worker corrects the details; the record, timeline and audit show it', async () => {
      const form = await triage.get(identityPage(tobiId));
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /value="Tobi"/);
      const saved = await triage.submit(identityPage(tobiId), identityPage(tobiId), {
        ...TOBI,
        version: String((await tobi()).version),
      });
      assert.equal(saved.statusCode, 303);
      const now = await tobi();
      assert.equal(now.nhs_number, '9434765919');
      assert.equal(now.upn, 'Y351201321005');
      assert.equal(now.postcode, 'NM1 2AB');
      assert.equal(now.address, '12 Mill Lane\nNorthmoor');
      assert.ok(now.locality_id, 'the postcode places the family in a locality');
      const record = await triage.get(`/children/${tobiId}`);
      assert.match(record.body, /Y351201321005/);
      assert.match(record.body, /943 476 5919/, 'NHS numbers are shown spaced, as people read them');
      assert.match(record.body, /Record corrected: address, postcode, NHS number, unique pupil number/);
      const audit = await database.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'change-child-identity')
        .where('subject_child_id', '=', tobiId)
        .execute();
      assert.equal(audit.length, 1);
      assert.doesNotMatch(JSON.stringify(audit[0]!.details), /9434765919/, 'the audit names fields, not values');
    });

    test('a number already on another child’s record is refused, naming the field', async () => {
      const zofiaVersion = String(
        (await database.db.selectFrom('children').select('version').where('id', '=', zofiaId).executeTakeFirstOrThrow())
          .version,
      );
      const taken = await triage.submit(identityPage(zofiaId), identityPage(zofiaId), {
        ...TOBI,
        givenName: 'Zofia',
        familyName: 'Nowak',
        dobDay: '21',
        dobMonth: '5',
        dobYear: '2019',
        upn: '',
        version: zofiaVersion,
      });
      assert.equal(taken.statusCode, 409);
      assert.match(taken.body, /Another child&#39;s record has this NHS number/);
      const upnTaken = await triage.submit(identityPage(zofiaId), identityPage(zofiaId), {
        ...TOBI,
        givenName: 'Zofia',
        familyName: 'Nowak',
        dobDay: '21',
        dobMonth: '5',
        dobYear: '2019',
        nhsNumber: '',
        version: zofiaVersion,
      });
      assert.equal(upnTaken.statusCode, 409);
      assert.match(upnTaken.body, /Another child&#39;s record has this unique pupil number/);
      const zofia = await database.db
        .selectFrom('children')
        .select(['nhs_number', 'upn'])
        .where('id', '=', zofiaId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(zofia, { nhs_number: null, upn: null });
    });

    test('a form opened before someone else saved changes nothing and shows what is saved now', async () => {
      const staleForm = await triage.get(identityPage(tobiId));
      const social = await signedInClient(app, 'manager@demo.pathway.test');
      assert.equal(
        (
          await social.submit(identityPage(tobiId), identityPage(tobiId), {
            ...TOBI,
            givenName: 'Tobias',
            version: String((await tobi()).version),
          })
        ).statusCode,
        303,
      );
      const stale = await triage.post(identityPage(tobiId), {
        _csrf: /name="_csrf" value="([^"]+)"/.exec(staleForm.body)![1]!,
        version: /name="version" value="(\d+)"/.exec(staleForm.body)![1]!,
        ...TOBI,
        givenName: 'Toby',
      });
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /Someone changed these details/);
      assert.match(stale.body, /value="Tobias"/);
      assert.equal((await tobi()).given_name, 'Tobias');
    });

    test('staff add the people in the child’s life who have no account, and remove them', async () => {
      const addPage = `/children/${tobiId}/household/new`;
      const views = async () =>
        (
          await database.db
            .selectFrom('audit_events')
            .select('id')
            .where('action', '=', 'view-child-record')
            .where('subject_child_id', '=', tobiId)
            .execute()
        ).length;
      const viewsBefore = await views();
      assert.equal((await triage.get(addPage)).statusCode, 200);
      assert.equal(await views(), viewsBefore + 1, 'the form shows the child, so opening it is audited');
      const empty = await triage.submit(addPage, `/children/${tobiId}/household`, {});
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Enter the person’s name/);
      assert.match(empty.body, /Select who the person is to the child/);
      assert.match(empty.body, /Select whether the person has parental responsibility/);
      const added = await triage.submit(addPage, `/children/${tobiId}/household`, {
        name: 'Grace Okafor',
        relationship: 'grandparent',
        dobDay: '2',
        dobMonth: '9',
        dobYear: '1958',
        parentalResponsibility: 'no',
        livesWithChild: 'no',
      });
      assert.equal(added.statusCode, 303);
      await triage.submit(addPage, `/children/${tobiId}/household`, {
        name: 'Daniel Okafor',
        relationship: 'father',
        parentalResponsibility: 'yes',
        livesWithChild: 'yes',
      });
      const record = await triage.get(`/children/${tobiId}`);
      assert.match(
        record.body,
        /Who the child lives with[\s\S]*Daniel Okafor \(father; has parental responsibility; lives with the child\)/,
      );
      assert.match(
        record.body,
        /Other people in the child&#39;s life[\s\S]*Grace Okafor \(grandparent; born 2 September 1958; lives elsewhere\)/,
      );
      assert.match(record.body, /Grace Okafor added to the people in the child&#39;s life/);

      // The family sees who the council has recorded, without the forms.
      const parent = await signedInClient(app, 'parent@demo.pathway.test');
      const familyView = await parent.get(`/children/${tobiId}`);
      assert.match(familyView.body, /Grace Okafor/);
      assert.doesNotMatch(familyView.body, /Remove Grace Okafor/);
      assert.equal((await parent.get(`/children/${tobiId}/household/new`)).statusCode, 403);

      const grace = await database.db
        .selectFrom('household_members')
        .select('id')
        .where('name', '=', 'Grace Okafor')
        .executeTakeFirstOrThrow();
      const removed = await triage.submit(
        `/children/${tobiId}`,
        `/children/${tobiId}/household/${grace.id}/remove`,
        {},
      );
      assert.equal(removed.statusCode, 303);
      const after = await triage.get(`/children/${tobiId}`);
      assert.doesNotMatch(after.body, /Remove Grace Okafor/);
      assert.match(after.body, /Grace Okafor removed from the people in the child&#39;s life/);
      // Removing someone from another child's family is not possible through this child.
      const daniel = await database.db
        .selectFrom('household_members')
        .select('id')
        .where('name', '=', 'Daniel Okafor')
        .executeTakeFirstOrThrow();
      const elsewhere = await triage.submit(
        `/children/${zofiaId}`,
        `/children/${zofiaId}/household/${daniel.id}/remove`,
        {},
      );
      assert.equal(elsewhere.statusCode, 404);
      const audit = await database.db
        .selectFrom('audit_events')
        .select('action')
        .where('subject_child_id', '=', tobiId)
        .where('action', 'in', ['add-household-member', 'remove-household-member'])
        .execute();
      assert.equal(audit.length, 3);
    });
  });
}
