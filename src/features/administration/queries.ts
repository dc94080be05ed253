// SQL for a council's set-up: the council itself, its localities, teams and user accounts.
import type { Kysely } from 'kysely';
import type { EpisodeTier, Schema } from '../../db/schema.ts';
import type { Role } from '../../domain/people.ts';

export async function anyCouncil(db: Kysely<Schema>): Promise<boolean> {
  return (await db.selectFrom('councils').select('la_code').limit(1).executeTakeFirst()) !== undefined;
}

export async function insertCouncil(db: Kysely<Schema>, laCode: string, name: string) {
  await db.insertInto('councils').values({ la_code: laCode, name }).execute();
}

export async function insertLocality(db: Kysely<Schema>, laCode: string, name: string, postcodeDistricts: string[]) {
  const { id } = await db
    .insertInto('localities')
    .values({ la_code: laCode, name, postcode_districts: postcodeDistricts })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function insertTeam(db: Kysely<Schema>, laCode: string, name: string, servesTier: EpisodeTier | null) {
  const { id } = await db
    .insertInto('teams')
    .values({ la_code: laCode, name, serves_tier: servesTier })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Inserts the accounts and returns their ids by lower-cased email (one email is one account). */
export async function insertUsers(
  db: Kysely<Schema>,
  laCode: string,
  users: readonly { email: string; displayName: string; passwordHash: string | null }[],
) {
  const rows = await db
    .insertInto('users')
    .values(
      users.map((user) => ({
        la_code: laCode,
        email: user.email,
        display_name: user.displayName,
        password_hash: user.passwordHash,
        oidc_subject: null,
      })),
    )
    .returning(['id', 'email'])
    .execute();
  return new Map(rows.map((row) => [row.email.toLowerCase(), row.id]));
}

export async function insertRoles(
  db: Kysely<Schema>,
  laCode: string,
  grants: readonly { userId: string; role: Role }[],
) {
  if (grants.length === 0) return;
  await db
    .insertInto('user_roles')
    .values(grants.map((grant) => ({ user_id: grant.userId, la_code: laCode, role: grant.role })))
    .execute();
}

export async function insertTeamMemberships(
  db: Kysely<Schema>,
  laCode: string,
  memberships: readonly { userId: string; teamId: string }[],
) {
  if (memberships.length === 0) return;
  await db
    .insertInto('team_members')
    .values(memberships.map((member) => ({ team_id: member.teamId, user_id: member.userId, la_code: laCode })))
    .execute();
}

export async function insertOrganizationMember(
  db: Kysely<Schema>,
  laCode: string,
  member: { userId: string; organizationId: string },
) {
  await db
    .insertInto('organization_members')
    .values({ organization_id: member.organizationId, user_id: member.userId, la_code: laCode })
    .execute();
}
