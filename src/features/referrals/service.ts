// A family's request for a social work assessment instead of applying online for short breaks: their legal right
// (an assessment under section 17 of the Children Act 1989). It becomes a referral to the social work team, who are
// told at once. The front door issue grows referrals into every route in.
import { type SignedInUser, primaryRole } from '../../domain/people.ts';
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { emailsOfRole, notifyRole } from '../accounts/service.ts';
import { recordAudit } from '../audit/service.ts';
import { childOfFamilyMember, notifyChildsFamily } from '../children/service.ts';
import { queueNotification } from '../notifications/service.ts';
import { teamManagerEmails } from '../pathway/case-holders.ts';
import { addTimelineEvent, teamFor } from '../pathway/service.ts';
import { alertCaseHoldersToWorry } from '../pathway/worries.ts';
import { addWorkingDays, toIsoDate } from '../../domain/working-days.ts';
import { DECISION_WORKING_DAYS } from './triage.ts';

/** Children in Need census referral source: an individual who is a family member, relative or carer. */
export const FAMILY_MEMBER_SOURCE = '1A';
export const MAX_REFERRAL_REASON = 2000;

/**
 * Records the request for one of the family's own children and tells the social work team. Asking again while a
 * request is still new gives the same referral rather than a second one. Undefined when the child is not theirs.
 */
export async function requestSocialWorkAssessment(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: { childId: string; applicationId: string | null; reason: string; requestId: string; baseUrl: string },
): Promise<string | undefined> {
  const child = await childOfFamilyMember(db, user, options.childId);
  if (!child) return undefined;
  return db.transaction().execute(async (trx) => {
    // Locks the child's row so two presses of the button make one referral.
    await trx.selectFrom('children').select('id').where('id', '=', child.id).forUpdate().executeTakeFirstOrThrow();
    const open = await trx
      .selectFrom('referrals')
      .select('id')
      .where('child_id', '=', child.id)
      .where('kind', '=', 'social_work_assessment')
      .where('status', '=', 'new')
      .executeTakeFirst();
    if (open) return open.id;
    const application = options.applicationId
      ? await trx
          .selectFrom('short_break_applications')
          .select('id')
          .where('id', '=', options.applicationId)
          .where('child_id', '=', child.id)
          .executeTakeFirst()
      : undefined;
    const reference = newReferralReference();
    const { id, received_at } = await trx
      .insertInto('referrals')
      .values({
        la_code: user.laCode,
        child_id: child.id,
        kind: 'social_work_assessment',
        source_code: FAMILY_MEMBER_SOURCE,
        reference,
        reason: options.reason === '' ? null : options.reason,
        requested_by: user.id,
        short_break_application_id: application?.id ?? null,
      })
      .returning(['id', 'received_at'])
      .executeTakeFirstOrThrow();
    await addTimelineEvent(trx, {
      laCode: user.laCode,
      childId: child.id,
      kind: 'referral',
      summary: 'The family asked for a social work assessment',
      actorUserId: user.id,
      referralId: id,
    });
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'request-social-work-assessment',
      requestId: options.requestId,
      subjectChildId: child.id,
      subjectType: 'referral',
      subjectId: id,
    });
    // The social work team's own managers, not every team's.
    const socialWorkTeam = await teamFor(trx, user.laCode, 'specialist');
    const recipients = new Set([
      ...(await emailsOfRole(trx, user.laCode, 'social_worker')),
      ...(await teamManagerEmails(trx, socialWorkTeam.id)),
    ]);
    for (const recipient of recipients) {
      await queueNotification(trx, {
        laCode: user.laCode,
        template: 'social-work-assessment-requested',
        recipient,
        params: {
          received: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'Europe/London' }).format(
            received_at,
          ),
          link: `${options.baseUrl}/referrals`,
        },
      });
    }
    await notifyChildsFamily(trx, child.id, {
      laCode: user.laCode,
      template: 'assessment-request-received',
      params: { reference, child: child.given_name, link: `${options.baseUrl}/ask-for-help` },
    });
    return id;
  });
}

/** Children in Need census referral source: other council services (here, the short breaks team). */
export const COUNCIL_SERVICES_SOURCE = '5B';

/**
 * A short-breaks decision whose outcome is a social work assessment starts the social work route the same way a
 * family's own request does: a referral into the front door, which decides it within one working day and can only
 * send it to the specialist social work team (where the child's episode opens, or steps up, unallocated, and the
 * team's managers are told). Deciding it again, or a request from the family already waiting, makes no second
 * referral. In the decision's transaction.
 */
export async function referForSocialWorkAssessment(
  trx: Kysely<Schema>,
  user: SignedInUser,
  application: { id: string; childId: string; reference: string; why: string; safeguarding: boolean; baseUrl: string },
): Promise<string> {
  await trx.selectFrom('children').select('id').where('id', '=', application.childId).forUpdate().execute();
  const waiting = await trx
    .selectFrom('referrals')
    .select('id')
    .where('child_id', '=', application.childId)
    .where('kind', '=', 'social_work_assessment')
    .where('status', '=', 'new')
    .executeTakeFirst();
  if (waiting) return waiting.id;
  const reference = newReferralReference();
  const { id } = await trx
    .insertInto('referrals')
    .values({
      la_code: user.laCode,
      child_id: application.childId,
      kind: 'social_work_assessment',
      source_code: COUNCIL_SERVICES_SOURCE,
      reason: `The decision on short breaks application ${application.reference} is a social work assessment: ${application.why}`,
      requested_by: user.id,
      short_break_application_id: application.id,
      reference,
      safeguarding_concern: application.safeguarding,
      details: JSON.stringify(
        application.safeguarding
          ? { safeguardingDetails: 'The family’s answers in the short breaks application raised a worry about safety.' }
          : {},
      ),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await addTimelineEvent(trx, {
    laCode: user.laCode,
    childId: application.childId,
    kind: 'referral',
    summary: `Referred to the front door for a social work assessment (${reference}), as short breaks application ${application.reference} decided`,
    actorUserId: user.id,
    referralId: id,
  });
  await announceReferral(trx, user.laCode, {
    reference,
    referralId: id,
    childId: application.childId,
    safeguarding: application.safeguarding,
    baseUrl: application.baseUrl,
  });
  return id;
}

/** The referral for a social work assessment that a short-breaks decision made, if any, for the staff's page. */
export async function assessmentReferralOf(db: Kysely<Schema>, applicationId: string) {
  return db
    .selectFrom('referrals')
    .select(['id', 'reference', 'status'])
    .where('short_break_application_id', '=', applicationId)
    .where('kind', '=', 'social_work_assessment')
    .orderBy('received_at', 'desc')
    .executeTakeFirst();
}

/** Children in Need census referral source for a young person asking for themselves. */
export const SELF_SOURCE = '1C';

/** A referral's reference, as families and professionals quote it: RF- and eight hexadecimal characters. */
export function newReferralReference(): string {
  return `RF-${randomBytes(4).toString('hex').toUpperCase()}`;
}

/** Tells the triage workers of a new referral, and the team managers at once when someone's safety is a worry. */
export async function tellFrontDoor(
  trx: Kysely<Schema>,
  laCode: string,
  referral: { reference: string; link: string; safeguarding: boolean },
) {
  const params = { reference: referral.reference, link: referral.link };
  await notifyRole(trx, laCode, 'triage_worker', { template: 'referral-received', params });
  if (referral.safeguarding)
    await notifyRole(trx, laCode, 'team_manager', { template: 'referral-safeguarding', params });
}

/**
 * Tells the front door of a referral about a child whose record is known; with a worry about safety, the people
 * already working with the child hear at once too.
 */
async function announceReferral(
  trx: Kysely<Schema>,
  laCode: string,
  referral: { reference: string; referralId: string; childId: string; safeguarding: boolean; baseUrl: string },
) {
  await tellFrontDoor(trx, laCode, {
    reference: referral.reference,
    link: `${referral.baseUrl}/referrals/${referral.referralId}`,
    safeguarding: referral.safeguarding,
  });
  if (referral.safeguarding) await alertCaseHoldersToWorry(trx, laCode, referral);
}

/**
 * A family asks the front door for help for one of their own children: what they need, what they have tried, and
 * any worry about safety (which alerts team managers at once). Undefined when the child is not theirs.
 */
export async function askForHelp(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: {
    childId: string;
    needs: string;
    tried: string;
    safeguarding: boolean;
    safeguardingDetails: string;
    requestId: string;
    baseUrl: string;
  },
): Promise<string | undefined> {
  const child = await childOfFamilyMember(db, user, options.childId);
  if (!child) return undefined;
  return db.transaction().execute(async (trx) => {
    // Locks the child's row so that the same request sent twice (a double click, a retry) makes one referral: the
    // second finds the first, still waiting at the front door, and is given its reference.
    await trx.selectFrom('children').select('id').where('id', '=', child.id).forUpdate().executeTakeFirstOrThrow();
    const same = await trx
      .selectFrom('referrals')
      .select('reference')
      .where('child_id', '=', child.id)
      .where('kind', '=', 'family')
      .where('requested_by', '=', user.id)
      .where('status', '=', 'new')
      .where(sql<string>`details->>'needs'`, '=', options.needs)
      .where(sql<string>`details->>'tried'`, '=', options.tried)
      .where('safeguarding_concern', '=', options.safeguarding)
      .where(sql<string>`details->>'safeguardingDetails'`, '=', options.safeguardingDetails)
      .executeTakeFirst();
    if (same?.reference) return same.reference;
    const reference = newReferralReference();
    const { id } = await trx
      .insertInto('referrals')
      .values({
        la_code: user.laCode,
        child_id: child.id,
        kind: 'family',
        source_code: user.roles.includes('young_person') ? SELF_SOURCE : FAMILY_MEMBER_SOURCE,
        requested_by: user.id,
        status: 'new',
        reference,
        details: JSON.stringify({
          givenName: child.given_name,
          familyName: child.family_name,
          needs: options.needs,
          tried: options.tried,
          consent: 'yes',
          safeguarding: options.safeguarding ? 'yes' : 'no',
          safeguardingDetails: options.safeguardingDetails,
        }),
        safeguarding_concern: options.safeguarding,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await addTimelineEvent(trx, {
      laCode: user.laCode,
      childId: child.id,
      kind: 'referral',
      summary: `The family asked for help (${reference})`,
      actorUserId: user.id,
      referralId: id,
    });
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'family-ask-for-help',
      requestId: options.requestId,
      subjectChildId: child.id,
      subjectType: 'referral',
      subjectId: id,
      details: { safeguarding: options.safeguarding },
    });
    await announceReferral(trx, user.laCode, {
      reference,
      referralId: id,
      childId: child.id,
      safeguarding: options.safeguarding,
      baseUrl: options.baseUrl,
    });
    await notifyChildsFamily(trx, child.id, {
      laCode: user.laCode,
      template: 'help-request-received',
      params: { reference, child: child.given_name, link: `${options.baseUrl}/ask-for-help` },
    });
    return reference;
  });
}

/** The family member's own requests to the front door, newest first, with what happened to each. */
export async function familyRequests(db: Kysely<Schema>, user: SignedInUser) {
  const rows = await db
    .selectFrom('referrals as r')
    .leftJoin('children as c', 'c.id', 'r.child_id')
    .select(['r.id', 'r.kind', 'r.reference', 'r.status', 'r.outcome', 'r.received_at', 'r.child_id', 'c.given_name'])
    .where('r.la_code', '=', user.laCode)
    .where('r.requested_by', '=', user.id)
    .where('r.kind', 'in', ['family', 'social_work_assessment'])
    .orderBy('r.received_at', 'desc')
    .execute();
  // When the front door will have decided a request still waiting, so the family knows when to expect word.
  return rows.map((row) => ({
    ...row,
    decideBy: row.status === 'new' ? addWorkingDays(toIsoDate(row.received_at), DECISION_WORKING_DAYS) : null,
  }));
}
