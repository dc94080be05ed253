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

/**
 * Whether an error means this connection's prepared statements can no longer be trusted: a table changed under one
 * in a way that changes its result (a column added to a `select *`, a column's type changed), or a statement the
 * driver believes prepared is not there. Told apart by code and PostgreSQL's routine, never by the message,
 * which a server may give in another language.
 */
function spoilsConnection(error: unknown): boolean {
  const { code, routine } = error as { code?: string; routine?: string };
  return (code === '0A000' && routine === 'RevalidateCachedQuery') || code === '26000';
}

interface PreparingClient {
  client: PostgresPoolClient;
  /** The statements prepared on this connection, counted when first sent, whether or not they then succeeded. */
  prepared: Set<string>;
  /** Close the connection rather than return it to the pool (see spoilsConnection). */
  spoiled: boolean;
}

/**
 * A Kysely pool that prepares each query with parameters (those already go as a parse, bind and execute; a query
 * without them may hold several statements, which only the simple protocol allows). A connection whose prepared
 * statements went wrong is closed when released, so the pool opens a fresh one; the one query fails with
 * PostgreSQL's message.
 */
export function preparingPool(pool: pg.Pool): PostgresPool {
  // One wrapper for each of the pool's connections, kept as long as the connection: Kysely keeps its own
  // connection object for each client it is given, and would otherwise make a new one at every checkout.
  const wrappers = new WeakMap<pg.PoolClient, PreparingClient>();
  const wrap = (connection: pg.PoolClient): PreparingClient => {
    const wrapper: PreparingClient = {
      prepared: new Set(),
      spoiled: false,
      client: {
        async query<R>(text: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>> {
          const values = [...parameters];
          const name = values.length > 0 ? statementName(text) : undefined;
          const { prepared } = wrapper;
          if (name === undefined || (!prepared.has(name) && prepared.size >= STATEMENTS_PER_CONNECTION))
            return (await connection.query(text, values)) as unknown as PostgresQueryResult<R>;
          prepared.add(name);
          try {
            return (await connection.query({ name, text, values })) as unknown as PostgresQueryResult<R>;
          } catch (error) {
            if (spoilsConnection(error)) wrapper.spoiled = true;
            throw error;
          }
        },
        release() {
          connection.release(wrapper.spoiled);
        },
      } as PostgresPoolClient,
    };
    return wrapper;
  };
  return {
    async connect(): Promise<PostgresPoolClient> {
      const connection = await pool.connect();
      let wrapper = wrappers.get(connection);
      if (!wrapper) {
        wrapper = wrap(connection);
        wrappers.set(connection, wrapper);
      }
      return wrapper.client;
    },
    end: () => pool.end(),
  };
}
