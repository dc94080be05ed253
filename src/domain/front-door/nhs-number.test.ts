import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { nhsNumberOf, spacedNhsNumber } from './nhs-number.ts';

test('a valid NHS number is accepted with or without spaces; a mistyped digit is caught', () => {
  assert.equal(nhsNumberOf('943 476 5919'), '9434765919');
  assert.equal(nhsNumberOf('9434765919'), '9434765919');
  assert.equal(nhsNumberOf('943-476-5919'), '9434765919');
  assert.equal(nhsNumberOf('9434765918'), undefined);
  assert.equal(nhsNumberOf('943476591'), undefined);
  assert.equal(nhsNumberOf('94347659190'), undefined);
  assert.equal(nhsNumberOf('abcdefghij'), undefined);
});

test('changing any one digit of a valid NHS number makes it invalid', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (position, change) => {
      const valid = '9434765919';
      const digit = (Number(valid[position]) + change) % 10;
      const typo = valid.slice(0, position) + String(digit) + valid.slice(position + 1);
      return nhsNumberOf(typo) === undefined;
    }),
  );
});

test('an NHS number is shown in groups of three, three and four digits', () => {
  assert.equal(spacedNhsNumber('4857773007'), '485 777 3007');
  assert.equal(spacedNhsNumber('not one'), 'not one');
});
