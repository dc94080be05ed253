// Opens the database: embedded PGlite under the data folder, or a PostgreSQL server when a URL is given.
// Both speak the same SQL, so the rest of Pathway never asks which one it has.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Schema } from './schema.ts';
import { PGliteDialect, TurnLock } from './pglite-dialect.ts';
import { preparingPool } from './prepared-statements.ts';
import { listenOnServer, type ListenHandlers, type Listening } from './listening.ts';
import { lockDataFolder } from './data-folder-lock.ts';

export type { ListenHandlers, Listening } from './listening.ts';

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
  /**
   * Hears a notification channel (NOTIFY, pg_notify) from every process using the database, this one included,
   * until the listening or the database is closed.
   */
  listen(channel: string, handlers: ListenHandlers): Promise<Listening>;
  /**
   * Embedded only: the whole data folder as a tar archive (gzipped when asked), which `loadDataDir` opens again:
   * tests' templates, and backups (src/db/backup.ts). Taken between transactions, after a checkpoint.
   */
  dumpDataDir?(compression?: 'none' | 'gzip'): Promise<Blob>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL URL; when absent, PGlite is used. */
  url?: string;
  /**
   * Folder for PGlite's files; when absent, PGlite keeps everything in memory (tests). The folder is locked for
   * this process until close (src/db/data-folder-lock.ts): another process opening it is refused.
   */
  dataDir?: string;
  /** What the lock file says this process is, for the message another process shows; the command line by default. */
  command?: string;
  /** Where a note goes, such as taking over a lock left by a process that died; standard error by default. */
  say?: (note: string) => void;
  /**
   * A PGlite data folder archived by dumpDataDir() to start from, instead of a new empty database. Tests start each
   * file from one migrated archive: loading it takes a fraction of the time of creating and migrating.
   */
  loadDataDir?: Blob;
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
    : openEmbeddedDatabase(options);
}

async function openEmbeddedDatabase(options: DatabaseOptions): Promise<Database> {
  const { dataDir, loadDataDir } = options;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const folderLock = dataDir
    ? lockDataFolder(
        dataDir,
        options.command ?? ['node', ...process.argv.slice(1)].join(' '),
        options.say ?? ((note) => process.stderr.write(`${note}\n`)),
      )
    : undefined;
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir ?? 'memory://', {
      parsers: { [DATE_OID]: (value: string) => value },
      loadDataDir,
    });
  } catch (error) {
    folderLock?.release();
    throw error;
  }
  // An archive loaded into the folder (a restore) brings the lock file of the process it was taken from.
  if (loadDataDir) folderLock?.reassert();
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
    async listen(channel, handlers) {
      // In turn, so LISTEN never lands inside another caller's transaction.
      const release = await lock.acquire();
      let unlisten: () => Promise<void>;
      try {
        unlisten = await pglite.listen(channel, (payload) => handlers.notified(payload));
      } finally {
        release();
      }
      return {
        // PGlite runs in this process: a notification is delivered as its transaction commits.
        caughtUp: async () => undefined,
        async close() {
          if (pglite.closed) return;
          const release = await lock.acquire();
          try {
            await unlisten();
          } finally {
            release();
          }
        },
      };
    },
    async dumpDataDir(compression = 'none') {
      const release = await lock.acquire();
      try {
        // Everything committed is written to the data files, so a restore needs no recovery from the log.
        await pglite.exec('checkpoint');
        return await pglite.dumpDataDir(compression);
      } finally {
        release();
      }
    },
    async close() {
      try {
        await db.destroy();
      } finally {
        folderLock?.release();
      }
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
  const listenings = new Set<Listening>();
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
    async listen(channel, handlers) {
      const listening = await listenOnServer(url, channel, handlers);
      listenings.add(listening);
      return {
        caughtUp: () => listening.caughtUp(),
        async close() {
          listenings.delete(listening);
          await listening.close();
        },
      };
    },
    async close() {
      await Promise.all([...listenings].map((listening) => listening.close()));
      listenings.clear();
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
