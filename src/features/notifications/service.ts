// The notifications outbox: every message is rendered from a template and kept, then delivered by the worker.
import type { Kysely } from 'kysely';
import type { OutboxStatus, Schema } from '../../db/schema.ts';
import { loadCatalogue, type Catalogue, type LanguageCode } from '../../web/i18n.ts';
import type { MessageSender } from './senders.ts';

let catalogue: Catalogue | undefined;
function templates(): Catalogue {
  catalogue ??= loadCatalogue();
  return catalogue;
}

export interface NotificationRequest {
  laCode: string;
  /** A key under notifications.* in the locale files, with .subject and .body. */
  template: string;
  recipient: string;
  params?: Record<string, string | number>;
  language?: LanguageCode;
}

export function renderNotification(template: string, params: Record<string, string | number>, language: LanguageCode) {
  const t = templates().translator(language);
  return { subject: t(`notifications.${template}.subject`, params), body: t(`notifications.${template}.body`, params) };
}

/** Records a message in the caller's transaction; it goes out only if that transaction commits. */
export async function queueNotification(db: Kysely<Schema>, request: NotificationRequest): Promise<string> {
  const { subject, body } = renderNotification(request.template, request.params ?? {}, request.language ?? 'en');
  const row = await db
    .insertInto('notifications_outbox')
    .values({
      la_code: request.laCode,
      template: request.template,
      recipient: request.recipient,
      subject,
      body,
      status: 'queued',
      provider_reference: null,
      failure_reason: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface DeliveryReport {
  delivered: number;
  failed: number;
}

/**
 * Sends queued messages, a batch at a time. Rows are locked with SKIP LOCKED so several workers never send
 * the same message twice.
 */
export async function deliverQueuedNotifications(
  db: Kysely<Schema>,
  sender: MessageSender,
  batchSize = 50,
): Promise<DeliveryReport> {
  return db.transaction().execute(async (trx) => {
    const batch = await trx
      .selectFrom('notifications_outbox')
      .select(['id', 'recipient', 'subject', 'body'])
      .where('status', '=', 'queued')
      .orderBy('created_at')
      .limit(batchSize)
      .forUpdate()
      .skipLocked()
      .execute();
    const report: DeliveryReport = { delivered: 0, failed: 0 };
    for (const message of batch) {
      let status: OutboxStatus;
      let providerReference: string | null = null;
      let failureReason: string | null = null;
      try {
        const sent = await sender.sendEmail({
          to: message.recipient,
          subject: message.subject,
          body: message.body,
          reference: message.id,
        });
        status = sent.status;
        providerReference = sent.providerReference;
        report.delivered += 1;
      } catch (error) {
        status = 'failed';
        failureReason = error instanceof Error ? error.message.slice(0, 500) : 'unknown error';
        report.failed += 1;
      }
      await trx
        .updateTable('notifications_outbox')
        .set({
          status,
          provider_reference: providerReference,
          failure_reason: failureReason,
          sent_at: status === 'sent' ? new Date() : null,
        })
        .where('id', '=', message.id)
        .execute();
    }
    return report;
  });
}

export async function recentOutbox(db: Kysely<Schema>, laCode: string, limit = 100) {
  return db
    .selectFrom('notifications_outbox')
    .select(['id', 'template', 'recipient', 'subject', 'body', 'status', 'created_at', 'sent_at', 'failure_reason'])
    .where('la_code', '=', laCode)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}
