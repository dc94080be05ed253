// The directory's management use cases that the staff pages (manage-routes.ts) read: the list of services a provider
// or editor keeps, one proposed change to decide, and the categories the sufficiency view can be narrowed to.
// Changing a service (proposing, deciding, restoring, confirming) is in upkeep.ts; public reports in feedback.ts.
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import type { SignedInUser } from '../../domain/people.ts';
import { isEditor, manageableService } from './upkeep.ts';

/**
 * One page of the services a person keeps: every service of the council for an editor, their organisations' for a
 * provider; narrowed by part of the name, or to those flagged as out of date. With the number found and which of
 * the page's services have a change waiting for approval.
 */
export async function managedServices(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: { name: string; staleOnly: boolean; page: number; pageSize: number },
) {
  let services = db
    .selectFrom('services as s')
    .leftJoin('organizations as o', 'o.id', 's.organization_id')
    .where('s.la_code', '=', user.laCode);
  if (!isEditor(user)) {
    services = services.where('s.organization_id', 'in', (eb) =>
      eb.selectFrom('organization_members').select('organization_id').where('user_id', '=', user.id),
    );
  }
  if (options.name) {
    services = services.where('s.name', 'ilike', `%${options.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  if (options.staleOnly) services = services.where('s.stale_flagged_at', 'is not', null);
  const [rows, total, waiting] = await Promise.all([
    services
      .select([
        's.id',
        's.name',
        's.status',
        's.review_by',
        's.assured_date',
        's.last_modified',
        'o.name as organization_name',
      ])
      .orderBy('s.name')
      .limit(options.pageSize)
      .offset((options.page - 1) * options.pageSize)
      .execute(),
    services.select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow(),
    db
      .selectFrom('service_changes')
      .select('service_id')
      .where('la_code', '=', user.laCode)
      .where('status', '=', 'pending')
      .execute(),
  ]);
  return {
    rows,
    count: Number(total.count),
    waitingIds: new Set(waiting.map((change) => change.service_id)),
  };
}

/** A proposed change with who proposed it and the service it changes, or undefined when the editor cannot see it. */
export async function changeToDecide(db: Kysely<Schema>, user: SignedInUser, changeId: string) {
  const change = await db
    .selectFrom('service_changes as c')
    .innerJoin('users as u', 'u.id', 'c.proposed_by')
    .selectAll('c')
    .select('u.display_name as proposed_by_name')
    .where('c.id', '=', changeId)
    .where('c.la_code', '=', user.laCode)
    .executeTakeFirst();
  const service = change ? await manageableService(db, user, change.service_id) : undefined;
  return change && service ? { change, service } : undefined;
}

/** The council's service categories, by name, for narrowing the sufficiency view. */
export async function serviceCategories(db: Kysely<Schema>, laCode: string) {
  return db
    .selectFrom('taxonomy_terms as t')
    .innerJoin('taxonomies as x', 'x.id', 't.taxonomy_id')
    .select(['t.id', 't.name'])
    .where('t.la_code', '=', laCode)
    .where('x.name', '~*', 'categor|type|service')
    .orderBy('t.name')
    .execute();
}

/** Which council the public pages serve (COUNCIL_CODE, or the only one): families' own accounts belong to it. */
export { publicCouncil } from './council.ts';
