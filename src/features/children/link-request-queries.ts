// SQL for families' requests to add their child to their account.
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';

export interface DescribedChild {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  postcode: string | null;
  nhsNumber: string | null;
  relationship: string;
}

/** The same child asked about again by the same person while the first request waits, so it is not made twice. */
export async function findWaitingSame(db: Kysely<Schema>, userId: string, child: DescribedChild) {
  return db
    .selectFrom('child_link_requests')
    .select('id')
    .where('requested_by', '=', userId)
    .where('status', '=', 'waiting')
    .where('date_of_birth', '=', child.dateOfBirth)
    .where((eb) => eb(eb.fn('lower', ['given_name']), '=', child.givenName.toLowerCase()))
    .executeTakeFirst();
}

/** Whether a child of this first name and date of birth is already in a family the person cares for. */
export async function alreadyCaredFor(db: Kysely<Schema>, userId: string, child: DescribedChild): Promise<boolean> {
  const row = await db
    .selectFrom('children')
    .innerJoin('family_carers', 'family_carers.family_id', 'children.family_id')
    .select('children.id')
    .where('family_carers.user_id', '=', userId)
    .where('children.date_of_birth', '=', child.dateOfBirth)
    .where((eb) => eb(eb.fn('lower', ['children.given_name']), '=', child.givenName.toLowerCase()))
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertRequest(db: Kysely<Schema>, laCode: string, userId: string, child: DescribedChild) {
  const { id } = await db
    .insertInto('child_link_requests')
    .values({
      la_code: laCode,
      requested_by: userId,
      given_name: child.givenName,
      family_name: child.familyName,
      date_of_birth: child.dateOfBirth,
      postcode: child.postcode,
      nhs_number: child.nhsNumber,
      relationship: child.relationship,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** A person's own requests that have not put a child on their account: waiting, or refused with the reason. */
export async function unlinkedRequestsOf(db: Kysely<Schema>, userId: string) {
  return db
    .selectFrom('child_link_requests')
    .select(['id', 'given_name', 'family_name', 'requested_at', 'status', 'decided_at', 'decline_reason'])
    .where('requested_by', '=', userId)
    .where('status', 'in', ['waiting', 'declined'])
    .orderBy('requested_at', 'desc')
    .execute();
}

/** The requests waiting for the front door, oldest first. */
export async function waitingRequests(db: Kysely<Schema>, laCode: string) {
  return db
    .selectFrom('child_link_requests as r')
    .innerJoin('users as u', 'u.id', 'r.requested_by')
    .select(['r.id', 'r.given_name', 'r.family_name', 'r.date_of_birth', 'r.requested_at', 'u.display_name'])
    .where('r.la_code', '=', laCode)
    .where('r.status', '=', 'waiting')
    .orderBy('r.requested_at')
    .execute();
}

export async function findRequest(db: Kysely<Schema>, laCode: string, id: string) {
  return db
    .selectFrom('child_link_requests as r')
    .innerJoin('users as u', 'u.id', 'r.requested_by')
    .leftJoin('users as decider', 'decider.id', 'r.decided_by')
    .select([
      'r.id',
      'r.requested_by',
      'r.requested_at',
      'r.given_name',
      'r.family_name',
      'r.date_of_birth',
      'r.postcode',
      'r.nhs_number',
      'r.relationship',
      'r.status',
      'r.child_id',
      'r.decided_at',
      'r.decline_reason',
      'r.version',
      'u.display_name as requester_name',
      'u.email as requester_email',
      'u.active as requester_active',
      'decider.display_name as decider_name',
    ])
    .where('r.la_code', '=', laCode)
    .where('r.id', '=', id)
    .executeTakeFirst();
}

/** Records the decision if nobody has decided since the page was read; false when someone has. */
export async function markDecided(
  db: Kysely<Schema>,
  request: { id: string; seenVersion: number },
  decision: { status: 'linked' | 'created' | 'declined'; childId: string | null; reason: string | null; by: string },
): Promise<boolean> {
  const row = await db
    .updateTable('child_link_requests')
    .set((eb) => ({
      status: decision.status,
      child_id: decision.childId,
      decline_reason: decision.reason,
      decided_by: decision.by,
      decided_at: new Date(),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', request.id)
    .where('status', '=', 'waiting')
    .where('version', '=', request.seenVersion)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The child's family, for adding a carer to it; undefined for a child of another council or none. */
export async function familyOfChild(db: Kysely<Schema>, laCode: string, childId: string) {
  return db
    .selectFrom('children')
    .select(['id', 'family_id', 'given_name', 'family_name'])
    .where('la_code', '=', laCode)
    .where('id', '=', childId)
    .executeTakeFirst();
}

/** Every child in the families of these children (them included), whom a carer added there would see. */
export async function familiesOf(db: Kysely<Schema>, childIds: readonly string[]) {
  if (childIds.length === 0) return [];
  return db
    .selectFrom('children')
    .select(['id', 'family_id', 'given_name', 'family_name', 'date_of_birth'])
    .where('family_id', 'in', (eb) => eb.selectFrom('children').select('family_id').where('id', 'in', childIds))
    .orderBy('date_of_birth')
    .execute();
}
