// Writes services into the directory in batches: upserts by id, so importing the same feed twice changes nothing.
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { weekdaysOf } from '../../domain/local-offer.ts';
import type { ServiceRecord } from './records.ts';

function uniqueById<T extends { id: string }>(items: T[]): T[] {
  return [...new Map(items.map((item) => [item.id, item])).values()];
}

/**
 * Rows shared between batches (organisations, places, terms), once each and in id order: two imports or two
 * batches writing at once then lock shared rows in the same order, and wait for each other instead of deadlocking.
 */
function inIdOrder<T extends { id: string }>(items: T[]): T[] {
  return uniqueById(items).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Free when every price is 0 or says free; paid when any price is above 0; unknown without prices. */
export function isFree(costOptions: Record<string, unknown>[]): boolean | null {
  if (costOptions.length === 0) return null;
  return costOptions.every(
    (option) =>
      option.amount === 0 ||
      (option.amount === undefined && typeof option.option === 'string' && /free/i.test(option.option)),
  );
}

export function openDays(schedules: Record<string, unknown>[]): string[] {
  return [
    ...new Set(schedules.flatMap((schedule) => weekdaysOf(typeof schedule.byday === 'string' ? schedule.byday : null))),
  ];
}

const json = (value: unknown) => JSON.stringify(value);

export async function writeServices(
  db: Kysely<Schema>,
  laCode: string,
  services: ServiceRecord[],
  source: string,
): Promise<void> {
  if (services.length === 0) return;
  const organizations = inIdOrder(services.flatMap((service) => service.organization ?? []));
  const locations = inIdOrder(services.flatMap((service) => service.locations.map((link) => link.location)));
  const terms = inIdOrder(services.flatMap((service) => service.terms));
  const taxonomies = inIdOrder(terms.flatMap((term) => term.taxonomy ?? []));

  // Organisations, places and taxonomies go first, in a short transaction of their own. Batches share them, and
  // their row locks held until a whole batch commits would make two batches written at once take turns (ADR
  // 0006). A batch that fails after this leaves them written but unused; importing the feed again completes it.
  await db.transaction().execute(async (trx) => {
    if (organizations.length > 0) {
      await trx
        .insertInto('organizations')
        .values(
          organizations.map((o) => ({
            id: o.id,
            la_code: laCode,
            name: o.name,
            description: o.description,
            email: o.email,
            website: o.website,
            logo: o.logo,
            uri: o.uri,
          })),
        )
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet((eb) => ({
              name: eb.ref('excluded.name'),
              description: eb.ref('excluded.description'),
              email: eb.ref('excluded.email'),
              website: eb.ref('excluded.website'),
              logo: eb.ref('excluded.logo'),
              uri: eb.ref('excluded.uri'),
              last_modified: sql`now()`,
            }))
            .where('organizations.la_code', '=', laCode),
        )
        .execute();
    }
    if (locations.length > 0) {
      await trx
        .insertInto('locations')
        .values(
          locations.map((l) => ({
            id: l.id,
            la_code: laCode,
            location_type: l.locationType,
            name: l.name,
            description: l.description,
            latitude: l.latitude,
            longitude: l.longitude,
            postcode: l.postcode,
            addresses: json(l.addresses),
            accessibility: json(l.accessibility),
          })),
        )
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet((eb) => ({
              location_type: eb.ref('excluded.location_type'),
              name: eb.ref('excluded.name'),
              description: eb.ref('excluded.description'),
              latitude: eb.ref('excluded.latitude'),
              longitude: eb.ref('excluded.longitude'),
              postcode: eb.ref('excluded.postcode'),
              addresses: eb.ref('excluded.addresses'),
              accessibility: eb.ref('excluded.accessibility'),
            }))
            .where('locations.la_code', '=', laCode),
        )
        .execute();
      await placeInLocalities(
        trx,
        laCode,
        locations.map((location) => location.id),
      );
    }
    if (taxonomies.length > 0) {
      await trx
        .insertInto('taxonomies')
        .values(
          taxonomies.map((t) => ({
            id: t.id,
            la_code: laCode,
            name: t.name,
            description: t.description,
            uri: t.uri,
            version: t.version,
          })),
        )
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet((eb) => ({
              name: eb.ref('excluded.name'),
              description: eb.ref('excluded.description'),
              uri: eb.ref('excluded.uri'),
              version: eb.ref('excluded.version'),
            }))
            .where('taxonomies.la_code', '=', laCode),
        )
        .execute();
    }
    if (terms.length > 0) {
      await trx
        .insertInto('taxonomy_terms')
        .values(
          terms.map((t) => ({
            id: t.id,
            la_code: laCode,
            taxonomy_id: t.taxonomy?.id ?? null,
            name: t.name,
            description: t.description,
            code: t.code,
            term_uri: t.termUri,
            parent_id: t.parentId,
          })),
        )
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet((eb) => ({
              taxonomy_id: eb.ref('excluded.taxonomy_id'),
              name: eb.ref('excluded.name'),
              description: eb.ref('excluded.description'),
              code: eb.ref('excluded.code'),
              term_uri: eb.ref('excluded.term_uri'),
              parent_id: eb.ref('excluded.parent_id'),
            }))
            .where('taxonomy_terms.la_code', '=', laCode),
        )
        .execute();
    }
  });
  await db.transaction().execute(async (trx) => {
    // Only services written before have links and attributes to replace: a first import skips looking for them.
    const rewritten = await writeServiceRows(trx, laCode, services, source);
    // Links are many small rows, so they go in as one array per column rather than thousands of parameters.
    if (rewritten.length > 0)
      await sql`delete from service_at_locations where service_id = any(${rewritten}::uuid[])`.execute(trx);
    const links = uniqueById(
      services.flatMap((s) =>
        s.locations.map((link) => ({ id: link.serviceAtLocationId, serviceId: s.id, locationId: link.location.id })),
      ),
    );
    await sql`
      insert into service_at_locations (id, la_code, service_id, location_id)
      select id, ${laCode}, service_id, location_id
        from unnest(${links.map((l) => l.id)}::uuid[], ${links.map((l) => l.serviceId)}::uuid[],
                    ${links.map((l) => l.locationId)}::uuid[]) as link (id, service_id, location_id)
      on conflict (id) do nothing`.execute(trx);
    if (rewritten.length > 0)
      await sql`delete from service_attributes where service_id = any(${rewritten}::uuid[])`.execute(trx);
    const attributes = services.flatMap((s) =>
      uniqueById(s.terms).map((term) => ({ id: attributeId(s.id, term.id), serviceId: s.id, termId: term.id })),
    );
    await sql`
      insert into service_attributes (id, la_code, service_id, taxonomy_term_id)
      select id, ${laCode}, service_id, term_id
        from unnest(${attributes.map((a) => a.id)}::uuid[], ${attributes.map((a) => a.serviceId)}::uuid[],
                    ${attributes.map((a) => a.termId)}::uuid[]) as attribute (id, service_id, term_id)`.execute(trx);
  });
}

/** Columns a feed writes, with their types, in the order the rows are sent. */
const SERVICE_COLUMNS = [
  ['id', 'uuid'],
  ['organization_id', 'uuid'],
  ['name', 'text'],
  ['description', 'text'],
  ['url', 'text'],
  ['email', 'text'],
  ['status', 'text'],
  ['fees', 'text'],
  ['accreditations', 'text'],
  ['minimum_age', 'integer'],
  ['maximum_age', 'integer'],
  ['assured_date', 'date'],
  ['assurer_email', 'text'],
  ['alert', 'text'],
  ['last_modified', 'timestamptz'],
  ['schedules', 'jsonb'],
  ['service_areas', 'jsonb'],
  ['languages', 'jsonb'],
  ['funding', 'jsonb'],
  ['cost_options', 'jsonb'],
  ['contacts', 'jsonb'],
  ['access_routes', 'text[]'],
  ['send_needs', 'text[]'],
  ['is_free', 'boolean'],
  ['open_days', 'text[]'],
] as const;

/**
 * Upserts services and returns the ids of those that were already there. A batch travels as one JSON parameter
 * rather than thirty parameters a row: at national scale that more than halves the import time (measured with
 * `npm run bench -- search`).
 */
async function writeServiceRows(
  db: Kysely<Schema>,
  laCode: string,
  services: ServiceRecord[],
  source: string,
): Promise<string[]> {
  const rows = services.map((s) => ({
    id: s.id,
    organization_id: s.organization?.id ?? null,
    name: s.name,
    description: s.description,
    url: s.url,
    email: s.email,
    status: s.status,
    fees: s.fees,
    accreditations: s.accreditations,
    minimum_age: s.minimumAge,
    maximum_age: s.maximumAge,
    assured_date: s.assuredDate,
    assurer_email: s.assurerEmail,
    alert: s.alert,
    last_modified: s.lastModified.toISOString(),
    schedules: s.schedules,
    service_areas: s.serviceAreas,
    languages: s.languages,
    funding: s.funding,
    cost_options: s.costOptions,
    contacts: s.contacts,
    access_routes: s.accessRoutes,
    send_needs: s.sendNeeds,
    is_free: isFree(s.costOptions),
    open_days: openDays(s.schedules),
    ...searchTextOf(s),
  }));
  const columns = sql.join(SERVICE_COLUMNS.map(([name]) => sql.ref(name)));
  const recordType = sql.raw(
    [...SERVICE_COLUMNS, ['categories', 'text'], ['extra', 'text']].map(([name, type]) => `${name} ${type}`).join(', '),
  );
  const updates = sql.raw(
    SERVICE_COLUMNS.filter(([name]) => name !== 'id')
      .map(([name]) => `${name} = excluded.${name}`)
      .join(', '),
  );
  const { rows: written } = await sql<{ id: string; version: number }>`
    insert into services (${columns}, la_code, source, search_document)
    select ${sql.join(SERVICE_COLUMNS.map(([name]) => sql.ref(`r.${name}`)))}, ${laCode}, ${source},
           service_search_document(r.name, r.categories, r.description, r.extra)
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r (${recordType})
    on conflict (id) do update set ${updates}, source = excluded.source,
       search_document = excluded.search_document, version = services.version + 1
     -- A service id belonging to another council is never overwritten by this one's feed.
     where services.la_code = ${laCode}
    returning id, version`.execute(db);
  // A new row starts at version 1; an existing one has just gone up by one.
  return written.filter((row) => row.version > 1).map((row) => row.id);
}

/** The words search reads besides name and description (see service_search_document in the migrations). */
function searchTextOf(service: ServiceRecord): { categories: string; extra: string } {
  const categories = uniqueById(service.terms)
    .map((term) => term.name)
    .join(' ');
  const accessibility = service.locations.flatMap((link) =>
    link.location.accessibility.map((item) => (typeof item.description === 'string' ? item.description : '')),
  );
  return { categories, extra: [service.organization?.name ?? '', ...accessibility].join(' ') };
}

/** A location lands in the council's locality that lists its postcode district ("NM1 4AB" is in NM1). */
async function placeInLocalities(db: Kysely<Schema>, laCode: string, locationIds: string[]): Promise<void> {
  await sql`
    update locations l set locality_id = loc.id from localities loc
     where l.id = any(${locationIds}::uuid[]) and l.la_code = ${laCode} and loc.la_code = ${laCode}
       and split_part(l.postcode, ' ', 1) = any(loc.postcode_districts)`.execute(db);
}

const HEX_DIGITS = '0123456789abcdef';
const hexValue = (code: number) => (code <= 57 ? code - 48 : (code | 32) - 87);

/**
 * An attribute is the pair (service, term); its id is derived from both so it is stable across imports: the two
 * UUIDs' hex digits XORed, marked as a version 4 UUID. Digit by digit on character codes, as a national import
 * makes hundreds of thousands of them.
 */
function attributeId(serviceId: string, termId: string): string {
  let id = '';
  for (let i = 0; i < 36; i += 1) {
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      id += '-';
      continue;
    }
    const digit = hexValue(serviceId.charCodeAt(i)) ^ hexValue(termId.charCodeAt(i));
    // The version digit (4) and the variant's top bits (10), where a UUID keeps them.
    id += HEX_DIGITS.charAt(i === 14 ? 4 : i === 19 ? (digit & 0x3) | 0x8 : digit);
  }
  return id;
}

/** Rebuilds search documents from what is stored, after an edit changes a service's words. */
export async function refreshSearchDocuments(db: Kysely<Schema>, serviceIds: string[]): Promise<void> {
  if (serviceIds.length === 0) return;
  await sql`
    with categories as (
      select a.service_id, string_agg(t.name, ' ') as names
        from service_attributes a join taxonomy_terms t on t.id = a.taxonomy_term_id
       where a.service_id = any(${serviceIds}::uuid[]) group by a.service_id),
    accessibility as (
      select sal.service_id, string_agg(coalesce(x ->> 'description', ''), ' ') as notes
        from service_at_locations sal join locations loc on loc.id = sal.location_id,
             jsonb_array_elements(loc.accessibility) x
       where sal.service_id = any(${serviceIds}::uuid[]) group by sal.service_id)
    update services s set search_document = service_search_document(
        s.name, c.names, s.description, coalesce(o.name, '') || ' ' || coalesce(a.notes, ''))
      from services s2
      left join organizations o on o.id = s2.organization_id
      left join categories c on c.service_id = s2.id
      left join accessibility a on a.service_id = s2.id
     where s.id = s2.id and s.id = any(${serviceIds}::uuid[])`.execute(db);
}
