// The security baseline: CSRF on every state change, clear 4xx answers to bad input, and no stack traces.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { DEMO_PASSWORD } from '../src/demo/council.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { csrfTokenIn, seededApp, signedInClient, TestClient } from './helpers/app.ts';

for (const target of databaseTargets()) {
  describe(`security baseline on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;

    before(async () => {
      database = await target.open();
      app = await seededApp(database);
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    test('a form posted without a CSRF token is refused with 403 and changes nothing', async () => {
      const client = new TestClient(app);
      await client.get('/sign-in');
      const response = await client.post('/sign-in', { email: 'admin@demo.pathway.test', password: DEMO_PASSWORD });
      assert.equal(response.statusCode, 403);
      assert.match(response.body, /This form has expired/);
      assert.equal(client.cookies.has('pathway_session'), false);
    });

    test('a wrong CSRF token is refused with 403', async () => {
      const client = new TestClient(app);
      await client.get('/sign-in');
      const response = await client.post('/sign-in', {
        _csrf: 'made-up-token',
        email: 'admin@demo.pathway.test',
        password: DEMO_PASSWORD,
      });
      assert.equal(response.statusCode, 403);
    });

    test('a token from another browser is refused with 403', async () => {
      const victim = new TestClient(app);
      const attacker = new TestClient(app);
      const attackersToken = csrfTokenIn((await attacker.get('/sign-in')).body);
      await victim.get('/sign-in');
      const response = await victim.post('/sign-in', {
        _csrf: attackersToken,
        email: 'admin@demo.pathway.test',
        password: DEMO_PASSWORD,
      });
      assert.equal(response.statusCode, 403);
    });

    test('signing out needs a CSRF token too, so another site cannot sign someone out', async () => {
      const client = await signedInClient(app, 'analyst@demo.pathway.test');
      const response = await client.post('/sign-out', {});
      assert.equal(response.statusCode, 403);
      assert.equal((await client.get('/account')).statusCode, 200);
    });

    test('an unknown page is a GOV.UK-style 404 page', async () => {
      const response = await app.inject({ method: 'GET', url: '/no/such/page' });
      assert.equal(response.statusCode, 404);
      assert.match(String(response.headers['content-type']), /text\/html/);
      assert.match(response.body, /Page not found/);
    });

    test('an oversized form is refused with 413 and a clear page', async () => {
      const client = new TestClient(app);
      const token = csrfTokenIn((await client.get('/sign-in')).body);
      const response = await client.post('/sign-in', {
        _csrf: token,
        email: 'a@b.cd',
        password: 'x'.repeat(200 * 1024),
      });
      assert.equal(response.statusCode, 413);
      assert.match(response.body, /too big/);
    });

    test('a malformed JSON body is a 400 or 415, never a 500, and shows no stack trace', async () => {
      for (const contentType of ['application/json', 'text/plain', 'application/xml']) {
        const response = await app.inject({
          method: 'POST',
          url: '/sign-in',
          headers: { 'content-type': contentType },
          payload: '{"email": "unfinished',
        });
        assert.ok([400, 403, 415].includes(response.statusCode), `${contentType} gave ${response.statusCode}`);
        assert.doesNotMatch(response.body, /at .+\.(ts|js):\d+/);
      }
    });

    test('a request for a child id that is not an id is a 404, not a database error', async () => {
      const client = await signedInClient(app, 'social.worker@demo.pathway.test');
      for (const id of ["1' or '1'='1", 'not-a-uuid', '00000000-0000-0000-0000-000000000000']) {
        const response = await client.get(`/children/${encodeURIComponent(id)}`);
        assert.equal(response.statusCode, 404);
      }
    });

    test('the error handler hides the detail of an unexpected failure', async () => {
      const failing = await seededAppWithFailingRoute(database);
      const response = await failing.inject({ method: 'GET', url: '/test-only/fail' });
      assert.equal(response.statusCode, 500);
      assert.match(response.body, /Sorry, there is a problem with the service/);
      assert.doesNotMatch(response.body, /secret internal detail/);
      assert.doesNotMatch(response.body, /\.ts:\d+/);
      await failing.close();
    });

    test('when even the error page cannot be drawn (a broken layout), a plain page says sorry without details', async () => {
      const failing = await seededAppWithFailingRoute(database);
      // Every page, the error page included, fails as a broken layout would, naming a file on the server.
      failing.addHook('onRequest', async (_request, reply) => {
        reply.renderPage = () => {
          throw new Error('Template render error: (/srv/pathway/src/web/views/layout.njk) secret internal detail');
        };
      });
      const response = await failing.inject({ method: 'GET', url: '/test-only/fail' });
      assert.equal(response.statusCode, 500);
      assert.match(String(response.headers['content-type']), /^text\/html/);
      assert.match(response.body, /Sorry, there is a problem with the service/);
      assert.doesNotMatch(response.body, /secret internal detail|layout\.njk|\/srv\//);
      await failing.close();
    });

    test('health checks report the process and the database', async () => {
      const live = await app.inject({ method: 'GET', url: '/health/live' });
      assert.deepEqual(live.json(), { status: 'ok' });
      const ready = await app.inject({ method: 'GET', url: '/health/ready' });
      assert.deepEqual(ready.json(), { status: 'ok', database: 'ok' });
    });

    test('every response carries a request id for tracing', async () => {
      const response = await app.inject({ method: 'GET', url: '/' });
      assert.match(String(response.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    });
  });
}

// The demo council already exists in the shared database, so this app is built without seeding again.
async function seededAppWithFailingRoute(database: TestDatabase) {
  const { buildApp } = await import('../src/app.ts');
  const { testConfig } = await import('./helpers/app.ts');
  const app = await buildApp(testConfig(), { database });
  app.get('/test-only/fail', { config: { access: 'public' } }, async () => {
    throw new Error('secret internal detail');
  });
  return app;
}
