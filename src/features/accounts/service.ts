// Signing in and out: password checks with lock-out, server-side sessions, and OIDC account matching.
import type { SessionLookup } from '../../web/app.ts';
import { type Role, type SignedInUser, primaryRole } from '../../domain/people.ts';
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { recordAudit } from '../audit/service.ts';
import { queueNotification } from '../notifications/service.ts';
import { passwordMatches, spendTimeLikeAPasswordCheck } from './passwords.ts';
import * as queries from './queries.ts';

export interface SignInPolicy {
  maxFailedAttempts: number;
  lockoutMinutes: number;
}

export type SignInResult =
  | { outcome: 'signed-in'; userId: string; laCode: string }
  | { outcome: 'wrong-details' }
  | { outcome: 'locked'; minutes: number };

const MINUTE = 60_000;

export function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url');
}

export async function signInWithPassword(
  db: Kysely<Schema>,
  attempt: { email: string; password: string; requestId: string },
  policy: SignInPolicy,
  now = new Date(),
): Promise<SignInResult> {
  const account = await queries.findUserForSignIn(db, attempt.email);
  if (!account || !account.active || !account.password_hash) {
    await spendTimeLikeAPasswordCheck(attempt.password);
    return { outcome: 'wrong-details' };
  }
  if (account.locked_until && account.locked_until > now) {
    return { outcome: 'locked', minutes: Math.ceil((account.locked_until.getTime() - now.getTime()) / MINUTE) };
  }
  const audit = { laCode: account.la_code, actorUserId: account.id, actorRole: null, requestId: attempt.requestId };
  if (await passwordMatches(account.password_hash, attempt.password)) {
    await db.transaction().execute(async (trx) => {
      await queries.clearFailedAttempts(trx, account.id);
      await recordAudit(trx, { ...audit, action: 'sign-in', details: { method: 'password' } });
    });
    return { outcome: 'signed-in', userId: account.id, laCode: account.la_code };
  }
  const locks = account.failed_sign_in_attempts + 1 >= policy.maxFailedAttempts;
  await db.transaction().execute(async (trx) => {
    await queries.recordFailedAttempt(
      trx,
      account.id,
      locks ? new Date(now.getTime() + policy.lockoutMinutes * MINUTE) : null,
    );
    await recordAudit(trx, { ...audit, action: locks ? 'account-locked' : 'sign-in-failed' });
    if (locks) {
      await queueNotification(trx, {
        laCode: account.la_code,
        template: 'account-locked',
        recipient: account.email,
        params: { minutes: policy.lockoutMinutes },
      });
    }
  });
  return locks ? { outcome: 'locked', minutes: policy.lockoutMinutes } : { outcome: 'wrong-details' };
}

/** Starts a fresh session (a new id at every sign-in) and returns the id for the cookie. */
export async function startSession(
  db: Kysely<Schema>,
  user: { userId: string; laCode: string },
  previousSessionId: string | undefined,
): Promise<string> {
  const sessionId = randomBytes(32).toString('base64url');
  await db.transaction().execute(async (trx) => {
    if (previousSessionId) await queries.deleteSession(trx, hashSessionId(previousSessionId));
    await queries.insertSession(trx, hashSessionId(sessionId), user.userId, user.laCode);
  });
  return sessionId;
}

/** Finds who a session belongs to, ending it when it has been idle too long. */
export async function resumeSession(
  db: Kysely<Schema>,
  sessionId: string,
  idleMinutes: number,
  now = new Date(),
): Promise<SessionLookup> {
  const idHash = hashSessionId(sessionId);
  const found = await queries.findSessionWithUser(db, idHash);
  if (!found) return { state: 'none' };
  const idleFor = now.getTime() - found.lastSeenAt.getTime();
  if (idleFor > idleMinutes * MINUTE) {
    await queries.deleteSession(db, idHash);
    return { state: 'expired' };
  }
  // Writing on every request would make each page view a database write; a minute's precision is plenty.
  if (idleFor > MINUTE) await queries.touchSession(db, idHash, now);
  return { state: 'active', user: found.user };
}

export async function signOut(db: Kysely<Schema>, sessionId: string, user: SignedInUser, requestId: string) {
  await db.transaction().execute(async (trx) => {
    await queries.deleteSession(trx, hashSessionId(sessionId));
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'sign-out',
      requestId,
    });
  });
}

/**
 * Matches an identity from the council's identity provider to a Pathway account.
 * Accounts are created by administrators, never by signing in, so an unknown person is refused.
 */
export async function signInWithOidc(
  db: Kysely<Schema>,
  identity: { subject: string; email: string | undefined; requestId: string },
): Promise<SignInResult> {
  return db.transaction().execute(async (trx) => {
    const account = await queries.findUserByOidcSubjectOrEmail(trx, identity.subject, identity.email);
    // An account already linked to a different identity is never taken over by a matching email.
    if (!account || (account.oidc_subject !== null && account.oidc_subject !== identity.subject)) {
      return { outcome: 'wrong-details' } as const;
    }
    if (account.oidc_subject !== identity.subject) await queries.linkOidcSubject(trx, account.id, identity.subject);
    await recordAudit(trx, {
      laCode: account.la_code,
      actorUserId: account.id,
      actorRole: null,
      action: 'sign-in',
      requestId: identity.requestId,
      details: { method: 'oidc' },
    });
    return { outcome: 'signed-in', userId: account.id, laCode: account.la_code } as const;
  });
}

export async function purgeIdleSessions(db: Kysely<Schema>, idleMinutes: number, now = new Date()): Promise<number> {
  return queries.deleteSessionsIdleSince(db, new Date(now.getTime() - idleMinutes * MINUTE));
}

/**
 * The active account with this email as it is when signed in, with its roles and teams: for work a command does in
 * a person's name (the demo sends its referrals as the demo referrer).
 */
export async function accountByEmail(db: Kysely<Schema>, email: string): Promise<SignedInUser | undefined> {
  const account = await queries.findUserForSignIn(db, email);
  return account && queries.findSignedInUser(db, account.id);
}

/** Where to email everyone in a council who holds a role, such as its directory editors or team managers. */
export async function emailsOfRole(db: Kysely<Schema>, laCode: string, role: Role): Promise<string[]> {
  return queries.activeEmailsWithRole(db, laCode, role);
}

/** Emails, through the outbox and in the caller's transaction, everyone in a council who holds a role. */
export async function notifyRole(
  db: Kysely<Schema>,
  laCode: string,
  role: Role,
  message: { template: string; params: Record<string, string | number> },
) {
  for (const recipient of await emailsOfRole(db, laCode, role)) {
    await queueNotification(db, { laCode, recipient, ...message });
  }
}
