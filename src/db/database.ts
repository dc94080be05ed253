// Opens the database: embedded PGlite under the data folder, or a PostgreSQL server when a URL is given.
// Both speak the same SQL, so the rest of Pathway never asks which one it has.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Schema } from './schema.ts';
import { PGliteDialect, TurnLock } from './pglite-dialect.ts';
import { preparingPool } from './prepared-statements.ts';

const DATE_OID = 1082;

// Calendar dates stay as YYYY-MM-DD text: turning them into Date objects invites time-zone slips.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

export type SqlRows = { rows: Record<string, unknown>[] };
export type ScriptRunner = (text: string) => Promise<SqlRows>;

export interface Database {
  db: Kysely<Schema>;
  kind: 'embedded' | 'server';
  /** Runs SQL on one connection; with no values the text may hold several statements (migrations, pg-boss). */
  executeSql(text: string, values?: unknown[]): Promise<SqlRows>;
  /** Runs work on one connection while holding the migration lock, so two processes never migrate at once. */
  withMigrationLock<T>(work: (run: ScriptRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL URL; when absent, PGlite is used. */
  url?: string;
  /** Folder for PGlite's files; when absent, PGlite keeps everything in memory (tests). */
  dataDir?: string;
  poolSize?: number;
  /**
   * Prepare each query once per connection (true unless set false). A connection pooler that hands one server
   * connection to several clients in turn needs false: PgBouncer in transaction mode, unless it is 1.21 or later
   * with max_prepared_statements set.
   */
  preparedStatements?: boolean;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url
    ? openServerDatabase(options.url, options.poolSize ?? 10, options.preparedStatements ?? true)
    : openEmbeddedDatabase(options.dataDir);
}

async function openEmbeddedDatabase(dataDir: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir ?? 'memory://', {
    parsers: { [DATE_OID]: (value: string) => value },
  });
  const lock = new TurnLock(30_000);
  const db = new Kysely<Schema>({ dialect: new PGliteDialect(pglite, lock) });
  const executeSql = async (text: string, values?: unknown[]): Promise<SqlRows> => {
    const release = await lock.acquire();
    try {
      if (values && values.length > 0) {
        return await pglite.query<Record<string, unknown>>(text, values);
      }
      const results = await pglite.exec(text);
      return { rows: results.at(-1)?.rows ?? [] };
    } finally {
      release();
    }
  };
  return {
    db,
    kind: 'embedded',
    executeSql,
    // One process owns an embedded database, so there is nobody to race.
    withMigrationLock: (work) => work((text) => executeSql(text)),
    async close() {
      await db.destroy();
    },
  };
}

async function openServerDatabase(url: string, poolSize: number, preparedStatements: boolean): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client losing its server connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<Schema>({
    dialect: new PostgresDialect({ pool: preparedStatements ? preparingPool(pool) : pool }),
  });
  const MIGRATION_LOCK_KEY = 727_2026;
  return {
    db,
    kind: 'server',
    async executeSql(text, values) {
      return lastResult(
        await pool.query<Record<string, unknown>>(text, values && values.length > 0 ? values : undefined),
      );
    },
    async withMigrationLock(work) {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        try {
          return await work(async (text) => lastResult(await client.query<Record<string, unknown>>(text)));
        } finally {
          await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
        }
      } finally {
        client.release();
      }
    },
    async close() {
      await db.destroy();
    },
  };
}

/** A multi-statement query answers with an array of results; the last is the one that matters. */
function lastResult(
  result: pg.QueryResult<Record<string, unknown>> | pg.QueryResult<Record<string, unknown>>[],
): SqlRows {
  const last = Array.isArray(result) ? result.at(-1) : result;
  return { rows: last?.rows ?? [] };
}
