// The databases a test runs against: embedded PGlite always, and a real PostgreSQL server when
// TEST_DATABASE_URL is set (CI sets it). Each test file gets a fresh, empty database of its own.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';

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

export function databaseTargets(): TestDatabaseTarget[] {
  const targets: TestDatabaseTarget[] = [
    {
      name: 'pglite',
      async open() {
        const database = await openDatabase({});
        await migrate(database);
        return { ...database, dispose: () => database.close() };
      },
    },
  ];
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    targets.push({
      name: 'postgresql',
      async open() {
        const name = `pathway_test_${randomBytes(6).toString('hex')}`;
        await adminQuery(serverUrl, `create database ${name}`);
        const url = new URL(serverUrl);
        url.pathname = `/${name}`;
        const database = await openDatabase({ url: url.href, poolSize: 5 });
        await migrate(database);
        return {
          ...database,
          url: url.href,
          async dispose() {
            await database.close();
            await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
          },
        };
      },
    });
  }
  return targets;
}
