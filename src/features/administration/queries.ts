// SQL for a council's set-up: the council itself, its localities, teams and user accounts.
import { sql, type Kysely } from 'kysely';
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
  users: readonly { email: string; displayName: string; passwordHash: string | null; identityProviderOnly?: boolean }[],
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
        identity_provider_only: user.identityProviderOnly ?? false,
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

/** The value of each named setting in force on a day: the latest row taking effect on or before it. */
export async function settingsInForce(db: Kysely<Schema>, laCode: string, names: readonly string[], onDate: string) {
  if (names.length === 0) return new Map<string, number>();
  const rows = await db
    .selectFrom('council_settings')
    .select(['name', 'value'])
    .distinctOn('name')
    .where('la_code', '=', laCode)
    .where('name', 'in', names)
    .where('effective_from', '<=', onDate)
    .orderBy('name')
    .orderBy('effective_from', 'desc')
    .orderBy('set_at', 'desc')
    .execute();
  return new Map(rows.map((row) => [row.name, row.value]));
}

/** Every value a council's settings have had or will have, newest first within each setting. */
export async function settingHistory(db: Kysely<Schema>, laCode: string) {
  return db
    .selectFrom('council_settings')
    .leftJoin('users', 'users.id', 'council_settings.set_by')
    .select([
      'council_settings.id',
      'council_settings.name',
      'council_settings.value',
      'council_settings.effective_from',
      'council_settings.reason',
      'council_settings.set_at',
      'users.display_name as set_by_name',
    ])
    .where('council_settings.la_code', '=', laCode)
    .orderBy('council_settings.name')
    .orderBy('council_settings.effective_from', 'desc')
    .orderBy('council_settings.set_at', 'desc')
    .execute();
}

export async function insertSettings(
  db: Kysely<Schema>,
  laCode: string,
  settings: readonly { name: string; value: number; effectiveFrom: string; reason: string; setBy: string | null }[],
): Promise<string[]> {
  if (settings.length === 0) return [];
  const rows = await db
    .insertInto('council_settings')
    .values(
      settings.map((setting) => ({
        la_code: laCode,
        name: setting.name,
        value: setting.value,
        effective_from: setting.effectiveFrom,
        reason: setting.reason,
        set_by: setting.setBy,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

const rolesOf = sql<
  Role[]
>`coalesce((select array_agg(r.role order by r.role) from user_roles r where r.user_id = users.id), '{}')`;
const teamsOf = sql<
  string[]
>`coalesce((select array_agg(m.team_id::text) from team_members m where m.user_id = users.id), '{}')`;

const ACCOUNT_COLUMNS = [
  'users.id',
  'users.email',
  'users.display_name',
  'users.active',
  'users.locked_until',
  'users.identity_provider_only',
  'users.version',
  sql<boolean>`users.password_hash is not null`.as('has_password'),
  rolesOf.as('roles'),
  teamsOf.as('team_ids'),
] as const;

/** A council's accounts, by name, narrowed by a role, a team and words in the name or email. */
export async function findAccounts(
  db: Kysely<Schema>,
  laCode: string,
  filter: { role?: Role; teamId?: string; words?: string },
) {
  let query = db.selectFrom('users').select(ACCOUNT_COLUMNS).where('users.la_code', '=', laCode);
  if (filter.role) {
    const role = filter.role;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('user_roles as r')
          .select('r.user_id')
          .whereRef('r.user_id', '=', 'users.id')
          .where('r.role', '=', role),
      ),
    );
  }
  if (filter.teamId) {
    const teamId = filter.teamId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('team_members as m')
          .select('m.user_id')
          .whereRef('m.user_id', '=', 'users.id')
          .where('m.team_id', '=', teamId),
      ),
    );
  }
  if (filter.words) {
    // Words are matched as they are typed: % and _ are not wildcards here.
    const pattern = `%${filter.words.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([eb(sql`lower(users.display_name)`, 'like', pattern), eb(sql`lower(users.email)`, 'like', pattern)]),
    );
  }
  return query.orderBy('users.display_name').orderBy('users.email').execute();
}

export async function findAccount(db: Kysely<Schema>, laCode: string, userId: string) {
  return db
    .selectFrom('users')
    .select(ACCOUNT_COLUMNS)
    .where('users.la_code', '=', laCode)
    .where('users.id', '=', userId)
    .executeTakeFirst();
}

export async function emailInUse(db: Kysely<Schema>, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
  return row !== undefined;
}

export async function replaceRoles(db: Kysely<Schema>, laCode: string, userId: string, roles: readonly Role[]) {
  await db.deleteFrom('user_roles').where('user_id', '=', userId).where('la_code', '=', laCode).execute();
  await insertRoles(
    db,
    laCode,
    roles.map((role) => ({ userId, role })),
  );
}

export async function replaceTeamMemberships(
  db: Kysely<Schema>,
  laCode: string,
  userId: string,
  teamIds: readonly string[],
) {
  await db.deleteFrom('team_members').where('user_id', '=', userId).where('la_code', '=', laCode).execute();
  await insertTeamMemberships(
    db,
    laCode,
    teamIds.map((teamId) => ({ userId, teamId })),
  );
}

export async function setAccountActive(db: Kysely<Schema>, laCode: string, userId: string, active: boolean) {
  await db
    .updateTable('users')
    .set((eb) => ({ active, version: eb('version', '+', 1) }))
    .where('id', '=', userId)
    .where('la_code', '=', laCode)
    .execute();
}

/** Ends every session of an account at once: its next request is not signed in. */
export async function deleteSessionsOf(db: Kysely<Schema>, userId: string) {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function clearLockOut(db: Kysely<Schema>, laCode: string, userId: string) {
  await db
    .updateTable('users')
    .set({ locked_until: null, failed_sign_in_attempts: 0 })
    .where('id', '=', userId)
    .where('la_code', '=', laCode)
    .execute();
}

export async function findTeams(db: Kysely<Schema>, laCode: string) {
  return db
    .selectFrom('teams')
    .select([
      'teams.id',
      'teams.name',
      'teams.serves_tier',
      sql<number>`(select count(*)::int from team_members m where m.team_id = teams.id)`.as('members'),
    ])
    .where('teams.la_code', '=', laCode)
    .orderBy('teams.name')
    .execute();
}

export async function findTeam(db: Kysely<Schema>, laCode: string, teamId: string) {
  return db
    .selectFrom('teams')
    .select(['id', 'name', 'serves_tier'])
    .where('la_code', '=', laCode)
    .where('id', '=', teamId)
    .executeTakeFirst();
}

/** A team's members with their roles: a team manager is a member who holds the team_manager role. */
export async function findTeamMembers(db: Kysely<Schema>, laCode: string, teamId: string) {
  return db
    .selectFrom('team_members as m')
    .innerJoin('users', 'users.id', 'm.user_id')
    .select(['users.id', 'users.display_name', 'users.email', 'users.active', rolesOf.as('roles')])
    .where('m.team_id', '=', teamId)
    .where('m.la_code', '=', laCode)
    .orderBy('users.display_name')
    .execute();
}

export async function teamNameTaken(db: Kysely<Schema>, laCode: string, name: string, exceptId?: string) {
  let query = db
    .selectFrom('teams')
    .select('id')
    .where('la_code', '=', laCode)
    .where(sql`lower(name)`, '=', name.toLowerCase());
  if (exceptId) query = query.where('id', '!=', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function updateTeam(
  db: Kysely<Schema>,
  laCode: string,
  teamId: string,
  team: { name: string; servesTier: EpisodeTier | null },
) {
  await db
    .updateTable('teams')
    .set({ name: team.name, serves_tier: team.servesTier })
    .where('id', '=', teamId)
    .where('la_code', '=', laCode)
    .execute();
}

export async function findLocalities(db: Kysely<Schema>, laCode: string) {
  return db
    .selectFrom('localities')
    .select(['id', 'name', 'postcode_districts'])
    .where('la_code', '=', laCode)
    .orderBy('name')
    .execute();
}

export async function findLocality(db: Kysely<Schema>, laCode: string, localityId: string) {
  return db
    .selectFrom('localities')
    .select(['id', 'name', 'postcode_districts'])
    .where('la_code', '=', laCode)
    .where('id', '=', localityId)
    .executeTakeFirst();
}

export async function updateLocality(
  db: Kysely<Schema>,
  laCode: string,
  localityId: string,
  locality: { name: string; postcodeDistricts: string[] },
) {
  await db
    .updateTable('localities')
    .set({ name: locality.name, postcode_districts: locality.postcodeDistricts })
    .where('id', '=', localityId)
    .where('la_code', '=', laCode)
    .execute();
}
