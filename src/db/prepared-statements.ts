// PostgreSQL parses and plans a query sent as text afresh each time. For the short queries behind a page that was
// most of the database's work: planning the joins of a child's record took about 1 ms a query, running them a
// tenth of that (EXPLAIN ANALYZE on the casework benchmark's data). Giving each distinct query a name makes
// node-postgres prepare it once per connection, and PostgreSQL then reuses the parse and, after a few runs, the
// plan. PostgreSQL drops a prepared plan itself when a table it reads changes (ADR 0008).
import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

/**
 * Past this many on one connection, further distinct queries go unprepared: each prepared statement holds memory
 * in the server for as long as the connection lasts, and a query built with a list of varying length is a new
 * statement for each length.
 */
export const STATEMENTS_PER_CONNECTION = 500;

/** PostgreSQL's answer when a table changed under a prepared query in a way that changes the query's columns. */
const PLAN_CHANGED_RESULT_TYPE = '0A000';

const NAMES_KEPT = 5_000;
const names = new Map<string, string>();

/**
 * A name that is the same for the same text in every process, short enough for PostgreSQL's 63-byte names. Names
 * are kept, as a page's queries repeat and hashing each again showed in profiles.
 */
export function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `p_${createHash('sha1').update(text).digest('base64url')}`;
    if (names.size >= NAMES_KEPT) names.clear();
    names.set(text, name);
  }
  return name;
}

function isPlanChange(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as Error & { code?: string }).code === PLAN_CHANGED_RESULT_TYPE &&
    error.message.includes('cached plan')
  );
}

/**
 * A Kysely pool that prepares each query with parameters (those already go as a parse, bind and execute; a query
 * without them may hold several statements, which only the simple protocol allows). A connection whose prepared
 * query no longer fits its table (a deployment changed the table's columns under a running process) is closed
 * when released, so the pool opens a fresh one; that one query fails with PostgreSQL's message.
 */
export function preparingPool(pool: pg.Pool): PostgresPool {
  /** The statements prepared on each connection; the pool hands out the same connections again and again. */
  const preparedOn = new WeakMap<pg.PoolClient, Set<string>>();
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      let prepared = preparedOn.get(client);
      if (!prepared) {
        prepared = new Set();
        preparedOn.set(client, prepared);
      }
      let stale = false;
      return {
        async query<R>(text: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>> {
          const values = [...parameters];
          const name = values.length > 0 ? statementName(text) : undefined;
          if (name === undefined || (!prepared.has(name) && prepared.size >= STATEMENTS_PER_CONNECTION))
            return (await client.query(text, values)) as unknown as PostgresQueryResult<R>;
          try {
            const result = await client.query({ name, text, values });
            prepared.add(name);
            return result as unknown as PostgresQueryResult<R>;
          } catch (error) {
            if (isPlanChange(error)) stale = true;
            throw error;
          }
        },
        release() {
          client.release(stale);
        },
      } as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}
