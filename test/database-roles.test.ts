// The set-up in docs/operations.md, "Database roles", done as a council would on a PostgreSQL server: an owner role
// migrates (Pathway's tables and pg-boss's) and grants, and Pathway runs as a role of its own with MIGRATE=false. That
// role serves pages and writes, adds to the audit trail and reads it, and cannot change, empty or unguard it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../src/db/database.ts';
import { pendingMigrations } from '../src/db/migrate.ts';
import { grantApplicationRole } from '../src/db/roles.ts';
import { DEMO_PASSWORD } from '../src/demo/council.ts';
import { startPathway, type RunningPathway } from './helpers/pathway-process.ts';
import { RUN_TYPESCRIPT } from './helpers/typescript.ts';

const run = promisify(execFile);
const serverUrl = process.env.TEST_DATABASE_URL;

function urlAs(role: string, database: string): string {
  const url = new URL(serverUrl!);
  url.username = role;
  url.password = '';
  url.pathname = `/${database}`;
  return url.href;
}

async function asAdmin(text: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A Pathway command run as an operator would run it, to its end; its output, or its failure with the output. */
async function pathway(command: string[], env: Record<string, string>) {
  const { stdout } = await run(process.execPath, [...RUN_TYPESCRIPT, 'src/cli.ts', ...command], {
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env },
  });
  return stdout;
}

function stop(running: RunningPathway): Promise<number | null> {
  return new Promise((resolve) => {
    running.process.removeAllListeners('exit');
    running.process.on('exit', (code) => resolve(code));
    running.process.kill('SIGTERM');
  });
}

/** The cookies a response sets, as a Cookie header for the next request. */
function cookiesOf(response: Response, jar: Map<string, string>): string {
  for (const cookie of response.headers.getSetCookie()) {
    const [pair] = cookie.split(';');
    const at = pair!.indexOf('=');
    jar.set(pair!.slice(0, at), pair!.slice(at + 1));
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

describe(
  'Pathway running as a role that does not own the tables',
  { skip: serverUrl ? false : 'TEST_DATABASE_URL is not set: the database roles need a PostgreSQL server' },
  () => {
    const suffix = randomBytes(5).toString('hex');
    const owner = `pathway_owner_${suffix}`;
    const app = `pathway_app_${suffix}`;
    const name = `pathway_roles_${suffix}`;
    let client: pg.Client;

    before(async () => {
      await asAdmin(`create role ${owner} login`);
      await asAdmin(`create role ${app} login`);
      await asAdmin(`create database ${name} owner ${owner}`);
    });
    after(async () => {
      await client?.end().catch(() => undefined);
      await asAdmin(`drop database if exists ${name} with (force)`);
      await asAdmin(`drop role if exists ${app}`);
      await asAdmin(`drop role if exists ${owner}`);
    });

    test('refuses to start with MIGRATE=false before the owner has migrated, and says what to do', async () => {
      const appDatabase = await openDatabase({ url: urlAs(app, name), poolSize: 1 });
      try {
        assert.ok((await pendingMigrations(appDatabase)).includes('0001_platform'));
      } finally {
        await appDatabase.close();
      }
      await assert.rejects(
        pathway(['serve'], { DATABASE_URL: urlAs(app, name), MIGRATE: 'false', PORT: '0' }),
        (error: { stderr: string; code: number }) =>
          error.code === 1 && /lacks migrations .* run npm run migrate as the database owner/.test(error.stderr),
      );
    });

    test('the owner migrates, which makes pg-boss’s schema, and grants the application’s role', async () => {
      assert.match(await pathway(['migrate'], { DATABASE_URL: urlAs(owner, name) }), /Database is up to date/);
      assert.match(
        await pathway(['grant', app], { DATABASE_URL: urlAs(owner, name) }),
        new RegExp(`Granted ${app} what Pathway needs`),
      );
      // Run again after an upgrade, it changes nothing and still succeeds.
      await pathway(['grant', app], { DATABASE_URL: urlAs(owner, name) });
      const ownerDatabase = await openDatabase({ url: urlAs(owner, name), poolSize: 1 });
      try {
        await assert.rejects(grantApplicationRole(ownerDatabase, owner), /could change the audit trail/);
        await assert.rejects(grantApplicationRole(ownerDatabase, `nobody_${suffix}`), /There is no role/);
      } finally {
        await ownerDatabase.close();
      }
    });

    test('as that role with MIGRATE=false, Pathway starts, seeds, runs its jobs and serves pages and sign-in', async () => {
      const running = await startPathway(
        'serve',
        { DATABASE_URL: urlAs(app, name), MIGRATE: 'false', IN_PROCESS_WORKER: 'true' },
        { timeoutMs: 120_000 },
      );
      try {
        assert.doesNotMatch(running.output(), /Applied migrations/);
        assert.match(running.output(), /Seeded the demo council/);
        assert.equal((await fetch(`${running.url}/health/ready`)).status, 200);
        const jar = new Map<string, string>();
        const form = await fetch(`${running.url}/sign-in`);
        const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
        const signedIn = await fetch(`${running.url}/sign-in`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(form, jar) },
          body: new URLSearchParams({ _csrf: token, email: 'admin@demo.pathway.test', password: DEMO_PASSWORD }),
        });
        assert.equal(signedIn.status, 303);
        const audit = await fetch(`${running.url}/admin/audit`, { headers: { cookie: cookiesOf(signedIn, jar) } });
        assert.equal(audit.status, 200);
        assert.match(await audit.text(), /Signed in/);
      } finally {
        assert.equal(await stop(running), 0);
      }
    });

    test('that role adds to the audit trail and reads it, and cannot change, empty or unguard it', async () => {
      client = new pg.Client({ connectionString: urlAs(app, name) });
      await client.connect();
      const { rows } = await client.query<{ id: string }>(
        "insert into audit_events (action, details) values ('roles-test', '{}') returning id",
      );
      const id = rows[0]!.id;
      assert.equal((await client.query('select action from audit_events where id = $1', [id])).rowCount, 1);
      const refused = async (text: string, values: unknown[] = []) =>
        assert.rejects(client.query(text, values), (error: { code: string }) => error.code === '42501', text);
      await refused("update audit_events set action = 'changed' where id = $1", [id]);
      await refused('delete from audit_events where id = $1', [id]);
      await refused('truncate audit_events');
      await refused('alter table audit_events disable trigger audit_events_no_update');
      await refused('alter table audit_events disable trigger all');
      await refused('drop trigger audit_events_no_update on audit_events');
      await refused('drop function refuse_audit_change() cascade');
      await refused("set session_replication_role = 'replica'");
      // Its own writes elsewhere are allowed: the grants are not a read-only role's.
      await client.query('update councils set name = name');
      assert.equal(
        (await client.query<{ count: string }>('select count(*) from audit_events where id = $1', [id])).rows[0]!.count,
        '1',
      );
    });
  },
);
