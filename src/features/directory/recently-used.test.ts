// The bounded store behind kept search results and filter panels.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecentlyUsed } from './recently-used.ts';

test('a kept value is made once; when full, the one used longest ago goes first', () => {
  const made: string[] = [];
  const kept = new RecentlyUsed<string>(2);
  const get = (key: string) =>
    kept.get(key, () => {
      made.push(key);
      return key.toUpperCase();
    });
  assert.equal(get('a'), 'A');
  assert.equal(get('b'), 'B');
  assert.equal(get('a'), 'A');
  assert.deepEqual(made, ['a', 'b']);
  get('c');
  get('a');
  get('b');
  assert.deepEqual(made, ['a', 'b', 'c', 'b']);
});
