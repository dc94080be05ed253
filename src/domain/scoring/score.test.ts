// The scoring model: the shipped model is valid, scoring is explainable and deterministic, safeguarding and
// under-5s always go to a social worker, a draft can be compared against past applications, and nothing about
// who a family are (ethnicity, postcode) can change a score.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import defaultModelData from './default-model.json' with { type: 'json' };
import { problemsWithModel, type ScoringModel } from './model.ts';
import { compareModels, scoreApplication, scoringInputOf, type ScoringInput } from './score.ts';

const model = defaultModelData as ScoringModel;

/** Any set of answers to the model's questions (some left unanswered), for a child of any age 0 to 25. */
const anyInput = fc.record({
  answers: fc.record(
    Object.fromEntries(
      model.questions.map((question) => [question.id, fc.constantFrom(...question.options.map((option) => option.id))]),
    ),
    { requiredKeys: [] },
  ),
  childAge: fc.integer({ min: 0, max: 25 }),
}) as fc.Arbitrary<ScoringInput>;

describe('scoring model', () => {
  test('the shipped model is valid: every domain asked about, points whole, a catch-all rule last', () => {
    assert.deepEqual(problemsWithModel(model), []);
  });

  test('a broken model is described in plain English', () => {
    const broken: ScoringModel = {
      ...model,
      questions: model.questions
        .slice(1)
        .map((question, index) =>
          index === 0 ? { ...question, options: [{ ...question.options[0]!, points: -3 }] } : question,
        ),
      rules: model.rules.slice(0, -1),
    };
    const problems = problemsWithModel(broken);
    assert.ok(problems.some((problem) => problem.includes('needs at least two answers')));
    assert.ok(problems.some((problem) => problem.includes('not a whole number of 0 or more')));
    assert.ok(problems.some((problem) => problem.includes('No question asks about "impact_on_child"')));
    assert.ok(problems.some((problem) => problem.includes('The last rule must have no conditions')));
  });

  test('a worked example: the scores, the rule that fired and why, answer by answer', () => {
    const result = scoreApplication(model, {
      childAge: 9,
      answers: {
        child_daily_life: 'a_lot',
        family_daily_life: 'a_lot',
        support_network: 'some',
        able_to_continue: 'some',
        no_support: 'some',
        what_would_help: 'a_lot',
        risk_of_harm: 'no',
      },
    });
    assert.equal(result.total, 21 * 3 + 8 * 3);
    assert.equal(result.domainScores.impact_on_child, 21);
    assert.equal(result.ruleId, 'band_one');
    assert.equal(result.outcome.amountPerYear, 1664);
    assert.equal(result.answers.length, 7);
    assert.match(result.answers[0]!.explanation, /affect their daily life a lot/);
    assert.deepEqual(result.unanswered, []);
  });

  test('every application gets exactly one outcome, the same every time', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const first = scoreApplication(model, input);
        assert.deepEqual(scoreApplication(model, input), first);
        assert.ok(model.rules.some((rule) => rule.id === first.ruleId));
        assert.equal(
          first.total,
          Object.values(first.domainScores).reduce((sum, points) => sum + points, 0),
        );
      }),
    );
  });

  test('a safeguarding concern or a child under 5 always goes to a social work assessment', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const result = scoreApplication(model, input);
        if (input.answers.risk_of_harm === 'yes' || input.childAge < 5)
          assert.equal(result.outcome.kind, 'social_work_assessment');
      }),
    );
  });

  test('more need never means less support, for a child of 5 or over with no safeguarding concern', () => {
    const rank = (kind: string, amount = 0) =>
      ({ signpost: 0, standard_offer: 1, band: 2, social_work_assessment: 4 })[kind]! + amount / 10_000;
    fc.assert(
      fc.property(anyInput, fc.constantFrom(...model.questions.map((question) => question.id)), (input, questionId) => {
        fc.pre(input.childAge >= 5 && input.answers.risk_of_harm !== 'yes' && questionId !== 'risk_of_harm');
        const question = model.questions.find((candidate) => candidate.id === questionId)!;
        const highest = question.options.at(-1)!.id;
        const before = scoreApplication(model, input).outcome;
        const after = scoreApplication(model, {
          ...input,
          answers: { ...input.answers, [questionId]: highest },
        }).outcome;
        assert.ok(rank(after.kind, after.amountPerYear) >= rank(before.kind, before.amountPerYear));
      }),
    );
  });

  test('scoring never reads ethnicity or postcode: changing them changes nothing', () => {
    fc.assert(
      fc.property(
        anyInput,
        fc.string(),
        fc.string(),
        fc.string(),
        fc.string(),
        (input, ethnicityA, ethnicityB, postcodeA, postcodeB) => {
          const application = (ethnicity: string, postcode: string) => ({
            ...input,
            ethnicity,
            postcode,
            locality: postcode,
          });
          const a = scoringInputOf(application(ethnicityA, postcodeA));
          const b = scoringInputOf(application(ethnicityB, postcodeB));
          assert.deepEqual(Object.keys(a).sort(), ['answers', 'childAge']);
          assert.deepEqual(scoreApplication(model, a), scoreApplication(model, b));
        },
      ),
    );
  });

  test('trying a draft model counts the past applications whose outcome would change', () => {
    const draft: ScoringModel = {
      ...model,
      version: model.version + 1,
      // The draft raises the standard offer's threshold from 30 to 40 points.
      rules: model.rules.map((rule) =>
        rule.id === 'standard_offer' ? { ...rule, when: { ...rule.when, minTotal: 40 } } : rule,
      ),
    };
    const inputs = fc.sample(anyInput, { numRuns: 2000, seed: 7 });
    const comparison = compareModels(model, draft, inputs);
    const expected = inputs.filter((input) => {
      const result = scoreApplication(model, input);
      return result.ruleId === 'standard_offer' && result.total < 40;
    }).length;
    assert.equal(comparison.applications, 2000);
    assert.equal(comparison.changed, expected);
    assert.ok(expected > 0, 'the sample includes applications near the threshold');
    assert.deepEqual(Object.keys(comparison.moves), [
      'A standard offer of £216 a year, paid to you to spend on short breaks → Activities and services in the Local Offer',
    ]);
  });
});
