// An officer asks the family for more information; the family answers online. While a question is open the
// application waits for the family (the queue shows for how long), and the service standard clock keeps running,
// as the family is told.
import { type SignedInUser, primaryRole } from '../../domain/people.ts';
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { recordAudit } from '../audit/service.ts';
import { notifyChildsFamily } from '../children/service.ts';
import { queueNotification } from '../notifications/service.ts';
import type { StaffOutcome } from './staff.ts';

export const MAX_QUESTION = 2000;
export const MAX_ANSWER = 5000;

/** Every question asked on an application, oldest first, with the answers given. */
export async function informationRequests(db: Kysely<Schema>, applicationId: string) {
  return db
    .selectFrom('short_break_information_requests')
    .select(['id', 'question', 'asked_at', 'answer', 'answered_at'])
    .where('application_id', '=', applicationId)
    .orderBy('asked_at')
    .execute();
}

/** The officer's question. Nothing is written if the application changed since they looked. */
export async function askFamily(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: { id: string; seenVersion: number; question: string; requestId: string; baseUrl: string },
): Promise<StaffOutcome> {
  return db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('short_break_applications')
      .set((eb) => ({ status: 'more_information_requested', version: eb('version', '+', 1) }))
      .where('id', '=', options.id)
      .where('la_code', '=', user.laCode)
      .where('version', '=', options.seenVersion)
      .where('status', 'in', ['submitted', 'more_information_requested'])
      .returning(['child_id', 'reference'])
      .executeTakeFirst();
    if (!updated) return 'changed-since';
    const { id } = await trx
      .insertInto('short_break_information_requests')
      .values({ la_code: user.laCode, application_id: options.id, question: options.question, asked_by: user.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'ask-family-for-information',
      requestId: options.requestId,
      subjectChildId: updated.child_id,
      subjectType: 'short_break_information_request',
      subjectId: id,
    });
    await notifyChildsFamily(trx, updated.child_id, {
      laCode: user.laCode,
      template: 'short-breaks-more-information',
      params: {
        reference: updated.reference ?? '',
        link: `${options.baseUrl}/short-breaks/applications/${options.id}/more-information`,
      },
    });
    return 'done';
  });
}

/**
 * The family answers the open questions. When none is left open the application goes back to the officers'
 * queue; each officer who asked is told. False when the application is not waiting for the family.
 */
export async function answerFamilyQuestions(
  db: Kysely<Schema>,
  user: SignedInUser,
  application: { id: string; child_id: string; reference: string | null },
  answers: Map<string, string>,
  options: { requestId: string; baseUrl: string },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('short_break_applications')
      .select('status')
      .where('id', '=', application.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (current.status !== 'more_information_requested') return false;
    const answered = [];
    for (const [requestId, answer] of answers) {
      const row = await trx
        .updateTable('short_break_information_requests')
        .set({ answer, answered_by: user.id, answered_at: new Date() })
        .where('id', '=', requestId)
        .where('application_id', '=', application.id)
        .where('answered_at', 'is', null)
        .returning('asked_by')
        .executeTakeFirst();
      if (row) answered.push(row.asked_by);
    }
    const stillOpen = await trx
      .selectFrom('short_break_information_requests')
      .select('id')
      .where('application_id', '=', application.id)
      .where('answered_at', 'is', null)
      .executeTakeFirst();
    if (!stillOpen) {
      await trx
        .updateTable('short_break_applications')
        .set((eb) => ({ status: 'submitted', version: eb('version', '+', 1) }))
        .where('id', '=', application.id)
        .execute();
    }
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'answer-information-request',
      requestId: options.requestId,
      subjectChildId: application.child_id,
      subjectType: 'short_break_application',
      subjectId: application.id,
    });
    if (answered.length === 0) return true;
    await notifyChildsFamily(trx, application.child_id, {
      laCode: user.laCode,
      template: 'short-breaks-answers-received',
      params: { reference: application.reference ?? '', link: `${options.baseUrl}/short-breaks` },
    });
    const officers = await trx
      .selectFrom('users')
      .select('email')
      .where('id', 'in', [...new Set(answered)])
      .where('active', '=', true)
      .execute();
    for (const officer of officers) {
      await queueNotification(trx, {
        laCode: user.laCode,
        template: 'short-breaks-information-answered',
        recipient: officer.email,
        params: {
          reference: application.reference ?? '',
          link: `${options.baseUrl}/short-breaks/queue/${application.id}`,
        },
      });
    }
    return true;
  });
}
