// The front door: a professional refers through one form and sees the outcome (never the child's record); the
// front door triages within a working day; a worry about the child's safety alerts managers and can only go to
// the specialist team.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { seedDemoDirectory } from '../src/demo/directory.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { csrfTokenIn, seededApp, signedInClient, testConfig, type TestClient } from './helpers/app.ts';
import { scheduledJobs } from '../src/jobs/worker.ts';

const CHILD = {
  givenName: 'Mia',
  familyName: 'Lowe',
  dobDay: '4',
  dobMonth: '2',
  dobYear: '2017',
  postcode: 'NM1 2AB',
  nhsNumber: '943 476 5919',
};
const NEEDS = { primaryNeed: 'N2', needs: 'A break for her parents at weekends.', tried: 'Nothing yet.' };

for (const target of databaseTargets()) {
  describe(`The front door on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let referrer: TestClient;
    let triage: TestClient;

    before(async () => {
      database = await target.open();
      app = await seededApp(database);
      await seedDemoDirectory(database.db);
      referrer = await signedInClient(app, 'referrer@demo.pathway.test');
      triage = await signedInClient(app, 'triage@demo.pathway.test');
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    const outbox = async (template: string) =>
      (
        await database.db
          .selectFrom('notifications_outbox')
          .select('recipient')
          .where('template', '=', template)
          .execute()
      ).map((message) => message.recipient);

    /** Starts a referral and fills each section; returns the draft's address. */
    async function refer(consent: Record<string, string>, child: Record<string, string> = CHILD) {
      const started = await referrer.submit('/referrals/new', '/referrals/new', { sourceCode: '2A' });
      const draft = String(started.headers.location).replace(/\/child$/, '');
      for (const [section, values] of [
        ['child', child],
        ['needs', NEEDS],
        ['consent', consent],
      ] as const) {
        const saved = await referrer.submit(`${draft}/${section}`, `${draft}/${section}`, values);
        assert.equal(saved.statusCode, 303, section);
      }
      return draft;
    }

    test('only professionals refer; each section is checked with GOV.UK messages', async () => {
      const parent = await signedInClient(app, 'parent@demo.pathway.test');
      assert.equal((await parent.get('/referrals/new')).statusCode, 403);
      const noSource = await referrer.submit('/referrals/new', '/referrals/new', {});
      assert.equal(noSource.statusCode, 400);
      assert.match(noSource.body, /Select where you work/);
      const started = await referrer.submit('/referrals/new', '/referrals/new', { sourceCode: '3A' });
      assert.match(String(started.headers.location), /^\/referrals\/drafts\/[0-9a-f-]{36}\/child$/);
      const draft = String(started.headers.location).replace(/\/child$/, '');
      const bad = await referrer.submit(`${draft}/child`, `${draft}/child`, {
        ...CHILD,
        dobYear: String(new Date().getFullYear() + 1),
        nhsNumber: '943 476 5918',
        upn: 'A123456789123',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /date of birth must be today or in the past/);
      assert.match(bad.body, /Enter a real NHS number/);
      assert.match(bad.body, /Enter a real unique pupil number/);
      assert.equal(
        (await referrer.submit(`${draft}/child`, `${draft}/child`, CHILD)).headers.location,
        `${draft}/needs`,
      );
      const noConsent = await referrer.submit(`${draft}/consent`, `${draft}/consent`, {
        consent: 'no',
        safeguarding: 'no',
      });
      assert.equal(noConsent.statusCode, 400);
      assert.match(noConsent.body, /The family must agree to a referral unless you are worried/);
      const early = await referrer.submit(`${draft}/check`, `${draft}/send`, {});
      assert.equal(early.statusCode, 400, 'an incomplete referral cannot be sent');
      assert.match(early.body, /Fill in every part of the referral/);
      const stored = await database.db
        .selectFrom('referrals')
        .select(['status', 'reference'])
        .where('id', '=', draft.split('/').pop()!)
        .executeTakeFirstOrThrow();
      assert.deepEqual(stored, { status: 'draft', reference: null }, 'nothing is half sent');
    });

    test('a complete referral is sent once with a reference; the front door is told', async () => {
      const draft = await refer({ consent: 'yes', safeguarding: 'no' });
      const check = await referrer.get(`${draft}/check`);
      assert.match(check.body, /943 476 5919/);
      assert.match(check.body, /The child&#39;s disability or illness/);
      // The same form sent twice at once, as a double click does: both posts carry the page's token.
      const token = csrfTokenIn(check.body);
      const [first, second] = await Promise.all([
        referrer.post(`${draft}/send`, { _csrf: token }),
        referrer.post(`${draft}/send`, { _csrf: token }),
      ]);
      assert.equal(first.statusCode, 303);
      assert.equal(second.statusCode, 303);
      const sent = await referrer.get(`${draft}/sent`);
      assert.match(sent.body, /RF-[0-9A-F]{8}/);
      const rows = await database.db
        .selectFrom('referrals')
        .select(['reference', 'primary_need_code', 'source_code', 'safeguarding_concern'])
        .where('status', '=', 'new')
        .execute();
      assert.equal(rows.length, 1);
      assert.deepEqual(
        { ...rows[0], reference: undefined },
        { reference: undefined, primary_need_code: 'N2', source_code: '2A', safeguarding_concern: false },
      );
      assert.deepEqual(await outbox('referral-received'), ['triage@demo.pathway.test']);
      assert.deepEqual(await outbox('referral-safeguarding'), []);
    });

    test('triage sees the clock, suggests Local Offer services and decides; the referrer sees the outcome only', async () => {
      const queue = await triage.get('/referrals');
      assert.equal(queue.statusCode, 200);
      assert.match(queue.body, /Mia Lowe/);
      assert.match(queue.body, /Decide by/);
      const referral = await database.db
        .selectFrom('referrals')
        .select(['id', 'version'])
        .where('status', '=', 'new')
        .executeTakeFirstOrThrow();
      const page = `/referrals/${referral.id}`;
      const view = await triage.get(page);
      assert.equal(view.statusCode, 200);
      assert.match(view.body, /Services to suggest to the family/);
      const suggestion = /name="signposted" type="checkbox" value="([0-9a-f-]{36})"/.exec(view.body)?.[1];
      assert.ok(suggestion, 'a Local Offer service is suggested for a 9-year-old near NM1');
      const noReason = await triage.submit(page, `${page}/decide`, {
        version: String(referral.version),
        outcome: 'no_further_action',
      });
      assert.equal(noReason.statusCode, 400);
      assert.match(noReason.body, /Enter why/);
      const decided = await triage.submit(page, `${page}/decide`, {
        version: String(referral.version),
        outcome: 'no_further_action',
        reason: 'The family can use the Saturday club without a referral.',
        signposted: [suggestion],
      });
      assert.equal(decided.statusCode, 303);
      const again = await triage.submit(page, `${page}/decide`, {
        version: String(referral.version),
        outcome: 'specialist',
        reason: 'Late',
      });
      assert.equal(again.statusCode, 409);
      const stored = await database.db
        .selectFrom('referrals')
        .select(['outcome', 'signposted_service_ids'])
        .where('id', '=', referral.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(stored, { outcome: 'no_further_action', signposted_service_ids: [suggestion] });
      assert.deepEqual(await outbox('referral-decided'), ['referrer@demo.pathway.test']);
      const mine = await referrer.get('/referrals/mine');
      assert.match(mine.body, /No further action: the family was pointed to services they can use/);
      assert.equal((await referrer.get(page)).statusCode, 403, 'the referrer sees the outcome, not the record');
      const views = await database.db
        .selectFrom('audit_events')
        .select('subject_id')
        .where('action', '=', 'view-referral')
        .execute();
      assert.ok(views.some((row) => row.subject_id === referral.id));
    });

    test('a worry about the child’s safety alerts managers and can only go to the specialist team', async () => {
      const draft = await refer(
        { consent: 'no', safeguarding: 'yes', safeguardingDetails: 'Unexplained bruises.' },
        { ...CHILD, givenName: 'Leo', familyName: 'Hart', dobYear: '2014', nhsNumber: '' },
      );
      assert.equal((await referrer.submit(`${draft}/check`, `${draft}/send`, {})).statusCode, 303);
      assert.deepEqual(await outbox('referral-safeguarding'), [
        'manager@demo.pathway.test',
        'short.breaks.manager@demo.pathway.test',
      ]);
      const referral = await database.db
        .selectFrom('referrals')
        .select(['id', 'version'])
        .where('status', '=', 'new')
        .where('safeguarding_concern', '=', true)
        .executeTakeFirstOrThrow();
      const page = `/referrals/${referral.id}`;
      const view = await triage.get(page);
      assert.match(view.body, /can only go to the social work team/);
      assert.doesNotMatch(view.body, /value="targeted"/);
      const refused = await triage.submit(page, `${page}/decide`, {
        version: String(referral.version),
        outcome: 'targeted',
        reason: 'Short breaks would help.',
      });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /can only go to the disabled children&#39;s social work team/);
      const noRecord = await triage.submit(page, `${page}/decide`, {
        version: String(referral.version),
        outcome: 'specialist',
        reason: 'Safety worry: to the duty social worker today.',
      });
      assert.equal(noRecord.statusCode, 400);
      assert.match(noRecord.body, /Link the referral to the child&#39;s record, or make one/);
      await triage.submit(page, `${page}/create-child`, { version: String(referral.version) });
      const linked = await database.db
        .selectFrom('referrals')
        .select(['version', 'child_id'])
        .where('id', '=', referral.id)
        .executeTakeFirstOrThrow();
      const specialist = await triage.submit(page, `${page}/decide`, {
        version: String(linked.version),
        outcome: 'specialist',
        reason: 'Safety worry: to the duty social worker today.',
      });
      assert.equal(specialist.statusCode, 303);
      const episode = await database.db
        .selectFrom('episodes as e')
        .innerJoin('teams as t', 't.id', 'e.team_id')
        .select(['e.tier', 't.name'])
        .where('e.child_id', '=', linked.child_id!)
        .where('e.ended_at', 'is', null)
        .executeTakeFirstOrThrow();
      assert.deepEqual(episode, { tier: 'specialist', name: "Disabled children's social work team" });
      const timeline = await database.db
        .selectFrom('timeline_events')
        .select('kind')
        .where('child_id', '=', linked.child_id!)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        timeline.map((event) => event.kind),
        ['referral', 'triage-decision', 'episode-started'],
      );
    });

    test('the front door round tells managers once about referrals waiting more than a working day', async () => {
      const round = scheduledJobs(testConfig(), database).find((job) => job.name === 'front-door-overdue-round');
      assert.ok(round, 'the round is scheduled');
      const draft = await refer({ consent: 'yes', safeguarding: 'no' });
      await referrer.submit(`${draft}/check`, `${draft}/send`, {});
      await round.handler();
      assert.deepEqual(await outbox('referrals-overdue'), [], 'a referral sent today is not overdue');
      // Ten days on (whatever weekends and bank holidays fall between), it is.
      await database.db
        .updateTable('referrals')
        .set({ received_at: new Date(Date.now() - 10 * 24 * 60 * 60 * 1000) })
        .where('status', '=', 'new')
        .execute();
      await round.handler();
      await round.handler();
      assert.deepEqual(await outbox('referrals-overdue'), [
        'manager@demo.pathway.test',
        'short.breaks.manager@demo.pathway.test',
      ]);
    });

    test('one record per child: a referral is linked to the child the council knows, or makes one new record', async () => {
      const decideNothing = async () =>
        database.db.updateTable('referrals').set({ status: 'decided' }).where('status', '=', 'new').execute();
      await decideNothing();
      // Zofia Nowak (born 21 May 2019) is known; a school spells her name differently.
      const started = await referrer.submit('/referrals/new', '/referrals/new', { sourceCode: '2A' });
      const draft = String(started.headers.location).replace(/\/child$/, '');
      await referrer.submit(`${draft}/child`, `${draft}/child`, {
        ...CHILD,
        givenName: 'Zophia',
        familyName: 'Novak',
        dobDay: '21',
        dobMonth: '5',
        dobYear: '2019',
        nhsNumber: '',
      });
      await referrer.submit(`${draft}/needs`, `${draft}/needs`, NEEDS);
      await referrer.submit(`${draft}/consent`, `${draft}/consent`, { consent: 'yes', safeguarding: 'no' });
      await referrer.submit(`${draft}/check`, `${draft}/send`, {});
      const zofia = await database.db
        .selectFrom('children')
        .select('id')
        .where('given_name', '=', 'Zofia')
        .executeTakeFirstOrThrow();
      const referral = await database.db
        .selectFrom('referrals')
        .select(['id', 'version'])
        .where('status', '=', 'new')
        .executeTakeFirstOrThrow();
      const page = `/referrals/${referral.id}`;
      const view = await triage.get(page);
      assert.match(view.body, /Zofia Nowak[\s\S]*date of birth, first name, last name/);
      const linked = await triage.submit(page, `${page}/link`, {
        version: String(referral.version),
        childId: zofia.id,
      });
      assert.equal(linked.statusCode, 303);
      const after = await triage.get(page);
      assert.match(after.body, new RegExp(`href="/children/${zofia.id}">Open Zofia Nowak&#39;s record`));

      // Mia Lowe is not known: a new record is made, with her NHS number and unique pupil number.
      await decideNothing();
      const mia = await refer({ consent: 'yes', safeguarding: 'no' }, { ...CHILD, upn: 'Y351201321005' });
      await referrer.submit(`${mia}/check`, `${mia}/send`, {});
      const miaReferral = await database.db
        .selectFrom('referrals')
        .select(['id', 'version'])
        .where('status', '=', 'new')
        .executeTakeFirstOrThrow();
      const miaPage = `/referrals/${miaReferral.id}`;
      assert.match((await triage.get(miaPage)).body, /No child the council knows looks like this child/);
      const created = await triage.submit(miaPage, `${miaPage}/create-child`, { version: String(miaReferral.version) });
      assert.equal(created.statusCode, 303);
      const record = await database.db
        .selectFrom('children')
        .select(['id', 'nhs_number', 'upn', 'date_of_birth'])
        .where('given_name', '=', 'Mia')
        .execute();
      assert.equal(record.length, 1);
      assert.equal(record[0]!.nhs_number, '9434765919');
      assert.equal(record[0]!.upn, 'Y351201321005');

      // A second referral with her NHS number finds her record, and a second record is refused.
      await decideNothing();
      const again = await refer({ consent: 'yes', safeguarding: 'no' });
      await referrer.submit(`${again}/check`, `${again}/send`, {});
      const second = await database.db
        .selectFrom('referrals')
        .select(['id', 'version'])
        .where('status', '=', 'new')
        .executeTakeFirstOrThrow();
      const secondPage = `/referrals/${second.id}`;
      assert.match((await triage.get(secondPage)).body, /Mia Lowe[\s\S]*NHS number/);
      const duplicate = await triage.submit(secondPage, `${secondPage}/create-child`, {
        version: String(second.version),
      });
      assert.equal(duplicate.statusCode, 409);
      assert.match(duplicate.body, /Another child&#39;s record has this NHS number/);
      assert.equal(
        (await database.db.selectFrom('children').select('id').where('given_name', '=', 'Mia').execute()).length,
        1,
        'nothing half made',
      );
    });

    test('a family asks for help for their own child; triage sends it to the short breaks team, which opens work', async () => {
      await database.db.updateTable('referrals').set({ status: 'decided' }).where('status', '=', 'new').execute();
      const parent = await signedInClient(app, 'parent@demo.pathway.test');
      const empty = await parent.submit('/ask-for-help', '/ask-for-help', {});
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Tell us what would help your child and your family/);
      assert.match(empty.body, /Select yes if you are worried about anyone&#39;s safety/);
      const zofia = await database.db
        .selectFrom('children')
        .select('id')
        .where('given_name', '=', 'Zofia')
        .executeTakeFirstOrThrow();
      const notTheirs = await parent.submit('/ask-for-help', '/ask-for-help', {
        childId: zofia.id,
        needs: 'A break',
        safeguarding: 'no',
      });
      assert.equal(notTheirs.statusCode, 400);
      const tobi = await database.db
        .selectFrom('children')
        .select('id')
        .where('given_name', '=', 'Tobi')
        .executeTakeFirstOrThrow();
      const sent = await parent.submit('/ask-for-help', '/ask-for-help', {
        childId: tobi.id,
        needs: 'Tobi needs time with other children; we need a rest at weekends.',
        tried: 'A holiday club, which was too noisy for him.',
        safeguarding: 'no',
      });
      assert.equal(sent.statusCode, 303);
      assert.match(String(sent.headers.location), /^\/ask-for-help\/sent\?reference=RF-[0-9A-F]{8}$/);
      const referral = await database.db
        .selectFrom('referrals')
        .select(['id', 'version', 'kind', 'source_code', 'child_id'])
        .where('status', '=', 'new')
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        { kind: referral.kind, source: referral.source_code, child: referral.child_id },
        { kind: 'family', source: '1A', child: tobi.id },
      );
      // The family is told it arrived, with its reference and what happens next.
      const reference = new URL(String(sent.headers.location), 'http://localhost').searchParams.get('reference');
      const confirmation = await database.db
        .selectFrom('notifications_outbox')
        .select(['recipient', 'body'])
        .where('template', '=', 'help-request-received')
        .execute();
      assert.deepEqual(
        confirmation.map((message) => message.recipient),
        ['parent@demo.pathway.test'],
      );
      assert.ok(confirmation[0]?.body.includes(`Its reference is ${reference ?? ''}.`));
      assert.match(confirmation[0]?.body ?? '', /within one working day/);
      // The family can read it again among the council's messages to them, marked as English; others cannot.
      const messages = await parent.get('/messages');
      assert.equal(messages.statusCode, 200);
      assert.match(
        messages.body,
        /<span class="govuk-details__summary-text" lang="en" dir="ltr">We have your request for help for Tobi/,
      );
      assert.match(messages.body, /href="\/messages"/, 'the menu offers the messages');
      const otherFamily = await signedInClient(app, 'young.person@demo.pathway.test');
      assert.doesNotMatch((await otherFamily.get('/messages')).body, /request for help for Tobi/);
      assert.equal((await triage.get('/messages')).statusCode, 403);
      const queue = await triage.get('/referrals');
      assert.match(queue.body, /Tobi Okafor[\s\S]*Request from the family/);
      const page = `/referrals/${referral.id}`;
      const decided = await triage.submit(page, `${page}/decide`, {
        version: String(referral.version),
        outcome: 'targeted',
        reason: 'Short breaks would give the family a rest.',
      });
      assert.equal(decided.statusCode, 303);
      const episode = await database.db
        .selectFrom('episodes')
        .select('tier')
        .where('child_id', '=', tobi.id)
        .where('ended_at', 'is', null)
        .executeTakeFirstOrThrow();
      assert.equal(episode.tier, 'targeted');
      assert.ok((await outbox('referral-decided')).includes('parent@demo.pathway.test'));
      const yours = await parent.get('/ask-for-help');
      assert.match(yours.body, /Your requests[\s\S]*Tobi[\s\S]*Short breaks team: the family is invited to apply/);
    });

    test('a professional’s referral sent to the short breaks team invites the child’s family to apply online', async () => {
      await database.db.updateTable('referrals').set({ status: 'decided' }).where('status', '=', 'new').execute();
      const draft = await refer(
        { consent: 'yes', safeguarding: 'no' },
        {
          ...CHILD,
          givenName: 'Ada',
          familyName: 'Okafor',
          dobDay: '2',
          dobMonth: '9',
          dobYear: '2021',
          nhsNumber: '',
        },
      );
      await referrer.submit(`${draft}/check`, `${draft}/send`, {});
      const referral = await database.db
        .selectFrom('referrals')
        .select(['id', 'version'])
        .where('status', '=', 'new')
        .executeTakeFirstOrThrow();
      const ada = await database.db
        .selectFrom('children')
        .select('id')
        .where('given_name', '=', 'Ada')
        .executeTakeFirstOrThrow();
      const page = `/referrals/${referral.id}`;
      await triage.submit(page, `${page}/link`, { version: String(referral.version), childId: ada.id });
      const linked = await database.db
        .selectFrom('referrals')
        .select('version')
        .where('id', '=', referral.id)
        .executeTakeFirstOrThrow();
      const decided = await triage.submit(page, `${page}/decide`, {
        version: String(linked.version),
        outcome: 'targeted',
        reason: 'Short breaks at weekends.',
      });
      assert.equal(decided.statusCode, 303);
      const invitations = await database.db
        .selectFrom('notifications_outbox')
        .select(['recipient', 'subject'])
        .where('template', '=', 'short-breaks-invitation')
        .execute();
      assert.deepEqual(
        invitations.map((message) => message.recipient),
        ['parent@demo.pathway.test'],
      );
      assert.equal(invitations[0]!.subject, 'You can apply online for short breaks for Ada');
    });
  });
}
