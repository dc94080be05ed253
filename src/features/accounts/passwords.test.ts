// Passwords are checked one at a time in each process; a queue must never lose, mix up or stall a check, and
// must not grow without bound.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hash } from '@node-rs/argon2';
import { hashPassword, PASSWORD_CHECKS_WAITING, passwordMatches, PasswordChecksBusyError } from './passwords.ts';

test('checks asked for at once each get their own answer, and a broken hash does not stall those behind it', async () => {
  const [first, second] = await Promise.all([hashPassword('first secret'), hashPassword('second secret')]);
  const answers = await Promise.all([
    passwordMatches(first, 'first secret'),
    passwordMatches('not a hash at all', 'first secret'),
    passwordMatches(second, 'first secret'),
    passwordMatches(second, 'second secret'),
    passwordMatches(first, 'second secret'),
  ]);
  assert.deepEqual(answers, [true, false, false, true, false]);
  assert.equal(await passwordMatches(first, 'first secret'), true);
});

test('beyond the checks allowed to wait, a check is refused as too many attempts, and the queue still serves', async () => {
  // A hash made cheap to check, so the test fills the queue without spending seconds.
  const quick = await hash('quick secret', { memoryCost: 8, timeCost: 1, parallelism: 1 });
  const checks = Array.from({ length: PASSWORD_CHECKS_WAITING + 1 }, () =>
    passwordMatches(quick, 'quick secret').then(
      (matches) => ({ matches }),
      (error: unknown) => ({ error }),
    ),
  );
  const answers = await Promise.all(checks);
  assert.deepEqual(
    answers.slice(0, -1),
    Array.from({ length: PASSWORD_CHECKS_WAITING }, () => ({ matches: true })),
  );
  const refused = answers.at(-1) as { error: unknown };
  assert.ok(refused.error instanceof PasswordChecksBusyError);
  assert.equal(refused.error.statusCode, 429);
  assert.equal(await passwordMatches(quick, 'quick secret'), true);
});
