import assert from 'node:assert/strict';
import { test } from 'node:test';
import { householdMemberProblems } from './household.ts';

const GRANDMOTHER = {
  name: 'Grace Okafor',
  relationship: 'grandparent',
  dobDay: '',
  dobMonth: '',
  dobYear: '',
  parentalResponsibility: 'no',
  livesWithChild: 'no',
};

test('a person with a name, a relationship and both answers can be added; a date of birth is optional', () => {
  assert.deepEqual(householdMemberProblems(GRANDMOTHER), {});
  assert.deepEqual(householdMemberProblems({ ...GRANDMOTHER, dobDay: '2', dobMonth: '9', dobYear: '1958' }), {});
});

test('each missing or wrong answer is named by its field', () => {
  const today = new Date('2026-11-23T12:00:00Z');
  assert.deepEqual(Object.keys(householdMemberProblems({}, today)).sort(), [
    'livesWithChild',
    'name',
    'parentalResponsibility',
    'relationship',
  ]);
  assert.match(
    householdMemberProblems({ ...GRANDMOTHER, relationship: 'neighbour' }, today).relationship ?? '',
    /Select who/,
  );
  assert.match(
    householdMemberProblems({ ...GRANDMOTHER, dobDay: '31', dobMonth: '2', dobYear: '1990' }, today).dobDay ?? '',
    /real date/,
  );
  assert.match(
    householdMemberProblems({ ...GRANDMOTHER, dobDay: '1', dobMonth: '1', dobYear: '2027' }, today).dobDay ?? '',
    /in the past/,
  );
  assert.match(householdMemberProblems({ ...GRANDMOTHER, name: 'x'.repeat(201) }, today).name ?? '', /200 characters/);
});
