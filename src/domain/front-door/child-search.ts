// Finding a child, for staff: what was typed in the one search box (a name, an NHS number, a unique pupil number or a
// Pathway reference) and the optional date of birth, each mistake with a GOV.UK message; and how a child's names are
// matched to the words typed, forgiving case, accents, hyphens and one or two typing slips as matching.ts does.
import { editDistance, simplify, slipsAllowed } from './matching.ts';
import { nhsNumberOf } from './nhs-number.ts';
import { dateOf } from './referral.ts';
import { upnOf } from './upn.ts';

export type SearchTerm =
  | {
      kind: 'name';
      /** Each word typed of two letters or more, simplified. */
      words: string[];
      /** Single letters typed, such as the J of "J Smith". */
      initials: string[];
      /** Everything typed run together, simplified ("O Brien" → obrien). */
      whole: string;
    }
  | { kind: 'nhs_number'; nhsNumber: string }
  | { kind: 'upn'; upn: string }
  | { kind: 'referral_reference'; reference: string }
  | { kind: 'short_breaks_reference'; reference: string };

export interface ChildSearch {
  term: SearchTerm | null;
  dateOfBirth: string | null;
}

export interface SearchValues {
  q: string;
  dobDay: string;
  dobMonth: string;
  dobYear: string;
}

/** What can be wrong with a search; each has a message in locales/en/childSearch.json (childSearch.errors.*). */
export const SEARCH_PROBLEMS = [
  'nothingEntered',
  'tooLong',
  'tooFewLetters',
  'hasNumbers',
  'notNhsNumber',
  'dateInBox',
  'dateNotReal',
  'dateInFuture',
] as const;
export type SearchProblem = (typeof SEARCH_PROBLEMS)[number];

/** Problems keyed by the field they are about: the search box, or the date of birth (its day field). */
export type SearchProblems = Partial<Record<'q' | 'dobDay', SearchProblem>>;

/** The longest text the search box takes: a name is at most 100 characters everywhere in Pathway. */
export const MAX_TEXT = 100;

/** RF- (a referral) or SB- (a short-breaks application) and eight letters or digits, however it was typed. */
const REFERENCE = /^(RF|SB)[\s-]*([0-9A-Z]{8})$/;

function termOf(text: string): SearchTerm | SearchProblem {
  const upper = text.toUpperCase();
  const reference = REFERENCE.exec(upper);
  // Names have no digits, so "RF" and eight letters is a reference only when typed with its hyphen.
  if (reference && (/\d/.test(upper) || upper.includes('-'))) {
    const [, prefix, code] = reference;
    return prefix === 'RF'
      ? { kind: 'referral_reference', reference: `RF-${code!}` }
      : { kind: 'short_breaks_reference', reference: `SB-${code!}` };
  }
  if (/\d/.test(text)) {
    const nhsNumber = nhsNumberOf(text);
    if (nhsNumber) return { kind: 'nhs_number', nhsNumber };
    const upn = upnOf(text);
    if (upn) return { kind: 'upn', upn };
    if (/^\d{1,2}[\s/.-]+\d{1,2}[\s/.-]+\d{4}$/.test(text)) return 'dateInBox';
    if (/^[\d\s-]+$/.test(text)) return 'notNhsNumber';
    return 'hasNumbers';
  }
  const parts = text.split(/[\s,-]+/).map(simplify);
  const words = parts.filter((part) => part.length >= 2);
  if (words.length === 0) return 'tooFewLetters';
  const initials = parts.filter((part) => part.length === 1);
  return { kind: 'name', words, initials, whole: parts.join('') };
}

/** What to search for, or the problems with what was typed. Nothing typed at all is a problem too. */
export function readChildSearch(
  values: SearchValues,
  today = new Date(),
): { search: ChildSearch; problems?: undefined } | { search?: undefined; problems: SearchProblems } {
  const problems: SearchProblems = {};
  const { q, dobDay, dobMonth, dobYear } = values;
  let term: SearchTerm | null = null;
  if (q.length > MAX_TEXT) problems.q = 'tooLong';
  else if (q !== '') {
    const read = termOf(q);
    if (typeof read === 'string') problems.q = read;
    else term = read;
  }
  let dateOfBirth: string | null = null;
  if (dobDay !== '' || dobMonth !== '' || dobYear !== '') {
    const date = dateOf(dobDay, dobMonth, dobYear);
    if (!date) problems.dobDay = 'dateNotReal';
    else if (date > today.toISOString().slice(0, 10)) problems.dobDay = 'dateInFuture';
    else dateOfBirth = date;
  }
  if (q === '' && dateOfBirth === null && !problems.dobDay) problems.q = 'nothingEntered';
  if (Object.keys(problems).length > 0) return { problems };
  return { search: { term, dateOfBirth } };
}

/** The names a child is found by: the whole first name, the whole last name, and each word of either, simplified. */
export function nameForms(givenName: string, familyName: string): string[] {
  return [...new Set([...formsOfOneName(givenName), ...formsOfOneName(familyName)])];
}

/** One name's forms: the whole name and each of its words (split at spaces and hyphens), simplified. */
function formsOfOneName(name: string): string[] {
  return [...new Set([name, ...name.split(/[\s-]+/)].map(simplify))].filter((form) => form !== '');
}

function leaveOut(text: string, index: number): string {
  return text.slice(0, index) + text.slice(index + 1);
}

/**
 * The spellings a simplified name is found by: itself with up to one letter left out (four letters or fewer) or up
 * to two (five or more). Two names within the slips matching.ts forgives always share one: each slip is a letter
 * one name has and the other lacks, or a letter each has in the same place, so leaving those letters out of both
 * gives the same spelling. The database keeps every child's spellings (migration 0017) with the same rule.
 */
export function spellingsOf(form: string): string[] {
  const spellings = new Set([form]);
  if (form.length > 1) {
    for (let i = 0; i < form.length; i++) {
      const once = leaveOut(form, i);
      spellings.add(once);
      if (form.length < 5) continue;
      for (let j = i; j < once.length; j++) spellings.add(leaveOut(once, j));
    }
  }
  return [...spellings];
}

/** Every spelling of every form of a child's names, as the database keeps them. */
export function childNameSpellings(givenName: string, familyName: string): string[] {
  return [...new Set(nameForms(givenName, familyName).flatMap(spellingsOf))];
}

/** Slips between a word typed and one form of a name, or undefined when they are too far apart to be alike. */
function slipsBetween(word: string, form: string): number | undefined {
  const allowed = slipsAllowed(word, form);
  if (Math.abs(word.length - form.length) > allowed) return undefined;
  const distance = editDistance(word, form);
  return distance <= allowed ? distance : undefined;
}

/**
 * The words typed run together, when that is a second way to read them: several words and no initials ("Van der
 * Berg" for Vanderberg). With an initial it is not, or "J Smith" would find every Smith, as jsmith is one slip from
 * smith.
 */
export function runTogether(term: Extract<SearchTerm, { kind: 'name' }>): string | undefined {
  return term.words.length > 1 && term.initials.length === 0 ? term.whole : undefined;
}

/**
 * How closely a child's names match the name typed, as the number of typing slips (0 is exact), or undefined when
 * they do not match. A name matches when each word typed is like one of the child's names and each initial starts
 * one, or when the words typed run together (runTogether) are like one of them. The matcher remembers each name it
 * has simplified and each comparison it has made, as a search checks hundreds of children sharing a few names.
 */
export function nameMatcher(term: Extract<SearchTerm, { kind: 'name' }>) {
  const formsByName = new Map<string, string[]>();
  const slipsByForm = new Map<string, number | undefined>();
  const whole = runTogether(term);
  const formsOf = (name: string) => {
    let forms = formsByName.get(name);
    if (forms === undefined) {
      forms = formsOfOneName(name);
      formsByName.set(name, forms);
    }
    return forms;
  };
  const fewestSlips = (word: string, forms: string[]) => {
    let fewest: number | undefined;
    for (const form of forms) {
      const key = `${word} ${form}`;
      if (!slipsByForm.has(key)) slipsByForm.set(key, slipsBetween(word, form));
      const slips = slipsByForm.get(key);
      if (slips !== undefined && (fewest === undefined || slips < fewest)) fewest = slips;
    }
    return fewest;
  };
  return (child: { given_name: string; family_name: string }): number | undefined => {
    const forms = [...formsOf(child.given_name), ...formsOf(child.family_name)];
    let eachWord: number | undefined = 0;
    for (const word of term.words) {
      const slips = fewestSlips(word, forms);
      eachWord = slips === undefined || eachWord === undefined ? undefined : eachWord + slips;
    }
    if (!term.initials.every((initial) => forms.some((form) => form.startsWith(initial)))) eachWord = undefined;
    const together = whole === undefined ? undefined : fewestSlips(whole, forms);
    if (eachWord === undefined) return together;
    if (together === undefined) return eachWord;
    return Math.min(eachWord, together);
  };
}

/** nameMatcher for one child. */
export function nameCloseness(
  term: Extract<SearchTerm, { kind: 'name' }>,
  child: { given_name: string; family_name: string },
): number | undefined {
  return nameMatcher(term)(child);
}

/** An NHS number as people read it, in groups of three, three and four digits: 485 777 3007. */
export function spacedNhsNumber(nhsNumber: string): string {
  return `${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3, 6)} ${nhsNumber.slice(6)}`;
}
