// Checks a family's description of their child, returning every problem at once for the GOV.UK error summary.
import { dateOf, postcodeOf } from '../../domain/front-door/referral.ts';
import { nhsNumberOf } from '../../domain/front-door/nhs-number.ts';
import type { FieldError } from '../../web/errors.ts';
import type { Translate } from '../../web/i18n.ts';
import { CARER_RELATIONSHIPS, type DescribedChild } from './link-requests.ts';

export const ADD_CHILD_FIELDS = [
  'givenName',
  'familyName',
  'dobDay',
  'dobMonth',
  'dobYear',
  'postcode',
  'nhsNumber',
  'relationship',
] as const;
export type AddChildAnswers = Record<(typeof ADD_CHILD_FIELDS)[number], string>;

const MAX_NAME = 100;
/** Pathway serves children and young people up to 25, as the SEND code of practice does. */
const OLDEST = 25;

export function readDescribedChild(
  answers: AddChildAnswers,
  t: Translate,
  today = new Date(),
): { child?: DescribedChild; errors: FieldError[] } {
  const errors: FieldError[] = [];
  for (const field of ['givenName', 'familyName'] as const) {
    const value = answers[field];
    if (value === '') errors.push({ field, text: t(`children.add.errors.${field}Missing`) });
    else if (value.length > MAX_NAME)
      errors.push({ field, text: t(`children.add.errors.${field}TooLong`, { max: MAX_NAME }) });
  }
  const dateOfBirth = dateOf(answers.dobDay, answers.dobMonth, answers.dobYear);
  const todayText = today.toISOString().slice(0, 10);
  const oldestText = `${today.getUTCFullYear() - OLDEST - 1}${todayText.slice(4)}`;
  if (answers.dobDay === '' && answers.dobMonth === '' && answers.dobYear === '')
    errors.push({ field: 'dobDay', text: t('children.add.errors.dateMissing') });
  else if (!dateOfBirth) errors.push({ field: 'dobDay', text: t('children.add.errors.dateNotReal') });
  else if (dateOfBirth > todayText) errors.push({ field: 'dobDay', text: t('children.add.errors.dateInFuture') });
  else if (dateOfBirth <= oldestText)
    errors.push({ field: 'dobDay', text: t('children.add.errors.dateTooOld', { years: OLDEST }) });
  const postcode = answers.postcode === '' ? null : (postcodeOf(answers.postcode) ?? undefined);
  if (postcode === undefined) errors.push({ field: 'postcode', text: t('children.add.errors.postcode') });
  const nhsNumber = answers.nhsNumber === '' ? null : (nhsNumberOf(answers.nhsNumber) ?? undefined);
  if (nhsNumber === undefined) errors.push({ field: 'nhsNumber', text: t('children.add.errors.nhsNumber') });
  if (!(CARER_RELATIONSHIPS as readonly string[]).includes(answers.relationship))
    errors.push({ field: 'relationship', text: t('children.add.errors.relationship') });
  if (errors.length > 0 || !dateOfBirth || postcode === undefined || nhsNumber === undefined) return { errors };
  return {
    errors,
    child: {
      givenName: answers.givenName,
      familyName: answers.familyName,
      dateOfBirth,
      postcode,
      nhsNumber,
      relationship: answers.relationship,
    },
  };
}
