// SQL for setting up the first council.
import type { Kysely } from 'kysely';
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
