// The notifications outbox: every message is rendered from a template and kept, then delivered by the worker.
import type { Kysely } from 'kysely';
import type { OutboxStatus, Schema } from '../../db/schema.ts';
import { primaryRole, type SignedInUser } from '../../domain/people.ts';
import { recordAudit } from '../audit/service.ts';
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

/** A claim older than this belongs to a worker that died mid-send, so the message is tried again. */
const CLAIM_TIMEOUT_MS = 10 * 60_000;

/**
 * Sends queued messages a batch at a time. Messages are claimed in a short transaction (SKIP LOCKED, so two
 * workers never claim the same one) and sent outside it, so no database connection waits on Notify.
 */
export async function deliverQueuedNotifications(
  db: Kysely<Schema>,
  sender: MessageSender,
  batchSize = 50,
  now = new Date(),
): Promise<DeliveryReport> {
  const batch = await db.transaction().execute(async (trx) => {
    const claimable = await trx
      .selectFrom('notifications_outbox')
      .select(['id', 'recipient', 'subject', 'body'])
      .where((eb) =>
        eb.or([
          eb('status', '=', 'queued'),
          eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<', new Date(now.getTime() - CLAIM_TIMEOUT_MS))]),
        ]),
      )
      .orderBy('created_at')
      .limit(batchSize)
      .forUpdate()
      .skipLocked()
      .execute();
    if (claimable.length > 0) {
      await trx
        .updateTable('notifications_outbox')
        .set({ status: 'sending', claimed_at: now })
        .where(
          'id',
          'in',
          claimable.map((message) => message.id),
        )
        .execute();
    }
    return claimable;
  });

  const report: DeliveryReport = { delivered: 0, failed: 0 };
  for (const message of batch) {
    let outcome: { status: OutboxStatus; provider_reference: string | null; failure_reason: string | null };
    try {
      const sent = await sender.sendEmail({
        to: message.recipient,
        subject: message.subject,
        body: message.body,
        reference: message.id,
      });
      outcome = { status: sent.status, provider_reference: sent.providerReference, failure_reason: null };
      report.delivered += 1;
    } catch (error) {
      outcome = { status: 'failed', provider_reference: null, failure_reason: describeFailure(error) };
      report.failed += 1;
    }
    await db
      .updateTable('notifications_outbox')
      .set({ ...outcome, sent_at: outcome.status === 'sent' ? new Date() : null })
      .where('id', '=', message.id)
      .execute();
  }
  return report;
}

/** Notify's own error text (e.g. "email_address Not a valid email address"), never the message itself. */
function describeFailure(error: unknown): string {
  const response = (error as { response?: { status?: number; data?: { errors?: { message?: string }[] } } }).response;
  if (response?.status) {
    const detail = response.data?.errors?.map((item) => item.message).join('; ') ?? '';
    return `GOV.UK Notify answered ${response.status}${detail ? `: ${detail}` : ''}`.slice(0, 500);
  }
  return error instanceof Error ? error.message.slice(0, 500) : 'unknown error';
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

/** The outbox as an administrator reads it. Messages hold names and addresses, so reading them is audited. */
export async function readOutbox(db: Kysely<Schema>, user: SignedInUser, requestId: string) {
  return db.transaction().execute(async (trx) => {
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'view-notifications-outbox',
      requestId,
    });
    return recentOutbox(trx, user.laCode);
  });
}

/**
 * Messages about signing in, which carry one-time links to set a password: kept in the outbox, never shown again on
 * the messages page, where anyone using the same device would find them.
 */
const ACCOUNT_LINK_TEMPLATES = [
  'family-account-created',
  'password-reset',
  'password-identity-provider',
  'account-invitation',
  'password-new-link',
];

/** How many of a family's messages their page shows, newest first. */
export const FAMILY_MESSAGES_SHOWN = 50;

/**
 * The messages the council has sent a person (the outbox's entries addressed to their email), newest first, so a
 * family can read again what they were told and when, whether or not the email reached them. Their own messages,
 * so reading them is not a view of anyone else's record.
 */
export async function messagesTo(db: Kysely<Schema>, user: SignedInUser) {
  return db
    .selectFrom('notifications_outbox')
    .select(['id', 'subject', 'body', 'created_at'])
    .where('la_code', '=', user.laCode)
    .where('recipient', '=', user.email)
    .where('template', 'not in', ACCOUNT_LINK_TEMPLATES)
    .orderBy('created_at', 'desc')
    .limit(FAMILY_MESSAGES_SHOWN)
    .execute();
}

/** How many messages from these templates were queued for this address since then. */
export async function countMessagesTo(
  db: Kysely<Schema>,
  recipient: string,
  templates: readonly string[],
  since: Date,
): Promise<number> {
  const row = await db
    .selectFrom('notifications_outbox')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('recipient', '=', recipient)
    .where('created_at', '>', since)
    .where('template', 'in', templates)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
