// A short-breaks scoring model is data, never code: questions in the six needs-led domains, answers with
// points, optional weights, flags, and rules that turn scores and flags into an outcome. Councils edit it and
// publish new versions; every decision keeps the version it was made under.

/** The six questions of the needs-led eligibility framework (DOMAIN.md, capability 4). */
export const NEEDS_DOMAINS = [
  'impact_on_child',
  'impact_on_family',
  'coping_and_support',
  'willing_and_able_to_care',
  'without_support',
  'support_that_would_help',
] as const;
export type NeedsDomain = (typeof NEEDS_DOMAINS)[number];

/**
 * How much need an answer shows, least first, judged from the answer's own words ("I cannot keep caring without
 * help now" shows exceptional need, whatever points it carries). It is what lets a model be checked: more need must
 * never score fewer points.
 */
export const NEED_LEVELS = ['none', 'some', 'a_lot', 'exceptional'] as const;
export type NeedLevel = (typeof NEED_LEVELS)[number];

/** Each level in words, for the problems a model is told about. */
const NEED_WORDS: Record<NeedLevel, string> = {
  none: 'no extra need',
  some: 'some need',
  a_lot: 'a lot of need',
  exceptional: 'exceptional need',
};

export function isNeedLevel(value: unknown): value is NeedLevel {
  return (NEED_LEVELS as readonly unknown[]).includes(value);
}

export interface AnswerOption {
  id: string;
  label: string;
  points: number;
  /**
   * How much need this answer shows. Models published before answers stated it (the shipped model before version 2,
   * and any council's model made from it) lack it: they still score as before, and their questions' direction is
   * not checked until an administrator gives every answer of a question its level.
   */
  need?: NeedLevel;
  /** Answering this raises a flag, such as a safeguarding concern, that rules can act on. */
  flags?: string[];
  /** Why this answer matters, in plain English, for the family's decision letter. */
  explanation: string;
}

export interface Question {
  id: string;
  domain: NeedsDomain;
  text: string;
  hint?: string;
  options: AnswerOption[];
  /** Multiplies the answer's points; 1 when absent. */
  weight?: number;
}

export type OutcomeKind = 'signpost' | 'standard_offer' | 'band' | 'social_work_assessment';

export interface Outcome {
  kind: OutcomeKind;
  /** What the family is told they get, in plain English. */
  label: string;
  amountPerYear?: number;
  hoursPerYear?: number;
}

/** A rule fires when every condition it states holds. Rules are tried in order; the first that fires decides. */
export interface Rule {
  id: string;
  /** Why this outcome, in plain English, for the decision letter. */
  reason: string;
  when: {
    anyFlag?: string[];
    childAgeBelow?: number;
    minTotal?: number;
    maxTotal?: number;
    minDomain?: { domain: NeedsDomain; points: number };
  };
  outcome: Outcome;
}

export interface ScoringModel {
  /** Increases by one with each published version. */
  version: number;
  name: string;
  questions: Question[];
  rules: Rule[];
  /** What each flag means in plain English, by its id: "safeguarding" → "someone may be at risk of harm". */
  flagNames?: Record<string, string>;
  /**
   * The model's words in the families' other languages: by language code, each English text (a question, hint,
   * answer, explanation, reason or outcome) with its translation. Keyed by the English itself, so a text changed in
   * the editor loses its old translation and is shown in English until it is translated again, never wrongly.
   */
  translations?: Record<string, Record<string, string>>;
}

/** A text of the model in a language: its translation when the model has one, otherwise the English. */
export function inLanguage(model: ScoringModel, language: string, english: string): string {
  return model.translations?.[language]?.[english] ?? english;
}

/** The model with every family-facing text in the language, where translated; scoring is unchanged. */
export function modelInLanguage(model: ScoringModel, language: string): ScoringModel {
  const words = model.translations?.[language];
  if (!words) return model;
  const say = (english: string) => words[english] ?? english;
  return {
    ...model,
    questions: model.questions.map((question) => ({
      ...question,
      text: say(question.text),
      ...(question.hint === undefined ? {} : { hint: say(question.hint) }),
      options: question.options.map((option) => ({
        ...option,
        label: say(option.label),
        explanation: say(option.explanation),
      })),
    })),
    rules: model.rules.map((rule) => ({
      ...rule,
      reason: say(rule.reason),
      outcome: { ...rule.outcome, label: say(rule.outcome.label) },
    })),
    ...(model.flagNames === undefined
      ? {}
      : { flagNames: Object.fromEntries(Object.entries(model.flagNames).map(([id, name]) => [id, say(name)])) }),
  };
}

/** The flag a model raises for a worry about someone's safety: it always reaches people at once (issue 15). */
export const SAFEGUARDING_FLAG = 'safeguarding';

/** A flag's id: lower-case letters, digits and underscores, as answers and rules name it. */
const FLAG_ID = /^[a-z0-9_]{1,40}$/;

/** What a flag means, for people: its name in the model, or its id in words when the model gives none. */
export function flagName(model: ScoringModel, flag: string): string {
  return model.flagNames?.[flag] ?? flag.replace(/_/g, ' ');
}

export interface NeedDirectionProblem {
  /** The answer that scores too few points, by its position in the question. */
  index: number;
  /** The fewest points it must have: the most any answer showing less need scores. */
  atLeast: number;
  /** The position of that answer showing less need. */
  than: number;
}

/**
 * Answers that show more need than another answer of the same question but score fewer points: a reversed
 * question. Answers that do not state their level of need are left out (older models; see AnswerOption.need).
 */
export function needDirectionProblems(question: Question): NeedDirectionProblem[] {
  const rank = (option: AnswerOption) => (isNeedLevel(option.need) ? NEED_LEVELS.indexOf(option.need) : -1);
  const problems: NeedDirectionProblem[] = [];
  for (const [index, option] of question.options.entries()) {
    if (rank(option) < 0) continue;
    let than = -1;
    for (const [otherIndex, other] of question.options.entries()) {
      const lessNeed = rank(other) >= 0 && rank(other) < rank(option);
      if (lessNeed && other.points > option.points && (than < 0 || other.points > question.options[than]!.points))
        than = otherIndex;
    }
    if (than >= 0) problems.push({ index, atLeast: question.options[than]!.points, than });
  }
  return problems;
}

/** Everything wrong with a model, in plain English; an empty list means it can be published. */
export function problemsWithModel(model: ScoringModel): string[] {
  const problems: string[] = [];
  const questionIds = new Set<string>();
  for (const question of model.questions) {
    if (questionIds.has(question.id)) problems.push(`Two questions have the id "${question.id}"`);
    questionIds.add(question.id);
    if (!(NEEDS_DOMAINS as readonly string[]).includes(question.domain))
      problems.push(`Question "${question.id}" is in an unknown domain "${question.domain}"`);
    if (question.text.trim() === '') problems.push(`Question "${question.id}" has no text`);
    if (question.options.length < 2) problems.push(`Question "${question.id}" needs at least two answers`);
    if (question.weight !== undefined && !(question.weight > 0))
      problems.push(`Question "${question.id}" has a weight that is not above 0`);
    const optionIds = new Set<string>();
    for (const option of question.options) {
      if (optionIds.has(option.id)) problems.push(`Question "${question.id}" has two answers "${option.id}"`);
      optionIds.add(option.id);
      if (option.label.trim() === '' || option.explanation.trim() === '')
        problems.push(`Answer "${option.id}" of "${question.id}" needs its words and what it means for the family`);
      if (!Number.isInteger(option.points) || option.points < 0)
        problems.push(`Answer "${option.id}" of "${question.id}" has points that are not a whole number of 0 or more`);
      for (const flag of option.flags ?? []) {
        if (!FLAG_ID.test(flag))
          problems.push(`Answer "${option.id}" of "${question.id}" raises a flag "${flag}" that is not a plain id`);
      }
      if (option.need !== undefined && !isNeedLevel(option.need))
        problems.push(
          `Answer "${option.id}" of "${question.id}" has a level of need "${String(option.need)}" that is not one of ${NEED_LEVELS.join(', ')}`,
        );
    }
    // Half a question's levels would leave the other half unchecked, so it is all or (for older models) none.
    const stated = question.options.filter((option) => option.need !== undefined).length;
    if (stated > 0 && stated < question.options.length)
      problems.push(
        `Question "${question.id}" says how much need some of its answers show but not all: say it for every answer`,
      );
    for (const { index, than } of needDirectionProblems(question)) {
      const option = question.options[index]!;
      const other = question.options[than]!;
      problems.push(
        `Answer "${option.id}" of "${question.id}" shows ${NEED_WORDS[option.need!]} but scores fewer points than "${other.id}", ` +
          `which shows ${NEED_WORDS[other.need!]} (${option.points} against ${other.points}): more need must never score less`,
      );
    }
  }
  for (const domain of NEEDS_DOMAINS) {
    if (!model.questions.some((question) => question.domain === domain))
      problems.push(`No question asks about "${domain}"`);
  }
  if (model.rules.length === 0) problems.push('The model has no rules');
  const last = model.rules.at(-1);
  if (last && Object.keys(last.when).length > 0)
    problems.push('The last rule must have no conditions, so every application gets an outcome');
  for (const rule of model.rules) {
    if (rule.reason.trim() === '' || rule.outcome.label.trim() === '')
      problems.push(`Rule "${rule.id}" needs its reason and what the family gets`);
    if (rule.outcome.amountPerYear !== undefined && rule.outcome.amountPerYear < 0)
      problems.push(`Rule "${rule.id}" gives a negative amount`);
    if (rule.when.minDomain && !(NEEDS_DOMAINS as readonly string[]).includes(rule.when.minDomain.domain))
      problems.push(`Rule "${rule.id}" names an unknown domain`);
  }
  return problems;
}
