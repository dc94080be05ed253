import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowedOutcomes, dateOf, postcodeOf, referralComplete, referralProblems } from './referral.ts';

const TODAY = new Date('2026-11-23T10:00:00Z');
const CHILD = {
  givenName: 'Mia',
  familyName: 'Lowe',
  dobDay: '4',
  dobMonth: '2',
  dobYear: '2017',
  postcode: 'nm1 2ab',
  nhsNumber: '',
};

test('the child section: names, a real date of birth in the past, a postcode, an NHS number that checks out', () => {
  assert.deepEqual(referralProblems('child', CHILD, TODAY), {});
  const problems = referralProblems(
    'child',
    { ...CHILD, givenName: '', dobDay: '31', dobMonth: '2', postcode: 'nowhere', nhsNumber: '9434765918' },
    TODAY,
  );
  assert.deepEqual(Object.keys(problems).sort(), ['dobDay', 'givenName', 'nhsNumber', 'postcode']);
  const future = referralProblems('child', { ...CHILD, dobDay: '1', dobMonth: '1', dobYear: '2027' }, TODAY);
  assert.equal(future.dobDay, 'The child’s date of birth must be today or in the past');
  assert.equal(dateOf('29', '2', '2024'), '2024-02-29');
  assert.equal(dateOf('29', '2', '2025'), undefined);
  assert.equal(postcodeOf('nm12ab'), 'NM1 2AB');
});

test('consent: a referral without the family’s agreement needs a worry about the child’s safety', () => {
  assert.match(
    referralProblems('consent', { consent: 'no', safeguarding: 'no' }).consent ?? '',
    /must agree to a referral unless/,
  );
  assert.deepEqual(
    referralProblems('consent', { consent: 'no', safeguarding: 'yes', safeguardingDetails: 'Bruises' }),
    {},
  );
  assert.equal(
    referralProblems('consent', { consent: 'yes', safeguarding: 'yes' }).safeguardingDetails,
    'Enter what you are worried about',
  );
});

test('a referral is complete only when every section is; safeguarding always goes to the specialist team', () => {
  const needs = { primaryNeed: 'N2', needs: 'Help at home', tried: 'Nothing yet' };
  const consent = { consent: 'yes', safeguarding: 'no' };
  assert.equal(referralComplete({ ...CHILD, ...needs, ...consent }, TODAY), true);
  assert.equal(referralComplete({ ...CHILD, ...needs }, TODAY), false);
  assert.deepEqual(allowedOutcomes({ safeguarding: true, kind: 'professional' }), ['specialist']);
  assert.deepEqual(allowedOutcomes({ safeguarding: false, kind: 'professional' }), [
    'no_further_action',
    'targeted',
    'specialist',
  ]);
});
