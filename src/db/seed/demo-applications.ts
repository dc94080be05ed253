// Demo short-breaks applications: one for each demo child, in different states, scored with the shipped model,
// so the scoring pages have past applications to replay a draft model against.
import type { Kysely } from 'kysely';
import type { ApplicationStatus, Schema } from '../schema.ts';
import { scoreApplication } from '../../domain/scoring/score.ts';
import { ageOn } from '../../domain/short-breaks/eligibility.ts';
import { SHIPPED_MODEL } from '../../features/scoring/service.ts';
import { proposalOf } from '../../features/short-breaks/service.ts';
import { DEMO_COUNCIL } from './demo.ts';

const STATES: ApplicationStatus[] = [
  'submitted',
  'verified',
  'decided',
  'more_information_requested',
  'decided',
  'draft',
];
const LEVELS = ['none', 'some', 'a_lot', 'exceptional'];

export async function seedDemoApplications(db: Kysely<Schema>, today = new Date()): Promise<void> {
  const children = await db
    .selectFrom('children')
    .select(['id', 'date_of_birth'])
    .where('la_code', '=', DEMO_COUNCIL.laCode)
    .orderBy('date_of_birth')
    .execute();
  for (const [index, child] of children.entries()) {
    const childAge = Math.min(25, ageOn(child.date_of_birth, today));
    // Each child's answers step up the levels differently, so the demo covers a spread of outcomes.
    const answers = Object.fromEntries(
      SHIPPED_MODEL.questions.map((question, position) => [
        question.id,
        question.id === 'risk_of_harm' ? 'no' : LEVELS[(index + position) % LEVELS.length]!,
      ]),
    );
    const status = STATES[index % STATES.length]!;
    const scored = status === 'draft' ? null : scoreApplication(SHIPPED_MODEL, { answers, childAge });
    await db
      .insertInto('short_break_applications')
      .values({
        la_code: DEMO_COUNCIL.laCode,
        child_id: child.id,
        status,
        answers: JSON.stringify(answers),
        child_age: childAge,
        model_version: scored?.modelVersion ?? null,
        total: scored?.total ?? null,
        domain_scores: scored ? JSON.stringify(scored.domainScores) : null,
        rule_id: scored?.ruleId ?? null,
        outcome: scored ? JSON.stringify(proposalOf(scored)) : null,
        decision: scored && status === 'decided' ? JSON.stringify(proposalOf(scored)) : null,
        decided_at: scored && status === 'decided' ? today : null,
        submitted_at: scored ? today : null,
        reference: scored ? `SB-DEMO${String(index + 1).padStart(4, '0')}` : null,
      })
      .execute();
  }
}
