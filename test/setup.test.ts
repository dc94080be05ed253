// Setting up Pathway for a real council (issue 17): `npm run setup` creates the council and its first administrator
// once, with a one-time link to create a password; the link works once, until it expires; the public pages of a
// Pathway not yet set up say so instead of failing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { createSetPasswordLink } from '../src/features/accounts/set-password.ts';
import { setUpFirstCouncil } from '../src/features/administration/first-council.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { testConfig, TestClient } from './helpers/app.ts';
import { RUN_TYPESCRIPT } from './helpers/typescript.ts';

const PUBLIC_URL = 'http://localhost:3000';
const SETUP = {
  laCode: 'E08000032',
  name: 'Bradford Metropolitan District Council',
  adminEmail: 'it.lead@council.example',
  adminName: 'Alex Morgan',
  publicUrl: PUBLIC_URL,
};
const NEW_PASSWORD = 'three random words';

/** The address of a link without the site, as a test client asks for it. */
function pathOf(url: string): string {
  return url.slice(PUBLIC_URL.length);
}

for (const target of databaseTargets()) {
  describe(`setting up a council on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;

    before(async () => {
      database = await target.open();
      app = await buildApp(testConfig({ DEMO_DATA: 'false' }), { database });
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    test('before set-up, the public pages say Pathway is not set up yet, and nothing fails', async () => {
      const client = new TestClient(app);
      const directory = await client.get('/services');
      assert.equal(directory.statusCode, 404);
      assert.match(directory.body, /This service is not set up yet/);
      const api = await client.get('/api/oruk/services');
      assert.equal(api.statusCode, 404);
      assert.equal((await client.get('/')).statusCode, 200);
      assert.equal((await client.get('/sign-in')).statusCode, 200);
    });

    test('set-up creates the council and its administrator once, with a link in the outbox', async () => {
      const result = await setUpFirstCouncil(database.db, SETUP);
      assert.equal(result.outcome, 'created');
      if (result.outcome !== 'created') return;
      assert.match(result.link.url, /^http:\/\/localhost:3000\/set-password\?token=[A-Za-z0-9_-]{43}$/);
      const expiresInDays = (result.link.expiresAt.getTime() - Date.now()) / 86_400_000;
      assert.ok(expiresInDays > 6.9 && expiresInDays <= 7, `a week, not ${expiresInDays} days`);

      const admin = await database.db
        .selectFrom('users')
        .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
        .select(['users.id', 'users.la_code', 'users.password_hash', 'user_roles.role'])
        .where('users.email', '=', SETUP.adminEmail)
        .executeTakeFirstOrThrow();
      assert.equal(admin.la_code, SETUP.laCode);
      assert.equal(admin.role, 'administrator');
      assert.equal(admin.password_hash, null, 'no password is set by the command');

      const email = await database.db
        .selectFrom('notifications_outbox')
        .select(['recipient', 'body', 'status'])
        .where('template', '=', 'council-set-up')
        .executeTakeFirstOrThrow();
      assert.equal(email.recipient, SETUP.adminEmail);
      assert.equal(email.status, 'queued');
      assert.ok(email.body.includes(result.link.url));

      // Only the link's hash is stored.
      const token = result.link.url.split('token=')[1] ?? '';
      const stored = await database.db.selectFrom('set_password_links').select('token_hash').execute();
      assert.equal(stored.length, 1);
      assert.notEqual(stored[0]?.token_hash, token);

      const again = await setUpFirstCouncil(database.db, { ...SETUP, laCode: 'E09000001', name: 'Another council' });
      assert.equal(again.outcome, 'already-set-up');
      const councils = await database.db.selectFrom('councils').select('la_code').execute();
      assert.deepEqual(
        councils.map((council) => council.la_code),
        [SETUP.laCode],
      );
      const actions = await database.db
        .selectFrom('audit_events')
        .select('action')
        .where('la_code', '=', SETUP.laCode)
        .execute();
      for (const action of ['create-council', 'create-user', 'create-set-password-link']) {
        assert.ok(
          actions.some((row) => row.action === action),
          `${action} is audited`,
        );
      }
    });

    test('the administrator creates a password through the link, once, and signs in with it', async () => {
      const admin = await database.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', SETUP.adminEmail)
        .executeTakeFirstOrThrow();
      const link = await database.db.transaction().execute((trx) =>
        createSetPasswordLink(trx, admin.id, {
          purpose: 'invitation',
          publicUrl: PUBLIC_URL,
          actor: { userId: null, role: 'system', requestId: null },
        }),
      );
      const client = new TestClient(app);
      const page = await client.get(pathOf(link.url));
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Create your password/);
      assert.match(page.body, /it\.lead@council\.example/);
      const token = link.url.split('token=')[1] ?? '';

      const tooShort = await client.submit(pathOf(link.url), '/set-password', {
        token,
        password: 'short',
        confirmPassword: 'different',
      });
      assert.equal(tooShort.statusCode, 400);
      assert.match(tooShort.body, /Password must be 12 characters or more/);
      assert.match(tooShort.body, /Passwords must match/);

      const saved = await client.submit(pathOf(link.url), '/set-password', {
        token,
        password: NEW_PASSWORD,
        confirmPassword: NEW_PASSWORD,
      });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, '/password-created');
      assert.match((await client.get('/password-created')).body, /Your password is saved/);

      const signIn = await client.submit('/sign-in', '/sign-in', { email: SETUP.adminEmail, password: NEW_PASSWORD });
      assert.equal(signIn.statusCode, 303);
      assert.equal(signIn.headers.location, '/account');

      // Used once: the same link, and the set-up link made before it, no longer work.
      const reused = await new TestClient(app).get(pathOf(link.url));
      assert.equal(reused.statusCode, 404);
      assert.match(reused.body, /This link no longer works/);
      const spent = await database.db
        .selectFrom('set_password_links')
        .select('used_at')
        .where('user_id', '=', admin.id)
        .execute();
      assert.ok(spent.every((row) => row.used_at !== null));
      const audited = await database.db
        .selectFrom('audit_events')
        .select('actor_user_id')
        .where('action', '=', 'set-password')
        .execute();
      assert.deepEqual(
        audited.map((row) => row.actor_user_id),
        [admin.id],
      );
    });

    test('an expired link, or one made up, shows the same page and changes nothing', async () => {
      const admin = await database.db
        .selectFrom('users')
        .select(['id', 'password_hash'])
        .where('email', '=', SETUP.adminEmail)
        .executeTakeFirstOrThrow();
      const longAgo = new Date(Date.now() - 2 * 86_400_000);
      const expired = await database.db
        .transaction()
        .execute((trx) =>
          createSetPasswordLink(
            trx,
            admin.id,
            { purpose: 'reset', publicUrl: PUBLIC_URL, actor: { userId: null, role: 'system', requestId: null } },
            longAgo,
          ),
        );
      const client = new TestClient(app);
      assert.equal((await client.get(pathOf(expired.url))).statusCode, 404);
      assert.equal((await client.get('/set-password?token=made-up')).statusCode, 404);
      const token = expired.url.split('token=')[1] ?? '';
      const posted = await client.submit('/sign-in', '/set-password', {
        token,
        password: 'another long password',
        confirmPassword: 'another long password',
      });
      assert.equal(posted.statusCode, 404);
      const after = await database.db
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', admin.id)
        .executeTakeFirstOrThrow();
      assert.equal(after.password_hash, admin.password_hash);
    });
  });
}

for (const target of databaseTargets()) {
  describe(`two set-ups at once on ${target.name}`, () => {
    test('two set-ups started at the same moment for different councils make one council; the other is refused', async () => {
      const database = await target.open();
      try {
        const other = { ...SETUP, laCode: 'E08000033', name: 'Calderdale', adminEmail: 'it.admin@calderdale.example' };
        const results = await Promise.all([
          setUpFirstCouncil(database.db, SETUP),
          setUpFirstCouncil(database.db, other),
        ]);
        assert.deepEqual(results.map((result) => result.outcome).sort(), ['already-set-up', 'created']);
        const councils = await database.db.selectFrom('councils').select('la_code').execute();
        assert.equal(councils.length, 1);
        const administrators = await database.db.selectFrom('users').select('email').execute();
        assert.equal(administrators.length, 1);
      } finally {
        await database.dispose();
      }
    });
  });
}

describe('npm run setup', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pathway-setup-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  function setup(...args: string[]) {
    return spawnSync(process.execPath, [...RUN_TYPESCRIPT, 'src/cli.ts', 'setup', ...args], {
      env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', DATA_DIR: dataDir, DEMO_DATA: 'false' },
      encoding: 'utf8',
      timeout: 120_000,
    });
  }
  const bradford = ['--council-name', SETUP.name, '--admin-email', SETUP.adminEmail];

  test('refuses a code that is not an English council’s, prints a link once, and refuses to run twice', () => {
    const wrongCode = setup('--council-code', 'W06000015', ...bradford);
    assert.equal(wrongCode.status, 1);
    assert.match(wrongCode.stderr, /E06, E07, E08, E09 or E10 and six digits/);

    const first = setup('--council-code', SETUP.laCode, ...bradford);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /Set up Bradford Metropolitan District Council \(E08000032\)/);
    assert.match(first.stdout, /http:\/\/localhost:3000\/set-password\?token=[A-Za-z0-9_-]{43}/);
    // It says where the link's address comes from, so a council serving elsewhere knows to set it.
    assert.match(first.stdout, /The link starts with PUBLIC_URL \(http:\/\/localhost:3000\)/);

    const second = setup('--council-code', SETUP.laCode, ...bradford);
    assert.equal(second.status, 1);
    assert.match(second.stderr, /already set up in this database, for Bradford Metropolitan District Council/);
    assert.doesNotMatch(second.stdout, /set-password\?token=/);

    const newLink = setup('--new-link', '--admin-email', SETUP.adminEmail);
    assert.equal(newLink.status, 0, newLink.stderr);
    assert.match(newLink.stdout, /set-password\?token=/);
  });

  test('--help lists every command, after a command too, and an unknown one is refused with the same list', () => {
    const run = (...command: string[]) =>
      spawnSync(process.execPath, [...RUN_TYPESCRIPT, 'src/cli.ts', ...command], {
        env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', DATA_DIR: dataDir },
        encoding: 'utf8',
        timeout: 60_000,
      });
    const help = run('--help');
    assert.equal(help.status, 0, help.stderr);
    for (const command of ['serve', 'worker', 'migrate', 'grant', 'seed', 'setup', 'import-oruk', 'backup', 'restore'])
      assert.match(help.stdout, new RegExp(`^  ${command}\\b`, 'm'), command);
    // A command asked for its help gives the list too, rather than complaining about what it was not given.
    const setupHelp = run('setup', '--help');
    assert.equal(setupHelp.status, 0, setupHelp.stderr);
    assert.match(setupHelp.stdout, /^  setup\b/m);
    const unknown = run('serv');
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /Unknown command "serv"/);
    assert.match(unknown.stderr, /setup --council-code/);
  });
});
