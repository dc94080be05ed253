// Families make their own accounts, and anyone with a password asks for a new link when they forget it. Both answer
// the same whatever the email address ("check your email"), so neither tells a stranger who has an account: what
// differs is only what the email says. Each sends at most a few links an hour to one address, so nobody can fill a
// person's inbox from this form.
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { recordAudit } from '../audit/service.ts';
import { countMessagesTo, queueNotification } from '../notifications/service.ts';
import * as queries from './family-registration-queries.ts';
import { createSetPasswordLink, expiryText } from './set-password.ts';

/** Emails one address may be sent in an hour from these forms (an administrator's link is not limited). */
export const EMAILS_PER_HOUR = 3;
const HOUR = 3_600_000;
const TEMPLATES = ['family-account-created', 'password-reset', 'password-identity-provider'] as const;

export interface LinkRequest {
  publicUrl: string;
  requestId: string;
}

/**
 * Makes a parent or carer's account and emails them a link to create their password. When the address already has
 * an account, it is emailed a link to set a new password instead (or told how it signs in), and nothing is made.
 */
export async function createFamilyAccount(
  db: Kysely<Schema>,
  laCode: string,
  person: { displayName: string; email: string; language: string },
  request: LinkRequest,
  now = new Date(),
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const userId = (await queries.findAccountByEmail(trx, person.email))
      ? undefined
      : await queries.insertFamilyAccount(trx, laCode, person);
    if (!userId) {
      await sendResetLink(trx, person.email, request, now);
      return;
    }
    const actor = { userId, role: 'parent_carer', requestId: request.requestId };
    await recordAudit(trx, {
      laCode,
      actorUserId: userId,
      actorRole: 'parent_carer',
      action: 'create-family-account',
      requestId: request.requestId,
      subjectType: 'user',
      subjectId: userId,
    });
    const link = await createSetPasswordLink(
      trx,
      userId,
      { purpose: 'registration', publicUrl: request.publicUrl, actor },
      now,
    );
    await queueNotification(trx, {
      laCode,
      template: 'family-account-created',
      recipient: person.email,
      params: { name: person.displayName, link: link.url, expires: expiryText(link) },
    });
  });
}

/** Emails a link to set a new password to the account with this address, if there is one that uses a password. */
export async function sendPasswordResetLink(
  db: Kysely<Schema>,
  email: string,
  request: LinkRequest,
  now = new Date(),
): Promise<void> {
  await db.transaction().execute((trx) => sendResetLink(trx, email, request, now));
}

async function sendResetLink(trx: Kysely<Schema>, email: string, request: LinkRequest, now: Date) {
  const account = await queries.findAccountByEmail(trx, email);
  // A closed account is the council's to reopen: a link from here would not work, so nothing is sent.
  if (!account?.active) return;
  // Counted by the address the account has, however it was typed this time.
  if ((await countMessagesTo(trx, account.email, TEMPLATES, new Date(now.getTime() - HOUR))) >= EMAILS_PER_HOUR) return;
  if (account.identity_provider_only) {
    await queueNotification(trx, {
      laCode: account.la_code,
      template: 'password-identity-provider',
      recipient: account.email,
      params: { name: account.display_name, link: `${request.publicUrl}/sign-in` },
    });
    return;
  }
  const link = await createSetPasswordLink(
    trx,
    account.id,
    {
      purpose: 'reset',
      publicUrl: request.publicUrl,
      actor: { userId: null, role: null, requestId: request.requestId },
    },
    now,
  );
  await queueNotification(trx, {
    laCode: account.la_code,
    template: 'password-reset',
    recipient: account.email,
    params: { name: account.display_name, link: link.url, expires: expiryText(link) },
  });
}
