// Requests of the wrong shape: every route declares what its address, query and body may hold, and a request that
// does not fit is answered with a plain 400 (a page, or JSON under /api/) before any handler runs, with no detail of
// the check and no stack trace. A field that may repeat, as checkboxes do, is taken as one value or several.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { seedDemoCouncil } from '../src/demo/council.ts';
import { formBody, queryOf, Text, type TypeBoxTypes } from '../src/web/form.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { signedInClient, testConfig, type TestClient } from './helpers/app.ts';

const STACK_TRACE = /at .+\.(ts|js):\d+/;
/** Words of the validator's own messages, which are for developers and never shown. */
const VALIDATOR_DETAIL = /must be string|must match|must NOT|instancePath|FST_ERR/;

for (const target of databaseTargets()) {
  describe(`request shapes on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let manager: TestClient;
    let childId: string;

    before(async () => {
      database = await target.open();
      await seedDemoCouncil(database.db, 'test');
      app = await buildApp(testConfig(), { database });
      // A JSON route of the platform's own, declared the way every route is, to see what the error handler answers.
      app.withTypeProvider<TypeBoxTypes>().post(
        '/api/test-only/echo',
        {
          config: { access: 'public' },
          schema: { querystring: queryOf({ name: Text() }), body: formBody({ name: Text() }) },
        },
        async (request) => ({ name: request.body.name ?? '' }),
      );
      manager = await signedInClient(app, 'manager@demo.pathway.test');
      const child = await database.db
        .selectFrom('children')
        .select('id')
        .where('given_name', '=', 'Tobi')
        .executeTakeFirstOrThrow();
      childId = child.id;
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    test('a page form with one field sent twice is a plain 400 page, and nothing reaches the handler', async () => {
      const before = await database.db
        .selectFrom('timeline_events')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .executeTakeFirstOrThrow();
      const response = await manager.submit(`/children/${childId}`, `/children/${childId}/move`, {
        to: 'targeted',
        reason: ['one reason', 'and another'],
      });
      assert.equal(response.statusCode, 400);
      assert.match(String(response.headers['content-type']), /text\/html/);
      assert.match(response.body, /There is a problem with your request/);
      assert.doesNotMatch(response.body, STACK_TRACE);
      assert.doesNotMatch(response.body, VALIDATOR_DETAIL);
      const after = await database.db
        .selectFrom('timeline_events')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .executeTakeFirstOrThrow();
      assert.equal(after.count, before.count);
    });

    test('a hidden version that is not a number is a plain 400 page', async () => {
      const response = await manager.submit(`/children/${childId}`, `/children/${childId}/authorise-assessment`, {
        episodeId: '00000000-0000-4000-8000-000000000000',
        version: 'seven',
      });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /There is a problem with your request/);
      assert.doesNotMatch(response.body, STACK_TRACE);
    });

    test('a form sent to an address whose id is not an id is a plain 400 page; the page itself is not found', async () => {
      const response = await manager.submit(`/children/${childId}`, '/children/not-an-id/move', {
        to: 'targeted',
        reason: 'A reason',
      });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /There is a problem with your request/);
      assert.doesNotMatch(response.body, STACK_TRACE);
      assert.doesNotMatch(response.body, VALIDATOR_DETAIL);
      assert.equal((await manager.get('/children/not-an-id')).statusCode, 404);
    });

    test('one ticked checkbox arrives as a list of one, as several do', async () => {
      const one = await manager.submit(`/children/${childId}`, `/children/${childId}/disabilities`, {
        disabilities: 'AUT',
      });
      assert.equal(one.statusCode, 303);
      const several = await manager.submit(`/children/${childId}`, `/children/${childId}/disabilities`, {
        disabilities: ['AUT', 'COMM'],
      });
      assert.equal(several.statusCode, 303);
      const child = await database.db
        .selectFrom('children')
        .select('disability_codes')
        .where('id', '=', childId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(child.disability_codes, ['AUT', 'COMM']);
    });

    test('under /api/ a body or query of the wrong shape is a JSON 400 in plain words', async () => {
      const body = await app.inject({
        method: 'POST',
        url: '/api/test-only/echo',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ name: ['one', 'two'] }),
      });
      const query = await app.inject({
        method: 'POST',
        url: '/api/test-only/echo?name=one&name=two',
        headers: { 'content-type': 'application/json' },
        payload: '{}',
      });
      for (const response of [body, query]) {
        assert.equal(response.statusCode, 400);
        assert.match(String(response.headers['content-type']), /application\/json/);
        assert.deepEqual(response.json(), {
          error: { status: 400, message: 'There is a problem with your request' },
        });
      }
    });
  });
}
