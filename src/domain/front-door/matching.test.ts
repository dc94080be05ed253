import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editDistance, likelyMatches, similarNames, type KnownChild } from './matching.ts';

const KNOWN: KnownChild[] = [
  {
    id: 'a',
    given_name: 'Zofia',
    family_name: 'Nowak',
    date_of_birth: '2019-05-21',
    nhs_number: null,
    upn: null,
    postcode: 'NM3 1AA',
  },
  {
    id: 'b',
    given_name: 'Sophia',
    family_name: 'Novak',
    date_of_birth: '2019-05-21',
    nhs_number: null,
    upn: null,
    postcode: null,
  },
  {
    id: 'c',
    given_name: 'Mia',
    family_name: 'Lowe',
    date_of_birth: '2017-02-04',
    nhs_number: '9434765919',
    upn: null,
    postcode: null,
  },
  {
    id: 'd',
    given_name: 'Tom',
    family_name: 'Smith',
    date_of_birth: '2010-01-01',
    nhs_number: null,
    upn: 'Y351201321005',
    postcode: 'NM3 1AA',
  },
];

test('names match despite case, accents, hyphens and a slip or two', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.ok(similarNames('Zofia', 'Zófia'));
  assert.ok(similarNames('Nowak', 'Novak'));
  assert.ok(similarNames('Anne-Marie', 'annemarie'));
  assert.ok(!similarNames('Mia', 'Max'));
  assert.ok(!similarNames('Tom', ''));
});

test('a likely match needs the NHS number, or two things alike; the strongest come first', () => {
  const zofia = likelyMatches(KNOWN, {
    givenName: 'Zophia',
    familyName: 'Nowak',
    dateOfBirth: '2019-05-21',
    nhsNumber: null,
    upn: null,
    postcode: 'NM3 1AA',
  });
  assert.deepEqual(
    zofia.map((match) => match.child.id),
    ['a', 'b'],
  );
  assert.deepEqual(zofia[0]!.reasons, ['date_of_birth', 'given_name', 'family_name', 'postcode']);
  const byNhs = likelyMatches(KNOWN, {
    givenName: 'Amelia',
    familyName: 'Brown',
    dateOfBirth: '2016-01-01',
    nhsNumber: '9434765919',
    upn: null,
    postcode: null,
  });
  assert.deepEqual(
    byNhs.map((match) => match.child.id),
    ['c'],
  );
  const stranger = likelyMatches(KNOWN, {
    givenName: 'Priya',
    familyName: 'Shah',
    dateOfBirth: '2012-03-03',
    nhsNumber: null,
    upn: null,
    postcode: 'NM3 1AA',
  });
  assert.deepEqual(stranger, [], 'a shared postcode alone is not a match');
});

test('the same unique pupil number is a match on its own, like the NHS number', () => {
  const byUpn = likelyMatches(KNOWN, {
    givenName: 'Thomas',
    familyName: 'Jones',
    dateOfBirth: '2010-02-01',
    nhsNumber: null,
    upn: 'Y351201321005',
    postcode: null,
  });
  assert.deepEqual(
    byUpn.map((match) => ({ id: match.child.id, reasons: match.reasons })),
    [{ id: 'd', reasons: ['upn'] }],
  );
});
