import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  childNameSpellings,
  nameCloseness,
  nameForms,
  readChildSearch,
  runTogether,
  spacedNhsNumber,
  spellingsOf,
  type SearchTerm,
} from './child-search.ts';
import { similarNames } from './matching.ts';

const TODAY = new Date('2026-06-01T12:00:00Z');
const NOTHING = { q: '', dobDay: '', dobMonth: '', dobYear: '' };

function termOf(q: string): SearchTerm | null {
  const read = readChildSearch({ ...NOTHING, q }, TODAY);
  assert.ok(read.search, `"${q}" should be a search`);
  return read.search.term;
}

function nameTerm(q: string) {
  const term = termOf(q);
  assert.equal(term?.kind, 'name');
  return term;
}

test('the search box tells an NHS number, a unique pupil number and references from a name', () => {
  assert.deepEqual(termOf('485 777 3007'), { kind: 'nhs_number', nhsNumber: '4857773007' });
  assert.deepEqual(termOf('4857773007'), { kind: 'nhs_number', nhsNumber: '4857773007' });
  assert.deepEqual(termOf('h999201400012'), { kind: 'upn', upn: 'H999201400012' });
  assert.deepEqual(termOf('rf-1a2b3c4d'), { kind: 'referral_reference', reference: 'RF-1A2B3C4D' });
  assert.deepEqual(termOf('RF 1A2B3C4D'), { kind: 'referral_reference', reference: 'RF-1A2B3C4D' });
  assert.deepEqual(termOf('SB-DEMO0004'), { kind: 'short_breaks_reference', reference: 'SB-DEMO0004' });
  assert.deepEqual(termOf('Tobi Okafor'), {
    kind: 'name',
    words: ['tobi', 'okafor'],
    initials: [],
    whole: 'tobiokafor',
  });
  assert.deepEqual(termOf('J. Smith'), { kind: 'name', words: ['smith'], initials: ['j'], whole: 'jsmith' });
});

test('a date of birth on its own is a search, and narrows a name when given with one', () => {
  const dateOnly = readChildSearch({ q: '', dobDay: '14', dobMonth: '3', dobYear: '2016' }, TODAY);
  assert.deepEqual(dateOnly.search, { term: null, dateOfBirth: '2016-03-14' });
  const both = readChildSearch({ q: 'Tobi', dobDay: '14', dobMonth: '03', dobYear: '2016' }, TODAY);
  assert.equal(both.search?.dateOfBirth, '2016-03-14');
  assert.equal(both.search?.term?.kind, 'name');
});

test('each mistake in a search has its own problem, against the field it is about', () => {
  const problems = (values: Partial<typeof NOTHING>) => readChildSearch({ ...NOTHING, ...values }, TODAY).problems;
  assert.deepEqual(problems({}), { q: 'nothingEntered' });
  assert.deepEqual(problems({ q: '485 777 3008' }), { q: 'notNhsNumber' });
  assert.deepEqual(problems({ q: 'Tobi 2' }), { q: 'hasNumbers' });
  assert.deepEqual(problems({ q: '14/03/2016' }), { q: 'dateInBox' });
  assert.deepEqual(problems({ q: 'J' }), { q: 'tooFewLetters' });
  assert.deepEqual(problems({ q: 'a'.repeat(101) }), { q: 'tooLong' });
  assert.deepEqual(problems({ dobDay: '31', dobMonth: '2', dobYear: '2016' }), { dobDay: 'dateNotReal' });
  assert.deepEqual(problems({ dobDay: '1', dobMonth: '1', dobYear: '2027' }), { dobDay: 'dateInFuture' });
  assert.deepEqual(problems({ q: 'Tobi 2', dobDay: '1', dobMonth: '13', dobYear: '2016' }), {
    q: 'hasNumbers',
    dobDay: 'dateNotReal',
  });
});

test('a name is found with its case, accents and hyphens ignored and one or two typing slips forgiven', () => {
  const tobi = { given_name: 'Tobi', family_name: 'Okafor' };
  assert.equal(nameCloseness(nameTerm('Tobi Okafor'), tobi), 0);
  assert.equal(nameCloseness(nameTerm('okafor, TOBI'), tobi), 0, 'last name first, with a comma');
  assert.equal(nameCloseness(nameTerm('Tobi Okafr'), tobi), 1);
  assert.equal(nameCloseness(nameTerm('Toby Okafro'), tobi), 3, 'a slip in the first name and two in the last');
  assert.equal(nameCloseness(nameTerm('Okafor'), tobi), 0, 'the last name alone');
  assert.equal(nameCloseness(nameTerm('Tobi Smith'), tobi), undefined, 'every word must match');
  assert.equal(nameCloseness(nameTerm('Tbi'), tobi), 1);
  assert.equal(nameCloseness(nameTerm('Tibo'), tobi), undefined, 'a short name forgives one slip only');
  const zoe = { given_name: 'Zoë', family_name: 'Smith-Jones' };
  assert.equal(nameCloseness(nameTerm('zoe jones'), zoe), 0, 'one word of a double-barrelled name');
  assert.equal(nameCloseness(nameTerm('Zoe Smithjones'), zoe), 0);
  assert.equal(nameCloseness(nameTerm('Z Smith Jones'), zoe), 0, 'an initial');
  assert.equal(nameCloseness(nameTerm('A Smith Jones'), zoe), undefined, 'an initial that starts no name');
  const vanDerBerg = { given_name: 'Anna', family_name: 'Vanderberg' };
  assert.equal(nameCloseness(nameTerm('van der Berg'), vanDerBerg), 0, 'the words run together');
  const obrien = { given_name: 'Siân', family_name: "O'Brien" };
  assert.equal(nameCloseness(nameTerm('Sian O Brien'), obrien), 1, 'an initial and a word one slip from obrien');
});

test('a name’s forms are the whole names and each of their words, simplified', () => {
  assert.deepEqual(nameForms('Mary Ann', "O'Brien-Hart"), ['maryann', 'mary', 'ann', 'obrienhart', 'obrien', 'hart']);
  assert.deepEqual(nameForms('Zoë', ' José '), ['zoe', 'jose']);
});

test('short names keep spellings with one letter left out, longer ones with up to two', () => {
  assert.deepEqual(spellingsOf('tobi').sort(), ['obi', 'tbi', 'tob', 'tobi', 'toi']);
  assert.equal(spellingsOf('okafor').length, 1 + 6 + 15, 'itself, 6 with one letter out and 15 with two');
  assert.deepEqual(spellingsOf('anna').sort(), ['ana', 'ann', 'anna', 'nna'], 'each spelling once');
  assert.deepEqual(spellingsOf('j'), ['j']);
});

/** A few letters, so random names are often a slip or two apart. */
const letter = fc.constantFrom('a', 'b', 'd', 'e', 'i', 'l', 'm', 'n', 'o', 'r', 's', 't');
const name = fc.string({ unit: letter, minLength: 1, maxLength: 9 });
/** A word typed in the search box: two letters or more (one letter is an initial). */
const word = fc.string({ unit: letter, minLength: 2, maxLength: 9 });

test('any two names matching.ts finds alike share a spelling, so the index never hides a match', () => {
  fc.assert(
    fc.property(word, name, (a, b) => {
      if (!similarNames(a, b)) return true;
      const spellings = new Set(spellingsOf(a));
      return spellingsOf(b).some((spelling) => spellings.has(spelling));
    }),
    { numRuns: 5000 },
  );
});

test('a child is found by a typed name whenever their names match it', () => {
  fc.assert(
    fc.property(name, name, fc.array(word, { minLength: 1, maxLength: 3 }), (given, family, typed) => {
      const term = nameTerm(typed.join(' '));
      if (nameCloseness(term, { given_name: given, family_name: family }) === undefined) return true;
      const kept = new Set(childNameSpellings(given, family));
      const shares = (word: string) => spellingsOf(word).some((spelling) => kept.has(spelling));
      const whole = runTogether(term);
      return term.words.every(shares) || (whole !== undefined && shares(whole));
    }),
    { numRuns: 5000 },
  );
});

test('an NHS number is shown in groups of three, three and four digits', () => {
  assert.equal(spacedNhsNumber('4857773007'), '485 777 3007');
});
