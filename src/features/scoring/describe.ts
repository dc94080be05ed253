// The scoring model in plain words, for the pages that show it: each rule's conditions as a sentence, each question
// with its domain, weight and answers.
import { flagName, type ScoringModel } from '../../domain/scoring/model.ts';
import type { Translate } from '../../web/i18n.ts';

/** A rule's conditions as a sentence: "If the total is at least 60 points". */
export function conditionText(model: ScoringModel, rule: ScoringModel['rules'][number], t: Translate): string {
  const { when } = rule;
  const parts = [
    ...(when.anyFlag ?? []).map((flag) => t('scoring.conditions.flag', { flag: flagName(model, flag) })),
    ...(when.childAgeBelow !== undefined ? [t('scoring.conditions.ageBelow', { age: when.childAgeBelow })] : []),
    ...(when.minTotal !== undefined ? [t('scoring.conditions.minTotal', { points: when.minTotal })] : []),
    ...(when.maxTotal !== undefined ? [t('scoring.conditions.maxTotal', { points: when.maxTotal })] : []),
    ...(when.minDomain
      ? [
          t('scoring.conditions.minDomain', {
            domain: t(`scoring.domains.${when.minDomain.domain}`),
            points: when.minDomain.points,
          }),
        ]
      : []),
  ];
  return parts.length > 0 ? parts.join(t('scoring.conditions.and')) : t('scoring.conditions.otherwise');
}

export function describeModel(model: ScoringModel, t: Translate) {
  return {
    name: model.name,
    version: model.version,
    questions: model.questions.map((question) => ({
      text: question.text,
      domain: t(`scoring.domains.${question.domain}`),
      weight: question.weight ?? 1,
      options: question.options.map((option) => ({
        label: option.label,
        points: option.points,
        // A model made before answers stated their need shows it as not stated, rather than guessing.
        need: t(`scoring.needs.${option.need ?? 'unknown'}`),
        flags: (option.flags ?? []).map((flag) => flagName(model, flag)).join(', '),
      })),
    })),
    rules: model.rules.map((rule) => ({
      condition: conditionText(model, rule, t),
      outcome: rule.outcome.label,
      reason: rule.reason,
    })),
  };
}
