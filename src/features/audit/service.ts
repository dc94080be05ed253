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

/**
 * Who makes a change, for its audit row: a person in a request, or an operator's command such as setting up a
 * council or seeding the demo, which has no person and no request (role 'system').
 */
export interface Actor {
  userId: string | null;
  role: string | null;
  requestId: string | null;
}

export async function recordAudit(db: Kysely<Schema>, entry: AuditEntry): Promise<void> {
  await recordAudits(db, [entry]);
}

/** Several audit rows in one statement, for a use case that changes several things at once (a set-up, an import). */
export async function recordAudits(db: Kysely<Schema>, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('audit_events')
    .values(
      entries.map((entry) => ({
        la_code: entry.laCode,
        actor_user_id: entry.actorUserId,
        actor_role: entry.actorRole,
        action: entry.action,
        request_id: entry.requestId,
        subject_child_id: entry.subjectChildId ?? null,
        subject_type: entry.subjectType ?? null,
        subject_id: entry.subjectId ?? null,
        details: JSON.stringify(entry.details ?? {}),
      })),
    )
    .execute();
}
