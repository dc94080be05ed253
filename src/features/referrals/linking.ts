// One record per child: a referral for a child the council may already know is matched against the records it has
// (same NHS number; or two of date of birth, similar names, postcode), so the front door links it to the existing
// record instead of keying the child in again; only when there is no such record does it make a new one.
import { type SignedInUser, primaryRole } from '../../domain/people.ts';
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import type { ReferredChild } from '../../domain/front-door/matching.ts';
import { nhsNumberOf } from '../../domain/front-door/nhs-number.ts';
import { upnOf } from '../../domain/front-door/upn.ts';
import { dateOf, postcodeOf } from '../../domain/front-door/referral.ts';
import { recordAudit } from '../audit/service.ts';
import { localityForPostcode, numberInUse } from '../children/service.ts';
import { addTimelineEvent } from '../pathway/service.ts';
import { alertCaseHoldersToWorry } from '../pathway/worries.ts';

/** The child as the referrer described them, or undefined for a referral that did not (a family's request). */
export function referredChild(details: Record<string, string>): ReferredChild | undefined {
  const dateOfBirth = dateOf(details.dobDay ?? '', details.dobMonth ?? '', details.dobYear ?? '');
  if (!details.givenName || !details.familyName || !dateOfBirth) return undefined;
  return {
    givenName: details.givenName,
    familyName: details.familyName,
    dateOfBirth,
    nhsNumber: nhsNumberOf(details.nhsNumber ?? '') ?? null,
    upn: upnOf(details.upn ?? '') ?? null,
    postcode: postcodeOf(details.postcode ?? '') ?? null,
  };
}

export type LinkResult = 'done' | 'changed-since' | 'nhs-number-in-use' | 'upn-in-use';

async function audit(
  trx: Kysely<Schema>,
  user: SignedInUser,
  action: string,
  childId: string,
  referralId: string,
  requestId: string,
  baseUrl: string,
) {
  const referral = await trx
    .selectFrom('referrals')
    .select(['reference', 'received_at', 'safeguarding_concern'])
    .where('id', '=', referralId)
    .executeTakeFirstOrThrow();
  await addTimelineEvent(trx, {
    laCode: user.laCode,
    childId,
    kind: 'referral',
    summary: `Referral ${referral.reference ?? ''} from a professional, received ${referral.received_at.toISOString().slice(0, 10)}`,
    actorUserId: user.id,
    referralId,
  });
  // A worry about a child already open to a team reaches the people working with the child at once, not only when
  // the front door decides.
  if (referral.safeguarding_concern)
    await alertCaseHoldersToWorry(trx, user.laCode, {
      childId,
      referralId,
      reference: referral.reference ?? '',
      baseUrl,
    });
  await recordAudit(trx, {
    laCode: user.laCode,
    actorUserId: user.id,
    actorRole: primaryRole(user),
    action,
    requestId,
    subjectChildId: childId,
    subjectType: 'referral',
    subjectId: referralId,
  });
}

/** Links the referral to a child the council already knows. */
export async function linkToChild(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: { referralId: string; seenVersion: number; childId: string; requestId: string; baseUrl: string },
): Promise<LinkResult> {
  return db.transaction().execute(async (trx) => {
    const child = await trx
      .selectFrom('children')
      .select('id')
      .where('id', '=', options.childId)
      .where('la_code', '=', user.laCode)
      .executeTakeFirst();
    if (!child) return 'changed-since';
    const linked = await trx
      .updateTable('referrals')
      .set((eb) => ({ child_id: child.id, version: eb('version', '+', 1) }))
      .where('id', '=', options.referralId)
      .where('la_code', '=', user.laCode)
      .where('child_id', 'is', null)
      .where('version', '=', options.seenVersion)
      .returning('id')
      .executeTakeFirst();
    if (!linked) return 'changed-since';
    await audit(trx, user, 'link-referral-to-child', child.id, options.referralId, options.requestId, options.baseUrl);
    return 'done';
  });
}

/** Makes a new record (a family and the child) from the referral and links it; refused if its NHS number or UPN is known. */
export async function createChildFromReferral(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: { referralId: string; seenVersion: number; referred: ReferredChild; requestId: string; baseUrl: string },
): Promise<LinkResult> {
  const { referred } = options;
  return db
    .transaction()
    .execute(async (trx) => {
      if (referred.nhsNumber && (await numberInUse(trx, user.laCode, 'nhs_number', referred.nhsNumber)))
        return 'nhs-number-in-use';
      if (referred.upn && (await numberInUse(trx, user.laCode, 'upn', referred.upn))) return 'upn-in-use';
      const family = await trx
        .insertInto('families')
        .values({
          la_code: user.laCode,
          family_name: referred.familyName,
          locality_id: referred.postcode ? await localityForPostcode(trx, user.laCode, referred.postcode) : null,
          postcode: referred.postcode,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const child = await trx
        .insertInto('children')
        .values({
          la_code: user.laCode,
          family_id: family.id,
          given_name: referred.givenName,
          family_name: referred.familyName,
          date_of_birth: referred.dateOfBirth,
          nhs_number: referred.nhsNumber,
          upn: referred.upn,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const linked = await trx
        .updateTable('referrals')
        .set((eb) => ({ child_id: child.id, version: eb('version', '+', 1) }))
        .where('id', '=', options.referralId)
        .where('la_code', '=', user.laCode)
        .where('child_id', 'is', null)
        .where('version', '=', options.seenVersion)
        .returning('id')
        .executeTakeFirst();
      // Rolls back the new record too: nothing is half made.
      if (!linked) throw new ReferralChanged();
      await audit(trx, user, 'create-child-record', child.id, options.referralId, options.requestId, options.baseUrl);
      return 'done';
    })
    .catch((error: unknown) => {
      if (error instanceof ReferralChanged) return 'changed-since' as const;
      throw error;
    });
}

class ReferralChanged extends Error {}
