// SQL for one-time links to set a password.
import type { Kysely } from 'kysely';
import type { Schema, SetPasswordPurpose } from '../../db/schema.ts';

export async function insertLink(
  db: Kysely<Schema>,
  link: { tokenHash: string; laCode: string; userId: string; purpose: SetPasswordPurpose; expiresAt: Date },
) {
  await db
    .insertInto('set_password_links')
    .values({
      token_hash: link.tokenHash,
      la_code: link.laCode,
      user_id: link.userId,
      purpose: link.purpose,
      expires_at: link.expiresAt,
    })
    .execute();
}

export async function findUserForLink(db: Kysely<Schema>, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'la_code', 'active', 'identity_provider_only'])
    .where('id', '=', userId)
    .executeTakeFirst();
}

/**
 * The link with this hash while it can still be used: not used, not expired, for an active account that signs in
 * with a password (one changed to the council's identity provider only after its link was sent cannot use it).
 */
export async function findUsableLink(db: Kysely<Schema>, tokenHash: string, now: Date, options = { lock: false }) {
  let query = db
    .selectFrom('set_password_links')
    .innerJoin('users', 'users.id', 'set_password_links.user_id')
    .select([
      'set_password_links.user_id',
      'set_password_links.la_code',
      'set_password_links.purpose',
      'users.email',
      'users.display_name',
    ])
    .where('set_password_links.token_hash', '=', tokenHash)
    .where('set_password_links.used_at', 'is', null)
    .where('set_password_links.expires_at', '>', now)
    .where('users.active', '=', true)
    .where('users.identity_provider_only', '=', false);
  // Locks the link's row, so the same link sent twice at once sets a password once.
  if (options.lock) query = query.forUpdate(['set_password_links']);
  return query.executeTakeFirst();
}

/** Every unused link of the account is spent with the one used: an older link must not reset the new password. */
export async function spendLinksOf(db: Kysely<Schema>, userId: string, now: Date) {
  await db
    .updateTable('set_password_links')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
}

export async function setPassword(db: Kysely<Schema>, userId: string, passwordHash: string) {
  await db
    .updateTable('users')
    .set((eb) => ({
      password_hash: passwordHash,
      failed_sign_in_attempts: 0,
      locked_until: null,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', userId)
    .execute();
}

export async function deleteSessionsOf(db: Kysely<Schema>, userId: string) {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}
