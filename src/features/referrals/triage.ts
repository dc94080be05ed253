// Triage at the front door: new referrals oldest first with the clock to the one-working-day decision; a referral
// read in full (audited); and the decision: no further action with Local Offer services suggested for the child's
// age and area, targeted help from the short breaks team, or the specialist social work team. A worry about the
// child's safety, or a family's request for a social work assessment, can only go to the specialist team.
import { type SignedInUser, primaryRole } from '../../domain/people.ts';
import type { Kysely, Transaction } from 'kysely';
import type { ReferralDecisionEffect, ReferralOutcome, Schema } from '../../db/schema.ts';
import { tierRank } from '../../domain/pathway/tiers.ts';
import { allowedOutcomes } from '../../domain/front-door/referral.ts';
import { addWorkingDays, toIsoDate, workingDaysBetween } from '../../domain/working-days.ts';
import { ageOn } from '../../domain/short-breaks/eligibility.ts';
import { isUuid } from '../../web/ids.ts';
import { notifyRole } from '../accounts/service.ts';
import { notifyChildsFamily } from '../children/service.ts';
import { recordAudit } from '../audit/service.ts';
import { locatePostcode } from '../directory/places.ts';
import type { DirectorySearch, SearchHit } from '../directory/search/directory-search.ts';
import { queueNotification } from '../notifications/service.ts';
import { runOverdueRound } from '../notifications/overdue-rounds.ts';
import { tellCaseHolders } from '../pathway/case-holders.ts';
import { COUNCIL_SERVICES_SOURCE } from './service.ts';
import { addTimelineEvent, childNameOf, currentEpisode, makeMove, openEpisode } from '../pathway/service.ts';

/** The front door decides within one working day of a referral arriving. */
export const DECISION_WORKING_DAYS = 1;

/** The child's name as the record has it, or as the referrer gave it. */
function childName(row: { given_name: string | null; family_name: string | null; details: Record<string, string> }) {
  return row.given_name
    ? `${row.given_name} ${row.family_name ?? ''}`.trim()
    : `${row.details.givenName ?? ''} ${row.details.familyName ?? ''}`.trim();
}

/**
 * New referrals, oldest first, each with working days waiting and the day it should be decided by. Listing
 * children's names is a view of their records, so it is audited.
 */
export async function triageQueue(db: Kysely<Schema>, user: SignedInUser, requestId: string, today = new Date()) {
  const rows = await db
    .selectFrom('referrals as r')
    .leftJoin('children as c', 'c.id', 'r.child_id')
    .select([
      'r.id',
      'r.kind',
      'r.reference',
      'r.source_code',
      'r.reason',
      'r.details',
      'r.received_at',
      'r.safeguarding_concern',
      'r.child_id',
      'c.given_name',
      'c.family_name',
    ])
    .where('r.la_code', '=', user.laCode)
    .where('r.status', '=', 'new')
    .orderBy('r.safeguarding_concern', 'desc')
    .orderBy('r.received_at')
    .execute();
  await recordAudit(db, {
    laCode: user.laCode,
    actorUserId: user.id,
    actorRole: primaryRole(user),
    action: 'view-new-referrals',
    requestId,
    details: {
      count: rows.length,
      childIds: [...new Set(rows.flatMap((row) => (row.child_id ? [row.child_id] : [])))],
    },
  });
  const todayIso = toIsoDate(today);
  return rows.map((row) => {
    const received = toIsoDate(row.received_at);
    const waiting = workingDaysBetween(received, todayIso);
    return {
      id: row.id,
      kind: row.kind,
      reference: row.reference,
      sourceCode: row.source_code,
      reason: row.kind === 'social_work_assessment' ? row.reason : (row.details.needs ?? null),
      safeguarding: row.safeguarding_concern,
      child: childName(row),
      waiting,
      decideBy: addWorkingDays(received, DECISION_WORKING_DAYS),
      overdue: waiting > DECISION_WORKING_DAYS,
    };
  });
}

/** One referral in full for the front door; reading it is audited. */
export async function viewReferral(db: Kysely<Schema>, user: SignedInUser, id: string, requestId: string) {
  if (!isUuid(id)) return undefined;
  return db.transaction().execute(async (trx) => {
    const referral = await trx
      .selectFrom('referrals as r')
      .leftJoin('children as c', 'c.id', 'r.child_id')
      .innerJoin('users as u', 'u.id', 'r.requested_by')
      .selectAll('r')
      .select([
        'c.given_name',
        'c.family_name',
        'c.date_of_birth',
        'u.display_name as referrer_name',
        'u.email as referrer_email',
      ])
      .where('r.la_code', '=', user.laCode)
      .where('r.id', '=', id)
      .where('r.status', '!=', 'draft')
      .executeTakeFirst();
    if (!referral) return undefined;
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'view-referral',
      requestId,
      subjectChildId: referral.child_id ?? undefined,
      subjectType: 'referral',
      subjectId: referral.id,
    });
    const dateOfBirth =
      referral.date_of_birth ??
      (referral.details.dobYear
        ? `${referral.details.dobYear}-${referral.details.dobMonth?.padStart(2, '0')}-${referral.details.dobDay?.padStart(2, '0')}`
        : null);
    return {
      ...referral,
      child: childName(referral),
      dateOfBirth,
      allowed: allowedOutcomes({ safeguarding: referral.safeguarding_concern, kind: referral.kind }),
    };
  });
}

export type TriageReferral = NonNullable<Awaited<ReturnType<typeof viewReferral>>>;

/** Local Offer services for the child's age near their postcode: what a family could use without a referral. */
export async function suggestedServices(
  db: Kysely<Schema>,
  search: DirectorySearch,
  laCode: string,
  referral: { dateOfBirth: string | null; details: Record<string, string> },
): Promise<SearchHit[]> {
  const near = referral.details.postcode ? await locatePostcode(db, laCode, referral.details.postcode) : null;
  const result = await search.services(laCode, {
    text: '',
    filters: {
      ...(referral.dateOfBirth ? { age: ageOn(referral.dateOfBirth, new Date()) } : {}),
      ...(near ? { near, maxDistanceKm: 10 } : {}),
      activeOnly: true,
    },
    order: near ? 'distance' : 'name',
    page: 1,
    perPage: 5,
  });
  return result.hits;
}

export type TriageDecision = 'done' | 'changed-since' | 'not-allowed' | 'needs-record';

/**
 * Carries out the front door's decision on the child's work, in the decision's transaction. No open episode: a
 * targeted or specialist decision opens one with that tier's team. An open episode at a lower tier: the child is
 * stepped up, with the referral as the reason, into the receiving team's unallocated work. An open episode at the
 * same or a higher tier: never a silent step-down; the referral goes to the team already working with the child as
 * new information. Whatever the decision, the worker allocated to an open episode and its team's managers are told
 * of the new referral on their case (with the safety worry, when there is one).
 */
async function actOnChildsWork(
  trx: Transaction<Schema>,
  user: SignedInUser,
  decision: {
    childId: string;
    referral: TriageReferral;
    reference: string;
    outcome: ReferralOutcome;
    outcomeText: string;
    reason: string;
    requestId: string;
    baseUrl: string;
  },
): Promise<{ effect: ReferralDecisionEffect; episodeId: string; teamName: string } | undefined> {
  const { childId, referral } = decision;
  const tier = decision.outcome === 'no_further_action' ? null : decision.outcome;
  const open = await currentEpisode(trx, childId);
  const passedOn = open !== undefined && (tier === null || tierRank(tier) <= tierRank(open.tier));
  await addTimelineEvent(trx, {
    laCode: user.laCode,
    childId,
    kind: 'triage-decision',
    summary:
      `Front door decided on referral ${decision.reference}: ${decision.outcomeText}. ${decision.reason}` +
      (passedOn && tier !== null
        ? `\nThe child stays with the ${open.team_name}, who are given the referral as new information.`
        : ''),
    actorUserId: user.id,
    referralId: referral.id,
  });
  // A child stepped up is no longer theirs (they hear where the child went instead, and could not open the link).
  if (open && (passedOn || tier === null)) {
    await tellCaseHolders(trx, open, {
      laCode: user.laCode,
      template: 'referral-on-case',
      params: {
        child: await childNameOf(trx, childId),
        reference: decision.reference,
        worry: referral.safeguarding_concern ? 'The person who referred is worried about the child’s safety. ' : '',
        outcome: decision.outcomeText,
        link: `${decision.baseUrl}/children/${childId}/referrals/${referral.id}`,
      },
    });
  }
  if (tier === null) return undefined;
  if (passedOn) return { effect: 'passed_to_case_holder', episodeId: open.id, teamName: open.team_name };
  const reason = `Referral ${decision.reference} decided by the front door: ${decision.reason}`;
  const opened = open
    ? await makeMove(trx, user, {
        childId,
        open,
        to: tier,
        reason,
        closureReasonCode: null,
        requestId: decision.requestId,
        baseUrl: decision.baseUrl,
        referralId: referral.id,
      })
    : await openEpisode(trx, {
        laCode: user.laCode,
        childId,
        tier,
        reason,
        referralId: referral.id,
        actorUserId: user.id,
        baseUrl: decision.baseUrl,
      });
  if (!opened) throw new Error('A targeted or specialist decision opens an episode');
  return { effect: open ? 'stepped_up' : 'opened', episodeId: opened.id, teamName: opened.teamName };
}

/**
 * Records the front door's decision, if the referral is still as the worker saw it and the outcome is allowed for
 * it; tells whoever referred.
 */
export async function decideReferral(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: {
    referral: TriageReferral;
    seenVersion: number;
    outcome: ReferralOutcome;
    reason: string;
    signposted: string[];
    outcomeText: string;
    requestId: string;
    baseUrl: string;
  },
): Promise<TriageDecision> {
  if (options.referral.status !== 'new' || options.referral.version !== options.seenVersion) return 'changed-since';
  if (!options.referral.allowed.includes(options.outcome)) return 'not-allowed';
  // Work with a child at a tier needs their record, so the referral must be linked to it first.
  const childId = options.referral.child_id;
  if (options.outcome !== 'no_further_action' && !childId) return 'needs-record';
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('referrals')
      .set((eb) => ({
        status: 'decided',
        outcome: options.outcome,
        outcome_reason: options.reason,
        signposted_service_ids: options.signposted,
        decided_by: user.id,
        decided_at: new Date(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', options.referral.id)
      .where('la_code', '=', user.laCode)
      .where('status', '=', 'new')
      .where('version', '=', options.seenVersion)
      .returning(['reference', 'kind'])
      .executeTakeFirst();
    if (!updated) return 'changed-since';
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'triage-referral',
      requestId: options.requestId,
      subjectChildId: options.referral.child_id ?? undefined,
      subjectType: 'referral',
      subjectId: options.referral.id,
      details: { outcome: options.outcome },
    });
    const acted = childId
      ? await actOnChildsWork(trx, user, {
          childId,
          referral: options.referral,
          reference: updated.reference ?? '',
          outcome: options.outcome,
          outcomeText: options.outcomeText,
          reason: options.reason,
          requestId: options.requestId,
          baseUrl: options.baseUrl,
        })
      : undefined;
    if (acted)
      await trx
        .updateTable('referrals')
        .set({ decision_effect: acted.effect, episode_id: acted.episodeId })
        .where('id', '=', options.referral.id)
        .execute();
    // A referral a short-breaks decision made is the family's: they hear it has reached the social work team, as
    // their decision letter promised. Anyone else who referred hears the outcome.
    if (options.referral.source_code === COUNCIL_SERVICES_SOURCE && childId && acted) {
      await notifyChildsFamily(trx, childId, {
        laCode: user.laCode,
        template: 'assessment-passed-on',
        params: {
          child: options.referral.given_name ?? '',
          team: acted.teamName,
          link: `${options.baseUrl}/short-breaks`,
        },
      });
    } else {
      await queueNotification(trx, {
        laCode: user.laCode,
        template: 'referral-decided',
        recipient: options.referral.referrer_email,
        params: {
          reference: updated.reference ?? '',
          outcome:
            acted?.effect === 'passed_to_case_holder'
              ? `passed to the ${acted.teamName}, who already work with the child`
              : options.outcomeText,
          link: `${options.baseUrl}${updated.kind === 'professional' ? '/referrals/mine' : '/ask-for-help'}`,
        },
      });
    }
    // Targeted help starts with the online short-breaks application, so the child's family (those with an account;
    // the short breaks team contacts the others) are invited to apply. A family's own request was answered above.
    // Not when the child is already held by a team: the referral went to them instead.
    if (options.outcome === 'targeted' && childId && updated.kind === 'professional' && acted?.effect === 'opened') {
      await notifyChildsFamily(trx, childId, {
        laCode: user.laCode,
        template: 'short-breaks-invitation',
        params: { child: options.referral.given_name ?? '', link: `${options.baseUrl}/short-breaks` },
      });
    }
    return 'done';
  });
}

/**
 * The front door's round, each working hour: team managers are told, once per referral, which referrals have
 * waited more than a working day for a decision.
 */
export async function flagOverdueReferrals(db: Kysely<Schema>, options: { baseUrl: string; today?: Date }) {
  const todayIso = toIsoDate(options.today ?? new Date());
  return runOverdueRound(db, {
    waiting: (trx) =>
      trx
        .selectFrom('referrals')
        .select(['id', 'la_code', 'reference', 'received_at'])
        .where('status', '=', 'new')
        .where('overdue_flagged_at', 'is', null)
        .forUpdate()
        .skipLocked()
        .execute(),
    isOverdue: (referral) => workingDaysBetween(toIsoDate(referral.received_at), todayIso) > DECISION_WORKING_DAYS,
    groupOf: (referral) => referral.la_code,
    tell: (trx, overdue) =>
      notifyRole(trx, overdue[0]!.la_code, 'team_manager', {
        template: 'referrals-overdue',
        params: {
          count: overdue.length,
          references: overdue.map((referral) => referral.reference ?? 'a family’s request').join(', '),
          link: `${options.baseUrl}/referrals`,
        },
      }),
    markFlagged: (trx, ids) =>
      trx.updateTable('referrals').set({ overdue_flagged_at: new Date() }).where('id', 'in', ids).execute(),
  });
}
