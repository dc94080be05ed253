// The bounded store behind kept search results, filter panels and pages.
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

test('a value kept again is the most recent; finding one does not make it so', () => {
  const kept = new RecentlyUsed<number>(2);
  kept.keep('a', 1);
  kept.keep('b', 2);
  kept.keep('a', 3);
  kept.keep('c', 4);
  assert.equal(kept.find('b'), undefined);
  assert.equal(kept.find('a'), 3);
  kept.keep('d', 5);
  assert.equal(kept.find('a'), undefined);
  assert.deepEqual([kept.find('c'), kept.find('d')], [4, 5]);
});
