// The scoring model: the shipped model is valid, scoring is explainable and deterministic, safeguarding and
// under-5s always go to a social worker, a draft can be compared against past applications, and nothing about
// who a family are (ethnicity, postcode) can change a score.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import defaultModelData from './default-model.json' with { type: 'json' };
import { NEED_LEVELS, problemsWithModel, type NeedLevel, type ScoringModel } from './model.ts';
import { compareModels, scoreApplication, scoringInputOf, type ScoringInput } from './score.ts';

const model = defaultModelData as ScoringModel;

/** The id of a question's answer at a level of need, as the model states it. */
function answerAt(questionId: string, need: NeedLevel): string {
  const question = model.questions.find((candidate) => candidate.id === questionId)!;
  return question.options.find((option) => option.need === need)!.id;
}

const needRank = (questionId: string, optionId: string) =>
  NEED_LEVELS.indexOf(
    model.questions.find((question) => question.id === questionId)!.options.find((option) => option.id === optionId)!
      .need!,
  );

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
        child_daily_life: answerAt('child_daily_life', 'a_lot'),
        family_daily_life: answerAt('family_daily_life', 'a_lot'),
        support_network: answerAt('support_network', 'some'),
        able_to_continue: answerAt('able_to_continue', 'some'),
        no_support: answerAt('no_support', 'some'),
        what_would_help: answerAt('what_would_help', 'a_lot'),
        risk_of_harm: answerAt('risk_of_harm', 'none'),
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
    // Any answer swapped for one the model says shows at least as much need: the total and the outcome never fall.
    const swap = fc
      .constantFrom(...model.questions.filter((question) => question.id !== 'risk_of_harm'))
      .chain((question) =>
        fc.record({
          questionId: fc.constant(question.id),
          from: fc.constantFrom(...question.options.map((option) => option.id)),
          to: fc.constantFrom(...question.options.map((option) => option.id)),
        }),
      );
    fc.assert(
      fc.property(anyInput, swap, (input, { questionId, from, to }) => {
        fc.pre(input.childAge >= 5 && input.answers.risk_of_harm !== 'yes');
        const [less, more] = needRank(questionId, from) <= needRank(questionId, to) ? [from, to] : [to, from];
        const before = scoreApplication(model, { ...input, answers: { ...input.answers, [questionId]: less } });
        const after = scoreApplication(model, { ...input, answers: { ...input.answers, [questionId]: more } });
        assert.ok(after.total >= before.total);
        assert.ok(
          rank(after.outcome.kind, after.outcome.amountPerYear) >=
            rank(before.outcome.kind, before.outcome.amountPerYear),
        );
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
  test('a reversed question is refused: an answer showing more need may not score fewer points', () => {
    const reversed: ScoringModel = {
      ...model,
      questions: model.questions.map((question) =>
        question.id === 'able_to_continue'
          ? {
              ...question,
              // Points the wrong way round, as version 1 in effect scored "How able are you to keep caring?".
              options: question.options.map((option, index, all) => ({
                ...option,
                points: all[all.length - 1 - index]!.points,
              })),
            }
          : question,
      ),
    };
    const problems = problemsWithModel(reversed);
    assert.ok(
      problems.includes(
        'Answer "cannot_without_help" of "able_to_continue" shows exceptional need but scores fewer points than ' +
          '"can_keep_caring", which shows no extra need (0 against 28): more need must never score less',
      ),
      problems.join('\n'),
    );
    assert.equal(problems.length, 3, 'each answer scoring less than one showing less need is named once');
    const equal: ScoringModel = {
      ...model,
      questions: model.questions.map((question) =>
        question.id === 'able_to_continue'
          ? { ...question, options: question.options.map((option) => ({ ...option, points: 5 })) }
          : question,
      ),
    };
    assert.deepEqual(
      problemsWithModel(equal),
      [],
      'the same points for more need is allowed: never less, not always more',
    );
  });

  test('a level of need must be one the model knows, and stated for every answer of a question or none', () => {
    const [first, ...rest] = model.questions;
    const mixed: ScoringModel = {
      ...model,
      questions: [
        {
          ...first!,
          options: first!.options.map((option, index) =>
            index === 0
              ? { ...option, need: 'huge' as NeedLevel }
              : index === 1
                ? { ...option, need: undefined }
                : option,
          ),
        },
        ...rest,
      ],
    };
    const problems = problemsWithModel(mixed);
    assert.ok(problems.some((problem) => problem.includes('has a level of need "huge" that is not one of')));
    assert.ok(problems.some((problem) => problem.includes('says how much need some of its answers show but not all')));
  });

  test('a model made before answers stated their need still reads and scores the same; its direction is not checked', () => {
    const older: ScoringModel = JSON.parse(
      JSON.stringify(model, (key, value: unknown) => (key === 'need' ? undefined : value)),
    ) as ScoringModel;
    assert.ok(older.questions.every((question) => question.options.every((option) => option.need === undefined)));
    assert.deepEqual(problemsWithModel(older), []);
    fc.assert(
      fc.property(anyInput, (input) => {
        assert.deepEqual(scoreApplication(older, input), scoreApplication(model, input));
      }),
      { numRuns: 200 },
    );
  });
});
