// Logs are JSON with request ids, and never hold passwords, cookies, tokens or personal details.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { DEMO_PASSWORD, seedDemoCouncil } from '../src/demo/council.ts';
import { buildApp } from '../src/app.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { csrfTokenIn, testConfig, TestClient } from './helpers/app.ts';

describe('logging', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  const lines: string[] = [];

  before(async () => {
    database = await databaseTargets()[0]!.open();
    await seedDemoCouncil(database.db, 'test');
    app = await buildApp(testConfig({ LOG_LEVEL: 'info' }), {
      database,
      logDestination: { write: (line) => lines.push(line) },
    });
  });
  after(async () => {
    await app.close();
    await database.dispose();
  });

  test('a sign-in leaves JSON logs with request ids and without the password, email, cookies or CSRF token', async () => {
    const client = new TestClient(app);
    const page = await client.get('/sign-in?returnTo=%2Fchildren%3Fname%3DTobi');
    const token = csrfTokenIn(page.body);
    await client.post('/sign-in', { _csrf: token, email: 'parent@demo.pathway.test', password: DEMO_PASSWORD });
    await client.get('/children');
    await client.post('/sign-in', { _csrf: token, email: 'parent@demo.pathway.test', password: 'a wrong secret' });
    assert.ok(lines.length >= 6);
    const entries = lines.map((line) => JSON.parse(line) as { reqId?: string });
    assert.ok(entries.every((entry) => typeof entry.reqId === 'string' || !('req' in entry)));
    const everything = lines.join('\n');
    for (const secret of [
      DEMO_PASSWORD,
      'a wrong secret',
      'parent@demo.pathway.test',
      token,
      'Tobi',
      ...client.cookies.values(),
    ]) {
      assert.ok(!everything.includes(secret), `the logs contain ${secret.slice(0, 12)}…`);
    }
  });

  test('refused requests are logged as information, not as server errors', async () => {
    lines.length = 0;
    await app.inject({ method: 'GET', url: '/no/such/page' });
    await app.inject({
      method: 'POST',
      url: '/sign-in',
      payload: 'email=a',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const levels = lines.map((line) => (JSON.parse(line) as { level: number }).level);
    assert.ok(levels.length > 0);
    assert.ok(
      levels.every((level) => level < 50),
      'nothing at error level',
    );
  });
});
