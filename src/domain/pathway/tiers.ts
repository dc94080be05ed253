// The proportionate pathway's tiers, and who may move a child between them. Universal is the Local Offer, open to
// everyone without an episode; targeted is the short breaks team; specialist is the disabled children's social
// work team. Moving up is a step-up, down a step-down; leaving for universal closes the episode with a Children
// in Need census closure reason.

export const TIERS = ['universal', 'targeted', 'specialist'] as const;
export type Tier = (typeof TIERS)[number];

/** Children in Need census reasons for closure. */
export const CLOSURE_REASONS = ['RC1', 'RC2', 'RC3', 'RC4', 'RC5', 'RC6', 'RC7', 'RC8', 'RC9'] as const;

export type Transition = 'step-up' | 'step-down';

export function transitionOf(from: Tier, to: Tier): Transition | undefined {
  const change = TIERS.indexOf(to) - TIERS.indexOf(from);
  if (change === 0) return undefined;
  return change > 0 ? 'step-up' : 'step-down';
}

/**
 * Who may move a child: team managers any way; social workers into, out of and within specialist work; short
 * breaks officers between universal and targeted.
 */
export function mayTransition(roles: readonly Role[], from: Tier, to: Tier): boolean {
  if (transitionOf(from, to) === undefined) return false;
  if (roles.includes('team_manager')) return true;
  if (roles.includes('social_worker') && (from === 'specialist' || to === 'specialist')) return true;
  return roles.includes('short_breaks_officer') && from !== 'specialist' && to !== 'specialist';
}

/** How far up the pathway a tier is: universal 0, targeted 1, specialist 2. */
export function tierRank(tier: Tier): number {
  return TIERS.indexOf(tier);
}

/**
 * Whether a step-down needs a team manager's agreement: a worker may not on their own step down a child with an open
 * worry about their safety, or take a child out of specialist work. A manager's own move is their agreement.
 */
export function stepDownNeedsAgreement(
  roles: readonly Role[],
  move: { from: Tier; to: Tier; openSafetyWorry: boolean },
): boolean {
  if (transitionOf(move.from, move.to) !== 'step-down') return false;
  if (roles.includes('team_manager')) return false;
  return move.openSafetyWorry || move.from === 'specialist';
}

/** Census reasons for closure that say an assessment was done: RC8 and RC9, "closed after assessment". */
const AFTER_ASSESSMENT: readonly string[] = ['RC8', 'RC9'];

/** Whether a census closure reason fits what happened: "closed after assessment" only after an assessment. */
export function closureReasonFits(code: string, episode: { assessmentCompleted: boolean }): boolean {
  return !AFTER_ASSESSMENT.includes(code) || episode.assessmentCompleted;
}
import type { Role } from '../people.ts';
