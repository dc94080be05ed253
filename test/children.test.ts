// A child's record: seen only by the child's family and casework staff, and every view is audited.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { seededApp, signedInClient } from './helpers/app.ts';

for (const target of databaseTargets()) {
  describe(`children's records on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let tobiId: string;
    let zofiaId: string;

    before(async () => {
      database = await target.open();
      app = await seededApp(database);
      const children = await database.db.selectFrom('children').select(['id', 'given_name']).execute();
      tobiId = children.find((child) => child.given_name === 'Tobi')!.id;
      zofiaId = children.find((child) => child.given_name === 'Zofia')!.id;
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    async function viewsOf(childId: string) {
      return database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'view-child-record')
        .where('subject_child_id', '=', childId)
        .execute();
    }

    test('a record without a postcode labels it as not known, and shows the NHS number spaced', async () => {
      await database.db.updateTable('children').set({ nhs_number: '4857773007' }).where('id', '=', zofiaId).execute();
      const zofia = await database.db
        .selectFrom('children')
        .select('family_id')
        .where('id', '=', zofiaId)
        .executeTakeFirstOrThrow();
      await database.db
        .updateTable('families')
        .set({ postcode: null, address: null })
        .where('id', '=', zofia.family_id)
        .execute();
      const client = await signedInClient(app, 'triage@demo.pathway.test');
      const body = (await client.get(`/children/${zofiaId}`)).body;
      const rowText = (key: string) =>
        new RegExp(
          `<dt class="govuk-summary-list__key">\\s*${key}\\s*</dt>\\s*<dd class="govuk-summary-list__value[^"]*">\\s*([^<]*?)\\s*</dd>`,
        ).exec(body)?.[1];
      assert.equal(rowText('Postcode'), 'Not known');
      assert.equal(rowText('Address'), 'Not known');
      assert.equal(rowText('NHS number'), '485 777 3007');
    });

    test('a team with no children open says so, without a count of none', async () => {
      const officer = await signedInClient(app, 'short.breaks@demo.pathway.test');
      const caseload = (await officer.get('/caseload')).body;
      assert.doesNotMatch(caseload, /The 0 children|working with 0 children/);
      assert.match(caseload, /Your teams are not working with any children at the moment\./);
    });

    test('a social worker viewing a child is recorded with who, which role, which child and which request', async () => {
      const client = await signedInClient(app, 'social.worker@demo.pathway.test');
      const response = await client.get(`/children/${tobiId}`);
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /Tobi Okafor/);
      const views = await viewsOf(tobiId);
      assert.equal(views.length, 1);
      const user = await database.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'social.worker@demo.pathway.test')
        .executeTakeFirstOrThrow();
      assert.equal(views[0]?.actor_user_id, user.id);
      assert.equal(views[0]?.actor_role, 'social_worker');
      assert.equal(views[0]?.request_id, response.headers['x-request-id']);
      assert.equal(views[0]?.la_code, 'Z99');
    });

    test('a parent sees their own children and can open their records', async () => {
      const client = await signedInClient(app, 'parent@demo.pathway.test');
      const list = await client.get('/children');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /Tobi Okafor/);
      assert.match(list.body, /Ada Okafor/);
      assert.doesNotMatch(list.body, /Zofia/);
      assert.equal((await client.get(`/children/${tobiId}`)).statusCode, 200);
    });

    test('a parent sees each child in one place: short breaks and requests for help, each with what happens next and by when', async () => {
      const client = await signedInClient(app, 'parent@demo.pathway.test');
      const ada = await database.db
        .selectFrom('children')
        .select('id')
        .where('given_name', '=', 'Ada')
        .executeTakeFirstOrThrow();
      const asked = await client.submit('/ask-for-help', '/ask-for-help', {
        childId: ada.id,
        needs: 'Ada does not sleep and we are exhausted',
        tried: '',
        safeguarding: 'no',
        safeguardingDetails: '',
      });
      assert.equal(asked.statusCode, 303);
      const reference = /reference=(RF-[0-9A-F]{8})/.exec(asked.headers.location as string)![1]!;
      const page = (await client.get('/children')).body;
      // A part of the page for each child, each with its panels.
      const section = (name: string) => {
        const start = page.indexOf(`<bdi>${name}</bdi></a></h2>`);
        assert.ok(start > 0, `${name} has a part of the page`);
        const end = page.indexOf('</section>', start);
        return page.slice(start, end);
      };
      const adaPart = section('Ada Okafor');
      assert.match(adaPart, /Who is working with them/);
      assert.match(adaPart, /<h3 class="govuk-heading-s">Short breaks<\/h3>/);
      assert.match(
        adaPart,
        new RegExp(
          `Your request for help \\(<span class="pathway-reference" dir="ltr">${reference}</span>\\), sent \\d{1,2} [A-Z][a-z]+ \\d{4}\\.`,
        ),
      );
      assert.match(adaPart, /Waiting for the front door\.\s+The front door will decide by \d{1,2} [A-Z][a-z]+ \d{4}\./);
      // The child's name is the way to their details.
      assert.match(page, new RegExp(`<a class="govuk-link" href="/children/${ada.id}"><bdi>Ada Okafor</bdi></a></h2>`));
      const tobiPart = section('Tobi Okafor');
      assert.match(tobiPart, /<h3 class="govuk-heading-s">Requests for help<\/h3>/);
      assert.doesNotMatch(tobiPart, new RegExp(reference));
    });

    test('a parent sees who is working with each child and how to reach them, or that a worker is coming', async () => {
      const team = async (tier: 'targeted' | 'specialist') =>
        (await database.db.selectFrom('teams').select('id').where('serves_tier', '=', tier).executeTakeFirstOrThrow())
          .id;
      const megan = await database.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'social.worker@demo.pathway.test')
        .executeTakeFirstOrThrow();
      const ada = await database.db
        .selectFrom('children')
        .select('id')
        .where('given_name', '=', 'Ada')
        .executeTakeFirstOrThrow();
      const opened = await database.db
        .insertInto('episodes')
        .values([
          {
            la_code: 'Z99',
            child_id: tobiId,
            tier: 'specialist',
            team_id: await team('specialist'),
            worker_id: megan.id,
            start_reason: 'test',
          },
          { la_code: 'Z99', child_id: ada.id, tier: 'targeted', team_id: await team('targeted'), start_reason: 'test' },
        ])
        .returning('id')
        .execute();
      try {
        const client = await signedInClient(app, 'parent@demo.pathway.test');
        const list = (await client.get('/children')).body;
        assert.match(
          list,
          /<bdi>Megan Lewis<\/bdi> in the <bdi>Disabled children(&#39;|')s social work team<\/bdi> is working with your family\. Contact them at <a class="govuk-link" href="mailto:social\.worker@demo\.pathway\.test" dir="ltr">/,
        );
        assert.match(
          list,
          /The <bdi>Short breaks team<\/bdi> is working with your family\. A worker will be given to you soon/,
        );
      } finally {
        await database.db
          .deleteFrom('episodes')
          .where(
            'id',
            'in',
            opened.map((row) => row.id),
          )
          .execute();
      }
    });

    test("a parent cannot see another family's child, and the answer does not reveal the child exists", async () => {
      const client = await signedInClient(app, 'parent@demo.pathway.test');
      const before = (await viewsOf(zofiaId)).length;
      const response = await client.get(`/children/${zofiaId}`);
      assert.equal(response.statusCode, 404);
      assert.doesNotMatch(response.body, /Zofia/);
      assert.equal((await viewsOf(zofiaId)).length, before, 'a refused view is not a view');
    });

    test('staff outside casework, such as a directory editor, cannot open a child’s record', async () => {
      const client = await signedInClient(app, 'editor@demo.pathway.test');
      assert.equal((await client.get(`/children/${tobiId}`)).statusCode, 403);
    });

    test('a record shows who the child lives with: the family’s carers and brothers and sisters', async () => {
      const client = await signedInClient(app, 'triage@demo.pathway.test');
      const page = await client.get(`/children/${tobiId}`);
      assert.match(page.body, /Who the child lives with/);
      assert.match(page.body, /Sam Okafor \(parent or carer, has an account\)/);
      assert.match(page.body, /Ada Okafor \(brother or sister, born 2 September 2021\)/);
      assert.doesNotMatch(page.body, /Zofia/);
    });
  });
}
