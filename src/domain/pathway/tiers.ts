// The proportionate pathway's tiers, and who may move a child between them. Universal is the Local Offer, open to
// everyone without an episode; targeted is the short breaks team; specialist is the disabled children's social
// work team. Moving up is a step-up, down a step-down; leaving for universal closes the episode with a Children
// in Need census closure reason.
import type { Role } from '../../db/schema.ts';

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
