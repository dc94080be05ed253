// A professional's referral through the front door: started by saying where they work (the census referral
// source), filled in section by section and saved as they go, then sent once with a reference. The front door's
// triage workers are told at once, and team managers too when the referrer is worried about the child's safety.
// Professionals see what happened to their referrals, never the child's record.
import { type SignedInUser, primaryRole } from '../../domain/people.ts';
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { referralComplete } from '../../domain/front-door/referral.ts';
import { isUuid } from '../../web/ids.ts';
import { recordAudit } from '../audit/service.ts';
import { newReferralReference, tellFrontDoor } from './service.ts';

/** Children in Need census referral sources a professional can refer from. */
export const PROFESSIONAL_SOURCES = [
  '2A',
  '2B',
  '3A',
  '3B',
  '3C',
  '3D',
  '3E',
  '3F',
  '4',
  '5A',
  '5B',
  '5C',
  '5D',
  '6',
  '7',
  '8',
] as const;

export async function startReferral(
  db: Kysely<Schema>,
  user: SignedInUser,
  sourceCode: string,
  requestId: string,
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('referrals')
      .values({
        la_code: user.laCode,
        child_id: null,
        kind: 'professional',
        source_code: sourceCode,
        requested_by: user.id,
        status: 'draft',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'start-referral',
      requestId,
      subjectType: 'referral',
      subjectId: id,
    });
    return id;
  });
}

/** The referrer's own referral, or undefined (so ids of others' referrals cannot be probed). */
export async function referrersReferral(db: Kysely<Schema>, user: SignedInUser, id: string) {
  if (!isUuid(id)) return undefined;
  return db
    .selectFrom('referrals')
    .select(['id', 'status', 'details', 'reference', 'source_code', 'version'])
    .where('id', '=', id)
    .where('la_code', '=', user.laCode)
    .where('requested_by', '=', user.id)
    .where('kind', '=', 'professional')
    .executeTakeFirst();
}

export type ReferrersReferral = NonNullable<Awaited<ReturnType<typeof referrersReferral>>>;

/** Saves one section's answers to a draft; a sent referral is not changed. */
export async function saveReferralSection(
  db: Kysely<Schema>,
  referral: ReferrersReferral,
  values: Record<string, string>,
): Promise<boolean> {
  const result = await db
    .updateTable('referrals')
    .set((eb) => ({ details: JSON.stringify({ ...referral.details, ...values }), version: eb('version', '+', 1) }))
    .where('id', '=', referral.id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Sends a complete draft: it gets a reference and its time of arrival (now, unless a referral that arrived earlier
 * is being recorded, as the demo's are), the front door is told, and managers are alerted to a safety worry.
 * Sending twice gives the same reference. Undefined if the draft is not complete.
 */
export async function sendReferral(
  db: Kysely<Schema>,
  user: SignedInUser,
  referral: ReferrersReferral,
  options: { requestId: string; baseUrl: string; receivedAt?: Date },
): Promise<string | undefined> {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('referrals')
      .select(['status', 'reference', 'details'])
      .where('id', '=', referral.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (current.status !== 'draft') return current.reference ?? undefined;
    if (!referralComplete(current.details)) return undefined;
    const safeguarding = current.details.safeguarding === 'yes';
    const reference = newReferralReference();
    await trx
      .updateTable('referrals')
      .set((eb) => ({
        status: 'new',
        reference,
        received_at: options.receivedAt ?? new Date(),
        primary_need_code: current.details.primaryNeed ?? null,
        safeguarding_concern: safeguarding,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', referral.id)
      .execute();
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'send-referral',
      requestId: options.requestId,
      subjectType: 'referral',
      subjectId: referral.id,
      details: { safeguarding },
    });
    await tellFrontDoor(trx, user.laCode, {
      reference,
      link: `${options.baseUrl}/referrals/${referral.id}`,
      safeguarding,
    });
    return reference;
  });
}

/**
 * The referrer's sent referrals with what happened to each: the outcome, not the child's record. The list names the
 * children, so it is audited with the referrals and the children's records (those linked) it shows.
 */
export async function referrersReferrals(db: Kysely<Schema>, user: SignedInUser, requestId: string) {
  const referrals = await db
    .selectFrom('referrals as r')
    .leftJoin('episodes as e', 'e.id', 'r.episode_id')
    .leftJoin('teams as t', 't.id', 'e.team_id')
    .select([
      'r.id',
      'r.reference',
      'r.status',
      'r.received_at',
      'r.outcome',
      'r.decided_at',
      'r.details',
      'r.decision_effect',
      'r.child_id',
      't.name as team_name',
    ])
    .where('r.la_code', '=', user.laCode)
    .where('r.requested_by', '=', user.id)
    .where('r.kind', '=', 'professional')
    .orderBy('r.received_at', 'desc')
    .execute();
  await recordAudit(db, {
    laCode: user.laCode,
    actorUserId: user.id,
    actorRole: primaryRole(user),
    action: 'view-own-referrals',
    requestId,
    details: {
      referralIds: referrals.map((referral) => referral.id),
      childIds: [...new Set(referrals.flatMap((referral) => (referral.child_id ? [referral.child_id] : [])))],
    },
  });
  return referrals;
}
