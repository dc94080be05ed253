// Backup and restore of the embedded database (issue 17): a backup taken with Pathway stopped, or while it runs,
// restores every row of every table, evidence files included; a restore never overwrites data unless told to.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { seedDemoCouncil } from '../src/demo/council.ts';
import { seedDemoApplications } from '../src/demo/applications.ts';
import { RUN_TYPESCRIPT } from './helpers/typescript.ts';

const ENV = { NODE_ENV: 'development', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: '0', DEMO_DATA: 'false' };

function command(dataDir: string, ...args: string[]) {
  return spawnSync(process.execPath, [...RUN_TYPESCRIPT, 'src/cli.ts', ...args], {
    env: { ...process.env, ...ENV, DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

type Snapshot = Map<string, { count: number; checksum: string }>;

/** Every table of every schema (Pathway's and the job queue's): its row count and a checksum of its rows. */
async function snapshot(dataDir: string): Promise<Snapshot> {
  const database = await openDatabase({ dataDir });
  try {
    const tables = await sql<{ name: string }>`
      select format('%I.%I', table_schema, table_name) as name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
      order by 1`.execute(database.db);
    const result: Snapshot = new Map();
    for (const { name } of tables.rows) {
      const { rows } = await database.executeSql(
        `select count(*)::int as count, coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as checksum
         from ${name} t`,
      );
      result.set(name, { count: Number(rows[0]?.count), checksum: String(rows[0]?.checksum) });
    }
    return result;
  } finally {
    await database.close();
  }
}

const EVIDENCE = randomBytes(200_000);

/** A council with people and short-breaks applications, and one evidence file of random bytes. */
async function makeDatabase(dataDir: string) {
  const database = await openDatabase({ dataDir });
  try {
    await migrate(database);
    await seedDemoCouncil(database.db, 'test');
    await seedDemoApplications(database.db);
    const application = await database.db
      .selectFrom('short_break_applications')
      .select(['id', 'la_code'])
      .executeTakeFirstOrThrow();
    const uploader = await database.db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    await database.db
      .insertInto('short_break_evidence')
      .values({
        la_code: application.la_code,
        application_id: application.id,
        file_name: 'letter.pdf',
        media_type: 'application/pdf',
        size_bytes: EVIDENCE.length,
        content: EVIDENCE,
        uploaded_by: uploader.id,
      })
      .execute();
  } finally {
    await database.close();
  }
}

async function evidenceIn(dataDir: string): Promise<Buffer | undefined> {
  const database = await openDatabase({ dataDir });
  try {
    const row = await database.db
      .selectFrom('short_break_evidence')
      .select('content')
      .where('file_name', '=', 'letter.pdf')
      .executeTakeFirst();
    return row && Buffer.from(row.content);
  } finally {
    await database.close();
  }
}

describe('backup and restore of the embedded database', () => {
  const folder = mkdtempSync(join(tmpdir(), 'pathway-backup-'));
  const dataDir = join(folder, 'data');
  const running: ChildProcess[] = [];
  after(() => {
    for (const child of running) child.kill('SIGKILL');
    rmSync(folder, { recursive: true, force: true });
  });

  test('backed up, wiped and restored: every row of every table, and the evidence files, come back', async () => {
    await makeDatabase(dataDir);
    const before = await snapshot(dataDir);
    assert.ok((before.get('public.short_break_evidence')?.count ?? 0) >= 1);
    assert.ok((before.get('public.users')?.count ?? 0) > 5);

    const file = join(folder, 'stopped.tar.gz');
    const backup = command(dataDir, 'backup', file);
    assert.equal(backup.status, 0, backup.stderr);
    assert.match(backup.stdout, /Backed up .* to .*stopped\.tar\.gz/);

    rmSync(dataDir, { recursive: true, force: true });
    const restore = command(dataDir, 'restore', file);
    assert.equal(restore.status, 0, restore.stderr);
    assert.match(restore.stdout, /Restored .* \(1 council\)/);

    const restored = await snapshot(dataDir);
    assert.deepEqual([...restored.keys()], [...before.keys()]);
    for (const [table, expected] of before) assert.deepEqual(restored.get(table), expected, table);
    assert.deepEqual(await evidenceIn(dataDir), EVIDENCE);
    assert.equal(existsSync(join(dataDir, 'pathway.lock')), false, 'no lock is left behind');
  });

  test('a restore into a folder that holds data is refused unless --replace, which keeps the old folder', () => {
    const file = join(folder, 'stopped.tar.gz');
    const refused = command(dataDir, 'restore', file);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /already holds a database.*--replace/s);

    const notABackup = join(folder, 'notes.txt');
    writeFileSync(notABackup, 'not a backup');
    const wrongFile = command(dataDir, 'restore', '--replace', notABackup);
    assert.equal(wrongFile.status, 1);
    assert.match(wrongFile.stderr, /is not a backup made by npm run backup/);

    const replaced = command(dataDir, 'restore', '--replace', file);
    assert.equal(replaced.status, 0, replaced.stderr);
    assert.match(replaced.stdout, /kept at .*data\.before-restore-/);
    assert.ok(readdirSync(folder).some((name) => name.startsWith('data.before-restore-')));
  });

  test('while Pathway runs, the backup is written by the running process, and restores', async () => {
    const server = spawn(process.execPath, [...RUN_TYPESCRIPT, 'src/cli.ts', 'serve'], {
      env: { ...process.env, ...ENV, DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.push(server);
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Pathway did not start:\n${output}`)), 90_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Pathway is ready')) {
          clearTimeout(timer);
          resolve();
        }
      };
      server.stdout.on('data', onData);
      server.stderr.on('data', onData);
    });
    const file = join(folder, 'running.tar.gz');
    const backup = command(dataDir, 'backup', file);
    assert.equal(backup.status, 0, backup.stderr);
    assert.match(backup.stdout, new RegExp(`The running Pathway \\(process ${server.pid}\\) wrote the backup`));
    // The running process refuses nothing and goes on serving.
    assert.equal(server.exitCode, null);

    const elsewhere = join(folder, 'from-running');
    const restore = command(elsewhere, 'restore', file);
    assert.equal(restore.status, 0, restore.stderr);
    const restored = await snapshot(elsewhere);
    const original = await snapshotWhenStopped(server, dataDir);
    // The server's job queue works on while it runs, so Pathway's own tables are compared (the outbox aside, which
    // the worker may have delivered since).
    for (const [table, expected] of original) {
      if (!table.startsWith('public.') || table === 'public.notifications_outbox') continue;
      assert.deepEqual(restored.get(table), expected, table);
    }
    assert.deepEqual(await evidenceIn(elsewhere), EVIDENCE);
  });
});

async function snapshotWhenStopped(server: ChildProcess, dataDir: string): Promise<Snapshot> {
  await new Promise<void>((resolve) => {
    server.on('exit', () => resolve());
    server.kill('SIGTERM');
  });
  return snapshot(dataDir);
}
