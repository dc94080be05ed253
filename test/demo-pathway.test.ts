// The demo council has children at every tier, with their transitions, and referrals waiting, one past its day.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { seedDemoApplications } from '../src/demo/applications.ts';
import { seedDemoPathway } from '../src/demo/pathway.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { seededApp, signedInClient } from './helpers/app.ts';

for (const target of databaseTargets()) {
  describe(`The demo pathway on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;

    before(async () => {
      database = await target.open();
      app = await seededApp(database);
      await seedDemoApplications(database.db);
      await seedDemoPathway(database.db);
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    test('children are at every tier, and stepped-down children keep their history', async () => {
      const episodes = await database.db
        .selectFrom('episodes as e')
        .innerJoin('children as c', 'c.id', 'e.child_id')
        .select(['c.given_name', 'e.tier', 'e.ended_at', 'e.closure_reason_code'])
        .execute();
      const open = episodes
        .filter((episode) => episode.ended_at === null)
        .map((episode) => episode.tier)
        .sort();
      assert.deepEqual(open, ['specialist', 'targeted']);
      const zofia = episodes.find((episode) => episode.given_name === 'Zofia')!;
      assert.equal(zofia.closure_reason_code, 'RC7');
      const manager = await signedInClient(app, 'manager@demo.pathway.test');
      const zofiaId = (
        await database.db
          .selectFrom('children')
          .select('id')
          .where('given_name', '=', 'Zofia')
          .executeTakeFirstOrThrow()
      ).id;
      assert.match(
        (await manager.get(`/children/${zofiaId}`)).body,
        /Stepped down from targeted \(the Short breaks team\) to universal/,
      );
      const worker = await signedInClient(app, 'social.worker@demo.pathway.test');
      assert.match((await worker.get('/caseload')).body, /Ibrahim Hussain[\s\S]*Megan Lewis \(you\)/);
    });

    test('a record with its numbers, address and the people in the child’s life who have no account', async () => {
      const ibrahim = await database.db
        .selectFrom('children')
        .select('id')
        .where('given_name', '=', 'Ibrahim')
        .executeTakeFirstOrThrow();
      const record = (
        await (await signedInClient(app, 'social.worker@demo.pathway.test')).get(`/children/${ibrahim.id}`)
      ).body;
      assert.match(record, /485 777 3007/, 'NHS numbers are shown spaced, as people read them');
      assert.match(record, /H999201400012/);
      assert.match(record, /4 Weavers Row/);
      assert.match(record, /Tariq Hussain \(father; has parental responsibility; lives elsewhere\)/);
      assert.match(record, /Amina Hussain \(grandparent; born 2 April 1956; lives elsewhere\)/);
    });

    test('the front door has a safety worry first and a referral past its working day', async () => {
      const triage = await signedInClient(app, 'triage@demo.pathway.test');
      const queue = await triage.get('/referrals');
      assert.match(queue.body, /Amira Said[\s\S]*Safety worry[\s\S]*Leo Hart[\s\S]*Overdue/);
    });
  });
}
