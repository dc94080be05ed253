// Is this the same child? Before a new record is made, the people already known are compared with the referral:
// the same NHS number or unique pupil number is the same child; otherwise a match needs at least two of the same date of birth, a similar
// first name, a similar last name and the same postcode. Names are compared forgivingly (case, accents, hyphens
// and one or two typing slips), because the same child is often spelt differently by different services.

export interface KnownChild {
  id: string;
  given_name: string;
  family_name: string;
  date_of_birth: string;
  nhs_number: string | null;
  upn: string | null;
  postcode: string | null;
}

export interface ReferredChild {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  nhsNumber: string | null;
  upn: string | null;
  postcode: string | null;
}

export type MatchReason = 'nhs_number' | 'upn' | 'date_of_birth' | 'given_name' | 'family_name' | 'postcode';

/** A name as names are compared: accents dropped, lower case, letters a to z only ("Zoë O'Brien-Hart" → zoeobrienhart). */
export function simplify(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/** The fewest single-letter insertions, deletions or substitutions that turn one word into the other. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The typing slips two names may be apart and still be alike: one when either is four letters or fewer, else two. */
export function slipsAllowed(left: string, right: string): number {
  return Math.min(left.length, right.length) <= 4 ? 1 : 2;
}

/** How many typing slips apart two names are after simplifying, or undefined when they are too far apart to be alike. */
export function nameSlips(a: string, b: string): number | undefined {
  const left = simplify(a);
  const right = simplify(b);
  if (left === '' || right === '') return undefined;
  const distance = editDistance(left, right);
  return distance <= slipsAllowed(left, right) ? distance : undefined;
}

/** Names that are the same after simplifying, or one or two slips apart (one for short names). */
export function similarNames(a: string, b: string): boolean {
  return nameSlips(a, b) !== undefined;
}

/** Why a known child may be the referred child; empty when they are not alike. */
export function matchReasons(known: KnownChild, referred: ReferredChild): MatchReason[] {
  const reasons: MatchReason[] = [];
  if (referred.nhsNumber && known.nhs_number === referred.nhsNumber) reasons.push('nhs_number');
  if (referred.upn && known.upn === referred.upn) reasons.push('upn');
  if (known.date_of_birth === referred.dateOfBirth) reasons.push('date_of_birth');
  if (similarNames(known.given_name, referred.givenName)) reasons.push('given_name');
  if (similarNames(known.family_name, referred.familyName)) reasons.push('family_name');
  if (referred.postcode && known.postcode && known.postcode.replace(/\s/g, '') === referred.postcode.replace(/\s/g, ''))
    reasons.push('postcode');
  return reasons;
}

/** A number given to one child only: sharing one makes a match on its own. */
function sharesNumber(reasons: MatchReason[]): boolean {
  return reasons.includes('nhs_number') || reasons.includes('upn');
}

/** Known children who are likely the referred child, the strongest matches first. */
export function likelyMatches(known: KnownChild[], referred: ReferredChild) {
  return known
    .map((child) => ({ child, reasons: matchReasons(child, referred) }))
    .filter(({ reasons }) => sharesNumber(reasons) || reasons.length >= 2)
    .sort(
      (a, b) =>
        Number(sharesNumber(b.reasons)) - Number(sharesNumber(a.reasons)) || b.reasons.length - a.reasons.length,
    );
}
