// What a professional's referral must hold, section by section, checked with a GOV.UK message for each wrong
// field: the child as the referrer knows them, their needs and what has been tried, and consent and safeguarding.
// Primary need uses the Children in Need census codes, so a census return needs no re-keying.
import { nhsNumberOf } from './nhs-number.ts';
import { upnOf } from './upn.ts';

/** Children in Need census primary need codes a referrer can choose (N9, "not in need", is a triage outcome). */
export const PRIMARY_NEEDS = ['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8'] as const;
export type PrimaryNeed = (typeof PRIMARY_NEEDS)[number];

export type ReferralSection = 'child' | 'needs' | 'consent';
export const REFERRAL_SECTIONS: ReferralSection[] = ['child', 'needs', 'consent'];

export const SECTION_FIELDS: Record<ReferralSection, string[]> = {
  child: ['givenName', 'familyName', 'dobDay', 'dobMonth', 'dobYear', 'postcode', 'nhsNumber', 'upn'],
  needs: ['primaryNeed', 'needs', 'tried'],
  consent: ['consent', 'safeguarding', 'safeguardingDetails'],
};

const MAX_NAME = 100;
const MAX_TEXT = 2000;
const OLDEST = 25;

type Values = Record<string, string>;
export type Problems = Record<string, string>;

/** A YYYY-MM-DD date from day, month and year fields, or undefined if they are not a real date. */
export function dateOf(day: string, month: string, year: string): string | undefined {
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return undefined;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCDate() !== Number(day) || date.getUTCMonth() !== Number(month) - 1) return undefined;
  return date.toISOString().slice(0, 10);
}

/** A UK postcode in capitals with one space, or undefined. */
export function postcodeOf(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/.test(compact)) return undefined;
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}

function checkChild(values: Values, today: Date, problems: Problems) {
  for (const [field, label] of [
    ['givenName', 'first name'],
    ['familyName', 'last name'],
  ] as const) {
    const value = values[field] ?? '';
    if (value === '') problems[field] = `Enter the child’s ${label}`;
    else if (value.length > MAX_NAME) problems[field] = `The child’s ${label} must be ${MAX_NAME} characters or fewer`;
  }
  const { dobDay = '', dobMonth = '', dobYear = '' } = values;
  const dateOfBirth = dateOf(dobDay, dobMonth, dobYear);
  const todayIso = today.toISOString().slice(0, 10);
  if (dobDay === '' && dobMonth === '' && dobYear === '') problems.dobDay = 'Enter the child’s date of birth';
  else if (!dateOfBirth) problems.dobDay = 'The child’s date of birth must be a real date, like 27 3 2015';
  else if (dateOfBirth > todayIso) problems.dobDay = 'The child’s date of birth must be today or in the past';
  else if (Number(todayIso.slice(0, 4)) - Number(dateOfBirth.slice(0, 4)) > OLDEST + 1)
    problems.dobDay = `The child must be ${OLDEST} or younger`;
  if (!postcodeOf(values.postcode ?? '')) problems.postcode = 'Enter a real postcode, like LS1 4AP';
  if ((values.nhsNumber ?? '') !== '' && !nhsNumberOf(values.nhsNumber ?? ''))
    problems.nhsNumber = 'Enter a real NHS number: 10 digits, like 943 476 5919. Check each digit, or leave it empty';
  if ((values.upn ?? '') !== '' && !upnOf(values.upn ?? ''))
    problems.upn =
      'Enter a real unique pupil number: a letter then 12 characters, like Y351201321005. Check each one, or leave it empty';
}

function checkNeeds(values: Values, problems: Problems) {
  if (!(PRIMARY_NEEDS as readonly string[]).includes(values.primaryNeed ?? ''))
    problems.primaryNeed = 'Select the child’s main need';
  for (const [field, message] of [
    ['needs', 'Enter what the child and family need'],
    ['tried', 'Enter what has been tried so far, or “nothing yet”'],
  ] as const) {
    const value = values[field] ?? '';
    if (value === '') problems[field] = message;
    else if (value.length > MAX_TEXT) problems[field] = `This must be ${MAX_TEXT} characters or fewer`;
  }
}

function checkConsent(values: Values, problems: Problems) {
  const consent = values.consent ?? '';
  const safeguarding = values.safeguarding ?? '';
  if (consent !== 'yes' && consent !== 'no') problems.consent = 'Select whether the family agrees to this referral';
  if (safeguarding !== 'yes' && safeguarding !== 'no')
    problems.safeguarding = 'Select whether you are worried about the child’s safety';
  if (safeguarding === 'yes' && (values.safeguardingDetails ?? '') === '')
    problems.safeguardingDetails = 'Enter what you are worried about';
  if ((values.safeguardingDetails ?? '').length > MAX_TEXT)
    problems.safeguardingDetails = `This must be ${MAX_TEXT} characters or fewer`;
  // Without a safety worry, the front door only acts with the family's agreement.
  if (consent === 'no' && safeguarding === 'no')
    problems.consent = 'The family must agree to a referral unless you are worried about the child’s safety';
}

/** Problems with a child's identity as typed: names, date of birth, postcode, NHS number and unique pupil number. */
export function childIdentityProblems(values: Values, today = new Date()): Problems {
  const problems: Problems = {};
  checkChild(values, today, problems);
  return problems;
}

/** Every problem with one section's values; an empty object means it can be saved. */
export function referralProblems(section: ReferralSection, values: Values, today = new Date()): Problems {
  if (section === 'child') return childIdentityProblems(values, today);
  const problems: Problems = {};
  if (section === 'needs') checkNeeds(values, problems);
  else checkConsent(values, problems);
  return problems;
}

/** Whether every section of a referral is complete and right. */
export function referralComplete(details: Values, today = new Date()): boolean {
  return REFERRAL_SECTIONS.every((section) => Object.keys(referralProblems(section, details, today)).length === 0);
}

/** The outcomes triage may record: a worry about the child's safety always goes to the specialist team. */
export const TRIAGE_OUTCOMES = ['no_further_action', 'targeted', 'specialist'] as const;
export type TriageOutcome = (typeof TRIAGE_OUTCOMES)[number];

export function allowedOutcomes(referral: { safeguarding: boolean; kind: string }): TriageOutcome[] {
  // A family's request for a social work assessment is their right, so it goes to the specialist team too.
  if (referral.safeguarding || referral.kind === 'social_work_assessment') return ['specialist'];
  return [...TRIAGE_OUTCOMES];
}
