// What a request knows about the person making it.
import type { SignedInUser } from '../domain/people.ts';

/** The signed-in person on a route whose access rule already requires one. */
export function signedInUser(request: { user: SignedInUser | null }): SignedInUser {
  if (!request.user) throw new Error('This route must have an access rule that requires signing in');
  return request.user;
}
