// Looking at a child's record: allowed only to the child's own family and casework staff, and always audited.
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { CASEWORK_ROLES } from '../../web/access.ts';
import { primaryRole, type SignedInUser } from '../../web/context.ts';
import { recordAudit } from '../audit/service.ts';
import * as queries from './queries.ts';
import { isUuid } from '../../web/ids.ts';

function isCaseworker(user: SignedInUser): boolean {
  return user.roles.some((role) => (CASEWORK_ROLES as readonly string[]).includes(role));
}

/** Returns the record, or undefined when it does not exist or this person may not see it (the same answer, so ids cannot be probed). */
export async function viewChildRecord(db: Kysely<Schema>, viewer: SignedInUser, childId: string, requestId: string) {
  if (!isUuid(childId)) return undefined;
  return db.transaction().execute(async (trx) => {
    const child = await queries.findChild(trx, viewer.laCode, childId);
    if (!child) return undefined;
    const allowed = isCaseworker(viewer) || (await queries.isCarerOf(trx, viewer.id, child.family_id));
    if (!allowed) return undefined;
    await recordAudit(trx, {
      laCode: viewer.laCode,
      actorUserId: viewer.id,
      actorRole: primaryRole(viewer),
      action: 'view-child-record',
      requestId,
      subjectChildId: child.id,
      subjectType: 'child',
      subjectId: child.id,
    });
    return child;
  });
}

export async function childrenOfFamilyMember(db: Kysely<Schema>, member: SignedInUser) {
  return queries.childrenCaredForBy(db, member.laCode, member.id);
}
