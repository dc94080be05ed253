// Staff work on short-breaks applications: a queue oldest first with working days waiting against the service
// standard, the application with its scores explained (viewing it is audited), an officer's evidence check,
// and a manager's decision (ratify the proposed outcome, or override it with a reason), told to the family.
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import type { Outcome } from '../../domain/scoring/model.ts';
import { toIsoDate, workingDaysBetween } from '../../domain/working-days.ts';
import { primaryRole, type SignedInUser } from '../../web/context.ts';
import { emailsOfRole } from '../accounts/service.ts';
import { recordAudit } from '../audit/service.ts';
import { queueNotification } from '../notifications/service.ts';

/** Working days from sending to decision the council aims for. */
export const SERVICE_STANDARD_WORKING_DAYS = 20;

export const EVIDENCE_CHECKS = ['identity', 'disability_evidence', 'lives_in_area'] as const;

const WAITING = ['submitted', 'more_information_requested', 'verified'] as const;

export async function staffQueue(db: Kysely<Schema>, laCode: string, today = new Date()) {
  const rows = await db
    .selectFrom('short_break_applications as a')
    .innerJoin('children as c', 'c.id', 'a.child_id')
    .select(['a.id', 'a.reference', 'a.status', 'a.submitted_at', 'a.outcome', 'c.given_name', 'c.family_name'])
    .where('a.la_code', '=', laCode)
    .where('a.status', 'in', WAITING)
    .orderBy('a.submitted_at')
    .execute();
  const todayIso = toIsoDate(today);
  return rows.map((row) => {
    const waiting = row.submitted_at ? workingDaysBetween(toIsoDate(row.submitted_at), todayIso) : 0;
    return { ...row, waiting, overdue: waiting > SERVICE_STANDARD_WORKING_DAYS };
  });
}

/** The application for staff, with the child; viewing it is audited like any view of a child's record. */
export async function viewApplication(db: Kysely<Schema>, user: SignedInUser, id: string, requestId: string) {
  return db.transaction().execute(async (trx) => {
    const application = await trx
      .selectFrom('short_break_applications as a')
      .innerJoin('children as c', 'c.id', 'a.child_id')
      .selectAll('a')
      .select(['c.given_name', 'c.family_name', 'c.date_of_birth'])
      .where('a.la_code', '=', user.laCode)
      .where('a.id', '=', id)
      .where('a.status', '!=', 'draft')
      .executeTakeFirst();
    if (!application) return undefined;
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

/**
 * A manager decides: the proposed outcome, or another with a reason. Two managers deciding at once: the first
 * wins; the second writes nothing and is told. The family's carers are told through the outbox.
 */
export async function decideApplication(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: {
    id: string;
    seenVersion: number;
    outcome: Outcome;
    overrideReason: string | null;
    requestId: string;
    link: string;
  },
): Promise<StaffOutcome> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('short_break_applications')
      .set((eb) => ({
        status: 'decided',
        decision: JSON.stringify(options.outcome),
        override_reason: options.overrideReason,
        decided_by: user.id,
        decided_at: new Date(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', options.id)
      .where('la_code', '=', user.laCode)
      .where('version', '=', options.seenVersion)
      .where('status', '=', 'verified')
      .returning(['child_id', 'reference'])
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
    });
    const carers = await trx
      .selectFrom('children as c')
      .innerJoin('family_carers as fc', 'fc.family_id', 'c.family_id')
      .innerJoin('users as u', 'u.id', 'fc.user_id')
      .select('u.email')
      .where('c.id', '=', updated.child_id)
      .where('u.active', '=', true)
      .execute();
    for (const carer of carers) {
      await queueNotification(trx, {
        laCode: user.laCode,
        template: 'short-breaks-decided',
        recipient: carer.email,
        params: { reference: updated.reference ?? '', link: options.link },
      });
    }
    return 'done';
  });
}

/**
 * The daily round: each council's team managers are told, once per application, which applications have passed
 * the service standard without a decision.
 */
export async function flagOverdueApplications(db: Kysely<Schema>, options: { baseUrl: string; today?: Date }) {
  const todayIso = toIsoDate(options.today ?? new Date());
  return db.transaction().execute(async (trx) => {
    const waiting = await trx
      .selectFrom('short_break_applications')
      .select(['id', 'la_code', 'reference', 'submitted_at'])
      .where('status', 'in', WAITING)
      .where('overdue_flagged_at', 'is', null)
      .where('submitted_at', 'is not', null)
      .forUpdate()
      .skipLocked()
      .execute();
    const overdue = waiting.filter(
      (item) => workingDaysBetween(toIsoDate(item.submitted_at!), todayIso) > SERVICE_STANDARD_WORKING_DAYS,
    );
    for (const laCode of new Set(overdue.map((item) => item.la_code))) {
      const references = overdue.filter((item) => item.la_code === laCode).map((item) => item.reference ?? '');
      for (const recipient of await emailsOfRole(trx, laCode, 'team_manager')) {
        await queueNotification(trx, {
          laCode,
          template: 'short-breaks-overdue',
          recipient,
          params: {
            count: references.length,
            days: SERVICE_STANDARD_WORKING_DAYS,
            references: references.join(', '),
            link: `${options.baseUrl}/short-breaks/queue`,
          },
        });
      }
    }
    if (overdue.length > 0)
      await trx
        .updateTable('short_break_applications')
        .set({ overdue_flagged_at: new Date() })
        .where(
          'id',
          'in',
          overdue.map((item) => item.id),
        )
        .execute();
    return overdue.length;
  });
}
