// Demo short-breaks applications in every state, scored with the shipped model, so each staff page has work on it
// and the scoring pages have past applications to replay a draft model against.
import type { Kysely } from 'kysely';
import type { ApplicationStatus, Schema } from '../schema.ts';
import { scoreApplication } from '../../domain/scoring/score.ts';
import { ageOn } from '../../domain/short-breaks/eligibility.ts';
import { SHIPPED_MODEL } from '../../features/scoring/service.ts';
import { proposalOf } from '../../features/short-breaks/service.ts';
import { DEMO_COUNCIL } from './demo.ts';

const LEVELS = ['none', 'some', 'a_lot', 'exceptional'];

interface DemoApplication {
  child: string;
  status: ApplicationStatus;
  /** Steps each answer up the levels differently, so the demo covers a spread of outcomes. */
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

export async function seedDemoApplications(db: Kysely<Schema>, today = new Date()): Promise<void> {
  const children = await db
    .selectFrom('children')
    .select(['id', 'given_name', 'date_of_birth'])
    .where('la_code', '=', DEMO_COUNCIL.laCode)
    .execute();
  const officer = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', 'short.breaks@demo.pathway.test')
    .executeTakeFirstOrThrow();
  for (const [index, demo] of DEMO_APPLICATIONS.entries()) {
    const child = children.find((candidate) => candidate.given_name === demo.child);
    if (!child) throw new Error(`No demo child called ${demo.child}`);
    const answers = Object.fromEntries(
      SHIPPED_MODEL.questions.map((question, position) => [
        question.id,
        question.id === 'risk_of_harm' ? 'no' : LEVELS[(demo.level + position) % LEVELS.length]!,
      ]),
    );
    const submittedAt = demo.decidedMonthsAgo ? monthsBefore(today, demo.decidedMonthsAgo + 1) : today;
    const childAge = Math.min(25, ageOn(child.date_of_birth, submittedAt));
    const scored = demo.status === 'draft' ? null : scoreApplication(SHIPPED_MODEL, { answers, childAge });
    const decided = scored !== null && (demo.status === 'decided' || demo.status === 'awaiting_panel');
    const { id } = await db
      .insertInto('short_break_applications')
      .values({
        la_code: DEMO_COUNCIL.laCode,
        child_id: child.id,
        status: demo.status,
        eligibility: JSON.stringify({ livesInArea: 'yes', evidence: 'diagnosis' }),
        about: JSON.stringify({
          condition: 'Autism and a learning disability',
          ethnicity: DEMO_ETHNICITIES[index % DEMO_ETHNICITIES.length],
          ...DEMO_FAMILY,
        }),
        answers: JSON.stringify(answers),
        child_age: childAge,
        model_version: scored?.modelVersion ?? null,
        total: scored?.total ?? null,
        domain_scores: scored ? JSON.stringify(scored.domainScores) : null,
        rule_id: scored?.ruleId ?? null,
        outcome: scored ? JSON.stringify(proposalOf(scored)) : null,
        decision: decided ? JSON.stringify(proposalOf(scored)) : null,
        decided_at:
          demo.status === 'decided'
            ? demo.decidedMonthsAgo
              ? monthsBefore(today, demo.decidedMonthsAgo)
              : today
            : null,
        submitted_at: scored ? submittedAt : null,
        reference: scored ? `SB-DEMO${String(index + 1).padStart(4, '0')}` : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (demo.question) {
      await db
        .insertInto('short_break_information_requests')
        .values({ la_code: DEMO_COUNCIL.laCode, application_id: id, question: demo.question, asked_by: officer.id })
        .execute();
    }
  }
}
