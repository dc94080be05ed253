// What a request knows about the person making it.
import type { Role } from '../db/schema.ts';

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
