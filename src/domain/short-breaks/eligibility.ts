// The gateway before a short-breaks application is scored: the child lives in the council's area, is within the
// ages the council's short breaks serve, and the family has evidence of disability.

export const EVIDENCE = ['ehc_plan', 'diagnosis', 'dla_pip', 'none'] as const;
export type Evidence = (typeof EVIDENCE)[number];

export interface Gateway {
  livesInArea: 'yes' | 'no';
  evidence: Evidence;
}

export type IneligibleReason = 'outside_area' | 'age' | 'no_evidence';

export interface AgeRange {
  min: number;
  max: number;
}

/** Whole years on a date, from a YYYY-MM-DD date of birth. */
export function ageOn(dateOfBirth: string, today: Date): number {
  const [year, month, day] = dateOfBirth.split('-').map(Number) as [number, number, number];
  let age = today.getUTCFullYear() - year;
  const birthdayPassed =
    today.getUTCMonth() + 1 > month || (today.getUTCMonth() + 1 === month && today.getUTCDate() >= day);
  if (!birthdayPassed) age -= 1;
  return age;
}

/** Every reason the gateway is not met; an empty list means the family can go on to the questions. */
export function ineligibleReasons(gateway: Gateway, childAge: number, ages: AgeRange): IneligibleReason[] {
  const reasons: IneligibleReason[] = [];
  if (gateway.livesInArea !== 'yes') reasons.push('outside_area');
  if (childAge < ages.min || childAge > ages.max) reasons.push('age');
  if (gateway.evidence === 'none') reasons.push('no_evidence');
  return reasons;
}
