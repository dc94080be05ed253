// Setting up a council: the council itself, its localities, the teams that work with children and the people who
// use Pathway, each audited. The demo seeds its council through these; a council's own set-up command and its
// administration pages (issue 17) are meant to use them too.
import type { Kysely } from 'kysely';
import type { EpisodeTier, Schema } from '../../db/schema.ts';
import type { Role } from '../../domain/people.ts';
import { recordAudit, recordAudits, type Actor } from '../audit/service.ts';
import * as queries from './queries.ts';

/**
 * Runs a use case in one transaction: its own, or the caller's when the use case is one step of a larger set-up
 * (the demo seeds its whole council in one transaction, so a failure leaves no half-made council behind).
 */
function inOneTransaction<T>(db: Kysely<Schema>, work: (trx: Kysely<Schema>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/** Whether any council is set up: the demo is seeded only into a database without one. */
export async function hasCouncil(db: Kysely<Schema>): Promise<boolean> {
  return queries.anyCouncil(db);
}

export async function createCouncil(
  db: Kysely<Schema>,
  council: { laCode: string; name: string },
  actor: Actor,
): Promise<void> {
  await inOneTransaction(db, async (trx) => {
    await queries.insertCouncil(trx, council.laCode, council.name);
    await recordAudit(trx, {
      laCode: council.laCode,
      actorUserId: actor.userId,
      actorRole: actor.role,
      action: 'create-council',
      requestId: actor.requestId,
      subjectType: 'council',
      subjectId: council.laCode,
    });
  });
}

/** A locality of the council, by the postcode districts it covers (a family's locality is found by its postcode). */
export async function addLocality(
  db: Kysely<Schema>,
  laCode: string,
  locality: { name: string; postcodeDistricts: readonly string[] },
  actor: Actor,
): Promise<string> {
  return inOneTransaction(db, async (trx) => {
    const id = await queries.insertLocality(trx, laCode, locality.name, [...locality.postcodeDistricts]);
    await recordAudit(trx, {
      laCode,
      actorUserId: actor.userId,
      actorRole: actor.role,
      action: 'add-locality',
      requestId: actor.requestId,
      subjectType: 'locality',
      subjectId: id,
    });
    return id;
  });
}

/** A team; one that serves a tier of the pathway is given the episodes opened at that tier. */
export async function createTeam(
  db: Kysely<Schema>,
  laCode: string,
  team: { name: string; servesTier: EpisodeTier | null },
  actor: Actor,
): Promise<string> {
  return inOneTransaction(db, async (trx) => {
    const id = await queries.insertTeam(trx, laCode, team.name, team.servesTier);
    await recordAudit(trx, {
      laCode,
      actorUserId: actor.userId,
      actorRole: actor.role,
      action: 'create-team',
      requestId: actor.requestId,
      subjectType: 'team',
      subjectId: id,
      details: { servesTier: team.servesTier },
    });
    return id;
  });
}

export interface NewUser {
  email: string;
  displayName: string;
  roles: readonly Role[];
  teamIds: readonly string[];
  /**
   * From hashPassword (features/accounts/passwords.ts); null for an account that signs in through the council's
   * identity provider or sets its password later.
   */
  passwordHash: string | null;
}

/**
 * People's accounts with their roles and teams, each audited; one person or a whole council's staff at once, in a
 * few statements whatever their number. Returns each account's id by email, as given.
 */
export async function createUsers(
  db: Kysely<Schema>,
  laCode: string,
  users: readonly NewUser[],
  actor: Actor,
): Promise<Map<string, string>> {
  if (users.length === 0) return new Map();
  return inOneTransaction(db, async (trx) => {
    const idsByEmail = await queries.insertUsers(trx, laCode, users);
    const created = users.map((user) => ({ ...user, id: idsByEmail.get(user.email.toLowerCase())! }));
    await queries.insertRoles(
      trx,
      laCode,
      created.flatMap((user) => user.roles.map((role) => ({ userId: user.id, role }))),
    );
    await queries.insertTeamMemberships(
      trx,
      laCode,
      created.flatMap((user) => user.teamIds.map((teamId) => ({ userId: user.id, teamId }))),
    );
    await recordAudits(
      trx,
      created.map((user) => ({
        laCode,
        actorUserId: actor.userId,
        actorRole: actor.role,
        action: 'create-user',
        requestId: actor.requestId,
        subjectType: 'user',
        subjectId: user.id,
        // Ids and roles only: the audit trail holds no personal details.
        details: { roles: user.roles, teamIds: user.teamIds },
      })),
    );
    return new Map(created.map((user) => [user.email, user.id]));
  });
}

/** A provider's account speaks for an organisation in the directory: it keeps that organisation's services up to date. */
export async function addOrganizationMember(
  db: Kysely<Schema>,
  laCode: string,
  member: { userId: string; organizationId: string },
  actor: Actor,
): Promise<void> {
  await inOneTransaction(db, async (trx) => {
    await queries.insertOrganizationMember(trx, laCode, member);
    await recordAudit(trx, {
      laCode,
      actorUserId: actor.userId,
      actorRole: actor.role,
      action: 'add-organization-member',
      requestId: actor.requestId,
      subjectType: 'user',
      subjectId: member.userId,
      details: { organizationId: member.organizationId },
    });
  });
}
