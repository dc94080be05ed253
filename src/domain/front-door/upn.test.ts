import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { upnOf } from './upn.ts';

test('a UPN with the right check letter is accepted, typed in any case and with spaces', () => {
  // Check letters worked by hand: the weighted sum of characters 2 to 13 (weights 2 to 13), modulo 23.
  assert.equal(upnOf('Y351201321005'), 'Y351201321005');
  assert.equal(upnOf('y351 2013 2100 5'), 'Y351201321005');
  assert.equal(upnOf('P123456789123'), 'P123456789123');
});

test('a temporary UPN ends in a letter, which counts by its place among the 23 letters', () => {
  // 2..12 as above for W35320152101 plus A (0) at weight 13.
  const body = '35320152101A';
  let sum = 0;
  for (let index = 0; index < 12; index++) {
    const character = body[index]!;
    sum += (/\d/.test(character) ? Number(character) : 0) * (index + 2);
  }
  const check = 'ABCDEFGHJKLMNPQRTUVWXYZ'[sum % 23]!;
  assert.equal(upnOf(`${check}${body}`), `${check}${body}`);
});

test('wrong check letters, wrong lengths and letters that are never used are refused', () => {
  assert.equal(upnOf('A123456789123'), undefined);
  assert.equal(upnOf('W351201321005'), undefined);
  assert.equal(upnOf('Y35120132100'), undefined);
  assert.equal(upnOf('W3512013210055'), undefined);
  assert.equal(upnOf('W35120132100I'), undefined);
  assert.equal(upnOf('W3512X1321005'), undefined);
  assert.equal(upnOf(''), undefined);
});

test('changing any one digit of a valid UPN makes it invalid', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 9 }), (position, change) => {
      const valid = 'Y351201321005';
      const digit = (Number(valid[position]) + change) % 10;
      const typo = valid.slice(0, position) + String(digit) + valid.slice(position + 1);
      return upnOf(typo) === undefined;
    }),
  );
});
