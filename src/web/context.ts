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

/** The signed-in person on a route whose access rule already requires one. */
export function signedInUser(request: { user: SignedInUser | null }): SignedInUser {
  if (!request.user) throw new Error('This route must have an access rule that requires signing in');
  return request.user;
}
