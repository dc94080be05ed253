// "Is something wrong?": a member of the public reports a problem with a listing. The report is kept with a
// status, and the council's directory editors and the provider are told through the outbox.
import { type SignedInUser, primaryRole } from '../../domain/people.ts';
import type { Kysely } from 'kysely';
import type { FeedbackStatus, Schema } from '../../db/schema.ts';
import { recordAudit } from '../audit/service.ts';
import type { FieldError } from '../../web/errors.ts';
import type { Translate } from '../../web/i18n.ts';
import { queueNotification } from '../notifications/service.ts';
import { isEditor, providerEmails } from './upkeep.ts';
import { emailsOfRole } from '../accounts/service.ts';

export const MAX_FEEDBACK_LENGTH = 2000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface FeedbackForm {
  message: string;
  email: string;
}

export function readFeedbackForm(body: unknown): FeedbackForm {
  const fields = (body ?? {}) as Record<string, unknown>;
  return {
    message: typeof fields.message === 'string' ? fields.message.trim() : '',
    email: typeof fields.email === 'string' ? fields.email.trim() : '',
  };
}

export function validateFeedbackForm(form: FeedbackForm, t: Translate): FieldError[] {
  const errors: FieldError[] = [];
  if (form.message === '') errors.push({ field: 'message', text: t('directory.feedback.errors.messageMissing') });
  else if (form.message.length > MAX_FEEDBACK_LENGTH)
    errors.push({ field: 'message', text: t('directory.feedback.errors.messageTooLong') });
  if (form.email !== '' && (form.email.length > 320 || !EMAIL.test(form.email))) {
    errors.push({ field: 'email', text: t('directory.feedback.errors.emailFormat') });
  }
  return errors;
}

export async function reportProblem(
  db: Kysely<Schema>,
  laCode: string,
  service: { id: string; name: string; organizationId: string | null },
  form: FeedbackForm,
  options: { link: string; t: Translate },
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('service_feedback')
      .values({ la_code: laCode, service_id: service.id, message: form.message, reply_email: form.email || null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const recipients = new Set([
      ...(await emailsOfRole(trx, laCode, 'directory_editor')),
      ...(await providerEmails(trx, laCode, service.organizationId)),
    ]);
    const params = {
      service: service.name,
      message: form.message,
      replyTo: form.email
        ? options.t('directory.feedback.replyTo', { email: form.email })
        : options.t('directory.feedback.noReply'),
      link: options.link,
    };
    for (const recipient of recipients) {
      await queueNotification(trx, { laCode, template: 'directory-feedback', recipient, params });
    }
    return id;
  });
}

export const FEEDBACK_STATUSES: FeedbackStatus[] = ['new', 'in_progress', 'resolved', 'dismissed'];

/** Reports an editor or provider can see: every one in the council for an editor, their own services' for a provider. */
export async function feedbackFor(db: Kysely<Schema>, user: SignedInUser, status: FeedbackStatus | undefined) {
  let query = db
    .selectFrom('service_feedback as f')
    .innerJoin('services as s', 's.id', 'f.service_id')
    .select([
      'f.id',
      'f.message',
      'f.status',
      'f.response',
      'f.created_at',
      's.id as service_id',
      's.name as service_name',
    ])
    .where('f.la_code', '=', user.laCode)
    .orderBy('f.created_at', 'desc')
    .limit(200);
  if (status) query = query.where('f.status', '=', status);
  if (!isEditor(user)) {
    query = query.where('s.organization_id', 'in', (eb) =>
      eb.selectFrom('organization_members').select('organization_id').where('user_id', '=', user.id),
    );
  }
  return query.execute();
}

/** Records what was done about a report; false when this person may not see it. */
export async function respondToFeedback(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: { feedbackId: string; status: FeedbackStatus; response: string; requestId: string },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const visible = (await feedbackFor(trx, user, undefined)).some((item) => item.id === options.feedbackId);
    if (!visible) return false;
    await trx
      .updateTable('service_feedback')
      .set({ status: options.status, response: options.response || null, updated_by: user.id, updated_at: new Date() })
      .where('id', '=', options.feedbackId)
      .execute();
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'respond-to-service-feedback',
      requestId: options.requestId,
      subjectType: 'service_feedback',
      subjectId: options.feedbackId,
      details: { status: options.status },
    });
    return true;
  });
}
