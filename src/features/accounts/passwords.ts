// Password hashing with argon2id (OWASP's recommended settings: 19 MiB memory, 2 passes).
import { hash, verify } from '@node-rs/argon2';

const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function passwordMatches(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
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
