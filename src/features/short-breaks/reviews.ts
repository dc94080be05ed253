// Annual review: eleven months after a decision the family is invited to review online. The review is a new
// application that starts from the last one (gateway, about the child and family, answers and the family's own
// words), so the family only changes what is different; then the same verification and ratification follow.
import type { SignedInUser } from '../../domain/people.ts';
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { notifyChildsFamily } from '../children/service.ts';
import { startApplication, type FamilyApplication } from './service.ts';

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
      await notifyChildsFamily(trx, decision.child_id, {
        laCode: decision.la_code,
        template: 'short-breaks-review-due',
        params: { reference: decision.reference ?? '', link: `${options.baseUrl}/short-breaks` },
      });
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

/** Starts the review of a decided application, or continues the child's draft; undefined when none is due. */
export async function startReview(
  db: Kysely<Schema>,
  user: SignedInUser,
  application: FamilyApplication,
  requestId: string,
  today = new Date(),
): Promise<string | undefined> {
  if (!reviewDue(application, today)) return undefined;
  return startApplication(db, user, application.child_id, requestId, application);
}
