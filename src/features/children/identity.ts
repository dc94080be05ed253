// Keeping one record per child right: casework staff correct who the child is (names, date of birth, address,
// NHS number, unique pupil number) and record the people in the child's life who have no account. Each change is
// refused if someone changed the record first, audited, and shown on the child's timeline.
import type { Role, SignedInUser } from '../../domain/people.ts';
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import type { HouseholdRelationship } from '../../domain/pathway/household.ts';
import { recordChildChange } from '../pathway/service.ts';
import { findChild, localityOfPostcode, numberInUse } from './queries.ts';
import { auditRecordView, staffMaySee } from './service.ts';

/** Casework roles who keep a child's record right. */
export const RECORD_KEEPERS: readonly Role[] = [
  'triage_worker',
  'short_breaks_officer',
  'social_worker',
  'team_manager',
];

export interface ChildIdentity {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  address: string | null;
  postcode: string;
  nhsNumber: string | null;
  upn: string | null;
}

export type IdentityResult = 'done' | 'not-found' | 'changed-since' | 'nhs-number-in-use' | 'upn-in-use';

/** The child's record for a record keeper who may see it, or undefined (the same answer for both). */
export async function childForRecordKeeper(db: Kysely<Schema>, user: SignedInUser, childId: string) {
  if (!user.roles.some((role) => RECORD_KEEPERS.includes(role))) return undefined;
  const child = await findChild(db, user.laCode, childId);
  if (!child || !staffMaySee(user, child.open_team_id)) return undefined;
  return child;
}

/** The record for one of the record keepers' forms, which show the child's details, so opening one is audited. */
export async function openRecordForKeeping(db: Kysely<Schema>, user: SignedInUser, childId: string, requestId: string) {
  const child = await childForRecordKeeper(db, user, childId);
  if (child) await auditRecordView(db, user, child.id, requestId);
  return child;
}

/** What changed, by field name only: the timeline says what was corrected without repeating the details. */
function changedFields(before: NonNullable<Awaited<ReturnType<typeof findChild>>>, after: ChildIdentity): string[] {
  const pairs: [string, unknown, unknown][] = [
    ['first name', before.given_name, after.givenName],
    ['last name', before.family_name, after.familyName],
    ['date of birth', before.date_of_birth, after.dateOfBirth],
    ['address', before.address, after.address],
    ['postcode', before.postcode, after.postcode],
    ['NHS number', before.nhs_number, after.nhsNumber],
    ['unique pupil number', before.upn, after.upn],
  ];
  return pairs.filter(([, was, now]) => (was ?? null) !== (now ?? null)).map(([name]) => name);
}

export async function changeIdentity(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: { childId: string; seenVersion: number; identity: ChildIdentity; requestId: string },
): Promise<IdentityResult> {
  const { identity } = options;
  return db.transaction().execute(async (trx) => {
    const child = await childForRecordKeeper(trx, user, options.childId);
    if (!child) return 'not-found';
    if (child.version !== options.seenVersion) return 'changed-since';
    if (
      identity.nhsNumber !== null &&
      (await numberInUse(trx, user.laCode, 'nhs_number', identity.nhsNumber, child.id))
    )
      return 'nhs-number-in-use';
    if (identity.upn !== null && (await numberInUse(trx, user.laCode, 'upn', identity.upn, child.id)))
      return 'upn-in-use';
    const changed = changedFields(child, identity);
    if (changed.length === 0) return 'done';
    const updated = await trx
      .updateTable('children')
      .set((eb) => ({
        given_name: identity.givenName,
        family_name: identity.familyName,
        date_of_birth: identity.dateOfBirth,
        nhs_number: identity.nhsNumber,
        upn: identity.upn,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', child.id)
      .where('version', '=', options.seenVersion)
      .returning('id')
      .executeTakeFirst();
    if (!updated) return 'changed-since';
    // The address is the family's: brothers and sisters who live there move with the child.
    await trx
      .updateTable('families')
      .set({
        address: identity.address,
        postcode: identity.postcode,
        locality_id: await localityOfPostcode(trx, user.laCode, identity.postcode),
      })
      .where('id', '=', child.family_id)
      .execute();
    await recordChildChange(trx, user, {
      childId: child.id,
      kind: 'identity-changed',
      summary: `Record corrected: ${changed.join(', ')}`,
      action: 'change-child-identity',
      requestId: options.requestId,
      details: { fields: changed },
    });
    return 'done';
  });
}

export interface NewHouseholdMember {
  name: string;
  relationship: HouseholdRelationship;
  dateOfBirth: string | null;
  parentalResponsibility: boolean;
  livesWithChild: boolean;
}

export async function addHouseholdMember(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: { childId: string; member: NewHouseholdMember; requestId: string },
): Promise<boolean> {
  const { member } = options;
  return db.transaction().execute(async (trx) => {
    const child = await childForRecordKeeper(trx, user, options.childId);
    if (!child) return false;
    const added = await trx
      .insertInto('household_members')
      .values({
        la_code: user.laCode,
        family_id: child.family_id,
        name: member.name,
        relationship: member.relationship,
        date_of_birth: member.dateOfBirth,
        parental_responsibility: member.parentalResponsibility,
        lives_with_child: member.livesWithChild,
        added_by: user.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordChildChange(trx, user, {
      childId: child.id,
      kind: 'household-member-added',
      summary: `${member.name} added to the people in the child's life`,
      action: 'add-household-member',
      requestId: options.requestId,
      subject: { type: 'household_member', id: added.id },
    });
    return true;
  });
}

/** Removes someone added by staff (they moved away, or were added by mistake); false if there is no such person. */
export async function removeHouseholdMember(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: { childId: string; memberId: string; requestId: string },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const child = await childForRecordKeeper(trx, user, options.childId);
    if (!child) return false;
    const removed = await trx
      .deleteFrom('household_members')
      .where('id', '=', options.memberId)
      .where('family_id', '=', child.family_id)
      .returning('name')
      .executeTakeFirst();
    if (!removed) return false;
    await recordChildChange(trx, user, {
      childId: child.id,
      kind: 'household-member-removed',
      summary: `${removed.name} removed from the people in the child's life`,
      action: 'remove-household-member',
      requestId: options.requestId,
      subject: { type: 'household_member', id: options.memberId },
    });
    return true;
  });
}
