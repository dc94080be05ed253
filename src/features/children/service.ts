// Looking at a child's record, always audited. A family sees only their own children. Triage workers (the front
// door), team managers (who accept step-ups into their teams) and the Designated Social Care Officer see any child;
// other casework staff see children open to one of their teams, and children open to no team (so the child can be
// picked up), never another team's.
import { type Role, type SignedInUser, primaryRole } from '../../domain/people.ts';
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { likelyMatches, type ReferredChild } from '../../domain/front-door/matching.ts';
import { CASEWORK_ROLES } from '../../web/access.ts';
import { recordAudit, recordAudits, type Actor } from '../audit/service.ts';
import { queueNotification } from '../notifications/service.ts';
import { recordChildChange, whoWorksWith } from '../pathway/service.ts';
import * as queries from './queries.ts';
import { isUuid } from '../../web/ids.ts';

/** Roles that see every child's record: the front door, managers and the council's oversight. */
const SEE_EVERY_CHILD: readonly Role[] = ['triage_worker', 'team_manager', 'dsco'];

function isCaseworker(user: SignedInUser): boolean {
  return user.roles.some((role) => (CASEWORK_ROLES as readonly string[]).includes(role));
}

/** Whether casework staff may see a child, given the team the child is open to (if any). */
export function staffMaySee(user: SignedInUser, openTeamId: string | null): boolean {
  if (!isCaseworker(user)) return false;
  if (user.roles.some((role) => SEE_EVERY_CHILD.includes(role))) return true;
  return openTeamId === null || user.teamIds.includes(openTeamId);
}

/** Returns the record, or undefined when it does not exist or this person may not see it (the same answer, so ids cannot be probed). */
export async function viewChildRecord(db: Kysely<Schema>, viewer: SignedInUser, childId: string, requestId: string) {
  if (!isUuid(childId)) return undefined;
  const child = await queries.findChild(db, viewer.laCode, childId);
  if (!child) return undefined;
  const allowed = staffMaySee(viewer, child.open_team_id) || (await queries.isCarerOf(db, viewer.id, child.family_id));
  if (!allowed) return undefined;
  await auditRecordView(db, viewer, child.id, requestId);
  return child;
}

/** Records that someone saw a child's record; called before the record is shown, so a failed audit shows nothing. */
export async function auditRecordView(db: Kysely<Schema>, viewer: SignedInUser, childId: string, requestId: string) {
  await recordAudit(db, {
    laCode: viewer.laCode,
    actorUserId: viewer.id,
    actorRole: primaryRole(viewer),
    action: 'view-child-record',
    requestId,
    subjectChildId: childId,
    subjectType: 'child',
    subjectId: childId,
  });
}

/** Whether casework staff may see a child now: the team the child is open to decides. */
export async function staffMaySeeChild(db: Kysely<Schema>, user: SignedInUser, childId: string): Promise<boolean> {
  return staffMaySee(user, await queries.openTeamOf(db, childId));
}

/**
 * The people in the child's life, for their record page. A brother or sister is a child with a record of their
 * own, so their date of birth is shown only to those who may see that record (their family, or staff by the team
 * the sibling is open to); others see only that the child has a brother or sister of that name.
 */
export async function householdOf(db: Kysely<Schema>, viewer: SignedInUser, child: { id: string; family_id: string }) {
  const [{ carers, siblings, members }, carer] = await Promise.all([
    queries.household(db, child),
    queries.isCarerOf(db, viewer.id, child.family_id),
  ]);
  return {
    carers,
    members,
    siblings: siblings.map((sibling) => ({
      given_name: sibling.given_name,
      family_name: sibling.family_name,
      date_of_birth: carer || staffMaySee(viewer, sibling.open_team_id) ? sibling.date_of_birth : null,
    })),
  };
}

/** The locality a postcode's district lies in, for a new family's record (the front door makes one). */
export async function localityForPostcode(db: Kysely<Schema>, laCode: string, postcode: string) {
  return queries.localityOfPostcode(db, laCode, postcode);
}

export async function childrenOfFamilyMember(db: Kysely<Schema>, member: SignedInUser) {
  return queries.childrenCaredForBy(db, member.laCode, member.id);
}

/**
 * The family member's children, for their own list of them: a list of children is a view of their records, so it
 * is audited with the ids it shows.
 */
export async function viewFamilyChildren(db: Kysely<Schema>, member: SignedInUser, requestId: string) {
  const children = await childrenOfFamilyMember(db, member);
  await recordAudit(db, {
    laCode: member.laCode,
    actorUserId: member.id,
    actorRole: primaryRole(member),
    action: 'view-family-children',
    requestId,
    details: { childIds: children.map((child) => child.id) },
  });
  const working = await whoWorksWith(
    db,
    children.map((child) => child.id),
  );
  return children.map((child) => ({
    ...child,
    workingWith: working.find((episode) => episode.child_id === child.id) ?? null,
  }));
}

/** One of the family member's own children, or undefined (another family's child, or no such child). */
export async function childOfFamilyMember(db: Kysely<Schema>, member: SignedInUser, childId: string) {
  return (await childrenOfFamilyMember(db, member)).find((child) => child.id === childId);
}

/** Records the child's disabilities in the census codes; on the timeline and audited. */
export async function recordDisabilities(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: { childId: string; codes: string[]; requestId: string },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('children')
      .set((eb) => ({ disability_codes: options.codes, version: eb('version', '+', 1) }))
      .where('id', '=', options.childId)
      .where('la_code', '=', user.laCode)
      .returning('id')
      .executeTakeFirst();
    if (!updated) return false;
    await recordChildChange(trx, user, {
      childId: options.childId,
      kind: 'disabilities-recorded',
      summary: `Disabilities recorded (census codes ${options.codes.join(', ') || 'none'})`,
      action: 'record-disabilities',
      requestId: options.requestId,
    });
    return true;
  });
}

/**
 * Registers a family with its children and the carers who have accounts (a parent, or a young person as
 * 'self'), so the carers see the children's pages. Each child's new record is audited. Runs in the caller's
 * transaction when there is one (the demo seeds its council in one), otherwise in its own.
 */
export async function registerFamily(
  db: Kysely<Schema>,
  laCode: string,
  family: {
    familyName: string;
    localityId: string | null;
    carers: readonly { userId: string; relationship: string }[];
    children: readonly { givenName: string; dateOfBirth: string }[];
  },
  actor: Actor,
): Promise<{ familyId: string; childIds: string[] }> {
  const register = async (trx: Kysely<Schema>) => {
    const familyId = await queries.insertFamily(trx, laCode, family);
    await queries.insertFamilyCarers(trx, laCode, familyId, family.carers);
    const childIds = await queries.insertChildren(
      trx,
      laCode,
      { id: familyId, familyName: family.familyName },
      family.children,
    );
    await recordAudits(
      trx,
      childIds.map((childId) => ({
        laCode,
        actorUserId: actor.userId,
        actorRole: actor.role,
        action: 'create-child-record',
        requestId: actor.requestId,
        subjectChildId: childId,
        subjectType: 'child',
        subjectId: childId,
        details: { familyId },
      })),
    );
    return { familyId, childIds };
  };
  return db.isTransaction ? register(db) : db.transaction().execute(register);
}

/** Emails, through the outbox, everyone with an active account in the child's family. */
export async function notifyChildsFamily(
  db: Kysely<Schema>,
  childId: string,
  message: { laCode: string; template: string; params: Record<string, string | number> },
) {
  const carers = await db
    .selectFrom('children as c')
    .innerJoin('family_carers as fc', 'fc.family_id', 'c.family_id')
    .innerJoin('users as u', 'u.id', 'fc.user_id')
    .select('u.email')
    .where('c.id', '=', childId)
    .where('u.active', '=', true)
    .execute();
  for (const carer of carers) {
    await queueNotification(db, { ...message, recipient: carer.email });
  }
}

/**
 * Children the council knows who are likely the child described (by a referrer, or by a family asking for their
 * child to be added to their account), strongest first: one record per child.
 */
export async function possibleMatches(db: Kysely<Schema>, laCode: string, described: ReferredChild) {
  return likelyMatches(await queries.childrenLike(db, laCode, described), described);
}

/** Whether another child's record has this NHS number or unique pupil number: one record per child. */
export async function numberInUse(
  db: Kysely<Schema>,
  laCode: string,
  column: 'nhs_number' | 'upn',
  value: string,
): Promise<boolean> {
  return queries.numberInUse(db, laCode, column, value);
}
