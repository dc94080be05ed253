// The Local Offer's own classifications: the SEND needs a service supports and how a family gets it.
// Open Referral UK carries these as taxonomy terms; we keep them as codes so filters and the sufficiency view agree.

export const SEND_NEEDS = [
  'autism',
  'adhd',
  'learning_disability',
  'physical_disability',
  'hearing',
  'vision',
  'speech_language_communication',
  'social_emotional_mental_health',
  'complex_health',
  'specific_learning_difficulty',
  'all_send',
] as const;
export type SendNeed = (typeof SEND_NEEDS)[number];

/** How long a checked entry stays fresh before it is due for review again. */
export const REVIEW_MONTHS = 6;

export const ACCESS_ROUTES = ['self_referral', 'professional_referral', 'needs_assessment', 'panel'] as const;
export type AccessRoute = (typeof ACCESS_ROUTES)[number];

// Words in a taxonomy term's name that say which need it is. Checked in order; the first match wins.
const NEED_PATTERNS: [SendNeed, RegExp][] = [
  ['all_send', /\ball (send|needs|disabilit)/i],
  ['autism', /\baut(ism|istic)|\basc\b|\basd\b|asperger/i],
  ['adhd', /\badh?d\b|attention deficit/i],
  ['specific_learning_difficulty', /specific learning|dyslexi|dyspraxi|dyscalculi|\bspld\b/i],
  ['learning_disability', /learning (disabilit|difficult)|\bpmld\b|\bsld\b|\bmld\b|down'?s? syndrome/i],
  ['hearing', /hearing|\bdeaf/i],
  ['vision', /vision|visual|sight|\bblind/i],
  ['physical_disability', /physical|mobility|wheelchair|cerebral palsy/i],
  ['speech_language_communication', /speech|language|communication|\bslcn\b/i],
  ['social_emotional_mental_health', /social,? emotional|mental health|\bsemh\b|emotional/i],
  ['complex_health', /complex (health|medical)|medical|life.limiting|health needs/i],
];

export function sendNeedOf(termName: string): SendNeed | undefined {
  return NEED_PATTERNS.find(([, pattern]) => pattern.test(termName))?.[0];
}

const ROUTE_PATTERNS: [AccessRoute, RegExp][] = [
  ['self_referral', /self.?referr|drop.?in|open access|just turn up|book (online|direct)/i],
  ['professional_referral', /professional referr|referr(al|ed) by (a )?professional|via a professional|gp referr/i],
  ['needs_assessment', /(needs|social work|care) assessment|assessed need/i],
  ['panel', /\bpanel\b/i],
];

export function accessRouteOf(text: string): AccessRoute | undefined {
  return ROUTE_PATTERNS.find(([, pattern]) => pattern.test(text))?.[0];
}

/** Days as ORUK writes them (byday: MO,TU,…), in week order. */
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const DAY_NAMES: Record<string, Weekday> = {
  mo: 'MO',
  mon: 'MO',
  monday: 'MO',
  tu: 'TU',
  tue: 'TU',
  tues: 'TU',
  tuesday: 'TU',
  we: 'WE',
  wed: 'WE',
  wednesday: 'WE',
  th: 'TH',
  thu: 'TH',
  thur: 'TH',
  thurs: 'TH',
  thursday: 'TH',
  fr: 'FR',
  fri: 'FR',
  friday: 'FR',
  sa: 'SA',
  sat: 'SA',
  saturday: 'SA',
  su: 'SU',
  sun: 'SU',
  sunday: 'SU',
};

/** Reads "MO,WE", "Monday", "1MO" (ORUK byday allows a position prefix) into weekday codes. */
export function weekdaysOf(byday: string | null | undefined): Weekday[] {
  if (!byday) return [];
  const days = byday
    .split(/[\s,;]+/)
    .map((part) => DAY_NAMES[part.replace(/^[+-]?\d+/, '').toLowerCase()])
    .filter((day): day is Weekday => day !== undefined);
  return WEEKDAYS.filter((day) => days.includes(day));
}
