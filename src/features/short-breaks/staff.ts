// Staff work on short-breaks applications: a queue oldest first with working days waiting against the service
// standard, the application with its scores explained (viewing it is audited), an officer's evidence check,
// and a manager's decision (ratify the proposed outcome, or override it with a reason), told to the family.
import { councilSetting } from '../administration/settings.ts';
import { type SignedInUser, primaryRole } from '../../domain/people.ts';
import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { SAFEGUARDING_FLAG, type Outcome } from '../../domain/scoring/model.ts';
import { addWorkingDays, toIsoDate, workingDaysBetween } from '../../domain/working-days.ts';
import { notifyRole } from '../accounts/service.ts';
import { recordAudit } from '../audit/service.ts';
import { notifyChildsFamily, staffMaySee } from '../children/service.ts';
import { runOverdueRound } from '../notifications/overdue-rounds.ts';
import { tellTeamManagers } from '../pathway/case-holders.ts';
import { addTimelineEvent, teamFor } from '../pathway/service.ts';
import { referForSocialWorkAssessment } from '../referrals/service.ts';
import { flagsRaised } from '../scoring/service.ts';
import { DECISION_WORKING_DAYS } from '../referrals/triage.ts';

export const EVIDENCE_CHECKS = ['identity', 'disability_evidence', 'lives_in_area'] as const;

const WAITING = ['submitted', 'more_information_requested', 'verified', 'awaiting_panel'] as const;

/** The steps at which an application waits for a short breaks officer: the evidence check and the family's answer. */
const WITH_OFFICERS: readonly string[] = ['submitted', 'more_information_requested'];

/**
 * Whether a member of staff may open an application, which shows the child's details (ADR 0007). Whoever may see
 * the child may (the short breaks team its own children and those open to no team; managers and the Designated
 * Social Care Officer every child). Beyond them, a step that only one group can take opens the application to that
 * group while it waits for them, whichever team the child is open to: short breaks officers check the evidence and
 * ask the family, the resource panel decides what is put to it. Once their step is done, another team's child's
 * application is that team's again.
 */
export function staffMaySeeApplication(
  user: SignedInUser,
  application: { status: string; open_team_id: string | null },
): boolean {
  if (staffMaySee(user, application.open_team_id)) return true;
  if (user.roles.includes('short_breaks_officer') && WITH_OFFICERS.includes(application.status)) return true;
  return user.roles.includes('panel_member') && application.status === 'awaiting_panel';
}

/**
 * Applications waiting for staff, oldest first, with working days since sending against the service standard.
 * Where the family has been asked for more information, the days they have had the question are shown too.
 */
export async function staffQueue(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: { standardDays: number; requestId: string },
  today = new Date(),
) {
  const { laCode } = user;
  const { standardDays } = options;
  const waiting = await db
    .selectFrom('short_break_applications as a')
    .innerJoin('children as c', 'c.id', 'a.child_id')
    .leftJoin('episodes as open_episode', (join) =>
      join.onRef('open_episode.child_id', '=', 'a.child_id').on('open_episode.ended_at', 'is', null),
    )
    .leftJoin('short_break_information_requests as r', (join) =>
      join.onRef('r.application_id', '=', 'a.id').on('r.answered_at', 'is', null),
    )
    .select([
      'a.id',
      'a.reference',
      'a.status',
      'a.submitted_at',
      'a.outcome',
      'a.decision',
      'a.review_of',
      'a.child_id',
      'c.given_name',
      'c.family_name',
      'r.asked_at',
      'open_episode.team_id as open_team_id',
    ])
    .where('a.la_code', '=', laCode)
    .where('a.status', 'in', WAITING)
    .orderBy('a.submitted_at')
    .execute();
  const rows = waiting.filter((row) => staffMaySeeApplication(user, row));
  // Listing children's names is a view of their records, so it is audited.
  await recordAudit(db, {
    laCode,
    actorUserId: user.id,
    actorRole: primaryRole(user),
    action: 'view-short-breaks-queue',
    requestId: options.requestId,
    details: { count: rows.length, childIds: [...new Set(rows.map((row) => row.child_id))] },
  });
  const todayIso = toIsoDate(today);
  return rows.map((row) => {
    const waiting = row.submitted_at ? workingDaysBetween(toIsoDate(row.submitted_at), todayIso) : 0;
    const withFamily = row.asked_at ? workingDaysBetween(toIsoDate(row.asked_at), todayIso) : null;
    return { ...row, waiting, withFamily, overdue: waiting > standardDays };
  });
}

/**
 * The application for staff, with the child; viewing it is audited like any view of a child's record. Undefined
 * when there is no such application or this person may not see it (the same answer, so ids cannot be probed).
 */
export async function viewApplication(db: Kysely<Schema>, user: SignedInUser, id: string, requestId: string) {
  return db.transaction().execute(async (trx) => {
    const application = await trx
      .selectFrom('short_break_applications as a')
      .innerJoin('children as c', 'c.id', 'a.child_id')
      .leftJoin('episodes as open_episode', (join) =>
        join.onRef('open_episode.child_id', '=', 'a.child_id').on('open_episode.ended_at', 'is', null),
      )
      .selectAll('a')
      .select(['c.given_name', 'c.family_name', 'c.date_of_birth', 'open_episode.team_id as open_team_id'])
      .where('a.la_code', '=', user.laCode)
      .where('a.id', '=', id)
      .where('a.status', '!=', 'draft')
      .executeTakeFirst();
    if (!application || !staffMaySeeApplication(user, application)) return undefined;
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'view-short-breaks-application',
      requestId,
      subjectChildId: application.child_id,
      subjectType: 'short_break_application',
      subjectId: application.id,
    });
    return application;
  });
}

export type StaffOutcome = 'done' | 'changed-since';

/** An officer records the evidence checked. Nothing is written if the application changed since they looked. */
export async function verifyApplication(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: { id: string; seenVersion: number; checks: Record<string, boolean>; requestId: string },
): Promise<StaffOutcome> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('short_break_applications')
      .set((eb) => ({
        status: 'verified',
        verification: JSON.stringify(options.checks),
        verified_by: user.id,
        verified_at: new Date(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', options.id)
      .where('la_code', '=', user.laCode)
      .where('version', '=', options.seenVersion)
      .where('status', 'in', ['submitted', 'more_information_requested'])
      .returning('child_id')
      .executeTakeFirst();
    if (!updated) return 'changed-since';
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'verify-short-breaks-application',
      requestId: options.requestId,
      subjectChildId: updated.child_id,
      subjectType: 'short_break_application',
      subjectId: options.id,
    });
    return 'done';
  });
}

/** Whether an outcome is worth more than the council's panel amount, so the resource panel must agree it. */
export function needsPanel(outcome: Outcome, panelAmount: number): boolean {
  return (outcome.amountPerYear ?? 0) > panelAmount;
}

/** What telling the family of a decision needs to know about the application. */
const DECIDED_COLUMNS = [
  'id',
  'child_id',
  'reference',
  'decision',
  'override_reason',
  'panel_reason',
  'model_version',
  'answers',
  'child_age',
] as const;

/** A date as a family reads it in a message: 8 December 2026. */
function formatDate(isoDate: string): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'Europe/London' }).format(
    new Date(`${isoDate}T12:00:00Z`),
  );
}

/** Puts the final decision on the child's timeline and tells the family's carers it is ready. */
async function tellFamily(
  trx: Transaction<Schema>,
  user: SignedInUser,
  decided: {
    id: string;
    child_id: string;
    reference: string | null;
    decision: Record<string, unknown> | null;
    override_reason: string | null;
    panel_reason: string | null;
    model_version: number | null;
    answers: Record<string, string>;
    child_age: number | null;
  },
  baseUrl: string,
) {
  const reference = decided.reference ?? '';
  const label = typeof decided.decision?.label === 'string' ? decided.decision.label : '';
  await addTimelineEvent(trx, {
    laCode: user.laCode,
    childId: decided.child_id,
    kind: 'application-decided',
    summary: `Short breaks application ${reference} decided: ${label}`,
    actorUserId: user.id,
  });
  // "A social work assessment" is an outcome only when it reaches the social work team: a referral into the front
  // door, and the family told who will contact them and when.
  const assessment = decided.decision?.kind === 'social_work_assessment';
  if (assessment)
    await referForSocialWorkAssessment(trx, user, {
      id: decided.id,
      childId: decided.child_id,
      reference,
      // Why, in the words of whoever decided last: the panel, the manager who changed the outcome, or the model.
      why:
        decided.panel_reason ??
        decided.override_reason ??
        (typeof decided.decision?.reason === 'string' ? decided.decision.reason : 'the scoring model’s rule'),
      // A worry about safety in the family's answers goes with it, to the top of the front door's list.
      safeguarding: (
        await flagsRaised(trx, user.laCode, {
          modelVersion: decided.model_version,
          answers: decided.answers,
          childAge: decided.child_age,
        })
      ).includes(SAFEGUARDING_FLAG),
      baseUrl,
    });
  await notifyChildsFamily(trx, decided.child_id, {
    laCode: user.laCode,
    template: assessment ? 'short-breaks-decided-assessment' : 'short-breaks-decided',
    params: {
      reference,
      link: `${baseUrl}/short-breaks`,
      ...(assessment ? { decideBy: formatDate(addWorkingDays(toIsoDate(new Date()), DECISION_WORKING_DAYS)) } : {}),
    },
  });
}

/** The outcome the answers proposed for a sent application, which a manager ratifies or overrides. */
export async function proposedOutcome(db: Kysely<Schema>, laCode: string, id: string): Promise<Outcome | undefined> {
  const application = await db
    .selectFrom('short_break_applications')
    .select('outcome')
    .where('id', '=', id)
    .where('la_code', '=', laCode)
    .executeTakeFirst();
  return application?.outcome ? (application.outcome as unknown as Outcome) : undefined;
}

/**
 * A manager decides: the proposed outcome, or another with a reason. Two managers deciding at once: the first
 * wins; the second writes nothing and is told. An outcome above the panel amount waits for the resource panel
 * (who are told); otherwise it is final and the family's carers are told through the outbox.
 */
export async function decideApplication(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: {
    id: string;
    seenVersion: number;
    outcome: Outcome;
    overrideReason: string | null;
    panelAmount: number;
    requestId: string;
    baseUrl: string;
  },
): Promise<StaffOutcome> {
  const toPanel = needsPanel(options.outcome, options.panelAmount);
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('short_break_applications')
      .set((eb) => ({
        status: toPanel ? 'awaiting_panel' : 'decided',
        decision: JSON.stringify(options.outcome),
        override_reason: options.overrideReason,
        decided_by: user.id,
        decided_at: toPanel ? null : new Date(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', options.id)
      .where('la_code', '=', user.laCode)
      .where('version', '=', options.seenVersion)
      .where('status', '=', 'verified')
      .returning(DECIDED_COLUMNS)
      .executeTakeFirst();
    if (!updated) return 'changed-since';
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: options.overrideReason ? 'override-short-breaks-outcome' : 'ratify-short-breaks-outcome',
      requestId: options.requestId,
      subjectChildId: updated.child_id,
      subjectType: 'short_break_application',
      subjectId: options.id,
      details: { toPanel },
    });
    if (!toPanel) {
      await tellFamily(trx, user, updated, options.baseUrl);
      return 'done';
    }
    await notifyRole(trx, user.laCode, 'panel_member', {
      template: 'short-breaks-panel',
      params: { reference: updated.reference ?? '', link: `${options.baseUrl}/short-breaks/queue/${options.id}` },
    });
    return 'done';
  });
}

/**
 * The resource panel records its decision on an outcome above the panel amount: the manager's outcome agreed, or
 * another, always with the panel's reasons. Then the decision is final and the family is told.
 */
export async function recordPanelDecision(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: {
    id: string;
    seenVersion: number;
    outcome: Outcome | null;
    reason: string;
    requestId: string;
    baseUrl: string;
  },
): Promise<StaffOutcome> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('short_break_applications')
      .set((eb) => ({
        status: 'decided',
        ...(options.outcome ? { decision: JSON.stringify(options.outcome) } : {}),
        panel_changed: options.outcome !== null,
        panel_reason: options.reason,
        panel_decided_by: user.id,
        panel_decided_at: new Date(),
        decided_at: new Date(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', options.id)
      .where('la_code', '=', user.laCode)
      .where('version', '=', options.seenVersion)
      .where('status', '=', 'awaiting_panel')
      .returning(DECIDED_COLUMNS)
      .executeTakeFirst();
    if (!updated) return 'changed-since';
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: options.outcome ? 'panel-change-short-breaks-outcome' : 'panel-agree-short-breaks-outcome',
      requestId: options.requestId,
      subjectChildId: updated.child_id,
      subjectType: 'short_break_application',
      subjectId: options.id,
    });
    await tellFamily(trx, user, updated, options.baseUrl);
    return 'done';
  });
}

/**
 * The daily round: each council's team managers are told, once per application, which applications have passed
 * the council's service standard in force today without a decision.
 */
export async function flagOverdueApplications(db: Kysely<Schema>, options: { baseUrl: string; today?: Date }) {
  const todayIso = toIsoDate(options.today ?? new Date());
  // Each council's own service standard, read once for the councils with applications waiting.
  const standardDays = new Map<string, number>();
  return runOverdueRound(db, {
    waiting: async (trx) => {
      const waiting = await trx
        .selectFrom('short_break_applications')
        .select(['id', 'la_code', 'reference', 'submitted_at'])
        .where('status', 'in', WAITING)
        .where('overdue_flagged_at', 'is', null)
        .where('submitted_at', 'is not', null)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const laCode of new Set(waiting.map((item) => item.la_code))) {
        standardDays.set(laCode, await councilSetting(trx, laCode, 'short_breaks_service_standard_days', todayIso));
      }
      return waiting;
    },
    isOverdue: (item) => workingDaysBetween(toIsoDate(item.submitted_at!), todayIso) > standardDays.get(item.la_code)!,
    groupOf: (item) => item.la_code,
    // The short breaks team's own managers, not every team's.
    tell: async (trx, overdue) => {
      const laCode = overdue[0]!.la_code;
      await tellTeamManagers(trx, (await teamFor(trx, laCode, 'targeted')).id, {
        laCode,
        template: 'short-breaks-overdue',
        params: {
          count: overdue.length,
          days: standardDays.get(laCode)!,
          references: overdue.map((item) => item.reference ?? '').join(', '),
          link: `${options.baseUrl}/short-breaks/queue`,
        },
      });
    },
    markFlagged: (trx, ids) =>
      trx
        .updateTable('short_break_applications')
        .set({ overdue_flagged_at: new Date() })
        .where('id', 'in', ids)
        .execute(),
  });
}
