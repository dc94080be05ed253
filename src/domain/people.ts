// The people who use Pathway: the roles a person may hold, and who a signed-in person is (their council, roles
// and teams), which every rule about what they may see and do is decided from.

export const ROLES = [
  'parent_carer',
  'young_person',
  'professional_referrer',
  'triage_worker',
  'short_breaks_officer',
  'social_worker',
  'team_manager',
  'panel_member',
  'send_caseworker',
  'dsco',
  'provider',
  'directory_editor',
  'analyst',
  'administrator',
] as const;
export type Role = (typeof ROLES)[number];

export interface SignedInUser {
  id: string;
  laCode: string;
  displayName: string;
  email: string;
  roles: Role[];
  teamIds: string[];
}

/** The role recorded in the audit trail: the most specific one a person holds. */
export function primaryRole(user: SignedInUser): Role | null {
  return user.roles[0] ?? null;
}
