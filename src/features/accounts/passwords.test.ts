// Passwords are checked one at a time in each process; a queue must never lose, mix up or stall a check.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPassword, passwordMatches } from './passwords.ts';

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
