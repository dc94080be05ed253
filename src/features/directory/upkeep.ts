// Keeping entries right: providers propose changes to their own organisation's services, directory editors
// approve or reject them, every published version is kept and can be restored, and a provider can confirm an
// entry is still right. Each change is one transaction with its history, its audit row and its messages.
import { type SignedInUser, primaryRole } from '../../domain/people.ts';
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { REVIEW_MONTHS } from '../../domain/local-offer.ts';
import { notifyRole } from '../accounts/service.ts';
import { recordAudit } from '../audit/service.ts';
import { queueNotification } from '../notifications/service.ts';
import { columnsFor, detailsOf, storedDetails, type ServiceDetails } from './details.ts';
import { announceDirectoryChange } from './search/changes.ts';
import { refreshSearchDocuments } from './writes.ts';

export const isEditor = (user: SignedInUser) => user.roles.includes('directory_editor');

const SERVICE_COLUMNS = [
  'id',
  'la_code',
  'organization_id',
  'name',
  'description',
  'status',
  'minimum_age',
  'maximum_age',
  'send_needs',
  'access_routes',
  'open_days',
  'schedules',
  'cost_options',
  'is_free',
  'fees',
  'url',
  'email',
  'version',
  'review_by',
  'assured_date',
  'last_modified',
] as const;

/**
 * A service this person may look after: any of their council's for an editor, their own organisation's for a
 * provider; otherwise undefined, which the routes show as "not found" so ids cannot be probed.
 */
export async function manageableService(db: Kysely<Schema>, user: SignedInUser, serviceId: string) {
  const service = await db
    .selectFrom('services')
    .select(SERVICE_COLUMNS)
    .where('id', '=', serviceId)
    .where('la_code', '=', user.laCode)
    .executeTakeFirst();
  if (!service) return undefined;
  if (isEditor(user)) return service;
  if (!service.organization_id) return undefined;
  const member = await db
    .selectFrom('organization_members')
    .select('user_id')
    .where('user_id', '=', user.id)
    .where('organization_id', '=', service.organization_id)
    .executeTakeFirst();
  return member ? service : undefined;
}

export type ManageableService = NonNullable<Awaited<ReturnType<typeof manageableService>>>;

function reviewDate(today: Date): string {
  const due = new Date(today);
  due.setUTCMonth(due.getUTCMonth() + REVIEW_MONTHS);
  return due.toISOString().slice(0, 10);
}

async function emailsOf(db: Kysely<Schema>, laCode: string, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('users')
    .select('email')
    .where('la_code', '=', laCode)
    .where('id', 'in', userIds)
    .where('active', '=', true)
    .execute();
  return rows.map((row) => row.email);
}

/** People who speak for an organisation: its provider accounts, or its own email when it has none. */
export async function providerEmails(
  db: Kysely<Schema>,
  laCode: string,
  organizationId: string | null,
): Promise<string[]> {
  if (!organizationId) return [];
  const members = await db
    .selectFrom('organization_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select('u.email')
    .where('m.organization_id', '=', organizationId)
    .where('u.la_code', '=', laCode)
    .where('u.active', '=', true)
    .execute();
  if (members.length > 0) return members.map((member) => member.email);
  const organization = await db
    .selectFrom('organizations')
    .select('email')
    .where('id', '=', organizationId)
    .executeTakeFirst();
  return organization?.email ? [organization.email] : [];
}

/**
 * Publishes details as the service's next version: keeps the version it replaces (the first time, as it came
 * from its feed), writes the columns, marks the entry checked today, rebuilds its search words, and tells search
 * in every web process when the transaction commits.
 */
async function publish(
  trx: Kysely<Schema>,
  options: { service: ManageableService; details: ServiceDetails; userId: string; summary: string; today: Date },
): Promise<number> {
  const { service, details } = options;
  const current = detailsOf(service);
  await trx
    .insertInto('service_versions')
    .values({
      la_code: service.la_code,
      service_id: service.id,
      version: service.version,
      details: JSON.stringify(current),
      changed_by: null,
      summary: 'As it was before it was changed in Pathway',
    })
    .onConflict((oc) => oc.columns(['service_id', 'version']).doNothing())
    .execute();
  const version = service.version + 1;
  await trx
    .updateTable('services')
    .set({
      ...columnsFor(service.id, current, details),
      version,
      last_modified: new Date(),
      assured_date: options.today.toISOString().slice(0, 10),
      review_by: reviewDate(options.today),
      review_reminded_at: null,
      stale_flagged_at: null,
    })
    .where('id', '=', service.id)
    .execute();
  await trx
    .insertInto('service_versions')
    .values({
      la_code: service.la_code,
      service_id: service.id,
      version,
      details: JSON.stringify(details),
      changed_by: options.userId,
      summary: options.summary,
    })
    .execute();
  await refreshSearchDocuments(trx, [service.id]);
  await announceDirectoryChange(trx, service.la_code);
  return version;
}

/** Locks the service row so two people changing it at once take turns, and re-reads it. */
async function lockService(trx: Kysely<Schema>, serviceId: string): Promise<ManageableService> {
  return trx
    .selectFrom('services')
    .select(SERVICE_COLUMNS)
    .where('id', '=', serviceId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export type ProposalOutcome = { published: number } | { waiting: string };

/**
 * An editor's change is published at once; a provider's waits for an editor (replacing any change of theirs
 * still waiting), and the council's editors are told.
 */
export async function proposeChange(
  db: Kysely<Schema>,
  user: SignedInUser,
  service: ManageableService,
  details: ServiceDetails,
  options: { requestId: string; link: string; today?: Date },
): Promise<ProposalOutcome> {
  const today = options.today ?? new Date();
  const outcome = await db.transaction().execute(async (trx): Promise<ProposalOutcome> => {
    const locked = await lockService(trx, service.id);
    if (isEditor(user)) {
      const version = await publish(trx, {
        service: locked,
        details,
        userId: user.id,
        summary: 'Changed by a directory editor',
        today,
      });
      await recordAudit(trx, {
        laCode: user.laCode,
        actorUserId: user.id,
        actorRole: primaryRole(user),
        action: 'publish-service-change',
        requestId: options.requestId,
        subjectType: 'service',
        subjectId: service.id,
        details: { version },
      });
      return { published: version };
    }
    const waiting = await trx
      .selectFrom('service_changes')
      .select('id')
      .where('service_id', '=', service.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    const changeId = waiting
      ? (
          await trx
            .updateTable('service_changes')
            .set({
              details: JSON.stringify(details),
              base_version: locked.version,
              proposed_by: user.id,
              proposed_at: new Date(),
            })
            .where('id', '=', waiting.id)
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id
      : (
          await trx
            .insertInto('service_changes')
            .values({
              la_code: user.laCode,
              service_id: service.id,
              base_version: locked.version,
              details: JSON.stringify(details),
              proposed_by: user.id,
              decided_by: null,
              decided_at: null,
              decision_note: null,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'propose-service-change',
      requestId: options.requestId,
      subjectType: 'service',
      subjectId: service.id,
      details: { changeId },
    });
    await notifyRole(trx, user.laCode, 'directory_editor', {
      template: 'directory-change-proposed',
      params: { service: details.name, link: `${options.link}/${changeId}` },
    });
    return { waiting: changeId };
  });
  return outcome;
}

export type DecisionOutcome = 'approved' | 'rejected' | 'already-decided' | 'changed-since' | 'not-found';

/**
 * An editor approves or rejects a waiting change. The editor decides on the diff against the version they saw;
 * if the service changed since, or another editor decided first, nothing is written and they are told.
 */
export async function decideChange(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: {
    changeId: string;
    decision: 'approve' | 'reject';
    note: string;
    seenVersion: number;
    requestId: string;
    link: string;
    today?: Date;
  },
): Promise<DecisionOutcome> {
  const today = options.today ?? new Date();
  const outcome = await db.transaction().execute(async (trx): Promise<DecisionOutcome> => {
    const change = await trx
      .selectFrom('service_changes')
      .selectAll()
      .where('id', '=', options.changeId)
      .where('la_code', '=', user.laCode)
      .forUpdate()
      .executeTakeFirst();
    if (!change) return 'not-found';
    if (change.status !== 'pending') return 'already-decided';
    const service = await lockService(trx, change.service_id);
    if (service.version !== options.seenVersion) return 'changed-since';
    const details = storedDetails(change.details);
    if (options.decision === 'approve') {
      await publish(trx, { service, details, userId: user.id, summary: 'Proposed by the provider, approved', today });
    }
    const status = options.decision === 'approve' ? 'approved' : 'rejected';
    await trx
      .updateTable('service_changes')
      .set({ status, decided_by: user.id, decided_at: new Date(), decision_note: options.note || null })
      .where('id', '=', change.id)
      .execute();
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: `${options.decision}-service-change`,
      requestId: options.requestId,
      subjectType: 'service',
      subjectId: service.id,
      details: { changeId: change.id },
    });
    for (const recipient of await emailsOf(trx, user.laCode, [change.proposed_by])) {
      await queueNotification(trx, {
        laCode: user.laCode,
        template: `directory-change-${status}`,
        recipient,
        params: { service: details.name, note: options.note || '-', link: options.link },
      });
    }
    return status;
  });
  return outcome;
}

/** An editor puts an earlier version back, as a new version, so the history keeps what happened. */
export async function restoreVersion(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: { serviceId: string; version: number; requestId: string; today?: Date },
): Promise<number | undefined> {
  const restored = await db.transaction().execute(async (trx) => {
    const earlier = await trx
      .selectFrom('service_versions')
      .select('details')
      .where('service_id', '=', options.serviceId)
      .where('la_code', '=', user.laCode)
      .where('version', '=', options.version)
      .executeTakeFirst();
    if (!earlier) return undefined;
    const service = await lockService(trx, options.serviceId);
    const version = await publish(trx, {
      service,
      details: storedDetails(earlier.details),
      userId: user.id,
      summary: `Version ${options.version} restored`,
      today: options.today ?? new Date(),
    });
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'restore-service-version',
      requestId: options.requestId,
      subjectType: 'service',
      subjectId: options.serviceId,
      details: { restored: options.version, version },
    });
    return version;
  });
  return restored;
}

/** "These details are still right": the entry counts as checked today, with no new version. */
export async function confirmStillRight(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: { serviceId: string; requestId: string; today?: Date },
): Promise<void> {
  const today = options.today ?? new Date();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('services')
      .set({
        assured_date: today.toISOString().slice(0, 10),
        review_by: reviewDate(today),
        review_reminded_at: null,
        stale_flagged_at: null,
      })
      .where('id', '=', options.serviceId)
      .where('la_code', '=', user.laCode)
      .execute();
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'confirm-service-details',
      requestId: options.requestId,
      subjectType: 'service',
      subjectId: options.serviceId,
    });
  });
}

export async function serviceHistory(db: Kysely<Schema>, laCode: string, serviceId: string) {
  return db
    .selectFrom('service_versions as v')
    .leftJoin('users as u', 'u.id', 'v.changed_by')
    .select(['v.version', 'v.summary', 'v.created_at', 'v.details', 'u.display_name as changed_by'])
    .where('v.service_id', '=', serviceId)
    .where('v.la_code', '=', laCode)
    .orderBy('v.version', 'desc')
    .execute();
}

export async function waitingChangeFor(db: Kysely<Schema>, serviceId: string) {
  return db
    .selectFrom('service_changes')
    .selectAll()
    .where('service_id', '=', serviceId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

export async function waitingChanges(db: Kysely<Schema>, laCode: string) {
  return db
    .selectFrom('service_changes as c')
    .innerJoin('services as s', 's.id', 'c.service_id')
    .innerJoin('users as u', 'u.id', 'c.proposed_by')
    .select(['c.id', 'c.proposed_at', 's.name as service_name', 'u.display_name as proposed_by'])
    .where('c.la_code', '=', laCode)
    .where('c.status', '=', 'pending')
    .orderBy('c.proposed_at')
    .execute();
}
