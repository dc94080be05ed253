// The findings of a probe of the running service (issue 17), each as the behaviour that closes it: children's
// details only for those who may see the child, nothing personal in error logs, no control characters stored, only
// same-site addresses after sign-in, a fresh CSRF secret at sign-in, only web links from feeds, one API rate limit
// per client, "Ask for help" once per press, GOV.UK pages for malformed addresses, and a lock-out that neither
// reveals accounts nor lets a stranger keep a worker out.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { seedDemoApplications } from '../src/demo/applications.ts';
import { seedDemoPathway } from '../src/demo/pathway.ts';
import { DEMO_PASSWORD } from '../src/demo/council.ts';
import { importFeed } from '../src/features/directory/import.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from '../src/web/cookies.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { csrfTokenIn, seededApp, signedInClient, testConfig, TestClient } from './helpers/app.ts';
import { EVALUATION_SERVICES } from './helpers/reference-data.ts';

/** Characters no person types into a form; a NUL byte cannot even be stored in PostgreSQL text. */
const CONTROL_CHARACTERS = ['\u0000', '\u0001', '\u001b', '\u007f'];

for (const target of databaseTargets()) {
  describe(`security findings on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;

    before(async () => {
      database = await target.open();
      app = await seededApp(database, { API_RATE_LIMIT_PER_MINUTE: '20', SIGN_IN_MAX_ATTEMPTS: '3' });
      await seedDemoApplications(database.db);
      await seedDemoPathway(database.db);
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    const childNamed = (givenName: string) =>
      database.db.selectFrom('children').selectAll().where('given_name', '=', givenName).executeTakeFirstOrThrow();
    const applicationOf = (givenName: string, status: string) =>
      database.db
        .selectFrom('short_break_applications as a')
        .innerJoin('children as c', 'c.id', 'a.child_id')
        .select(['a.id', 'a.status'])
        .where('c.given_name', '=', givenName)
        .where('a.status', '=', status as never)
        .executeTakeFirstOrThrow();

    test("1. staff cannot read another team's child through a short-breaks application or a sibling's record", async () => {
      // Ibrahim is open to the disabled children's social work team. His withdrawn application is nobody's work
      // now, his verified one waits for a manager, and neither is before the resource panel.
      const withdrawn = await applicationOf('Ibrahim', 'withdrawn');
      const verified = await applicationOf('Ibrahim', 'verified');
      const officer = await signedInClient(app, 'short.breaks@demo.pathway.test');
      const panel = await signedInClient(app, 'panel@demo.pathway.test');
      const manager = await signedInClient(app, 'manager@demo.pathway.test');
      const socialWorker = await signedInClient(app, 'social.worker@demo.pathway.test');
      for (const client of [officer, panel]) {
        assert.equal((await client.get(`/short-breaks/queue/${withdrawn.id}`)).statusCode, 404);
        assert.equal((await client.get(`/short-breaks/queue/${verified.id}`)).statusCode, 404);
        assert.doesNotMatch((await client.get('/short-breaks/queue')).body, /Ibrahim/);
      }
      // Those with a part in it still do: a manager decides it, and an officer sees it while it waits for the
      // evidence check, whichever team the child is open to.
      assert.equal((await manager.get(`/short-breaks/queue/${verified.id}`)).statusCode, 200);
      const status = async (to: 'submitted' | 'verified') =>
        database.db.updateTable('short_break_applications').set({ status: to }).where('id', '=', verified.id).execute();
      await status('submitted');
      try {
        assert.equal((await officer.get(`/short-breaks/queue/${verified.id}`)).statusCode, 200);
        assert.match((await officer.get('/short-breaks/queue')).body, /Ibrahim/);
      } finally {
        await status('verified');
      }

      // Yusuf (open to no team) is his brother: the officer sees Yusuf's record, and that he has a brother, but not
      // Ibrahim's date of birth (8 January 2013).
      const yusuf = await childNamed('Yusuf');
      const record = await officer.get(`/children/${yusuf.id}`);
      assert.equal(record.statusCode, 200);
      assert.match(record.body, /Ibrahim Hussain/);
      assert.doesNotMatch(record.body, /8 January 2013/);
      // Ibrahim's own social worker sees his brother's date of birth (2 April 2011), as Yusuf is open to no team.
      const ibrahimsRecord = await socialWorker.get(`/children/${(await childNamed('Ibrahim')).id}`);
      assert.match(ibrahimsRecord.body, /2 April 2011/);
    });

    test('2a. a failed query is logged without the values it was given', async () => {
      const lines: string[] = [];
      const logged = await buildApp(testConfig({ LOG_LEVEL: 'info' }), {
        database,
        logDestination: { write: (line) => lines.push(line) },
      });
      logged.get('/test-only/failing-query', { config: { access: 'public' } }, async () => {
        await sql`select ${'Tobi Secretname'}::date, ${'943 476 5919'}::integer`.execute(database.db);
        return 'unreachable';
      });
      try {
        const response = await logged.inject({ method: 'GET', url: '/test-only/failing-query' });
        assert.equal(response.statusCode, 500);
      } finally {
        await logged.close();
      }
      const failure = lines.find((line) => (JSON.parse(line) as { level: number }).level >= 50);
      assert.ok(failure, 'the failure is logged at error level');
      assert.match(failure, /22007|invalid input syntax/, 'the log says what kind of failure it was');
      const everything = lines.join('\n');
      assert.doesNotMatch(everything, /Secretname/);
      assert.doesNotMatch(everything, /943 476 5919/);
    });

    test('2b. control characters in a text field are refused with a 400, never a 500, and nothing is stored', async () => {
      const parent = await signedInClient(app, 'parent@demo.pathway.test');
      for (const character of CONTROL_CHARACTERS) {
        const anonymous = new TestClient(app);
        const signIn = await anonymous.submit('/sign-in', '/sign-in', {
          email: `a${character}@demo.pathway.test`,
          password: 'anything',
        });
        assert.equal(signIn.statusCode, 400, `sign-in with U+${character.charCodeAt(0).toString(16)}`);
        assert.match(signIn.body, /<title>/);

        const referrals = await database.db
          .selectFrom('referrals')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow();
        const child = await childNamed('Ada');
        const asked = await parent.submit('/ask-for-help', '/ask-for-help', {
          childId: child.id,
          needs: `Help at weekends${character}please`,
          tried: '',
          safeguarding: 'no',
        });
        assert.equal(asked.statusCode, 400, `ask for help with U+${character.charCodeAt(0).toString(16)}`);
        // Said in plain words: which kind of thing went wrong and how to put it right.
        assert.match(asked.body, /Something you typed cannot be used/);
        const after = await database.db
          .selectFrom('referrals')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow();
        assert.equal(after.n, referrals.n);
      }
      // Tabs and line breaks are what people type in a long answer, and are kept.
      const asked = await parent.submit('/ask-for-help', '/ask-for-help', {
        childId: (await childNamed('Ada')).id,
        needs: 'Help at weekends.\r\n\tMostly Saturdays.',
        tried: '',
        safeguarding: 'no',
      });
      assert.equal(asked.statusCode, 303);
    });

    test('3. after sign-in only a same-site path is followed; anything else goes to the account page', async () => {
      const offSite = [
        '/\t/evil.example/',
        '/%09/evil.example/',
        '//evil.example/',
        '/\\evil.example/',
        '/\u0000x',
        '/\u001bx',
        '/ /evil.example',
        'https://evil.example/',
      ];
      for (const returnTo of offSite) {
        const client = new TestClient(app);
        const page = await client.get(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
        assert.equal(page.statusCode, 200, `the sign-in page with ${JSON.stringify(returnTo)}`);
        const response = await client.post('/sign-in', {
          _csrf: csrfTokenIn(page.body),
          email: 'analyst@demo.pathway.test',
          password: DEMO_PASSWORD,
          returnTo,
        });
        assert.equal(response.statusCode, 303, JSON.stringify(returnTo));
        assert.equal(response.headers.location, '/account', JSON.stringify(returnTo));
      }
      const client = new TestClient(app);
      const page = await client.get('/sign-in');
      const response = await client.post('/sign-in', {
        _csrf: csrfTokenIn(page.body),
        email: 'analyst@demo.pathway.test',
        password: DEMO_PASSWORD,
        returnTo: '/children?name=Tobi',
      });
      assert.equal(response.headers.location, '/children?name=Tobi');
    });

    test('4. a CSRF token from before sign-in (or before sign-out) no longer works after it', async () => {
      const client = new TestClient(app);
      const beforeSignIn = csrfTokenIn((await client.get('/sign-in')).body);
      const secretBefore = client.cookies.get(CSRF_COOKIE);
      const signedIn = await client.post('/sign-in', {
        _csrf: beforeSignIn,
        email: 'analyst@demo.pathway.test',
        password: DEMO_PASSWORD,
      });
      assert.equal(signedIn.statusCode, 303);
      await client.get('/account');
      assert.notEqual(client.cookies.get(CSRF_COOKIE), secretBefore, 'a new secret at sign-in');
      const replayed = await client.post('/sign-out', { _csrf: beforeSignIn });
      assert.equal(replayed.statusCode, 403);
      assert.equal((await client.get('/account')).statusCode, 200, 'still signed in');

      const whileSignedIn = csrfTokenIn((await client.get('/account')).body);
      assert.equal((await client.post('/sign-out', { _csrf: whileSignedIn })).statusCode, 303);
      const afterSignOut = await client.post('/sign-in', {
        _csrf: whileSignedIn,
        email: 'analyst@demo.pathway.test',
        password: DEMO_PASSWORD,
      });
      assert.equal(afterSignOut.statusCode, 403);
      assert.equal(client.cookies.has(SESSION_COOKIE), false);
    });

    test('5. a service or organisation address from a feed that is not a web address is not shown as a link', async () => {
      const [service] = JSON.parse(readFileSync(EVALUATION_SERVICES, 'utf8')) as Record<string, unknown>[];
      assert.ok(service);
      const id = '0b3c5a34-6a5f-4d7e-9d0c-5e1f0a7b9c11';
      const organization = { ...(service.organization as Record<string, unknown>), website: 'javascript:alert(2)' };
      const feed = [
        {
          ...service,
          id,
          name: 'Feed with a script for an address',
          url: 'javascript:alert(1)',
          organization,
        },
      ];
      const folder = mkdtempSync(join(tmpdir(), 'pathway-feed-'));
      writeFileSync(join(folder, 'services.json'), JSON.stringify(feed));
      const report = await importFeed(database.db, 'Z99', join(folder, 'services.json'), 'security-test');
      assert.equal(report.accepted, 1);
      const page = await app.inject({ method: 'GET', url: `/services/${id}` });
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /javascript:/i);
      const api = await app.inject({ method: 'GET', url: `/api/oruk/services/${id}` });
      assert.doesNotMatch(api.body, /javascript:/i);
    });

    test('6. the API rate limit counts a client across every API route', async () => {
      // The limit is 20 a minute here; 6 requests to each of four routes is 24.
      const routes = ['/api/oruk/', '/api/oruk/services', '/api/oruk/organizations', '/api/oruk/taxonomies'];
      const statuses: number[] = [];
      for (const url of routes) {
        for (let count = 0; count < 6; count += 1) {
          statuses.push((await app.inject({ method: 'GET', url, remoteAddress: '203.0.113.6' })).statusCode);
        }
      }
      assert.ok(statuses.includes(429), `statuses: ${[...new Set(statuses)].join(', ')}`);
      assert.equal(statuses.filter((status) => status !== 429).length, 20);
      // Another client is not held back by the first.
      const other = await app.inject({ method: 'GET', url: '/api/oruk/services', remoteAddress: '203.0.113.7' });
      assert.equal(other.statusCode, 200);
    });

    test('7. "Ask for help" sent twice (a double click) makes one referral', async () => {
      const parent = await signedInClient(app, 'parent@demo.pathway.test');
      const page = await parent.get('/ask-for-help');
      const token = csrfTokenIn(page.body);
      const child = await childNamed('Ada');
      const form = {
        _csrf: token,
        childId: child.id,
        needs: 'A double-clicked request for help with bedtimes.',
        tried: '',
        safeguarding: 'no',
      };
      const [first, second] = await Promise.all([
        parent.post('/ask-for-help', form),
        parent.post('/ask-for-help', form),
      ]);
      assert.equal(first.statusCode, 303);
      assert.equal(second.statusCode, 303);
      assert.equal(first.headers.location, second.headers.location, 'both presses show the same reference');
      const made = await database.db
        .selectFrom('referrals')
        .select('id')
        .where('child_id', '=', child.id)
        .where(sql<boolean>`details->>'needs' = ${form.needs}`)
        .execute();
      assert.equal(made.length, 1);
    });

    test('8. a malformed address is a GOV.UK page, not the framework’s JSON', async () => {
      for (const url of ['/%', '/services/%E0%A4%A', '/children/%zz']) {
        const response = await app.inject({ method: 'GET', url });
        assert.ok([400, 404].includes(response.statusCode), `${url} gave ${response.statusCode}`);
        assert.match(String(response.headers['content-type']), /^text\/html/, url);
        assert.match(response.body, /govuk-template/, url);
        assert.doesNotMatch(response.body, /FST_ERR|"statusCode"/, url);
      }
      const api = await app.inject({ method: 'GET', url: '/api/oruk/services/%E0%A4%A' });
      assert.ok([400, 404].includes(api.statusCode));
      assert.doesNotMatch(api.body, /FST_ERR/);
    });

    test('9. a locked account, an unknown email and a wrong password get the same answer, and a lock is per address', async () => {
      const signInFrom = async (remoteAddress: string, email: string, password: string) => {
        const page = await app.inject({ method: 'GET', url: '/sign-in', remoteAddress });
        const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
        return app.inject({
          method: 'POST',
          url: '/sign-in',
          remoteAddress,
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ _csrf: csrfTokenIn(page.body), email, password }).toString(),
        });
      };
      const errorOf = (body: string) => /govuk-error-message">[\s\S]*?<\/p>/.exec(body)?.[0];
      const stranger = '198.51.100.9';
      const worker = '192.0.2.44';
      const known = 'send.casework@demo.pathway.test';
      const unknown = 'nobody.here@demo.pathway.test';
      const answers: Record<'known' | 'unknown', { status: number; error?: string }[]> = { known: [], unknown: [] };
      for (let attempt = 1; attempt <= 4; attempt += 1) {
        for (const [which, email] of [
          ['known', known],
          ['unknown', unknown],
        ] as const) {
          const response = await signInFrom(stranger, email, 'a wrong guess');
          answers[which].push({ status: response.statusCode, error: errorOf(response.body) });
        }
      }
      assert.deepEqual(answers.known, answers.unknown, 'a real account answers as an unknown email does');
      // The stranger's guesses lock the account from the stranger's address only: the worker signs in from theirs.
      const workerSignIn = await signInFrom(worker, known, DEMO_PASSWORD);
      assert.equal(workerSignIn.statusCode, 303);
      // The account holder is told that someone is trying their account.
      const told = await database.db
        .selectFrom('notifications_outbox')
        .select('template')
        .where('recipient', '=', known)
        .execute();
      assert.deepEqual(
        told.map((message) => message.template),
        ['account-locked'],
      );
      // From the stranger's address, even the right password is refused while the lock lasts, as for anyone.
      const lockedOut = await signInFrom(stranger, known, DEMO_PASSWORD);
      assert.equal(lockedOut.statusCode, answers.known.at(-1)?.status);
    });
  });
}
