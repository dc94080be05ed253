// Whether the database answers, for the readiness check.
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';

/** Resolves when the database answers a trivial query; rejects when it cannot be reached. */
export async function checkDatabase(db: Kysely<Schema>): Promise<void> {
  await sql`select 1`.execute(db);
}
