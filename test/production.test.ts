// In production, cookies are Secure and browsers are told to use HTTPS only.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE } from '../src/web/cookies.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { seededApp, TestClient } from './helpers/app.ts';
import { DEMO_PASSWORD } from '../src/demo/council.ts';

describe('production settings', () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  before(async () => {
    database = await databaseTargets()[0]!.open();
    app = await seededApp(database, { NODE_ENV: 'production', SESSION_SECRET: 'p'.repeat(48), LOG_LEVEL: 'silent' });
  });
  after(async () => {
    await app.close();
    await database.dispose();
  });

  test('every cookie is Secure, and HSTS and upgrade-insecure-requests are sent', async () => {
    const client = new TestClient(app);
    const page = await client.get('/sign-in?lang=en');
    assert.match(String(page.headers['strict-transport-security']), /max-age=31536000; includeSubDomains/);
    assert.match(String(page.headers['content-security-policy']), /upgrade-insecure-requests/);
    const response = await client.submit('/sign-in', '/sign-in', {
      email: 'manager@demo.pathway.test',
      password: DEMO_PASSWORD,
    });
    assert.equal(response.statusCode, 303);
    const cookies = [...page.cookies, ...response.cookies];
    assert.ok(cookies.some((cookie) => cookie.name === SESSION_COOKIE));
    for (const cookie of cookies) assert.equal(cookie.secure, true, `${cookie.name} is Secure`);
  });
});
