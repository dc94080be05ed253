// A family's online short-breaks application: started or continued for one of their own children, the gateway,
// one needs question at a time, then submitted once and scored with the council's model in use.
import { type SignedInUser, primaryRole } from '../../domain/people.ts';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ApplicationStatus, Schema } from '../../db/schema.ts';
import { SAFEGUARDING_FLAG } from '../../domain/scoring/model.ts';
import { scoreApplication, type ScoreResult } from '../../domain/scoring/score.ts';
import { aboutDone } from '../../domain/short-breaks/about.ts';
import {
  EVIDENCE,
  ageOn,
  ineligibleReasons,
  type AgeRange,
  type Gateway,
} from '../../domain/short-breaks/eligibility.ts';
import { addWorkingDays, calendarFromDates, toIsoDate, type IsoDate } from '../../domain/working-days.ts';
import { councilSetting } from '../administration/settings.ts';
import { recordAudit, type Actor } from '../audit/service.ts';
import { childOfFamilyMember, notifyChildsFamily } from '../children/service.ts';
import { modelInUse } from '../scoring/service.ts';
import { addTimelineEvent } from '../pathway/service.ts';
import { alertToWorryInApplication } from '../pathway/worries.ts';
import { isUuid } from '../../web/ids.ts';

/**
 * The family member's children, youngest last, each with their latest application that was not withdrawn. A list of
 * children is a view of their records, so it is audited with the ids it shows.
 */
export async function familyApplications(db: Kysely<Schema>, user: SignedInUser, requestId: string) {
  const rows = await db
    .selectFrom('children as c')
    .innerJoin('family_carers as fc', 'fc.family_id', 'c.family_id')
    .leftJoin('short_break_applications as a', (join) =>
      join.onRef('a.child_id', '=', 'c.id').on('a.status', '!=', 'withdrawn'),
    )
    .distinctOn('c.id')
    .select([
      'c.id as child_id',
      'c.given_name',
      'c.date_of_birth',
      'a.id as application_id',
      'a.status',
      'a.reference',
      'a.review_of',
      'a.decided_at',
      'a.submitted_at',
    ])
    .where('c.la_code', '=', user.laCode)
    .where('fc.user_id', '=', user.id)
    .orderBy('c.id')
    .orderBy('a.created_at', 'desc')
    .execute();
  // The decision in place: while an annual review is being written or decided, the last decision still stands, so
  // the family can read it beside the review.
  const decisions = await db
    .selectFrom('short_break_applications as d')
    .innerJoin('children as c', 'c.id', 'd.child_id')
    .innerJoin('family_carers as fc', 'fc.family_id', 'c.family_id')
    .distinctOn('d.child_id')
    .select(['d.child_id', 'd.id', 'd.reference'])
    .where('c.la_code', '=', user.laCode)
    .where('fc.user_id', '=', user.id)
    .where('d.status', '=', 'decided')
    .orderBy('d.child_id')
    .orderBy('d.decided_at', 'desc')
    .execute();
  await recordAudit(db, {
    laCode: user.laCode,
    actorUserId: user.id,
    actorRole: primaryRole(user),
    action: 'view-family-short-breaks',
    requestId,
    details: { childIds: rows.map((row) => row.child_id) },
  });
  return rows
    .map((row) => {
      const decision = decisions.find((candidate) => candidate.child_id === row.child_id);
      return {
        ...row,
        currentDecision:
          decision && decision.id !== row.application_id ? { id: decision.id, reference: decision.reference } : null,
      };
    })
    .sort((a, b) => a.date_of_birth.localeCompare(b.date_of_birth));
}

/**
 * Continues the child's draft, or starts one; an annual review starts from the application it reviews (gateway,
 * about the child and family, answers and the family's own words). Undefined when the child is not this family's.
 */
export async function startApplication(
  db: Kysely<Schema>,
  user: SignedInUser,
  childId: string,
  requestId: string,
  reviewOf?: FamilyApplication,
) {
  const child = await childOfFamilyMember(db, user, childId);
  if (!child) return undefined;
  return db.transaction().execute(async (trx) => {
    // Locks the child's row so two presses of "start" make one draft.
    await trx.selectFrom('children').select('id').where('id', '=', child.id).forUpdate().execute();
    const draft = await trx
      .selectFrom('short_break_applications')
      .select('id')
      .where('child_id', '=', child.id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (draft) return draft.id;
    const { id } = await trx
      .insertInto('short_break_applications')
      .values({
        la_code: user.laCode,
        child_id: child.id,
        ...(reviewOf
          ? {
              review_of: reviewOf.id,
              eligibility: JSON.stringify(reviewOf.eligibility),
              about: JSON.stringify(reviewOf.about),
              answers: JSON.stringify(reviewOf.answers),
              notes: JSON.stringify(reviewOf.notes),
            }
          : {}),
        child_age: null,
        model_version: null,
        total: null,
        domain_scores: null,
        rule_id: null,
        outcome: null,
        submitted_at: null,
        reference: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: reviewOf ? 'start-short-breaks-review' : 'start-short-breaks-application',
      requestId,
      subjectChildId: child.id,
      subjectType: 'short_break_application',
      subjectId: id,
      ...(reviewOf ? { details: { reviewOf: reviewOf.id } } : {}),
    });
    return id;
  });
}

/** An application of this family member's child, with the child; undefined otherwise (so ids cannot be probed). */
export async function familyApplication(db: Kysely<Schema>, user: SignedInUser, applicationId: string) {
  if (!isUuid(applicationId)) return undefined;
  return db
    .selectFrom('short_break_applications as a')
    .innerJoin('children as c', 'c.id', 'a.child_id')
    .innerJoin('family_carers as fc', 'fc.family_id', 'c.family_id')
    .select([
      'a.id',
      'a.status',
      'a.eligibility',
      'a.answers',
      'a.about',
      'a.notes',
      'a.review_of',
      'a.reference',
      'a.version',
      'a.child_age',
      'a.model_version',
      'a.rule_id',
      'a.outcome',
      'a.decision',
      'a.override_reason',
      'a.panel_reason',
      'a.panel_changed',
      'a.decided_at',
      'c.id as child_id',
      'c.given_name',
      'c.date_of_birth',
    ])
    .where('a.la_code', '=', user.laCode)
    .where('a.id', '=', applicationId)
    .where('fc.user_id', '=', user.id)
    .executeTakeFirst();
}

export type FamilyApplication = NonNullable<Awaited<ReturnType<typeof familyApplication>>>;

export type DraftChange =
  { eligibility: Gateway } | { about: Record<string, string> } | { questionId: string; optionId: string; note: string };

function draftValues(application: FamilyApplication, change: DraftChange) {
  if ('eligibility' in change) return { eligibility: JSON.stringify(change.eligibility) };
  if ('about' in change) return { about: JSON.stringify({ ...application.about, ...change.about }) };
  const notes = Object.fromEntries(
    Object.entries({ ...application.notes, [change.questionId]: change.note }).filter(([, text]) => text !== ''),
  );
  return {
    answers: JSON.stringify({ ...application.answers, [change.questionId]: change.optionId }),
    notes: JSON.stringify(notes),
  };
}

/** Saves the gateway, a section about the child or family, or one answer to a draft; a sent one is not changed. */
export async function saveDraft(db: Kysely<Schema>, application: FamilyApplication, change: DraftChange) {
  const values = draftValues(application, change);
  const result = await db
    .updateTable('short_break_applications')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('id', '=', application.id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * The proposed outcome as stored: with its reason and the explanation of every answer, so the family's decision
 * letter says why in the model's words even after the model changes.
 */
export function proposalOf(scored: ScoreResult) {
  return { ...scored.outcome, reason: scored.reason, explanations: scored.answers.map((answer) => answer.explanation) };
}

function newReference(): string {
  return `SB-${randomBytes(4).toString('hex').toUpperCase()}`;
}

/** Weekends only, for years the bank-holiday calendar does not cover yet. */
const WEEKENDS_ONLY = calendarFromDates([], { first: 1900, last: 9999 });

/**
 * The day a decision is due: the service standard in working days after sending. Beyond the years the bank-holiday
 * calendar covers, only weekends are skipped: telling a family a date a holiday early is better than failing to
 * send their application.
 */
export function decisionDueOn(sentOn: IsoDate, standardDays: number): IsoDate {
  try {
    return addWorkingDays(sentOn, standardDays);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return addWorkingDays(sentOn, standardDays, WEEKENDS_ONLY);
  }
}

/** The family's answers to the gateway's two questions, once both are answered. */
export function gatewayOf(application: FamilyApplication): Gateway | undefined {
  const { livesInArea, evidence } = application.eligibility;
  const evidenceChoice = EVIDENCE.find((choice) => choice === evidence);
  return (livesInArea === 'yes' || livesInArea === 'no') && evidenceChoice
    ? { livesInArea, evidence: evidenceChoice }
    : undefined;
}

/** Whether the child passes the gateway: the family has answered it, and nothing in the answers or age rules them out. */
export function isEligible(application: FamilyApplication, ages: AgeRange, today = new Date()): boolean {
  const gateway = gatewayOf(application);
  return (
    gateway !== undefined && ineligibleReasons(gateway, ageOn(application.date_of_birth, today), ages).length === 0
  );
}

/** Why a draft cannot be sent yet, in the order the family would put it right. */
export type NotReady = 'not-eligible' | 'unanswered' | 'not-declared';

const LONG_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/**
 * Submits a draft once it is complete: the child passes the gateway, every question of the council's model in use
 * and both "about" sections are answered, and the family has made the declaration. It is scored with that model,
 * and the version, scores, the rule that fired and the outcome are stored with a reference; the family's carers are
 * told by email that it arrived, what happens next and by when. Submitting twice (a double click, a resent form)
 * changes nothing, sends no second message and gives the same reference.
 */
export async function submitApplication(
  db: Kysely<Schema>,
  user: SignedInUser,
  application: FamilyApplication,
  options: { requestId: string; serviceStandardDays: number; baseUrl: string; ages: AgeRange; declared: boolean },
  today = new Date(),
): Promise<{ submitted: true; reference: string } | { submitted: false; notReady: NotReady }> {
  const { requestId } = options;
  const { model } = await modelInUse(db, user.laCode);
  if (!isEligible(application, options.ages, today)) return { submitted: false, notReady: 'not-eligible' };
  if (
    model.questions.some((question) => application.answers[question.id] === undefined) ||
    !aboutDone('child', application.about) ||
    !aboutDone('family', application.about)
  )
    return { submitted: false, notReady: 'unanswered' };
  if (!options.declared) return { submitted: false, notReady: 'not-declared' };
  const sent = await db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('short_break_applications')
      .select(['status', 'reference', 'answers'])
      .where('id', '=', application.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (current.status !== 'draft' && current.reference) return current.reference;
    const childAge = ageOn(application.date_of_birth, today);
    const scored = scoreApplication(model, { answers: current.answers, childAge });
    const reference = newReference();
    await trx
      .updateTable('short_break_applications')
      .set((eb) => ({
        status: 'submitted',
        child_age: childAge,
        model_version: scored.modelVersion,
        total: scored.total,
        domain_scores: JSON.stringify(scored.domainScores),
        rule_id: scored.ruleId,
        outcome: JSON.stringify(proposalOf(scored)),
        submitted_at: today,
        reference,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', application.id)
      .execute();
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'submit-short-breaks-application',
      requestId,
      subjectChildId: application.child_id,
      subjectType: 'short_break_application',
      subjectId: application.id,
      details: { modelVersion: scored.modelVersion, ruleId: scored.ruleId },
    });
    await addTimelineEvent(trx, {
      laCode: user.laCode,
      childId: application.child_id,
      kind: 'application',
      summary: `Short breaks application ${reference} sent`,
      actorUserId: user.id,
    });
    const dueOn = decisionDueOn(toIsoDate(today), options.serviceStandardDays);
    await notifyChildsFamily(trx, application.child_id, {
      laCode: user.laCode,
      template: 'short-breaks-sent',
      params: {
        reference,
        child: application.given_name,
        days: options.serviceStandardDays,
        date: LONG_DATE.format(new Date(`${dueOn}T12:00:00Z`)),
        link: `${options.baseUrl}/short-breaks/applications/${application.id}/confirmation`,
      },
    });
    if (scored.flags.includes(SAFEGUARDING_FLAG))
      await alertToWorryInApplication(trx, user.laCode, {
        childId: application.child_id,
        reference,
        link: `${options.baseUrl}/short-breaks/queue/${application.id}`,
      });
    return reference;
  });
  return { submitted: true, reference: sent };
}

/** A short-breaks application made before Pathway held it: on paper, by phone, or in the council's old system. */
export interface EarlierApplication {
  laCode: string;
  childId: string;
  status: ApplicationStatus;
  eligibility: Record<string, string>;
  about: Record<string, string>;
  answers: Record<string, string>;
  childAge: number;
  /** When it was sent; null for a draft. */
  submittedAt: Date | null;
  /** When it was decided, for one whose status is decided. */
  decidedAt: Date | null;
  reference: string | null;
}

/**
 * Records an application made before Pathway held it (the demo's, or a council's applications brought from its old
 * system), scored with the council's model in use as a sent application is, with the model's proposal as the
 * decision of one decided or waiting for the panel. Nobody is told, as nothing new has happened; the council's audit
 * trail records who brought it in.
 */
export async function recordEarlierApplication(
  db: Kysely<Schema>,
  actor: Actor,
  earlier: EarlierApplication,
): Promise<{ id: string; version: number }> {
  const { model } = await modelInUse(db, earlier.laCode);
  const scored =
    earlier.status === 'draft'
      ? null
      : scoreApplication(model, { answers: earlier.answers, childAge: earlier.childAge });
  const decided = scored !== null && (earlier.status === 'decided' || earlier.status === 'awaiting_panel');
  const recorded = await db
    .insertInto('short_break_applications')
    .values({
      la_code: earlier.laCode,
      child_id: earlier.childId,
      status: earlier.status,
      eligibility: JSON.stringify(earlier.eligibility),
      about: JSON.stringify(earlier.about),
      answers: JSON.stringify(earlier.answers),
      child_age: earlier.childAge,
      model_version: scored?.modelVersion ?? null,
      total: scored?.total ?? null,
      domain_scores: scored ? JSON.stringify(scored.domainScores) : null,
      rule_id: scored?.ruleId ?? null,
      outcome: scored ? JSON.stringify(proposalOf(scored)) : null,
      decision: decided ? JSON.stringify(proposalOf(scored)) : null,
      decided_at: earlier.status === 'decided' ? earlier.decidedAt : null,
      submitted_at: scored ? earlier.submittedAt : null,
      reference: scored ? earlier.reference : null,
    })
    .returning(['id', 'version'])
    .executeTakeFirstOrThrow();
  await recordAudit(db, {
    laCode: earlier.laCode,
    actorUserId: actor.userId,
    actorRole: actor.role,
    action: 'record-earlier-application',
    requestId: actor.requestId,
    subjectChildId: earlier.childId,
    subjectType: 'short_break_application',
    subjectId: recorded.id,
  });
  return recorded;
}

/** The family reads the decision. It is part of the child's record, so reading it is audited, as every view of the record is. */
export async function auditDecisionView(
  db: Kysely<Schema>,
  user: SignedInUser,
  application: FamilyApplication,
  requestId: string,
): Promise<void> {
  await recordAudit(db, {
    laCode: user.laCode,
    actorUserId: user.id,
    actorRole: primaryRole(user),
    action: 'view-short-breaks-decision',
    requestId,
    subjectChildId: application.child_id,
    subjectType: 'short_break_application',
    subjectId: application.id,
  });
}

/** States in which a family may still withdraw a sent application: before the decision is made. */
const WITHDRAWABLE = ['submitted', 'more_information_requested', 'verified'] as const;

export function mayWithdraw(status: string): boolean {
  return (WITHDRAWABLE as readonly string[]).includes(status);
}

/** The family withdraws a sent application before it is decided; audited and on the child's timeline. */
export async function withdrawApplication(
  db: Kysely<Schema>,
  user: SignedInUser,
  application: FamilyApplication,
  requestId: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const withdrawn = await trx
      .updateTable('short_break_applications')
      .set((eb) => ({ status: 'withdrawn', version: eb('version', '+', 1) }))
      .where('id', '=', application.id)
      .where('status', 'in', WITHDRAWABLE)
      .returning('id')
      .executeTakeFirst();
    if (!withdrawn) return false;
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'withdraw-short-breaks-application',
      requestId,
      subjectChildId: application.child_id,
      subjectType: 'short_break_application',
      subjectId: application.id,
    });
    await addTimelineEvent(trx, {
      laCode: user.laCode,
      childId: application.child_id,
      kind: 'application',
      summary: `Short breaks application ${application.reference ?? ''} withdrawn by the family`,
      actorUserId: user.id,
    });
    await notifyChildsFamily(trx, application.child_id, {
      laCode: user.laCode,
      template: 'short-breaks-withdrawn',
      params: { reference: application.reference ?? '', child: application.given_name },
    });
    return true;
  });
}

/** Statuses in which an application waits for the council's decision. */
const AWAITING_DECISION: readonly ApplicationStatus[] = [
  'submitted',
  'more_information_requested',
  'verified',
  'awaiting_panel',
];

/**
 * Each of the family's children with their short-breaks application (as familyApplications) and, while it waits
 * for a decision, the day the council's service standard promises one: the standard in force when it was sent.
 */
export async function familyShortBreaks(db: Kysely<Schema>, user: SignedInUser, requestId: string) {
  const children = await familyApplications(db, user, requestId);
  return Promise.all(
    children.map(async (child) => {
      if (!child.status || !AWAITING_DECISION.includes(child.status) || !child.submitted_at)
        return { ...child, decideBy: null };
      const sentOn = toIsoDate(child.submitted_at);
      const standardDays = await councilSetting(db, user.laCode, 'short_breaks_service_standard_days', sentOn);
      return { ...child, decideBy: decisionDueOn(sentOn, standardDays) };
    }),
  );
}
