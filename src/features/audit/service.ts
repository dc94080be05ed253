// The audit trail: who did what, as which role, to which child, in which request.
// Callers pass their transaction so the audit row commits or rolls back with the change it records.
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';

export interface AuditEntry {
  laCode: string | null;
  actorUserId: string | null;
  actorRole: string | null;
  action: string;
  requestId: string | null;
  subjectChildId?: string;
  subjectType?: string;
  subjectId?: string;
  /** No personal data here: ids and reasons only. */
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Kysely<Schema>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      la_code: entry.laCode,
      actor_user_id: entry.actorUserId,
      actor_role: entry.actorRole,
      action: entry.action,
      request_id: entry.requestId,
      subject_child_id: entry.subjectChildId ?? null,
      subject_type: entry.subjectType ?? null,
      subject_id: entry.subjectId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}
