// SQL for accounts and sessions.
import type { Role, SignedInUser } from '../../domain/people.ts';
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';

const rolesOf = sql<
  Role[]
>`coalesce((select array_agg(r.role order by r.role) from user_roles r where r.user_id = users.id), '{}')`;
const teamsOf = sql<
  string[]
>`coalesce((select array_agg(m.team_id::text) from team_members m where m.user_id = users.id), '{}')`;

function toSignedInUser(row: {
  id: string;
  la_code: string;
  display_name: string;
  email: string;
  roles: Role[];
  team_ids: string[];
}): SignedInUser {
  return {
    id: row.id,
    laCode: row.la_code,
    displayName: row.display_name,
    email: row.email,
    roles: row.roles,
    teamIds: row.team_ids,
  };
}

export async function findUserForSignIn(db: Kysely<Schema>, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'la_code', 'password_hash', 'failed_sign_in_attempts', 'locked_until', 'active', 'email'])
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

export async function findSignedInUser(db: Kysely<Schema>, userId: string): Promise<SignedInUser | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'la_code', 'display_name', 'email', rolesOf.as('roles'), teamsOf.as('team_ids')])
    .where('id', '=', userId)
    .where('active', '=', true)
    .executeTakeFirst();
  return row && toSignedInUser(row);
}

export async function findSessionWithUser(db: Kysely<Schema>, idHash: string) {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.last_seen_at',
      'users.id',
      'users.la_code',
      'users.display_name',
      'users.email',
      rolesOf.as('roles'),
      teamsOf.as('team_ids'),
    ])
    .where('sessions.id_hash', '=', idHash)
    .where('users.active', '=', true)
    .executeTakeFirst();
  return row && { lastSeenAt: row.last_seen_at, user: toSignedInUser(row) };
}

export async function recordFailedAttempt(db: Kysely<Schema>, userId: string, lockUntil: Date | null) {
  await db
    .updateTable('users')
    .set((eb) =>
      lockUntil
        ? { failed_sign_in_attempts: 0, locked_until: lockUntil }
        : { failed_sign_in_attempts: eb('failed_sign_in_attempts', '+', 1) },
    )
    .where('id', '=', userId)
    .execute();
}

export async function clearFailedAttempts(db: Kysely<Schema>, userId: string) {
  await db
    .updateTable('users')
    .set({ failed_sign_in_attempts: 0, locked_until: null })
    .where('id', '=', userId)
    .execute();
}

export async function insertSession(db: Kysely<Schema>, idHash: string, userId: string, laCode: string) {
  await db.insertInto('sessions').values({ id_hash: idHash, user_id: userId, la_code: laCode }).execute();
}

export async function deleteSession(db: Kysely<Schema>, idHash: string) {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function touchSession(db: Kysely<Schema>, idHash: string, now: Date) {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
}

export async function deleteSessionsIdleSince(db: Kysely<Schema>, cutoff: Date): Promise<number> {
  const result = await db.deleteFrom('sessions').where('last_seen_at', '<', cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function findUserByOidcSubjectOrEmail(db: Kysely<Schema>, subject: string, email: string | undefined) {
  let query = db.selectFrom('users').select(['id', 'la_code', 'oidc_subject']).where('active', '=', true);
  query = email
    ? query.where((eb) => eb.or([eb('oidc_subject', '=', subject), eb(sql`lower(email)`, '=', email.toLowerCase())]))
    : query.where('oidc_subject', '=', subject);
  // Prefer the account already linked to this subject.
  return query.orderBy(sql`oidc_subject = ${subject}`, (order) => order.desc().nullsLast()).executeTakeFirst();
}

export async function linkOidcSubject(db: Kysely<Schema>, userId: string, subject: string) {
  await db.updateTable('users').set({ oidc_subject: subject }).where('id', '=', userId).execute();
}

export async function activeEmailsWithRole(db: Kysely<Schema>, laCode: string, role: Role): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select('users.email')
    .where('users.la_code', '=', laCode)
    .where('users.active', '=', true)
    .where('user_roles.role', '=', role)
    .execute();
  return rows.map((row) => row.email);
}

/** Wrong passwords for one email from one address, and the lock they brought, if any. */
export async function findSignInFailures(db: Kysely<Schema>, key: { emailHash: string; address: string }) {
  return db
    .selectFrom('sign_in_failures')
    .select(['failed_attempts', 'locked_until'])
    .where('email_hash', '=', key.emailHash)
    .where('address', '=', key.address)
    .executeTakeFirst();
}

/**
 * Counts one more wrong password for an email from an address, starting again after a lock that has ended, and
 * returns the count. Rows a day past their last failure are removed on the way.
 */
export async function countSignInFailure(
  db: Kysely<Schema>,
  key: { emailHash: string; address: string },
  laCode: string | null,
  now: Date,
): Promise<number> {
  await db
    .deleteFrom('sign_in_failures')
    .where('last_failed_at', '<', new Date(now.getTime() - 24 * 60 * 60_000))
    .execute();
  const { failed_attempts } = await db
    .insertInto('sign_in_failures')
    .values({
      email_hash: key.emailHash,
      address: key.address,
      la_code: laCode,
      failed_attempts: 1,
      last_failed_at: now,
    })
    .onConflict((conflict) =>
      conflict.columns(['email_hash', 'address']).doUpdateSet((eb) => ({
        failed_attempts: eb
          .case()
          .when('sign_in_failures.locked_until', 'is not', null)
          .then(1)
          .else(eb('sign_in_failures.failed_attempts', '+', 1))
          .end(),
        locked_until: null,
        last_failed_at: now,
        la_code: laCode,
      })),
    )
    .returning('failed_attempts')
    .executeTakeFirstOrThrow();
  return failed_attempts;
}

export async function lockSignIns(db: Kysely<Schema>, key: { emailHash: string; address: string }, until: Date) {
  await db
    .updateTable('sign_in_failures')
    .set({ failed_attempts: 0, locked_until: until })
    .where('email_hash', '=', key.emailHash)
    .where('address', '=', key.address)
    .execute();
}

/** Forgets the wrong passwords for an email: from one address (a right password there), or from every address. */
export async function clearSignInFailures(db: Kysely<Schema>, emailHash: string, address?: string) {
  let query = db.deleteFrom('sign_in_failures').where('email_hash', '=', emailHash);
  if (address !== undefined) query = query.where('address', '=', address);
  await query.execute();
}
