// Setting up a council: the council itself, its localities, the teams that work with children and the people who
// use Pathway, each audited. The demo seeds its council through these; a council's own set-up command and its
// administration pages (issue 17) are meant to use them too.
import type { Kysely } from 'kysely';
import type { EpisodeTier, Schema } from '../../db/schema.ts';
import { primaryRole, type Role, type SignedInUser } from '../../domain/people.ts';
import { endSignInLockOuts } from '../accounts/service.ts';
import { createSetPasswordLink, expiryText } from '../accounts/set-password.ts';
import { recordAudit, recordAudits, type Actor } from '../audit/service.ts';
import { queueNotification } from '../notifications/service.ts';
import { casesHeldBy, returnCasesOfWorker } from '../pathway/service.ts';
import * as firstCouncilQueries from './first-council-queries.ts';
import * as queries from './queries.ts';
import { giveInitialSettings } from './settings.ts';

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
    await giveInitialSettings(trx, council.laCode);
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
  /** Signs in only through the council's identity provider, so is never sent a link to create a password. */
  identityProviderOnly?: boolean;
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

/** Who an administrator is in the audit trail. */
function actorOf(admin: SignedInUser, requestId: string): Actor {
  return { userId: admin.id, role: primaryRole(admin), requestId };
}

export type AccountStatus = 'active' | 'invited' | 'locked' | 'deactivated';

/**
 * Where an account stands: deactivated (cannot sign in; its history is kept), locked after wrong passwords,
 * invited (no password yet and not signing in through the council's identity provider), or active.
 */
export function accountStatus(
  account: { active: boolean; locked_until: Date | null; has_password: boolean; identity_provider_only: boolean },
  now = new Date(),
): AccountStatus {
  if (!account.active) return 'deactivated';
  if (account.locked_until && account.locked_until > now) return 'locked';
  if (!account.has_password && !account.identity_provider_only) return 'invited';
  return 'active';
}

export interface AccountFilter {
  role?: Role;
  teamId?: string;
  words?: string;
}

/** The council's accounts for the users page, each with its status; the viewing is audited (names and emails). */
export async function councilAccounts(
  db: Kysely<Schema>,
  admin: SignedInUser,
  filter: AccountFilter,
  requestId: string,
) {
  return db.transaction().execute(async (trx) => {
    await recordAudit(trx, {
      laCode: admin.laCode,
      actorUserId: admin.id,
      actorRole: primaryRole(admin),
      action: 'view-user-accounts',
      requestId,
    });
    const accounts = await queries.findAccounts(trx, admin.laCode, filter);
    return accounts.map((account) => ({ ...account, status: accountStatus(account) }));
  });
}

/** One account of the council, for its page; the viewing is audited. Undefined for another council's or none. */
export async function councilAccount(db: Kysely<Schema>, admin: SignedInUser, userId: string, requestId: string) {
  return db.transaction().execute(async (trx) => {
    const account = await queries.findAccount(trx, admin.laCode, userId);
    if (!account) return undefined;
    await recordAudit(trx, {
      laCode: admin.laCode,
      actorUserId: admin.id,
      actorRole: primaryRole(admin),
      action: 'view-user-account',
      requestId,
      subjectType: 'user',
      subjectId: userId,
    });
    return { ...account, status: accountStatus(account), casesHeld: await casesHeldPerTeam(trx, admin.laCode, userId) };
  });
}

/** How many children's open work a person holds in each team: what deactivating them, or a move, would hand back. */
async function casesHeldPerTeam(db: Kysely<Schema>, laCode: string, userId: string) {
  const perTeam = new Map<string, number>();
  for (const episode of await casesHeldBy(db, laCode, userId))
    perTeam.set(episode.team_name, (perTeam.get(episode.team_name) ?? 0) + 1);
  return [...perTeam].map(([team, count]) => ({ team, count }));
}

export interface Invitation {
  email: string;
  displayName: string;
  roles: readonly Role[];
  teamIds: readonly string[];
  /** Signs in only through the council's identity provider: no password and no link. */
  identityProviderOnly: boolean;
}

export type InvitationResult = { outcome: 'invited'; userId: string } | { outcome: 'email-in-use' };

/**
 * Makes an account for a person and, unless they sign in only through the council's identity provider, emails them
 * a one-time link to create their password (through the outbox, in the same transaction).
 */
export async function invitePerson(
  db: Kysely<Schema>,
  admin: SignedInUser,
  invitation: Invitation,
  options: { publicUrl: string; requestId: string },
): Promise<InvitationResult> {
  return db.transaction().execute(async (trx) => {
    if (await queries.emailInUse(trx, invitation.email)) return { outcome: 'email-in-use' };
    const actor = actorOf(admin, options.requestId);
    // Only the council's own teams: a form sent with any other id joins nothing.
    const teams = new Set((await queries.findTeams(trx, admin.laCode)).map((team) => team.id));
    const teamIds = invitation.teamIds.filter((id) => teams.has(id));
    const ids = await createUsers(trx, admin.laCode, [{ ...invitation, teamIds, passwordHash: null }], actor);
    const userId = ids.get(invitation.email)!;
    if (!invitation.identityProviderOnly) {
      const link = await createSetPasswordLink(trx, userId, {
        purpose: 'invitation',
        publicUrl: options.publicUrl,
        actor,
      });
      await queueNotification(trx, {
        laCode: admin.laCode,
        template: 'account-invitation',
        recipient: invitation.email,
        params: { name: invitation.displayName, link: link.url, expires: expiryText(link) },
      });
    }
    return { outcome: 'invited', userId };
  });
}

export type AccountChangeResult = 'done' | 'not-found' | 'own-administrator-role' | 'own-account';

/** Where a change to an account was asked for: the request, for the audit trail, and the address links start with. */
export interface ChangeContext {
  requestId: string;
  baseUrl: string;
}

/**
 * Replaces a person's roles and teams. An administrator cannot take away their own administrator role, so a council
 * is never left without anyone able to give it back by mistake. A person taken off a team gives back the cases they
 * held in it: those children return to the team's unallocated work and its managers are told.
 */
export async function changeAccess(
  db: Kysely<Schema>,
  admin: SignedInUser,
  change: { userId: string; roles: readonly Role[]; teamIds: readonly string[] },
  context: ChangeContext,
): Promise<AccountChangeResult> {
  if (change.userId === admin.id && !change.roles.includes('administrator')) return 'own-administrator-role';
  return db.transaction().execute(async (trx) => {
    const account = await queries.findAccount(trx, admin.laCode, change.userId);
    if (!account) return 'not-found';
    // Only the council's own teams: a form sent with any other id joins nothing.
    const teams = new Set((await queries.findTeams(trx, admin.laCode)).map((team) => team.id));
    const teamIds = change.teamIds.filter((id) => teams.has(id));
    await queries.replaceRoles(trx, admin.laCode, change.userId, change.roles);
    await queries.replaceTeamMemberships(trx, admin.laCode, change.userId, teamIds);
    await recordAudit(trx, {
      laCode: admin.laCode,
      actorUserId: admin.id,
      actorRole: primaryRole(admin),
      action: 'change-user-access',
      requestId: context.requestId,
      subjectType: 'user',
      subjectId: change.userId,
      details: { roles: change.roles, teamIds, previousRoles: account.roles, previousTeamIds: account.team_ids },
    });
    await returnCasesOfWorker(trx, admin, {
      workerId: change.userId,
      workerName: account.display_name,
      keepTeamIds: teamIds,
      why: 'left-team',
      ...context,
    });
    return 'done';
  });
}

/**
 * Deactivates an account: it can no longer sign in, and every session it has ends in the same transaction, so its
 * next request is signed out. The children whose work it held return to their teams' unallocated work, and the
 * teams' managers are told. Nothing it did is removed. An administrator cannot deactivate their own account.
 */
export async function deactivateAccount(
  db: Kysely<Schema>,
  admin: SignedInUser,
  userId: string,
  context: ChangeContext,
): Promise<AccountChangeResult> {
  if (userId === admin.id) return 'own-account';
  return changeAccount(db, admin, userId, context.requestId, 'deactivate-user', async (trx, account) => {
    await queries.setAccountActive(trx, admin.laCode, userId, false);
    await queries.deleteSessionsOf(trx, userId);
    await returnCasesOfWorker(trx, admin, {
      workerId: userId,
      workerName: account.display_name,
      keepTeamIds: [],
      why: 'account-deactivated',
      ...context,
    });
  });
}

export async function reactivateAccount(db: Kysely<Schema>, admin: SignedInUser, userId: string, requestId: string) {
  return changeAccount(db, admin, userId, requestId, 'reactivate-user', (trx) =>
    queries.setAccountActive(trx, admin.laCode, userId, true),
  );
}

export type NewLinkResult = 'done' | 'not-found' | 'identity-provider-only' | 'deactivated';

/**
 * Emails a person a new one-time link to create their password: the invitation again, for someone who has not made
 * one yet (their link expired or went astray), or a 24-hour link for someone who has forgotten theirs. Using it spends
 * every earlier link and ends their sessions (accounts/set-password.ts). Nobody who signs in only through the
 * council's identity provider gets one: a password would be a second way in.
 */
export async function sendNewPasswordLink(
  db: Kysely<Schema>,
  admin: SignedInUser,
  userId: string,
  options: { publicUrl: string; requestId: string },
): Promise<NewLinkResult> {
  return db.transaction().execute(async (trx) => {
    const account = await queries.findAccount(trx, admin.laCode, userId);
    if (!account) return 'not-found';
    if (account.identity_provider_only) return 'identity-provider-only';
    if (!account.active) return 'deactivated';
    const invited = accountStatus(account) === 'invited';
    const link = await createSetPasswordLink(trx, userId, {
      purpose: invited ? 'invitation' : 'reset',
      publicUrl: options.publicUrl,
      actor: actorOf(admin, options.requestId),
    });
    await queueNotification(trx, {
      laCode: admin.laCode,
      template: invited ? 'account-invitation' : 'password-new-link',
      recipient: account.email,
      params: { name: account.display_name, link: link.url, expires: expiryText(link) },
    });
    return 'done';
  });
}

/** Ends a lock-out after wrong passwords, so the person can sign in again now. */
export async function unlockAccount(db: Kysely<Schema>, admin: SignedInUser, userId: string, requestId: string) {
  return changeAccount(db, admin, userId, requestId, 'unlock-user', async (trx) => {
    await queries.clearLockOut(trx, admin.laCode, userId);
    // Wrong passwords are counted per address too (accounts/service.ts): the locks from every address end.
    const account = await queries.findAccount(trx, admin.laCode, userId);
    if (account) await endSignInLockOuts(trx, account.email);
  });
}

async function changeAccount(
  db: Kysely<Schema>,
  admin: SignedInUser,
  userId: string,
  requestId: string,
  action: string,
  change: (trx: Kysely<Schema>, account: { display_name: string }) => Promise<void>,
): Promise<AccountChangeResult> {
  return db.transaction().execute(async (trx) => {
    const account = await queries.findAccount(trx, admin.laCode, userId);
    if (!account) return 'not-found';
    await change(trx, account);
    await recordAudit(trx, {
      laCode: admin.laCode,
      actorUserId: admin.id,
      actorRole: primaryRole(admin),
      action,
      requestId,
      subjectType: 'user',
      subjectId: userId,
    });
    return 'done';
  });
}

export async function councilTeams(db: Kysely<Schema>, laCode: string) {
  return queries.findTeams(db, laCode);
}

/** A team with its members; its managers are the members who hold the team manager role. */
export async function teamWithMembers(db: Kysely<Schema>, laCode: string, teamId: string) {
  const team = await queries.findTeam(db, laCode, teamId);
  if (!team) return undefined;
  const members = await queries.findTeamMembers(db, laCode, teamId);
  return { ...team, members: members.map((member) => ({ ...member, manager: member.roles.includes('team_manager') })) };
}

export async function teamNameTaken(db: Kysely<Schema>, laCode: string, name: string, exceptId?: string) {
  return queries.teamNameTaken(db, laCode, name, exceptId);
}

/**
 * Renames a team or changes the tier it serves; audited with the tier (a team's name is not personal). The last team
 * serving a tier keeps it: the pathway opens each episode at a tier with a team that serves it.
 */
export async function changeTeam(
  db: Kysely<Schema>,
  admin: SignedInUser,
  teamId: string,
  team: { name: string; servesTier: EpisodeTier | null },
  requestId: string,
): Promise<'done' | 'not-found' | 'last-of-tier'> {
  return db.transaction().execute(async (trx) => {
    const before = await queries.findTeam(trx, admin.laCode, teamId);
    if (!before) return 'not-found';
    if (before.serves_tier !== null && before.serves_tier !== team.servesTier) {
      const teams = await queries.findTeams(trx, admin.laCode);
      if (teams.filter((other) => other.serves_tier === before.serves_tier).length === 1) return 'last-of-tier';
    }
    await queries.updateTeam(trx, admin.laCode, teamId, team);
    await recordAudit(trx, {
      laCode: admin.laCode,
      actorUserId: admin.id,
      actorRole: primaryRole(admin),
      action: 'change-team',
      requestId,
      subjectType: 'team',
      subjectId: teamId,
      details: { name: team.name, servesTier: team.servesTier },
    });
    return 'done';
  });
}

export async function councilLocalities(db: Kysely<Schema>, laCode: string) {
  return queries.findLocalities(db, laCode);
}

export async function councilLocality(db: Kysely<Schema>, laCode: string, localityId: string) {
  return queries.findLocality(db, laCode, localityId);
}

/** The districts among these that another of the council's localities already covers, with that locality's name. */
export async function districtsElsewhere(
  db: Kysely<Schema>,
  laCode: string,
  districts: readonly string[],
  exceptLocalityId?: string,
): Promise<{ district: string; locality: string }[]> {
  const localities = await queries.findLocalities(db, laCode);
  return localities
    .filter((locality) => locality.id !== exceptLocalityId)
    .flatMap((locality) =>
      locality.postcode_districts
        .filter((district) => districts.includes(district))
        .map((district) => ({ district, locality: locality.name })),
    );
}

export async function changeLocality(
  db: Kysely<Schema>,
  admin: SignedInUser,
  localityId: string,
  locality: { name: string; postcodeDistricts: readonly string[] },
  requestId: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await queries.findLocality(trx, admin.laCode, localityId))) return false;
    await queries.updateLocality(trx, admin.laCode, localityId, {
      name: locality.name,
      postcodeDistricts: [...locality.postcodeDistricts],
    });
    await recordAudit(trx, {
      laCode: admin.laCode,
      actorUserId: admin.id,
      actorRole: primaryRole(admin),
      action: 'change-locality',
      requestId,
      subjectType: 'locality',
      subjectId: localityId,
      details: { postcodeDistricts: locality.postcodeDistricts },
    });
    return true;
  });
}

/** The actor for an administrator's own use of the set-up use cases (createTeam, addLocality). */
export function administratorActor(admin: SignedInUser, requestId: string): Actor {
  return actorOf(admin, requestId);
}

/** The council's name, as pages and letters to families give it (the gateway's question about where they live). */
export async function councilName(db: Kysely<Schema>, laCode: string): Promise<string> {
  return firstCouncilQueries.councilName(db, laCode);
}

/** How families reach the council's front door; each part null until an administrator gives it. */
export interface CouncilContact {
  phone: string | null;
  email: string | null;
}

export async function councilContact(db: Kysely<Schema>, laCode: string): Promise<CouncilContact> {
  const row = await firstCouncilQueries.councilContact(db, laCode);
  return { phone: row.front_door_phone, email: row.front_door_email };
}

/**
 * Sets how families reach the front door; audited with which details were given, not the details: the audit trail
 * holds no addresses or numbers, even a council's.
 */
export async function setCouncilContact(
  db: Kysely<Schema>,
  laCode: string,
  contact: CouncilContact,
  actor: Actor,
): Promise<void> {
  await inOneTransaction(db, async (trx) => {
    await firstCouncilQueries.updateCouncilContact(trx, laCode, contact);
    await recordAudit(trx, {
      laCode,
      actorUserId: actor.userId,
      actorRole: actor.role,
      action: 'change-council-contact',
      requestId: actor.requestId,
      subjectType: 'council',
      subjectId: laCode,
      details: { phoneGiven: contact.phone !== null, emailGiven: contact.email !== null },
    });
  });
}
