// Password hashing with argon2id (OWASP's recommended settings: 19 MiB memory, 2 passes).
import { hash, verify } from '@node-rs/argon2';

const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Password work runs one at a time in each process. Each hash takes about 30 ms of a core on purpose; run side by
 * side (the library would use four threads), a burst of sign-ins, a school's families told to apply today or
 * someone guessing passwords, took every core from the pages everyone else was waiting for. Sign-ins queue
 * instead (npm run bench -- applications).
 */
let lastInLine: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const result = lastInLine.then(work);
  lastInLine = result.catch(() => undefined);
  return result;
}

export function hashPassword(password: string): Promise<string> {
  return oneAtATime(() => hash(password, OPTIONS));
}

export async function passwordMatches(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await oneAtATime(() => verify(passwordHash, password));
  } catch {
    return false;
  }
}

// Checked when no account matches, so a wrong email takes as long as a wrong password.
let decoyHash: Promise<string> | undefined;
export async function spendTimeLikeAPasswordCheck(password: string): Promise<void> {
  decoyHash ??= hashPassword('decoy password that never matches');
  await passwordMatches(await decoyHash, password);
}
