// One-time links to set a password: the first administrator's (from `npm run setup`), an invited person's (from
// the administration pages) and a reset. The link's secret is 32 random bytes; only its SHA-256 hash is stored, so
// a copy of the database opens no account. A link works once, until it expires.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Schema, SetPasswordPurpose } from '../../db/schema.ts';
import { recordAudit, type Actor } from '../audit/service.ts';
import { hashPassword } from './passwords.ts';
import * as queries from './set-password-queries.ts';

const HOUR = 3_600_000;

/**
 * How long a link works: a week for someone who is new (the first administrator, an invited person), who may not
 * read their email at once; a day for a reset, which the person has just asked for.
 */
export const LINK_LIFETIME_HOURS: Record<SetPasswordPurpose, number> = {
  setup: 7 * 24,
  invitation: 7 * 24,
  registration: 7 * 24,
  reset: 24,
};

/** The shape of a link's secret in an address: 32 bytes in base64url. */
export const LINK_TOKEN_PATTERN = '^[A-Za-z0-9_-]{43}$';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export interface SetPasswordLink {
  /** The address to send the person, under publicUrl. */
  url: string;
  expiresAt: Date;
}

/**
 * Makes a one-time link for an account to set its password, in the caller's transaction, and audits it. The caller
 * sends it (queueNotification with the url) or shows it once; it is never stored.
 */
export async function createSetPasswordLink(
  trx: Kysely<Schema>,
  userId: string,
  link: { purpose: SetPasswordPurpose; publicUrl: string; actor: Actor },
  now = new Date(),
): Promise<SetPasswordLink> {
  const user = await queries.findUserForLink(trx, userId);
  if (!user?.active) throw new Error('A link to set a password needs an active account');
  // Such a person signs in only through the council's identity provider: a password would be a second way in.
  if (user.identity_provider_only)
    throw new Error('An account that signs in through the identity provider has no password');
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + LINK_LIFETIME_HOURS[link.purpose] * HOUR);
  await queries.insertLink(trx, {
    tokenHash: hashToken(token),
    laCode: user.la_code,
    userId,
    purpose: link.purpose,
    expiresAt,
  });
  await recordAudit(trx, {
    laCode: user.la_code,
    actorUserId: link.actor.userId,
    actorRole: link.actor.role,
    action: 'create-set-password-link',
    requestId: link.actor.requestId,
    subjectType: 'user',
    subjectId: userId,
    details: { purpose: link.purpose, expiresAt: expiresAt.toISOString() },
  });
  // In the query string, not the path: request logs record paths, and the secret must not reach them.
  return { url: `${link.publicUrl}/set-password?token=${token}`, expiresAt };
}

const UK_TIME = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'Europe/London',
});

/** When a link stops working, in UK time as the council's pages give times ("14 December 2026 at 21:52"). */
export function expiryText(link: { expiresAt: Date }): string {
  return `${UK_TIME.format(link.expiresAt)} (UK time)`;
}

/** Whose link this is, while it can still be used; undefined for a link unknown, used, expired or deactivated. */
export async function usableSetPasswordLink(db: Kysely<Schema>, token: string, now = new Date()) {
  const found = await queries.findUsableLink(db, hashToken(token), now);
  return found && { email: found.email, displayName: found.display_name, purpose: found.purpose };
}

/**
 * Sets the password through a link: spends the link (and any other the account has), clears a lock-out, ends the
 * account's other sessions, and audits it. Undefined when the link can no longer be used (such as the same form
 * sent twice), so nothing changes twice.
 */
export async function setPasswordWithLink(
  db: Kysely<Schema>,
  request: { token: string; password: string; requestId: string },
  now = new Date(),
): Promise<{ userId: string; laCode: string } | undefined> {
  // Hashed before the transaction, so no row stays locked while the hash takes its time.
  const passwordHash = await hashPassword(request.password);
  return db.transaction().execute(async (trx) => {
    const link = await queries.findUsableLink(trx, hashToken(request.token), now, { lock: true });
    if (!link) return undefined;
    await queries.setPassword(trx, link.user_id, passwordHash);
    await queries.spendLinksOf(trx, link.user_id, now);
    await queries.deleteSessionsOf(trx, link.user_id);
    await recordAudit(trx, {
      laCode: link.la_code,
      actorUserId: link.user_id,
      actorRole: null,
      action: 'set-password',
      requestId: request.requestId,
      subjectType: 'user',
      subjectId: link.user_id,
      details: { purpose: link.purpose },
    });
    return { userId: link.user_id, laCode: link.la_code };
  });
}
