// Who may use a route. Every route declares a rule; a route without one stops the app from starting.

export type AccessRule = 'public' | 'signed-in' | readonly Role[];

/** Staff who work with children's records. Narrower team rules come with the pathway. */
export const CASEWORK_ROLES = [
  'triage_worker',
  'short_breaks_officer',
  'social_worker',
  'team_manager',
  'panel_member',
  'send_caseworker',
  'dsco',
] as const satisfies readonly Role[];

export const FAMILY_ROLES = ['parent_carer', 'young_person'] as const satisfies readonly Role[];

export function isAllowed(rule: AccessRule, roles: readonly Role[] | null): boolean {
  if (rule === 'public') return true;
  if (roles === null) return false;
  if (rule === 'signed-in') return true;
  return rule.some((role) => roles.includes(role));
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessRule;
  }
}
import type { Role } from '../domain/people.ts';
