// SQL for setting up the first council.
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';

export async function allCouncils(db: Kysely<Schema>) {
  return db.selectFrom('councils').select(['la_code', 'name']).orderBy('la_code').execute();
}

export async function councilName(db: Kysely<Schema>, laCode: string): Promise<string> {
  const council = await db
    .selectFrom('councils')
    .select('name')
    .where('la_code', '=', laCode)
    .executeTakeFirstOrThrow();
  return council.name;
}

/**
 * Holds, until the transaction ends, the one lock every set-up takes first: two set-ups started at once (two
 * terminals, a retried deployment) run one after the other, so the second sees the first's council and is refused.
 */
export async function waitForOtherSetUps(db: Kysely<Schema>): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('pathway: set up the first council'))`.execute(db);
}

export async function councilContact(db: Kysely<Schema>, laCode: string) {
  return db
    .selectFrom('councils')
    .select(['front_door_phone', 'front_door_email'])
    .where('la_code', '=', laCode)
    .executeTakeFirstOrThrow();
}

export async function updateCouncilContact(
  db: Kysely<Schema>,
  laCode: string,
  contact: { phone: string | null; email: string | null },
) {
  await db
    .updateTable('councils')
    .set({ front_door_phone: contact.phone, front_door_email: contact.email })
    .where('la_code', '=', laCode)
    .execute();
}
