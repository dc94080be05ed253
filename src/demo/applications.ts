// Demo short-breaks applications in every state, scored with the shipped model, so each staff page has work on it
// and the scoring pages have past applications to replay a draft model against.
import type { Kysely } from 'kysely';
import type { ApplicationStatus, Schema } from '../db/schema.ts';
import { NEED_LEVELS, type Question } from '../domain/scoring/model.ts';
import { ageOn } from '../domain/short-breaks/eligibility.ts';
import { SHIPPED_MODEL } from '../features/scoring/service.ts';
import { recordEarlierApplication } from '../features/short-breaks/service.ts';
import { accountByEmail } from '../features/accounts/service.ts';
import { askFamily } from '../features/short-breaks/information-requests.ts';
import { DEMO_ACTOR, DEMO_COUNCIL, DEMO_REQUEST_ID } from './council.ts';

/** The oldest age short breaks serve unless the council's short_breaks_max_age setting says otherwise. */
const DEFAULT_MAX_AGE = 17;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The family's answer to a question at a level of need, by what the model says each answer shows (so it picks the
 * right answer whatever the answers are called). No demo family raises a flag such as a safeguarding concern, and
 * where the level wanted has no answer, the nearest below it is taken.
 */
function answerAt(question: Question, level: number): string {
  const unflagged = question.options.filter((option) => (option.flags ?? []).length === 0);
  const rank = (need: string | undefined) => NEED_LEVELS.findIndex((candidate) => candidate === need);
  const fitting = unflagged.filter((option) => rank(option.need) <= level);
  const best = fitting.sort((a, b) => rank(b.need) - rank(a.need))[0] ?? unflagged[0] ?? question.options[0]!;
  return best.id;
}

/**
 * The last moment a child born on this date was within the age limit: the day before the birthday that took them
 * past it.
 */
function lastDayWithinAge(dateOfBirth: string, maxAge: number): Date {
  const [year, month, day] = dateOfBirth.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year + maxAge + 1, month - 1, day) - DAY_MS + 12 * 60 * 60 * 1000);
}

interface DemoApplication {
  child: string;
  status: ApplicationStatus;
  /** Steps each answer up the levels of need differently, so the demo covers a spread of outcomes. */
  level: number;
  /** Months before today it was decided (an annual review falls due after eleven). */
  decidedMonthsAgo?: number;
  question?: string;
}

const DEMO_APPLICATIONS: DemoApplication[] = [
  { child: 'Jordan', status: 'submitted', level: 0 },
  { child: 'Ibrahim', status: 'withdrawn', level: 3 },
  { child: 'Ibrahim', status: 'verified', level: 1 },
  { child: 'Tobi', status: 'decided', level: 2, decidedMonthsAgo: 11 },
  {
    child: 'Maryam',
    status: 'more_information_requested',
    level: 3,
    question: 'Could you upload the letter from the paediatrician that gives Maryam her diagnosis?',
  },
  { child: 'Zofia', status: 'decided', level: 0 },
  { child: 'Ada', status: 'draft', level: 1 },
  { child: 'Yusuf', status: 'awaiting_panel', level: 2 },
];

// A spread of census ethnicity codes, so the fairness report has groups to show.
const DEMO_ETHNICITIES = ['WBRI', 'APKN', 'APKN', 'BAFR', 'MWBC', 'WROM', 'WBRI', 'APKN'];
const DEMO_FAMILY = { parentCarers: 'two', siblings: '1', youngCarers: 'no' };

function monthsBefore(today: Date, months: number): Date {
  const date = new Date(today);
  date.setUTCMonth(date.getUTCMonth() - months);
  return date;
}

/**
 * Seeds the demo applications as of `today`. An application is sent while its child is within the age limit
 * (`maxAge`, the council's short_breaks_max_age setting): a child who has since grown past it applied on the last day they
 * could, and any decision on it moves back with it, so no application records an age the gateway would refuse.
 * Links in the messages it queues point at `baseUrl` (by default the address `npm start` serves on).
 */
export async function seedDemoApplications(
  db: Kysely<Schema>,
  today = new Date(),
  maxAge = DEFAULT_MAX_AGE,
  baseUrl = 'http://localhost:3000',
): Promise<void> {
  const children = await db
    .selectFrom('children')
    .select(['id', 'given_name', 'date_of_birth'])
    .where('la_code', '=', DEMO_COUNCIL.laCode)
    .execute();
  const officer = await accountByEmail(db, 'short.breaks@demo.pathway.test');
  if (!officer) throw new Error('The demo short breaks officer is missing: seed the demo council first');
  for (const [index, demo] of DEMO_APPLICATIONS.entries()) {
    const child = children.find((candidate) => candidate.given_name === demo.child);
    if (!child) throw new Error(`No demo child called ${demo.child}`);
    const answers = Object.fromEntries(
      SHIPPED_MODEL.questions.map((question, position) => [
        question.id,
        answerAt(question, (demo.level + position) % NEED_LEVELS.length),
      ]),
    );
    const plannedSending = demo.decidedMonthsAgo ? monthsBefore(today, demo.decidedMonthsAgo + 1) : today;
    const plannedDecision = demo.decidedMonthsAgo ? monthsBefore(today, demo.decidedMonthsAgo) : today;
    const lastChance = lastDayWithinAge(child.date_of_birth, maxAge);
    const tooOldBy = Math.max(0, plannedSending.getTime() - lastChance.getTime());
    const submittedAt = new Date(plannedSending.getTime() - tooOldBy);
    const decidedAt = new Date(plannedDecision.getTime() - tooOldBy);
    const childAge = ageOn(child.date_of_birth, submittedAt);
    // Recorded as applications made before Pathway held them: the family's own service starts and sends an
    // application now, from a carer's account, while the demo's were sent and decided months ago, some by families
    // with no account (the Hussains, the Nowaks).
    const { id, version } = await recordEarlierApplication(db, DEMO_ACTOR, {
      laCode: DEMO_COUNCIL.laCode,
      childId: child.id,
      // An application waiting for the family's answers is sent first; the officer's question moves it on below.
      status: demo.question ? 'submitted' : demo.status,
      eligibility: { livesInArea: 'yes', evidence: 'diagnosis' },
      about: {
        condition: 'Autism and a learning disability',
        ethnicity: DEMO_ETHNICITIES[index % DEMO_ETHNICITIES.length]!,
        ...DEMO_FAMILY,
      },
      answers,
      childAge,
      submittedAt,
      decidedAt,
      reference: `SB-DEMO${String(index + 1).padStart(4, '0')}`,
    });
    if (demo.question) {
      const outcome = await askFamily(db, officer, {
        id,
        seenVersion: version,
        question: demo.question,
        requestId: DEMO_REQUEST_ID,
        baseUrl,
      });
      if (outcome !== 'done') throw new Error(`The demo question about ${demo.child} was not asked: ${outcome}`);
    }
  }
}
