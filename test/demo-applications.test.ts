// The demo short-breaks applications are ones Pathway could have made: every child within the council's age limit
// when their application was sent, every answer one the shipped model offers, and a spread of outcomes for the staff
// pages, whatever day the demo is seeded.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedDemoCouncil } from '../src/demo/council.ts';
import { seedDemoApplications } from '../src/demo/applications.ts';
import { scoreApplication } from '../src/domain/scoring/score.ts';
import { ageOn } from '../src/domain/short-breaks/eligibility.ts';
import { SHIPPED_MODEL } from '../src/features/scoring/service.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';

/** The amount above which the resource panel decides, by default (the council setting short_breaks_panel_amount). */
const PANEL_AMOUNT = 5000;

for (const target of databaseTargets()) {
  describe(`Demo short-breaks applications on ${target.name}`, () => {
    let database: TestDatabase;

    before(async () => {
      database = await target.open();
      await seedDemoCouncil(database.db, 'test');
    });
    after(async () => {
      await database.dispose();
    });

    async function seededOn(today: Date, maxAge?: number) {
      await database.db.deleteFrom('short_break_information_requests').execute();
      await database.db.deleteFrom('short_break_applications').execute();
      await seedDemoApplications(database.db, today, maxAge);
      return database.db
        .selectFrom('short_break_applications as a')
        .innerJoin('children as c', 'c.id', 'a.child_id')
        .select([
          'c.given_name',
          'c.date_of_birth',
          'a.status',
          'a.answers',
          'a.child_age',
          'a.submitted_at',
          'a.decided_at',
          'a.rule_id',
          'a.total',
          'a.decision',
        ])
        .execute();
    }

    // Jordan (born 30 November 2008) turned 18 on 30 November 2026: past the default limit of 17 from then on.
    const days = ['2026-10-01', '2026-12-07', '2027-06-15', '2029-03-01'].map((day) => new Date(`${day}T10:00:00Z`));

    for (const today of days) {
      test(`seeded on ${today.toISOString().slice(0, 10)}, no application records a child older than the limit`, async () => {
        const rows = await seededOn(today);
        const sent = rows.filter((row) => row.status !== 'draft');
        assert.ok(sent.length >= 6);
        for (const row of sent) {
          assert.ok(row.child_age !== null && row.child_age <= 17, `${row.given_name} is ${row.child_age}`);
          assert.equal(row.child_age, ageOn(row.date_of_birth, row.submitted_at!), `${row.given_name}'s age when sent`);
          assert.ok(row.submitted_at! <= today, `${row.given_name} was sent before today`);
          if (row.decided_at) assert.ok(row.decided_at >= row.submitted_at!, `${row.given_name} decided after sending`);
        }
        const jordan = sent.find((row) => row.given_name === 'Jordan')!;
        assert.equal(jordan.status, 'submitted', 'Jordan, a young person applying for themselves, is still waiting');
      });
    }

    test('the council’s own age limit is kept too', async () => {
      const rows = await seededOn(new Date('2026-12-07T10:00:00Z'), 12);
      for (const row of rows.filter((candidate) => candidate.status !== 'draft'))
        assert.ok(row.child_age! <= 12, `${row.given_name} is ${row.child_age}`);
    });

    test('every answer is one the shipped model offers, scored as stored, with a spread of outcomes', async () => {
      const rows = await seededOn(new Date('2026-12-07T10:00:00Z'));
      for (const row of rows) {
        for (const question of SHIPPED_MODEL.questions) {
          const answer = row.answers[question.id];
          assert.ok(
            question.options.some((option) => option.id === answer),
            `${row.given_name}: "${String(answer)}" is an answer to ${question.id}`,
          );
        }
        if (row.status === 'draft') continue;
        const scored = scoreApplication(SHIPPED_MODEL, { answers: row.answers, childAge: row.child_age! });
        assert.equal(row.total, scored.total, row.given_name);
        assert.equal(row.rule_id, scored.ruleId, row.given_name);
        assert.deepEqual(scored.flags, [], 'no demo family raises a safeguarding concern');
      }
      const outcomes = new Set(rows.map((row) => row.rule_id).filter((rule) => rule !== null));
      assert.ok(outcomes.size >= 2, `a spread of outcomes: ${[...outcomes].join(', ')}`);
      const panel = rows.find((row) => row.status === 'awaiting_panel')!;
      assert.ok(
        ((panel.decision as { amountPerYear?: number }).amountPerYear ?? 0) > PANEL_AMOUNT,
        'the application waiting for the panel is worth more than the panel amount',
      );
    });
  });
}
