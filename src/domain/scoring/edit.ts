// Changing a scoring model one part at a time, as the structured editor does: a question with its answers, a rule
// with its conditions and outcome, adding, removing and reordering. Each change reads the form's fields as text
// and returns the changed model, or the fields that are wrong with a message for each (GOV.UK style). The model
// as a whole is then checked by problemsWithModel before it can be published.
import {
  NEEDS_DOMAINS,
  flagName,
  isNeedLevel,
  needDirectionProblems,
  type AnswerOption,
  type NeedLevel,
  type NeedsDomain,
  type OutcomeKind,
  type Question,
  type Rule,
  type ScoringModel,
} from './model.ts';

export const OUTCOME_KINDS: OutcomeKind[] = ['signpost', 'standard_offer', 'band', 'social_work_assessment'];

export type Fields = Record<string, string | undefined>;
export type FieldErrors = Record<string, string>;
export type EditResult = { model: ScoringModel; errors: null } | { model: null; errors: FieldErrors };

const MAX_TEXT = 500;
const MAX_EXPLANATION = 1000;
const MAX_FLAGS = 3;
const MAX_FLAG_NAME = 80;

function text(fields: Fields, name: string): string {
  return (fields[name] ?? '').trim();
}

/** A whole number of 0 or more from a field; undefined when empty; NaN when not a whole number. */
function wholeNumber(fields: Fields, name: string): number | undefined {
  const raw = text(fields, name).replace(/[£,]/g, '');
  if (raw === '') return undefined;
  return /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
}

/** An id made from a label, unique among the ids given: "A lot of the time" → "a_lot_of_the_time". */
export function idFrom(label: string, taken: Iterable<string>): string {
  const base =
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 40) || 'item';
  const used = new Set(taken);
  let id = base;
  for (let suffix = 2; used.has(id); suffix++) id = `${base}_${suffix}`;
  return id;
}

function requireText(fields: Fields, name: string, errors: FieldErrors, message: string, max = MAX_TEXT) {
  const value = text(fields, name);
  if (value === '') errors[name] = message;
  else if (value.length > max) errors[name] = `${message.replace(/^Enter /, 'Shorten ')} to ${max} characters or fewer`;
  return value;
}

/**
 * The flags an answer raises, typed as what they mean and separated by commas ("someone may be at risk of harm").
 * A name the model already has is that flag; a new name makes a new flag, added to `names`.
 */
function readFlags(
  model: ScoringModel,
  names: Record<string, string>,
  fields: Fields,
  field: string,
  errors: FieldErrors,
) {
  const typed = text(fields, field)
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const known = new Set([...modelFlags(model), ...Object.keys(names)]);
  const ids: string[] = [];
  for (const name of typed) {
    if (name.length > MAX_FLAG_NAME) errors[field] = `Shorten each flag to ${MAX_FLAG_NAME} characters or fewer`;
    const lower = name.toLowerCase();
    let id = [...known].find(
      (flag) => flag === lower || (names[flag] ?? flagName(model, flag)).toLowerCase() === lower,
    );
    if (!id) {
      id = idFrom(name, known);
      known.add(id);
      names[id] = name;
    }
    if (!ids.includes(id)) ids.push(id);
  }
  if (ids.length > MAX_FLAGS) errors[field] = `An answer can raise ${MAX_FLAGS} flags at most`;
  return ids;
}

/** The answer with these flags, or with none (no empty list left in the model). */
function withFlags(option: AnswerOption, flags: string[]): AnswerOption {
  return {
    id: option.id,
    label: option.label,
    points: option.points,
    ...(option.need === undefined ? {} : { need: option.need }),
    ...(flags.length > 0 ? { flags } : {}),
    explanation: option.explanation,
  };
}

/** The level of need chosen for an answer; every saved answer states one, so the question's direction is checked. */
function readNeed(fields: Fields, name: string, errors: FieldErrors, message: string): NeedLevel | undefined {
  const need = text(fields, name);
  if (isNeedLevel(need)) return need;
  errors[name] = message;
  return undefined;
}

/**
 * A question's fields: text, hint, domain, weight, and for each answer i (by position) label-i, points-i, need-i,
 * explanation-i, flags-i and remove-i; a new answer in label-new, points-new, need-new, explanation-new and
 * flags-new. An answer that shows more need than another but scores fewer points is refused on its points.
 */
export function editQuestion(model: ScoringModel, questionId: string, fields: Fields): EditResult {
  const question = model.questions.find((candidate) => candidate.id === questionId);
  if (!question) throw new Error(`No question ${questionId}`);
  const errors: FieldErrors = {};
  const questionText = requireText(fields, 'text', errors, 'Enter the question');
  const hint = text(fields, 'hint');
  const domain = NEEDS_DOMAINS.find((candidate) => candidate === text(fields, 'domain'));
  if (!domain) errors.domain = 'Select which part of the framework the question asks about';
  const weightText = text(fields, 'weight');
  const weight = weightText === '' ? 1 : Number(weightText);
  if (!/^\d+(\.\d{1,2})?$/.test(weightText || '1') || !(weight > 0) || weight > 10)
    errors.weight = 'Enter a weight above 0 and up to 10, like 1 or 1.5';

  const names: Record<string, string> = { ...model.flagNames };
  const options: AnswerOption[] = [];
  // Each kept answer's field suffix ("0", "new"), so a problem found after reading them is put on the right field.
  const suffixes: string[] = [];
  for (const [index, option] of question.options.entries()) {
    if (text(fields, `remove-${index}`) === 'yes') continue;
    const label = requireText(fields, `label-${index}`, errors, 'Enter the answer');
    const points = wholeNumber(fields, `points-${index}`);
    if (points === undefined || Number.isNaN(points)) errors[`points-${index}`] = 'Enter the points as a whole number';
    const need = readNeed(fields, `need-${index}`, errors, 'Select how much need this answer shows');
    const explanation = requireText(
      fields,
      `explanation-${index}`,
      errors,
      'Enter what this answer means for the family',
      MAX_EXPLANATION,
    );
    const flags = readFlags(model, names, fields, `flags-${index}`, errors);
    options.push(withFlags({ ...option, label, points: points ?? 0, need, explanation }, flags));
    suffixes.push(String(index));
  }
  const newLabel = text(fields, 'label-new');
  if (newLabel !== '' || text(fields, 'points-new') !== '' || text(fields, 'explanation-new') !== '') {
    const label = requireText(fields, 'label-new', errors, 'Enter the new answer');
    const points = wholeNumber(fields, 'points-new');
    if (points === undefined || Number.isNaN(points))
      errors['points-new'] = 'Enter the new answer’s points as a whole number';
    const need = readNeed(fields, 'need-new', errors, 'Select how much need the new answer shows');
    const explanation = requireText(
      fields,
      'explanation-new',
      errors,
      'Enter what the new answer means for the family',
      MAX_EXPLANATION,
    );
    const flags = readFlags(model, names, fields, 'flags-new', errors);
    options.push(
      withFlags(
        {
          id: idFrom(
            label,
            question.options.map((option) => option.id),
          ),
          label,
          points: points ?? 0,
          need,
          explanation,
        },
        flags,
      ),
    );
    suffixes.push('new');
  }
  if (options.length < 2) errors['label-0'] = 'A question needs at least two answers';
  const answerName = (suffix: string) => (suffix === 'new' ? 'the new answer' : `answer ${Number(suffix) + 1}`);
  for (const { index, atLeast, than } of needDirectionProblems({ ...question, options })) {
    const field = `points-${suffixes[index]!}`;
    errors[field] ??=
      `${answerName(suffixes[index]!).replace(/^./, (first) => first.toUpperCase())} shows more need than ` +
      `${answerName(suffixes[than]!)}, so give it at least ${atLeast} points`;
  }
  if (Object.keys(errors).length > 0 || !domain) return { model: null, errors };

  const changed: Question = { ...question, text: questionText, domain, options };
  if (hint === '') delete changed.hint;
  else changed.hint = hint;
  if (weight === 1) delete changed.weight;
  else changed.weight = weight;
  const questions = model.questions.map((item) => (item.id === questionId ? changed : item));
  // Names are kept only for flags some answer still raises.
  const raised = new Set(questions.flatMap((item) => item.options.flatMap((option) => option.flags ?? [])));
  const flagNames = Object.fromEntries(Object.entries(names).filter(([flag]) => raised.has(flag)));
  return { model: { ...model, questions, flagNames }, errors: null };
}

/**
 * A rule's fields: reason; conditions minTotal, maxTotal, childAgeBelow, flag-<name> for each flag the model's
 * answers raise, minDomain with minDomainPoints; the outcome's kind, label, amountPerYear and hoursPerYear.
 */
export function editRule(model: ScoringModel, ruleId: string, fields: Fields): EditResult {
  const rule = model.rules.find((candidate) => candidate.id === ruleId);
  if (!rule) throw new Error(`No rule ${ruleId}`);
  const errors: FieldErrors = {};
  const reason = requireText(
    fields,
    'reason',
    errors,
    'Enter why this outcome, as the family will read it',
    MAX_EXPLANATION,
  );
  const when: Rule['when'] = {};
  const number = (name: string, message: string) => {
    const value = wholeNumber(fields, name);
    if (Number.isNaN(value)) errors[name] = message;
    return value === undefined || Number.isNaN(value) ? undefined : value;
  };
  const flags = modelFlags(model).filter((flag) => text(fields, `flag-${flag}`) === 'yes');
  if (flags.length > 0) when.anyFlag = flags;
  const childAgeBelow = number('childAgeBelow', 'Enter the age as a whole number of years');
  if (childAgeBelow !== undefined) when.childAgeBelow = childAgeBelow;
  const minTotal = number('minTotal', 'Enter the lowest total as a whole number of points');
  if (minTotal !== undefined) when.minTotal = minTotal;
  const maxTotal = number('maxTotal', 'Enter the highest total as a whole number of points');
  if (maxTotal !== undefined) when.maxTotal = maxTotal;
  if (minTotal !== undefined && maxTotal !== undefined && maxTotal < minTotal)
    errors.maxTotal = 'The highest total must be at least the lowest total';
  const domainText = text(fields, 'minDomain');
  const domainPoints = number('minDomainPoints', 'Enter the points as a whole number');
  if (domainText !== '') {
    const domain: NeedsDomain | undefined = NEEDS_DOMAINS.find((candidate) => candidate === domainText);
    if (!domain) errors.minDomain = 'Select a part of the framework, or none';
    else if (domainPoints === undefined) errors.minDomainPoints = 'Enter the points that part must reach';
    else when.minDomain = { domain, points: domainPoints };
  }
  const kind = OUTCOME_KINDS.find((candidate) => candidate === text(fields, 'kind'));
  if (!kind) errors.kind = 'Select what the family gets';
  const label = requireText(fields, 'label', errors, 'Enter what the family gets, as they will read it');
  const amountPerYear = number('amountPerYear', 'Enter the amount as a whole number of pounds');
  const hoursPerYear = number('hoursPerYear', 'Enter the hours as a whole number');
  if (Object.keys(errors).length > 0 || !kind) return { model: null, errors };

  const outcome: Rule['outcome'] = { kind, label };
  if (amountPerYear !== undefined) outcome.amountPerYear = amountPerYear;
  if (hoursPerYear !== undefined) outcome.hoursPerYear = hoursPerYear;
  const changed: Rule = { id: rule.id, reason, when, outcome };
  return {
    model: { ...model, rules: model.rules.map((item) => (item.id === ruleId ? changed : item)) },
    errors: null,
  };
}

/** Every flag an answer in the model can raise, such as "safeguarding". */
export function modelFlags(model: ScoringModel): string[] {
  return [...new Set(model.questions.flatMap((question) => question.options.flatMap((option) => option.flags ?? [])))];
}

/** A new question at the end, with two answers to fill in; returns its id too. */
export function addQuestion(model: ScoringModel): { model: ScoringModel; id: string } {
  const id = idFrom(
    'new question',
    model.questions.map((question) => question.id),
  );
  const question: Question = {
    id,
    domain: NEEDS_DOMAINS[0],
    text: 'New question',
    options: [
      { id: 'no', label: 'No', points: 0, need: 'none', explanation: 'Explain what this answer means for the family.' },
      {
        id: 'yes',
        label: 'Yes',
        points: 8,
        need: 'some',
        explanation: 'Explain what this answer means for the family.',
      },
    ],
  };
  return { model: { ...model, questions: [...model.questions, question] }, id };
}

/** A new rule just before the last one (the last must stay the rule with no conditions); returns its id too. */
export function addRule(model: ScoringModel): { model: ScoringModel; id: string } {
  const id = idFrom(
    'new rule',
    model.rules.map((rule) => rule.id),
  );
  const rule: Rule = {
    id,
    reason: 'Explain why, as the family will read it.',
    when: { minTotal: 0 },
    outcome: { kind: 'signpost', label: 'Activities in the Local Offer' },
  };
  const rules = [...model.rules];
  rules.splice(Math.max(0, rules.length - 1), 0, rule);
  return { model: { ...model, rules }, id };
}

export function removeQuestion(model: ScoringModel, questionId: string): ScoringModel {
  return { ...model, questions: model.questions.filter((question) => question.id !== questionId) };
}

export function removeRule(model: ScoringModel, ruleId: string): ScoringModel {
  return { ...model, rules: model.rules.filter((rule) => rule.id !== ruleId) };
}

/** Moves a rule one place earlier or later; rules are tried in order, so this changes what fires first. */
export function moveRule(model: ScoringModel, ruleId: string, direction: 'up' | 'down'): ScoringModel {
  const rules = [...model.rules];
  const index = rules.findIndex((rule) => rule.id === ruleId);
  const target = direction === 'up' ? index - 1 : index + 1;
  if (index < 0 || target < 0 || target >= rules.length) return model;
  [rules[index], rules[target]] = [rules[target]!, rules[index]!];
  return { ...model, rules };
}
