// How a change to a council's directory or glossary reaches search in every web process: a PostgreSQL
// notification, sent as the change commits, which each process's DirectorySearch listens for (ADR 0006). Whatever
// changes the directory announces it here, so it needs no DirectorySearch of its own (the importer has none).
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../../db/schema.ts';

/** The notification channel; its payload is the council's code. */
export const DIRECTORY_CHANGED = 'directory_changed';

/**
 * Tells every web process that the council's directory or glossary changed. Called inside the change's own
 * transaction, so the news goes out when the change commits, and not at all if it does not.
 */
export async function announceDirectoryChange(db: Kysely<Schema>, laCode: string): Promise<void> {
  await sql`select pg_notify(${DIRECTORY_CHANGED}, ${laCode})`.execute(db);
}
