// The people in a child's life who have no account, as staff record them: who they are to the child, whether they
// have parental responsibility (the legal rights and duties of a parent) and whether they live with the child.
import { dateOf } from '../front-door/referral.ts';

export const HOUSEHOLD_RELATIONSHIPS = [
  'mother',
  'father',
  'step_parent',
  'grandparent',
  'brother_or_sister',
  'other_relative',
  'foster_carer',
  'family_friend',
  'other',
] as const;
export type HouseholdRelationship = (typeof HOUSEHOLD_RELATIONSHIPS)[number];

const MAX_NAME = 200;

/** Every problem with a person as typed on the form (GOV.UK messages by field); empty when they can be added. */
export function householdMemberProblems(values: Record<string, string>, today = new Date()): Record<string, string> {
  const problems: Record<string, string> = {};
  const name = values.name ?? '';
  if (name === '') problems.name = 'Enter the person’s name';
  else if (name.length > MAX_NAME) problems.name = `The name must be ${MAX_NAME} characters or fewer`;
  if (!(HOUSEHOLD_RELATIONSHIPS as readonly string[]).includes(values.relationship ?? ''))
    problems.relationship = 'Select who the person is to the child';
  const { dobDay = '', dobMonth = '', dobYear = '' } = values;
  if (dobDay !== '' || dobMonth !== '' || dobYear !== '') {
    const date = dateOf(dobDay, dobMonth, dobYear);
    if (!date) problems.dobDay = 'Their date of birth must be a real date, like 27 3 1985, or leave it empty';
    else if (date > today.toISOString().slice(0, 10)) problems.dobDay = 'Their date of birth must be in the past';
  }
  if (values.parentalResponsibility !== 'yes' && values.parentalResponsibility !== 'no')
    problems.parentalResponsibility = 'Select whether the person has parental responsibility for the child';
  if (values.livesWithChild !== 'yes' && values.livesWithChild !== 'no')
    problems.livesWithChild = 'Select whether the person lives with the child';
  return problems;
}
