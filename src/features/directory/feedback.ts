// "Is something wrong?": a member of the public reports a problem with a listing. The report is kept with a
// status, and the council's directory editors and the provider are told through the outbox.
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import type { FieldError } from '../../web/errors.ts';
import type { Translate } from '../../web/i18n.ts';
import { queueNotification } from '../notifications/service.ts';

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
  service: { id: string; name: string; organizationEmail: string | null },
  form: FeedbackForm,
  options: { link: string; t: Translate },
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('service_feedback')
      .values({ la_code: laCode, service_id: service.id, message: form.message, reply_email: form.email || null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const editors = await trx
      .selectFrom('users')
      .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
      .select('users.email')
      .where('users.la_code', '=', laCode)
      .where('users.active', '=', true)
      .where('user_roles.role', '=', 'directory_editor')
      .execute();
    const recipients = new Set([
      ...editors.map((editor) => editor.email),
      ...(service.organizationEmail ? [service.organizationEmail] : []),
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
