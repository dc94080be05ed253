// Reading the audit trail for the audit screen: one council's events, newest first, by child, person and dates, with
// the names of the people and children the rows name by id.
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Schema } from '../../db/schema.ts';

export interface TrailFilter {
  laCode: string;
  /** Events about any of these children: the child's own record, or a list that showed the child. */
  childIds?: readonly string[];
  actorUserId?: string;
  /** From the start of this day (YYYY-MM-DD, London time) … */
  from?: string;
  /** … to the end of this one. */
  to?: string;
  /** Only events up to this one: a trail read page by page stays as it was on its first page. */
  upToId?: string;
}

export interface TrailRow {
  id: string;
  occurred_at: Date;
  action: string;
  actor_user_id: string | null;
  actor_role: string | null;
  actor_name: string | null;
  subject_child_id: string | null;
  subject_type: string | null;
  subject_id: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
}

function filtered(db: Kysely<Schema>, filter: TrailFilter) {
  let query = db.selectFrom('audit_events as e').where('e.la_code', '=', filter.laCode);
  if (filter.childIds?.length === 0) query = query.where(sql<SqlBool>`false`);
  else if (filter.childIds) {
    const ids = [...filter.childIds];
    query = query.where((eb) =>
      eb.or([
        eb('e.subject_child_id', 'in', ids),
        // A list of children is audited with the ids it showed (details.childIds); index audit_events_child_lists.
        sql<SqlBool>`(e.details -> 'childIds') ?| ${sql.val(ids)}::text[]`,
      ]),
    );
  }
  if (filter.actorUserId) query = query.where('e.actor_user_id', '=', filter.actorUserId);
  if (filter.upToId) query = query.where('e.id', '<=', filter.upToId);
  // Days are the council's days: midnight in London, whatever the server's time zone.
  if (filter.from) {
    query = query.where(
      'e.occurred_at',
      '>=',
      sql<Date>`(${filter.from}::date)::timestamp at time zone 'Europe/London'`,
    );
  }
  if (filter.to) {
    query = query.where(
      'e.occurred_at',
      '<',
      sql<Date>`(${filter.to}::date + 1)::timestamp at time zone 'Europe/London'`,
    );
  }
  return query;
}

export async function countTrail(db: Kysely<Schema>, filter: TrailFilter): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function readTrail(
  db: Kysely<Schema>,
  filter: TrailFilter,
  page: { limit: number; offset: number },
): Promise<TrailRow[]> {
  return filtered(db, filter)
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .select([
      'e.id',
      'e.occurred_at',
      'e.action',
      'e.actor_user_id',
      'e.actor_role',
      'u.display_name as actor_name',
      'e.subject_child_id',
      'e.subject_type',
      'e.subject_id',
      'e.request_id',
      'e.details',
    ])
    .orderBy('e.occurred_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** The children of this council with these ids. */
export async function childrenById(db: Kysely<Schema>, laCode: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('children')
    .select(['id', 'given_name', 'family_name', 'date_of_birth'])
    .where('la_code', '=', laCode)
    .where('id', 'in', [...ids])
    .execute();
}

/** Children whose name holds every word typed (given or family name), alphabetically; at most `limit`. */
export async function childrenNamed(db: Kysely<Schema>, laCode: string, words: readonly string[], limit: number) {
  const like = (word: string) => `%${word.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
  let query = db
    .selectFrom('children')
    .select(['id', 'given_name', 'family_name', 'date_of_birth'])
    .where('la_code', '=', laCode);
  for (const word of words) {
    query = query.where((eb) => eb.or([eb('given_name', 'ilike', like(word)), eb('family_name', 'ilike', like(word))]));
  }
  return query.orderBy('family_name').orderBy('given_name').orderBy('id').limit(limit).execute();
}

/** Everyone in the council who is not only a family member, for choosing whose actions to see. */
export async function staffOf(db: Kysely<Schema>, laCode: string) {
  return db
    .selectFrom('users as u')
    .select(['u.id', 'u.display_name'])
    .where('u.la_code', '=', laCode)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('user_roles as r')
          .select('r.user_id')
          .whereRef('r.user_id', '=', 'u.id')
          .where('r.role', 'not in', ['parent_carer', 'young_person']),
      ),
    )
    .orderBy('u.display_name')
    .orderBy('u.id')
    .execute();
}

/** A person of this council, by id. */
export async function personOf(db: Kysely<Schema>, laCode: string, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('la_code', '=', laCode)
    .where('id', '=', userId)
    .executeTakeFirst();
}

/** The council's newest event, where a trail read page by page stops. */
export async function newestEventId(db: Kysely<Schema>, laCode: string): Promise<string | undefined> {
  const newest = await db
    .selectFrom('audit_events')
    .select('id')
    .where('la_code', '=', laCode)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return newest?.id;
}
