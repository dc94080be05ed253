// Annual review: eleven months after a decision the family is invited to review online. The review is a new
// application that starts from the last one (gateway, about the child and family, answers and the family's own
// words), so the family only changes what is different; then the same verification and ratification follow.
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { primaryRole, type SignedInUser } from '../../web/context.ts';
import { recordAudit } from '../audit/service.ts';
import { queueNotification } from '../notifications/service.ts';
import type { FamilyApplication } from './service.ts';

export const REVIEW_INVITE_MONTHS = 11;

function monthsBefore(date: Date, months: number): Date {
  const earlier = new Date(date);
  earlier.setUTCMonth(earlier.getUTCMonth() - months);
  return earlier;
}

/** Whether a decided application is old enough for its annual review. */
export function reviewDue(application: { status: string; decided_at: Date | null }, today = new Date()): boolean {
  return (
    application.status === 'decided' &&
    application.decided_at !== null &&
    application.decided_at <= monthsBefore(today, REVIEW_INVITE_MONTHS)
  );
}

/** The daily round: each family whose decision is eleven months old is invited, once, to review it online. */
export async function inviteAnnualReviews(db: Kysely<Schema>, options: { baseUrl: string; today?: Date }) {
  const due = monthsBefore(options.today ?? new Date(), REVIEW_INVITE_MONTHS);
  return db.transaction().execute(async (trx) => {
    const decisions = await trx
      .selectFrom('short_break_applications')
      .select(['id', 'la_code', 'child_id', 'reference'])
      .where('status', '=', 'decided')
      .where('review_invited_at', 'is', null)
      .where('decided_at', '<=', due)
      .forUpdate()
      .skipLocked()
      .execute();
    for (const decision of decisions) {
      const carers = await trx
        .selectFrom('children as c')
        .innerJoin('family_carers as fc', 'fc.family_id', 'c.family_id')
        .innerJoin('users as u', 'u.id', 'fc.user_id')
        .select('u.email')
        .where('c.id', '=', decision.child_id)
        .where('u.active', '=', true)
        .execute();
      for (const carer of carers) {
        await queueNotification(trx, {
          laCode: decision.la_code,
          template: 'short-breaks-review-due',
          recipient: carer.email,
          params: { reference: decision.reference ?? '', link: `${options.baseUrl}/short-breaks` },
        });
      }
    }
    if (decisions.length > 0)
      await trx
        .updateTable('short_break_applications')
        .set({ review_invited_at: new Date() })
        .where(
          'id',
          'in',
          decisions.map((decision) => decision.id),
        )
        .execute();
    return decisions.length;
  });
}

/**
 * Starts the review of a decided application as a draft filled in from it, or continues the child's draft.
 * Undefined when the application is not due a review.
 */
export async function startReview(
  db: Kysely<Schema>,
  user: SignedInUser,
  application: FamilyApplication,
  requestId: string,
  today = new Date(),
): Promise<string | undefined> {
  if (!reviewDue(application, today)) return undefined;
  return db.transaction().execute(async (trx) => {
    await trx.selectFrom('children').select('id').where('id', '=', application.child_id).forUpdate().execute();
    const draft = await trx
      .selectFrom('short_break_applications')
      .select('id')
      .where('child_id', '=', application.child_id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (draft) return draft.id;
    const { id } = await trx
      .insertInto('short_break_applications')
      .values({
        la_code: user.laCode,
        child_id: application.child_id,
        review_of: application.id,
        eligibility: JSON.stringify(application.eligibility),
        about: JSON.stringify(application.about),
        answers: JSON.stringify(application.answers),
        notes: JSON.stringify(application.notes),
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
      action: 'start-short-breaks-review',
      requestId,
      subjectChildId: application.child_id,
      subjectType: 'short_break_application',
      subjectId: id,
      details: { reviewOf: application.id },
    });
    return id;
  });
}
