// Password hashing with argon2id (OWASP's recommended settings: 19 MiB memory, 2 passes).
import { hash, verify } from '@node-rs/argon2';
import { HttpProblem } from '../../web/errors.ts';

const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Password work runs one at a time in each process. Each hash takes about 30 ms of a core on purpose; run side by
 * side (the library would use four threads), a burst of sign-ins, a school's families told to apply today or
 * someone guessing passwords, took every core from the pages everyone else was waiting for. Sign-ins queue
 * instead (npm run bench -- applications), up to about six seconds of them; beyond that a sign-in is refused
 * with "Too many attempts" rather than left to wait longer than anyone would.
 */
export const PASSWORD_CHECKS_WAITING = 200;

export class PasswordChecksBusyError extends HttpProblem {
  constructor() {
    super(429, 'errors.tooManyRequests');
  }
}

let waiting = 0;
let lastInLine: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  if (waiting >= PASSWORD_CHECKS_WAITING) return Promise.reject(new PasswordChecksBusyError());
  waiting += 1;
  const result = lastInLine.then(work).finally(() => {
    waiting -= 1;
  });
  lastInLine = result.catch(() => undefined);
  return result;
}

export function hashPassword(password: string): Promise<string> {
  return oneAtATime(() => hash(password, OPTIONS));
}

/** Whether the password matches; false for a hash that cannot be read. Refused when too many checks wait. */
export function passwordMatches(passwordHash: string, password: string): Promise<boolean> {
  return oneAtATime(async () => {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  });
}

// Checked when no account matches, so a wrong email takes as long as a wrong password.
let decoyHash: Promise<string> | undefined;
export async function spendTimeLikeAPasswordCheck(password: string): Promise<void> {
  decoyHash ??= hashPassword('decoy password that never matches');
  await passwordMatches(await decoyHash, password);
}
