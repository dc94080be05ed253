// The shipped model's questions point the right way: each has answers worded for it, each answer states how much
// need its words show, and more need never scores fewer points. Version 1 asked every question on one four-answer
// scale ("No, not really" … "All the time, and it is getting too much"), so a parent who could not keep caring and
// answered "No, not really" scored 0 and was told "You said you can keep caring as things are"; these tests fail
// on that model.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import defaultModelData from './default-model.json' with { type: 'json' };
import { NEED_LEVELS, isNeedLevel, needDirectionProblems, problemsWithModel, type ScoringModel } from './model.ts';
import { scoreApplication } from './score.ts';

const model = defaultModelData as ScoringModel;

describe('the shipped scoring model', () => {
  test('every answer says how much need its words show', () => {
    const unstated = model.questions.flatMap((question) =>
      question.options.filter((option) => !isNeedLevel(option.need)).map((option) => `${question.id}: ${option.id}`),
    );
    assert.deepEqual(unstated, []);
  });

  test('more need never scores fewer points, on any question', () => {
    for (const question of model.questions) assert.deepEqual(needDirectionProblems(question), [], question.id);
    assert.deepEqual(problemsWithModel(model), []);
  });

  test('each question has answers worded for it, not one scale shared by every question', () => {
    const wordings = model.questions.map((question) => question.options.map((option) => option.label).join(' | '));
    assert.equal(new Set(wordings).size, wordings.length, 'no two questions share the same answers');
    const explanations = model.questions.flatMap((question) => question.options.map((option) => option.explanation));
    assert.equal(new Set(explanations).size, explanations.length, 'every answer is explained in its own words');
  });

  test('families read each question’s answers least need first, and the scored questions use every level once', () => {
    for (const question of model.questions) {
      const levels = question.options.map((option) => NEED_LEVELS.indexOf(option.need!));
      assert.deepEqual(
        levels,
        [...levels].sort((a, b) => a - b),
        question.id,
      );
      const scored = question.options.some((option) => option.points > 0);
      if (scored) assert.deepEqual(levels, [0, 1, 2, 3], `${question.id} has one answer at each level`);
    }
  });

  test('an answer showing no extra need adds no points, and says so; the most need scores the most', () => {
    for (const question of model.questions) {
      const least = question.options.find((option) => option.need === 'none')!;
      assert.equal(least.points, 0, question.id);
      const scored = question.options.some((option) => option.points > 0);
      if (!scored) continue;
      assert.match(least.explanation, /added no points/, question.id);
      const most = question.options.find((option) => option.need === 'exceptional')!;
      assert.equal(most.points, Math.max(...question.options.map((option) => option.points)), question.id);
    }
  });

  test('"How able are you to keep caring?": a parent who cannot keep caring scores the most, and is told so', () => {
    const question = model.questions.find((candidate) => candidate.id === 'able_to_continue')!;
    const cannot = question.options.find((option) => option.label === 'I cannot keep caring without help now')!;
    const can = question.options.find((option) => option.label === 'I can keep caring as things are')!;
    const score = (optionId: string) =>
      scoreApplication(model, { childAge: 9, answers: { [question.id]: optionId } }).answers[0]!;
    assert.equal(score(cannot.id).points, 28);
    assert.match(score(cannot.id).explanation, /cannot keep caring/);
    assert.equal(score(can.id).points, 0);
    assert.match(score(can.id).explanation, /can keep caring as things are/);
  });
});
