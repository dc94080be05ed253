// Signing in and out, sessions, lock-out and the security headers a signed-in page carries.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { DEMO_PASSWORD } from '../src/demo/council.ts';
import { SESSION_COOKIE } from '../src/web/cookies.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { seededApp, signedInClient, TestClient } from './helpers/app.ts';

for (const target of databaseTargets()) {
  describe(`accounts on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;

    before(async () => {
      database = await target.open();
      app = await seededApp(database, { SIGN_IN_MAX_ATTEMPTS: '3', SESSION_IDLE_MINUTES: '30' });
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    test('a person signs in with the right password and lands on their account page', async () => {
      const client = new TestClient(app);
      const response = await client.submit('/sign-in', '/sign-in', {
        email: 'manager@demo.pathway.test',
        password: DEMO_PASSWORD,
      });
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, '/account');
      const account = await client.get('/account');
      assert.equal(account.statusCode, 200);
      assert.match(account.body, /David Clarke/);
      assert.match(account.body, /Team manager/);
    });

    test('the account page a person lands on points staff to the menu of their own work, and families to their children', async () => {
      const page = async (email: string) => (await (await signedInClient(app, email)).get('/account')).body;
      const whatNext = (body: string) => /What you can do next<\/h2>([\s\S]*?)<\/div>/.exec(body)?.[1] ?? '';
      const triage = await page('triage@demo.pathway.test');
      assert.match(whatNext(triage), /The menu at the top of the page holds the pages your work needs/);
      assert.doesNotMatch(whatNext(triage), /href="\/"/, 'not the families’ start page');
      assert.match(triage, /class="govuk-service-navigation__link" href="\/referrals"/);
      const parent = await page('parent@demo.pathway.test');
      assert.match(whatNext(parent), /href="\/children">Your children/);
      assert.doesNotMatch(whatNext(parent), /The menu at the top/);
    });

    test('the session cookie is HttpOnly and SameSite=Lax, and the id changes at every sign-in', async () => {
      const client = new TestClient(app);
      const first = await client.submit('/sign-in', '/sign-in', {
        email: 'triage@demo.pathway.test',
        password: DEMO_PASSWORD,
      });
      const cookie = first.cookies.find((c) => c.name === SESSION_COOKIE);
      assert.ok(cookie);
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Lax');
      const firstId = cookie.value;
      // Signing in again from the same browser (the sign-out form's token is as good as any) replaces the session.
      const second = await client.post('/sign-in', {
        _csrf: (/name="_csrf" value="([^"]+)"/.exec((await client.get('/account')).body) ?? [])[1] ?? '',
        email: 'triage@demo.pathway.test',
        password: DEMO_PASSWORD,
      });
      assert.equal(second.statusCode, 303);
      const secondId = client.cookies.get(SESSION_COOKIE);
      assert.ok(secondId);
      assert.notEqual(secondId, firstId);
      const sessions = await database.db.selectFrom('sessions').select('id_hash').execute();
      assert.ok(!sessions.some((s) => s.id_hash === firstId), 'the raw session id is never stored');
    });

    test('a wrong password gets a clear error and no session', async () => {
      const client = new TestClient(app);
      const response = await client.submit('/sign-in', '/sign-in', {
        email: 'analyst@demo.pathway.test',
        password: 'not the password',
      });
      assert.equal(response.statusCode, 401);
      assert.match(response.body, /There is a problem/);
      assert.match(response.body, /Enter a correct email address and password/);
      assert.equal(client.cookies.has(SESSION_COOKIE), false);
    });

    test('an empty form shows every error at once, linked to its field, with status 400', async () => {
      const client = new TestClient(app);
      const response = await client.submit('/sign-in', '/sign-in', { email: '', password: '' });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /<title>Error: Sign in/);
      assert.match(response.body, /href="#email">Enter your email address/);
      assert.match(response.body, /href="#password">Enter your password/);
    });

    test('repeated wrong passwords lock the account, tell the person, and write to the outbox', async () => {
      const client = new TestClient(app);
      const email = 'dsco@demo.pathway.test';
      for (let attempt = 1; attempt <= 2; attempt += 1) {
        const response = await client.submit('/sign-in', '/sign-in', { email, password: 'wrong' });
        assert.equal(response.statusCode, 401);
      }
      const locking = await client.submit('/sign-in', '/sign-in', { email, password: 'wrong' });
      assert.equal(locking.statusCode, 429);
      assert.match(locking.body, /too many attempts/);
      // Even the right password is refused while locked.
      const whileLocked = await client.submit('/sign-in', '/sign-in', { email, password: DEMO_PASSWORD });
      assert.equal(whileLocked.statusCode, 429);
      const messages = await database.db
        .selectFrom('notifications_outbox')
        .selectAll()
        .where('recipient', '=', email)
        .execute();
      assert.equal(messages.length, 1);
      assert.equal(messages[0]?.template, 'account-locked');
      assert.match(messages[0]?.body ?? '', /locked it for 15 minutes/);
    });

    test('signing out ends the session on the server', async () => {
      const client = await signedInClient(app, 'social.worker@demo.pathway.test');
      const sessionId = client.cookies.get(SESSION_COOKIE);
      assert.ok(sessionId);
      const response = await client.submit('/account', '/sign-out', {});
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, '/signed-out');
      // The old cookie, replayed, no longer signs anyone in.
      const replay = await app.inject({ method: 'GET', url: '/account', cookies: { [SESSION_COOKIE]: sessionId } });
      assert.equal(replay.statusCode, 303);
      assert.match(String(replay.headers.location), /^\/sign-in/);
    });

    test('a session idle for longer than the timeout is ended and the person is told why', async () => {
      const client = await signedInClient(app, 'panel@demo.pathway.test');
      await database.db
        .updateTable('sessions')
        .set({ last_seen_at: new Date(Date.now() - 31 * 60_000) })
        .execute();
      const response = await client.get('/account');
      assert.equal(response.statusCode, 303);
      const signIn = await client.get(String(response.headers.location));
      assert.match(signIn.body, /signed out because you had not done anything for a while/);
    });

    test('a tampered session cookie is treated as signed out, not as an error', async () => {
      const response = await app.inject({
        method: 'GET',
        url: '/account',
        cookies: { [SESSION_COOKIE]: 'forged-value' },
      });
      assert.equal(response.statusCode, 303);
      assert.match(String(response.headers.location), /^\/sign-in\?returnTo=%2Faccount/);
    });

    test('after signing in, a person returns to the page they asked for, but never to another site', async () => {
      const client = new TestClient(app);
      const page = await client.get('/sign-in?returnTo=%2Fchildren');
      const token = (/name="_csrf" value="([^"]+)"/.exec(page.body) ?? [])[1] ?? '';
      const toChildren = await client.post('/sign-in', {
        _csrf: token,
        email: 'parent@demo.pathway.test',
        password: DEMO_PASSWORD,
        returnTo: '/children',
      });
      assert.equal(toChildren.headers.location, '/children');
      const other = new TestClient(app);
      const offsite = await other.submit('/sign-in', '/sign-in', {
        email: 'parent@demo.pathway.test',
        password: DEMO_PASSWORD,
        returnTo: '//evil.example',
      });
      assert.equal(offsite.headers.location, '/account');
    });

    test('signed-in pages are never cached, and the content security policy allows only the inline script it hashes', async () => {
      const client = await signedInClient(app, 'admin@demo.pathway.test');
      const account = await client.get('/account');
      assert.equal(account.headers['cache-control'], 'no-store');
      const csp = String(account.headers['content-security-policy']);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline|nonce-/);
      const allowed = /script-src 'self' 'sha256-([A-Za-z0-9+/=]+)';/.exec(csp)?.[1];
      const inlineScripts = [...account.body.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)];
      assert.equal(inlineScripts.length, 1);
      assert.equal(createHash('sha256').update(inlineScripts[0]![1]!).digest('base64'), allowed);
      assert.equal(account.headers['x-frame-options'], 'SAMEORIGIN');
    });
  });
}
