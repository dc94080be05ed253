// The databases a test runs against: embedded PGlite always, and a real PostgreSQL server when
// TEST_DATABASE_URL is set (CI sets it). Each test file gets a fresh, migrated database of its own.
//
// Creating and migrating a database costs seconds (PGlite runs initdb in WebAssembly), so scripts/run-tests.mjs,
// running several files, migrates one of each kind first (makeTemplates below) and each file starts from a copy:
// PGlite loads the migrated data folder from an archive, PostgreSQL copies a template database. A file run alone
// creates and migrates its own.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';

/** Where scripts/run-tests.mjs tells each test file the migrated templates are. */
const PGLITE_ARCHIVE_VARIABLE = 'PATHWAY_TEST_PGLITE_ARCHIVE';
const POSTGRES_TEMPLATE_VARIABLE = 'PATHWAY_TEST_POSTGRES_TEMPLATE';

export interface TestDatabaseTarget {
  name: 'pglite' | 'postgresql';
  open(): Promise<TestDatabase>;
}

export interface TestDatabase extends Database {
  /** Closes the connection and, on PostgreSQL, drops the throwaway database. */
  dispose(): Promise<void>;
  url?: string;
}

async function adminQuery(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.href;
}

async function openPglite(): Promise<Database> {
  const archive = process.env[PGLITE_ARCHIVE_VARIABLE];
  if (archive) return openDatabase({ loadDataDir: new Blob([readFileSync(archive)]) });
  const database = await openDatabase({});
  await migrate(database);
  return database;
}

async function openPostgresql(serverUrl: string): Promise<TestDatabase> {
  const name = `pathway_test_${randomBytes(6).toString('hex')}`;
  const template = process.env[POSTGRES_TEMPLATE_VARIABLE];
  await adminQuery(serverUrl, template ? `create database ${name} template ${template}` : `create database ${name}`);
  const url = databaseUrl(serverUrl, name);
  const database = await openDatabase({ url, poolSize: 5 });
  if (!template) await migrate(database);
  return {
    ...database,
    url,
    async dispose() {
      await database.close();
      await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

export function databaseTargets(): TestDatabaseTarget[] {
  const targets: TestDatabaseTarget[] = [
    {
      name: 'pglite',
      async open() {
        const database = await openPglite();
        return { ...database, dispose: () => database.close() };
      },
    },
  ];
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) targets.push({ name: 'postgresql', open: () => openPostgresql(serverUrl) });
  return targets;
}

async function makePgliteArchive(path: string) {
  const database = await openDatabase({});
  try {
    await migrate(database);
    if (!database.dumpDataDir) throw new Error('An embedded database has dumpDataDir, but this one has not');
    const archive = await database.dumpDataDir();
    writeFileSync(path, Buffer.from(await archive.arrayBuffer()));
  } finally {
    await database.close();
  }
}

async function makePostgresTemplate(serverUrl: string, name: string) {
  await adminQuery(serverUrl, `create database ${name}`);
  const database = await openDatabase({ url: databaseUrl(serverUrl, name), poolSize: 1 });
  try {
    await migrate(database);
  } finally {
    // A template must have no connections while databases are copied from it.
    await database.close();
  }
}

/** Migrates the templates that the environment variables name; run-tests.mjs calls this once before a run. */
export async function makeTemplates(): Promise<void> {
  const archive = process.env[PGLITE_ARCHIVE_VARIABLE];
  const template = process.env[POSTGRES_TEMPLATE_VARIABLE];
  const serverUrl = process.env.TEST_DATABASE_URL;
  await Promise.all([
    archive ? makePgliteArchive(archive) : undefined,
    template && serverUrl ? makePostgresTemplate(serverUrl, template) : undefined,
  ]);
}

/** Drops the PostgreSQL template after the run (run-tests.mjs removes the archive's folder itself). */
export async function removeTemplates(): Promise<void> {
  const template = process.env[POSTGRES_TEMPLATE_VARIABLE];
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (template && serverUrl) await adminQuery(serverUrl, `drop database if exists ${template} with (force)`);
}
