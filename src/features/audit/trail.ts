// The audit screen's use cases, for administrators and the Designated Social Care Officer (DSCO): who viewed or
// changed a child's record, by child, person and dates, a page at a time or all of it as a file. Reading the trail is
// itself audited, with the ids the filters came to (never the words typed, which may be a child's name).
import { type SignedInUser, primaryRole } from '../../domain/people.ts';
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { isUuid } from '../../web/ids.ts';
import { recordAudit } from './service.ts';
import * as queries from './queries.ts';

export const TRAIL_PAGE_SIZE = 50;
/** The most events one export holds; a longer trail is exported a date range at a time. */
export const MOST_EXPORTED = 50_000;
/** The most children a name may match; more, and the person is asked for more of the name (or the child's id). */
export const MOST_CHILDREN_MATCHED = 50;

export interface TrailQuery {
  /** A child's name (some or all of it) or their record's id; '' for any child. */
  child: string;
  /** A person's account id, or undefined for anyone. */
  personId?: string;
  from?: string;
  to?: string;
  /**
   * The newest event of the trail's first page, carried by the links to the next pages: reading the trail adds to
   * it, so without this each page would shift by the reads since the first.
   */
  upTo?: string;
}

export interface NamedChild {
  id: string;
  name: string;
}

export interface TrailEvent {
  id: string;
  occurredAt: Date;
  action: string;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  /** The child the event is about, if one. */
  child: NamedChild | null;
  /** The children a list showed (an event with details.childIds). */
  listed: NamedChild[];
  subjectType: string | null;
  subjectId: string | null;
  requestId: string | null;
}

interface ChildFilter {
  /** The children the filter came to; undefined for any child. */
  ids?: string[];
  matched: { id: string; name: string; dateOfBirth: string }[];
  /** The name matched more children than MOST_CHILDREN_MATCHED: only the first are searched. */
  tooMany: boolean;
}

async function childFilterOf(db: Kysely<Schema>, laCode: string, text: string): Promise<ChildFilter> {
  const typed = text.trim();
  if (typed === '') return { matched: [], tooMany: false };
  const words = typed.split(/\s+/).slice(0, 6);
  const id = isUuid(typed) ? typed.toLowerCase() : undefined;
  const rows = id
    ? await queries.childrenById(db, laCode, [id])
    : await queries.childrenNamed(db, laCode, words, MOST_CHILDREN_MATCHED + 1);
  const kept = rows.slice(0, MOST_CHILDREN_MATCHED);
  return {
    // An id is searched for whether or not the child's record is still there.
    ids: id ? [id] : kept.map((row) => row.id),
    matched: kept.map((row) => ({
      id: row.id,
      name: `${row.given_name} ${row.family_name}`,
      dateOfBirth: row.date_of_birth,
    })),
    tooMany: rows.length > MOST_CHILDREN_MATCHED,
  };
}

function listedIds(details: Record<string, unknown>): string[] {
  const ids = details.childIds;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

/** The rows with the children they name, each child's name read once. */
async function named(db: Kysely<Schema>, laCode: string, rows: queries.TrailRow[]): Promise<TrailEvent[]> {
  const ids = new Set<string>();
  for (const row of rows) {
    if (row.subject_child_id) ids.add(row.subject_child_id);
    for (const id of listedIds(row.details)) ids.add(id);
  }
  const names = new Map<string, string>();
  const wanted = [...ids];
  for (let start = 0; start < wanted.length; start += 1000) {
    for (const child of await queries.childrenById(db, laCode, wanted.slice(start, start + 1000))) {
      names.set(child.id, `${child.given_name} ${child.family_name}`);
    }
  }
  const childOf = (id: string): NamedChild => ({ id, name: names.get(id) ?? '' });
  return rows.map((row) => ({
    id: row.id,
    occurredAt: row.occurred_at,
    action: row.action,
    actorId: row.actor_user_id,
    actorName: row.actor_name,
    actorRole: row.actor_role,
    child: row.subject_child_id ? childOf(row.subject_child_id) : null,
    listed: listedIds(row.details).map(childOf),
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    requestId: row.request_id,
  }));
}

/** Every child an audit page or file names, once each. */
function childrenNamedIn(events: TrailEvent[]): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    if (event.child) ids.add(event.child.id);
    for (const listed of event.listed) ids.add(listed.id);
  }
  return [...ids];
}

async function filterOf(db: Kysely<Schema>, viewer: SignedInUser, query: TrailQuery) {
  const [children, person] = await Promise.all([
    childFilterOf(db, viewer.laCode, query.child),
    query.personId ? queries.personOf(db, viewer.laCode, query.personId) : undefined,
  ]);
  const filter: queries.TrailFilter = {
    laCode: viewer.laCode,
    ...(children.ids && { childIds: children.ids }),
    // Someone of another council, or no one, is nobody's actions here.
    ...(query.personId && { actorUserId: person?.id ?? '00000000-0000-0000-0000-000000000000' }),
    ...(query.from && { from: query.from }),
    ...(query.to && { to: query.to }),
    ...(query.upTo && { upToId: query.upTo }),
  };
  // What the audit row says was asked for: ids and dates, never a name typed.
  const asked = {
    ...(children.ids && { childIds: children.ids }),
    ...(query.personId && { personId: query.personId }),
    ...(query.from && { from: query.from }),
    ...(query.to && { to: query.to }),
  };
  return { filter, children, asked };
}

async function auditReading(
  db: Kysely<Schema>,
  viewer: SignedInUser,
  action: string,
  requestId: string,
  details: Record<string, unknown>,
) {
  await recordAudit(db, {
    laCode: viewer.laCode,
    actorUserId: viewer.id,
    actorRole: primaryRole(viewer),
    action,
    requestId,
    details,
  });
}

/** A page of the council's audit trail, newest first, and how many events the filters found. */
export async function viewAuditTrail(
  db: Kysely<Schema>,
  viewer: SignedInUser,
  query: TrailQuery,
  page: number,
  requestId: string,
) {
  const upTo = query.upTo ?? (await queries.newestEventId(db, viewer.laCode));
  const { filter, children, asked } = await filterOf(db, viewer, { ...query, ...(upTo && { upTo }) });
  const [total, rows] = await Promise.all([
    queries.countTrail(db, filter),
    queries.readTrail(db, filter, { limit: TRAIL_PAGE_SIZE, offset: (page - 1) * TRAIL_PAGE_SIZE }),
  ]);
  const events = await named(db, viewer.laCode, rows);
  // The page names children, so it is a list of children like any other: audited with the children it showed.
  await auditReading(db, viewer, 'view-audit-trail', requestId, {
    filters: asked,
    page,
    count: rows.length,
    childIds: childrenNamedIn(events),
  });
  return {
    upTo,
    total,
    events,
    matchedChildren: children.matched,
    tooManyChildren: children.tooMany,
  };
}

/** Every event the filters find (at most MOST_EXPORTED), for a file; audited with how many it held. */
export async function exportAuditTrail(db: Kysely<Schema>, viewer: SignedInUser, query: TrailQuery, requestId: string) {
  const { filter, asked } = await filterOf(db, viewer, query);
  const rows = await queries.readTrail(db, filter, { limit: MOST_EXPORTED + 1, offset: 0 });
  const kept = rows.slice(0, MOST_EXPORTED);
  const events = await named(db, viewer.laCode, kept);
  await auditReading(db, viewer, 'export-audit-trail', requestId, {
    filters: asked,
    count: kept.length,
    childIds: childrenNamedIn(events),
  });
  return { events, truncated: rows.length > MOST_EXPORTED };
}

/** The people whose actions may be chosen: everyone in the council who is not only a family member. */
export async function auditPeople(db: Kysely<Schema>, viewer: SignedInUser) {
  return queries.staffOf(db, viewer.laCode);
}
