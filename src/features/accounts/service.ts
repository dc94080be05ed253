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

/** How an email is kept in the count of wrong passwords: hashed, in lower case as sign-in matches it. */
export function hashEmailForSignIn(email: string): string {
  return createHash('sha256').update(email.toLowerCase()).digest('base64url');
}

/**
 * Checks a password. Wrong passwords are counted per email and address: after `maxFailedAttempts` from one address,
 * that address is refused for that email for `lockoutMinutes`, whether the email is an account or not, so the
 * answers never tell which emails have accounts, and a stranger's guesses never lock the account holder out from
 * their own address. The account holder is emailed when an address is locked out of their account (once while a
 * lock lasts), and an administrator can end every lock on an account (`endSignInLockOuts`).
 */
export async function signInWithPassword(
  db: Kysely<Schema>,
  attempt: { email: string; password: string; address: string; requestId: string },
  policy: SignInPolicy,
  now = new Date(),
): Promise<SignInResult> {
  const key = { emailHash: hashEmailForSignIn(attempt.email), address: attempt.address };
  const failures = await queries.findSignInFailures(db, key);
  if (failures?.locked_until && failures.locked_until > now) {
    return { outcome: 'locked', minutes: Math.ceil((failures.locked_until.getTime() - now.getTime()) / MINUTE) };
  }
  const account = await queries.findUserForSignIn(db, attempt.email);
  if (!account || !account.active || !account.password_hash) {
    await spendTimeLikeAPasswordCheck(attempt.password);
    return db.transaction().execute(async (trx) => countFailure(trx, key, null, policy, now));
  }
  const audit = { laCode: account.la_code, actorUserId: account.id, actorRole: null, requestId: attempt.requestId };
  if (await passwordMatches(account.password_hash, attempt.password)) {
    await db.transaction().execute(async (trx) => {
      await queries.clearFailedAttempts(trx, account.id);
      await queries.clearSignInFailures(trx, key.emailHash, key.address);
      await recordAudit(trx, { ...audit, action: 'sign-in', details: { method: 'password' } });
    });
    return { outcome: 'signed-in', userId: account.id, laCode: account.la_code };
  }
  return db.transaction().execute(async (trx) => {
    const result = await countFailure(trx, key, account.la_code, policy, now);
    const locks = result.outcome === 'locked';
    // Told once while a lock lasts, so a stranger trying from many addresses does not fill their inbox.
    const alreadyTold = account.locked_until !== null && account.locked_until > now;
    await queries.recordFailedAttempt(
      trx,
      account.id,
      locks ? new Date(now.getTime() + policy.lockoutMinutes * MINUTE) : null,
    );
    await recordAudit(trx, { ...audit, action: locks ? 'account-locked' : 'sign-in-failed' });
    if (locks && !alreadyTold) {
      await queueNotification(trx, {
        laCode: account.la_code,
        template: 'account-locked',
        recipient: account.email,
        params: { minutes: policy.lockoutMinutes },
      });
    }
    return result;
  });
}

/** Counts a wrong password for an email from an address, locking that address out of it at the limit. */
async function countFailure(
  db: Kysely<Schema>,
  key: { emailHash: string; address: string },
  laCode: string | null,
  policy: SignInPolicy,
  now: Date,
): Promise<SignInResult> {
  const failed = await queries.countSignInFailure(db, key, laCode, now);
  if (failed < policy.maxFailedAttempts) return { outcome: 'wrong-details' };
  await queries.lockSignIns(db, key, new Date(now.getTime() + policy.lockoutMinutes * MINUTE));
  return { outcome: 'locked', minutes: policy.lockoutMinutes };
}

/** Ends every lock on an account after wrong passwords, from every address, as an administrator's unlock does. */
export async function endSignInLockOuts(db: Kysely<Schema>, email: string) {
  await queries.clearSignInFailures(db, hashEmailForSignIn(email));
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
