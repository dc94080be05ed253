// Scores a short-breaks application against a model: per-domain and total points, flags, the rule that fired
// and the outcome, with a plain-English reason for every answer. It reads only the answers and the child's
// age: never ethnicity, postcode or anything else about who the family are (a property test proves it).
import { NEEDS_DOMAINS, type NeedsDomain, type Outcome, type ScoringModel } from './model.ts';

/** The only facts scoring may read. */
export interface ScoringInput {
  /** Question id → answer option id. */
  answers: Record<string, string>;
  childAge: number;
}

export interface AnswerExplanation {
  questionId: string;
  question: string;
  answer: string;
  points: number;
  explanation: string;
}

export interface ScoreResult {
  modelVersion: number;
  total: number;
  domainScores: Record<NeedsDomain, number>;
  flags: string[];
  ruleId: string;
  reason: string;
  outcome: Outcome;
  answers: AnswerExplanation[];
  /** Questions the model asks that were not answered; they score 0. */
  unanswered: string[];
}

/** Picks the facts scoring may read out of whatever an application holds, so nothing else can reach it. */
export function scoringInputOf(application: { answers: Record<string, string>; childAge: number }): ScoringInput {
  return { answers: { ...application.answers }, childAge: application.childAge };
}

export function scoreApplication(model: ScoringModel, input: ScoringInput): ScoreResult {
  const domainScores = Object.fromEntries(NEEDS_DOMAINS.map((domain) => [domain, 0])) as Record<NeedsDomain, number>;
  const flags = new Set<string>();
  const answers: AnswerExplanation[] = [];
  const unanswered: string[] = [];
  for (const question of model.questions) {
    const option = question.options.find((candidate) => candidate.id === input.answers[question.id]);
    if (!option) {
      unanswered.push(question.id);
      continue;
    }
    const points = Math.round(option.points * (question.weight ?? 1));
    domainScores[question.domain] += points;
    for (const flag of option.flags ?? []) flags.add(flag);
    answers.push({
      questionId: question.id,
      question: question.text,
      answer: option.label,
      points,
      explanation: option.explanation,
    });
  }
  const total = NEEDS_DOMAINS.reduce((sum, domain) => sum + domainScores[domain], 0);
  const rule = model.rules.find(({ when }) => {
    if (when.anyFlag && !when.anyFlag.some((flag) => flags.has(flag))) return false;
    if (when.childAgeBelow !== undefined && !(input.childAge < when.childAgeBelow)) return false;
    if (when.minTotal !== undefined && total < when.minTotal) return false;
    if (when.maxTotal !== undefined && total > when.maxTotal) return false;
    if (when.minDomain && domainScores[when.minDomain.domain] < when.minDomain.points) return false;
    return true;
  });
  if (!rule) throw new Error(`Scoring model version ${model.version} has no rule for this application`);
  return {
    modelVersion: model.version,
    total,
    domainScores,
    flags: [...flags].sort(),
    ruleId: rule.id,
    reason: rule.reason,
    outcome: rule.outcome,
    answers,
    unanswered,
  };
}

export interface ModelComparison {
  applications: number;
  changed: number;
  /** "Up to £1,664 a year → A standard offer of £216 a year": how many applications would move that way. */
  moves: Record<string, number>;
}

const outcomeKey = (outcome: Outcome) => `${outcome.kind}:${outcome.amountPerYear ?? ''}:${outcome.hoursPerYear ?? ''}`;

/** "Try a draft model": replays past applications under both models and counts the outcomes that change. */
export function compareModels(
  current: ScoringModel,
  draft: ScoringModel,
  inputs: Iterable<ScoringInput>,
): ModelComparison {
  const comparison: ModelComparison = { applications: 0, changed: 0, moves: {} };
  for (const input of inputs) {
    comparison.applications += 1;
    const before = scoreApplication(current, input).outcome;
    const after = scoreApplication(draft, input).outcome;
    if (outcomeKey(before) === outcomeKey(after)) continue;
    comparison.changed += 1;
    const move = `${before.label} → ${after.label}`;
    comparison.moves[move] = (comparison.moves[move] ?? 0) + 1;
  }
  return comparison;
}
