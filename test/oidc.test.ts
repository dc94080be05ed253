// Sign-in through a council identity provider: OpenID Connect authorization code flow with PKCE,
// end to end against a real oidc-provider process.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE } from '../src/web/cookies.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { seededApp, TestClient } from './helpers/app.ts';

const CLIENT_ID = 'pathway-test';
const CLIENT_SECRET = 'pathway-test-secret-that-is-long-enough';
const REDIRECT_URI = 'http://localhost:3999/sign-in/oidc/callback';

function startProvider(): Promise<{ process: ChildProcess; issuer: string }> {
  const child = spawn(
    process.execPath,
    ['test/helpers/oidc-provider-process.mjs', CLIENT_ID, CLIENT_SECRET, REDIRECT_URI],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The OIDC provider did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /READY (\S+)/.exec(output);
      if (ready?.[1]) {
        clearTimeout(timer);
        resolve({ process: child, issuer: ready[1] });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`The OIDC provider exited with ${String(code)}:\n${output}`)));
  });
}

/** A person's browser at the identity provider: follows redirects and keeps the provider's cookies. */
class ProviderBrowser {
  private readonly cookies = new Map<string, string>();

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}) {
    const response = await fetch(url, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (name) this.cookies.set(name.trim(), value.join('='));
    }
    return response;
  }

  /** Follows redirects within the provider; returns the first redirect that leaves it (to Pathway). */
  async followUntilLeaving(url: string, issuer: string, init: { method?: string; form?: Record<string, string> } = {}) {
    let response = await this.request(url, init);
    for (let hops = 0; hops < 10; hops += 1) {
      const location = response.headers.get('location');
      if (!location) return { response, leftTo: undefined };
      const next = new URL(location, url).href;
      if (!next.startsWith(issuer)) return { response, leftTo: next };
      url = next;
      response = await this.request(url);
    }
    throw new Error('Too many redirects at the provider');
  }
}

function formAction(html: string, pageUrl: string): string {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  assert.ok(action, 'the provider shows a form');
  return new URL(action.replaceAll('&amp;', '&'), pageUrl).href;
}

for (const target of databaseTargets()) {
  describe(`OIDC sign-in on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let provider: { process: ChildProcess; issuer: string };

    before(async () => {
      provider = await startProvider();
      database = await target.open();
      app = await seededApp(database, {
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: CLIENT_ID,
        OIDC_CLIENT_SECRET: CLIENT_SECRET,
        OIDC_REDIRECT_URI: REDIRECT_URI,
      });
    });
    after(async () => {
      provider.process.removeAllListeners('exit');
      provider.process.kill('SIGTERM');
      await app.close();
      await database.dispose();
    });

    /** Runs the journey up to the provider's redirect back to Pathway, and returns that callback path. */
    async function signInAtProvider(client: TestClient, login: string): Promise<string> {
      const start = await client.get('/sign-in/oidc?returnTo=%2Faccount');
      assert.equal(start.statusCode, 302);
      const authorizationUrl = new URL(String(start.headers.location));
      assert.ok(authorizationUrl.href.startsWith(provider.issuer));
      assert.equal(authorizationUrl.searchParams.get('code_challenge_method'), 'S256');
      assert.ok(authorizationUrl.searchParams.get('code_challenge'));
      assert.ok(authorizationUrl.searchParams.get('state'));
      assert.ok(authorizationUrl.searchParams.get('nonce'));

      const browser = new ProviderBrowser();
      const toLogin = await browser.followUntilLeaving(authorizationUrl.href, provider.issuer);
      const loginPageUrl = toLogin.response.url;
      const loginPage = await toLogin.response.text();
      const afterLogin = await browser.followUntilLeaving(formAction(loginPage, loginPageUrl), provider.issuer, {
        method: 'POST',
        form: { prompt: 'login', login, password: 'any' },
      });
      let leftTo = afterLogin.leftTo;
      if (!leftTo) {
        const consentPage = await afterLogin.response.text();
        const afterConsent = await browser.followUntilLeaving(
          formAction(consentPage, afterLogin.response.url),
          provider.issuer,
          {
            method: 'POST',
            form: { prompt: 'consent' },
          },
        );
        leftTo = afterConsent.leftTo;
      }
      if (!leftTo?.startsWith(REDIRECT_URI))
        assert.fail(`the provider sends the person back to Pathway, not ${String(leftTo)}`);
      const callback = new URL(leftTo);
      return `${callback.pathname}${callback.search}`;
    }

    test('a member of staff signs in with the council account and lands on their account page', async () => {
      const client = new TestClient(app);
      const callbackPath = await signInAtProvider(client, 'staff-123');
      assert.match(callbackPath, /[?&]code=/);
      const callback = await client.get(callbackPath);
      assert.equal(callback.statusCode, 303);
      assert.equal(callback.headers.location, '/account');
      assert.ok(client.cookies.get(SESSION_COOKIE));
      const account = await client.get('/account');
      assert.equal(account.statusCode, 200);
      assert.match(account.body, /Megan Lewis/);

      const user = await database.db
        .selectFrom('users')
        .select(['id', 'oidc_subject'])
        .where('email', '=', 'social.worker@demo.pathway.test')
        .executeTakeFirstOrThrow();
      assert.equal(user.oidc_subject, 'staff-123');
      const audit = await database.db
        .selectFrom('audit_events')
        .select(['details'])
        .where('action', '=', 'sign-in')
        .where('actor_user_id', '=', user.id)
        .execute();
      assert.ok(audit.some((row) => row.details.method === 'oidc'));
    });

    test('someone the provider knows but Pathway does not is refused, with no session', async () => {
      const client = new TestClient(app);
      const callbackPath = await signInAtProvider(client, 'stranger-1');
      const callback = await client.get(callbackPath);
      assert.equal(callback.statusCode, 403);
      assert.match(callback.body, /not set up to use Pathway/);
      assert.equal(client.cookies.has(SESSION_COOKIE), false);
    });

    test('a callback whose state does not match the one Pathway sent is refused, with no session', async () => {
      const client = new TestClient(app);
      const callbackPath = await signInAtProvider(client, 'staff-123');
      const tampered = callbackPath.replace(/state=[^&]+/, 'state=forged');
      const callback = await client.get(tampered);
      assert.equal(callback.statusCode, 400);
      assert.equal(client.cookies.has(SESSION_COOKIE), false);
    });

    test('a callback without the sign-in cookie (another browser, or too late) is refused', async () => {
      const client = new TestClient(app);
      const callbackPath = await signInAtProvider(client, 'staff-123');
      const stranger = new TestClient(app);
      const callback = await stranger.get(callbackPath);
      assert.equal(callback.statusCode, 400);
      assert.match(callback.body, /took too long/);
    });
  });
}
