// SQL for families' own accounts: making one, and finding one by its email address.
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';

export async function findAccountByEmail(db: Kysely<Schema>, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'la_code', 'email', 'display_name', 'active', 'identity_provider_only', 'preferred_language'])
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

/**
 * A parent or carer's account, with no password until they follow their link. Undefined when the email address
 * was taken meanwhile (the same form sent twice at once), which the caller treats as an account that exists.
 */
export async function insertFamilyAccount(
  db: Kysely<Schema>,
  laCode: string,
  person: { email: string; displayName: string; language: string },
): Promise<string | undefined> {
  const row = await db
    .insertInto('users')
    .values({
      la_code: laCode,
      email: person.email,
      display_name: person.displayName,
      password_hash: null,
      oidc_subject: null,
      preferred_language: person.language,
    })
    .onConflict((conflict) => conflict.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) return undefined;
  await db.insertInto('user_roles').values({ user_id: row.id, la_code: laCode, role: 'parent_carer' }).execute();
  return row.id;
}
