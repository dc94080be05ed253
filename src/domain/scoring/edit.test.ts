// Changing a scoring model part by part: what each form change does to the model, and the messages for bad input.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import defaultModel from './default-model.json' with { type: 'json' };
import { addQuestion, addRule, editQuestion, editRule, idFrom, moveRule, removeQuestion } from './edit.ts';
import { flagName, problemsWithModel, type ScoringModel } from './model.ts';

const MODEL = defaultModel as ScoringModel;
const first = MODEL.questions[0]!;

/** The question's fields as its form shows them. */
function questionFields(): Record<string, string> {
  const fields: Record<string, string> = {
    text: first.text,
    hint: first.hint ?? '',
    domain: first.domain,
    weight: String(first.weight ?? 1),
  };
  for (const [index, option] of first.options.entries()) {
    fields[`label-${index}`] = option.label;
    fields[`points-${index}`] = String(option.points);
    fields[`need-${index}`] = option.need ?? '';
    fields[`explanation-${index}`] = option.explanation;
    fields[`flags-${index}`] = (option.flags ?? []).join(', ');
  }
  return fields;
}

describe('editing a scoring model', () => {
  test("a question keeps its answers' ids when their words and points change, and gains a new answer", () => {
    const result = editQuestion(MODEL, first.id, {
      ...questionFields(),
      'points-1': '10',
      weight: '1.5',
      'label-new': 'Every minute of the day and night',
      'points-new': '35',
      'need-new': 'exceptional',
      'explanation-new': 'Your child needs support every minute of the day and night.',
    });
    assert.ok(result.model);
    const changed = result.model.questions[0]!;
    assert.deepEqual(
      changed.options.map((option) => option.id),
      [...first.options.map((option) => option.id), 'every_minute_of_the_day_and_night'],
    );
    assert.equal(changed.options[1]!.points, 10);
    assert.equal(changed.options.at(-1)!.need, 'exceptional');
    assert.deepEqual(
      changed.options.slice(0, -1).map((option) => option.need),
      first.options.map((option) => option.need),
      'each answer keeps its level of need',
    );
    assert.equal(changed.weight, 1.5);
    assert.deepEqual(problemsWithModel(result.model), []);
    assert.deepEqual(result.model.questions.slice(1), MODEL.questions.slice(1), 'other questions are untouched');
  });

  test('bad question input is named field by field', () => {
    const result = editQuestion(MODEL, first.id, {
      ...questionFields(),
      text: ' ',
      weight: '0',
      'points-0': 'lots',
      'explanation-1': '',
      'label-new': 'Half',
    });
    assert.equal(result.model, null);
    assert.deepEqual(Object.keys(result.errors ?? {}).sort(), [
      'explanation-1',
      'explanation-new',
      'need-new',
      'points-0',
      'points-new',
      'text',
      'weight',
    ]);
    assert.equal(result.errors?.text, 'Enter the question');
  });

  test('every answer saved states how much need it shows; one from an older model must be given a level', () => {
    const result = editQuestion(MODEL, first.id, { ...questionFields(), 'need-2': '', 'need-3': 'enormous' });
    assert.equal(result.errors?.['need-2'], 'Select how much need this answer shows');
    assert.equal(result.errors?.['need-3'], 'Select how much need this answer shows');
    // A question from a model made before answers stated their need: saving it gives each answer its level.
    const older: ScoringModel = {
      ...MODEL,
      questions: MODEL.questions.map((question, index) =>
        index === 0
          ? { ...question, options: question.options.map((option) => ({ ...option, need: undefined })) }
          : question,
      ),
    };
    const unstated = editQuestion(older, first.id, { ...questionFields(), 'need-0': '' });
    assert.equal(unstated.errors?.['need-0'], 'Select how much need this answer shows');
    const stated = editQuestion(older, first.id, questionFields());
    assert.ok(stated.model, JSON.stringify(stated.errors));
    assert.deepEqual(
      stated.model.questions[0]!.options.map((option) => option.need),
      ['none', 'some', 'a_lot', 'exceptional'],
    );
  });

  test('an answer showing more need than another may not score fewer points: the form says which and how many', () => {
    const result = editQuestion(MODEL, first.id, { ...questionFields(), 'points-3': '20' });
    assert.equal(result.model, null);
    assert.deepEqual(result.errors, {
      'points-3': 'Answer 4 shows more need than answer 3, so give it at least 21 points',
    });
    const added = editQuestion(MODEL, first.id, {
      ...questionFields(),
      'label-new': 'Every minute',
      'points-new': '5',
      'need-new': 'exceptional',
      'explanation-new': 'Your child needs support every minute.',
    });
    assert.deepEqual(added.errors, {
      'points-new': 'The new answer shows more need than answer 3, so give it at least 21 points',
    });
    const lower = editQuestion(MODEL, first.id, { ...questionFields(), 'need-3': 'none' });
    assert.deepEqual(lower.errors, {
      'points-1': 'Answer 2 shows more need than answer 4, so give it at least 28 points',
      'points-2': 'Answer 3 shows more need than answer 4, so give it at least 28 points',
    });
  });

  test('removing answers down to one is refused', () => {
    const fields = questionFields();
    for (let index = 1; index < first.options.length; index++) fields[`remove-${index}`] = 'yes';
    const result = editQuestion(MODEL, first.id, fields);
    assert.equal(result.errors?.['label-0'], 'A question needs at least two answers');
  });

  test('an answer can raise a new flag, named in plain words, which a rule can then act on', () => {
    const result = editQuestion(MODEL, first.id, {
      ...questionFields(),
      'flags-2': 'Needs an interpreter, someone may be at risk of harm',
    });
    assert.ok(result.model, JSON.stringify(result.errors));
    const answer = result.model.questions[0]!.options[2]!;
    assert.deepEqual(answer.flags, ['needs_an_interpreter', 'safeguarding'], 'a known name is the known flag');
    assert.equal(flagName(result.model, 'needs_an_interpreter'), 'Needs an interpreter');
    assert.equal(flagName(result.model, 'safeguarding'), 'someone may be at risk of harm');
    const rule = result.model.rules[0]!;
    const ruled = editRule(result.model, rule.id, {
      reason: rule.reason,
      'flag-needs_an_interpreter': 'yes',
      kind: rule.outcome.kind,
      label: rule.outcome.label,
    });
    assert.ok(ruled.model, JSON.stringify(ruled.errors));
    assert.deepEqual(ruled.model.rules[0]!.when.anyFlag, ['needs_an_interpreter']);
    assert.deepEqual(problemsWithModel(ruled.model), []);

    // Taking the flag off every answer drops its name too.
    const cleared = editQuestion(result.model, first.id, questionFields());
    assert.ok(cleared.model);
    assert.equal(cleared.model.flagNames?.needs_an_interpreter, undefined);
    assert.equal(cleared.model.questions[0]!.options[2]!.flags, undefined);
  });

  test('an answer raises three flags at most', () => {
    const result = editQuestion(MODEL, first.id, { ...questionFields(), 'flags-0': 'one, two, three, four' });
    assert.equal(result.errors?.['flags-0'], 'An answer can raise 3 flags at most');
  });

  test('a rule gets its conditions and outcome from the form; empty conditions are left out', () => {
    const rule = MODEL.rules.find((candidate) => candidate.outcome.kind === 'band')!;
    const result = editRule(MODEL, rule.id, {
      reason: 'Your answers show high needs.',
      minTotal: '110',
      maxTotal: '',
      childAgeBelow: '',
      minDomain: 'impact_on_family',
      minDomainPoints: '21',
      kind: 'band',
      label: 'Short breaks worth up to £7,000 a year',
      amountPerYear: '£7,000',
      hoursPerYear: '',
    });
    assert.ok(result.model);
    const changed = result.model.rules.find((candidate) => candidate.id === rule.id)!;
    assert.deepEqual(changed.when, { minTotal: 110, minDomain: { domain: 'impact_on_family', points: 21 } });
    assert.deepEqual(changed.outcome, {
      kind: 'band',
      label: 'Short breaks worth up to £7,000 a year',
      amountPerYear: 7000,
    });
  });

  test('bad rule input is named field by field', () => {
    const rule = MODEL.rules[1]!;
    const result = editRule(MODEL, rule.id, { reason: '', minTotal: '50', maxTotal: '10', kind: 'cash', label: '' });
    assert.deepEqual(Object.keys(result.errors ?? {}).sort(), ['kind', 'label', 'maxTotal', 'reason']);
  });

  test('rules move one place at a time, added rules go before the catch-all, ids stay unique', () => {
    const [a, b] = MODEL.rules;
    const moved = moveRule(MODEL, b!.id, 'up');
    assert.deepEqual(
      moved.rules.slice(0, 2).map((rule) => rule.id),
      [b!.id, a!.id],
    );
    assert.equal(moveRule(MODEL, a!.id, 'up'), MODEL, 'the first rule cannot move up');
    const added = addRule(MODEL);
    assert.equal(added.model.rules.at(-2)!.id, added.id);
    assert.equal(added.model.rules.at(-1)!.id, MODEL.rules.at(-1)!.id);
    assert.deepEqual(problemsWithModel(added.model), []);
    const question = addQuestion(MODEL);
    assert.equal(idFrom('new question', [question.id]), 'new_question_2');
    assert.equal(removeQuestion(question.model, question.id).questions.length, MODEL.questions.length);
  });
});
