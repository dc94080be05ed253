// Writes services into the directory in batches: upserts by id, so importing the same feed twice changes nothing.
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { weekdaysOf } from '../../domain/local-offer.ts';
import type { ServiceRecord } from './records.ts';

function uniqueById<T extends { id: string }>(items: T[]): T[] {
  return [...new Map(items.map((item) => [item.id, item])).values()];
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
  const organizations = uniqueById(services.flatMap((service) => service.organization ?? []));
  const locations = uniqueById(services.flatMap((service) => service.locations.map((link) => link.location)));
  const terms = uniqueById(services.flatMap((service) => service.terms));
  const taxonomies = uniqueById(terms.flatMap((term) => term.taxonomy ?? []));
  const serviceIds = services.map((service) => service.id);

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
          oc.column('id').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            description: eb.ref('excluded.description'),
            email: eb.ref('excluded.email'),
            website: eb.ref('excluded.website'),
            logo: eb.ref('excluded.logo'),
            uri: eb.ref('excluded.uri'),
            last_modified: sql`now()`,
          })),
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
          oc.column('id').doUpdateSet((eb) => ({
            location_type: eb.ref('excluded.location_type'),
            name: eb.ref('excluded.name'),
            description: eb.ref('excluded.description'),
            latitude: eb.ref('excluded.latitude'),
            longitude: eb.ref('excluded.longitude'),
            postcode: eb.ref('excluded.postcode'),
            addresses: eb.ref('excluded.addresses'),
            accessibility: eb.ref('excluded.accessibility'),
          })),
        )
        .execute();
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
          oc.column('id').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            description: eb.ref('excluded.description'),
            uri: eb.ref('excluded.uri'),
            version: eb.ref('excluded.version'),
          })),
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
          oc.column('id').doUpdateSet((eb) => ({
            taxonomy_id: eb.ref('excluded.taxonomy_id'),
            name: eb.ref('excluded.name'),
            description: eb.ref('excluded.description'),
            code: eb.ref('excluded.code'),
            term_uri: eb.ref('excluded.term_uri'),
            parent_id: eb.ref('excluded.parent_id'),
          })),
        )
        .execute();
    }
    await trx
      .insertInto('services')
      .values(
        services.map((s) => ({
          id: s.id,
          la_code: laCode,
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
          last_modified: s.lastModified,
          schedules: json(s.schedules),
          service_areas: json(s.serviceAreas),
          languages: json(s.languages),
          funding: json(s.funding),
          cost_options: json(s.costOptions),
          contacts: json(s.contacts),
          access_routes: s.accessRoutes,
          send_needs: s.sendNeeds,
          is_free: isFree(s.costOptions),
          open_days: openDays(s.schedules),
          source,
        })),
      )
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet((eb) => ({
            organization_id: eb.ref('excluded.organization_id'),
            name: eb.ref('excluded.name'),
            description: eb.ref('excluded.description'),
            url: eb.ref('excluded.url'),
            email: eb.ref('excluded.email'),
            status: eb.ref('excluded.status'),
            fees: eb.ref('excluded.fees'),
            accreditations: eb.ref('excluded.accreditations'),
            minimum_age: eb.ref('excluded.minimum_age'),
            maximum_age: eb.ref('excluded.maximum_age'),
            assured_date: eb.ref('excluded.assured_date'),
            assurer_email: eb.ref('excluded.assurer_email'),
            alert: eb.ref('excluded.alert'),
            last_modified: eb.ref('excluded.last_modified'),
            schedules: eb.ref('excluded.schedules'),
            service_areas: eb.ref('excluded.service_areas'),
            languages: eb.ref('excluded.languages'),
            funding: eb.ref('excluded.funding'),
            cost_options: eb.ref('excluded.cost_options'),
            contacts: eb.ref('excluded.contacts'),
            access_routes: eb.ref('excluded.access_routes'),
            send_needs: eb.ref('excluded.send_needs'),
            is_free: eb.ref('excluded.is_free'),
            open_days: eb.ref('excluded.open_days'),
            source: eb.ref('excluded.source'),
            version: sql`services.version + 1`,
          }))
          // A service id belonging to another council is never overwritten by this one's feed.
          .where('services.la_code', '=', laCode),
      )
      .execute();
    await trx.deleteFrom('service_at_locations').where('service_id', 'in', serviceIds).execute();
    const links = services.flatMap((s) =>
      s.locations.map((link) => ({
        id: link.serviceAtLocationId,
        la_code: laCode,
        service_id: s.id,
        location_id: link.location.id,
      })),
    );
    if (links.length > 0)
      await trx
        .insertInto('service_at_locations')
        .values(uniqueById(links))
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    await trx.deleteFrom('service_attributes').where('service_id', 'in', serviceIds).execute();
    const attributes = services.flatMap((s) =>
      uniqueById(s.terms).map((term) => ({
        id: attributeId(s.id, term.id),
        la_code: laCode,
        service_id: s.id,
        taxonomy_term_id: term.id,
      })),
    );
    if (attributes.length > 0) await trx.insertInto('service_attributes').values(attributes).execute();
    await refreshSearchDocuments(trx, serviceIds);
  });
}

/** An attribute is the pair (service, term); its id is derived from both so it is stable across imports. */
function attributeId(serviceId: string, termId: string): string {
  const a = serviceId.replaceAll('-', '');
  const b = termId.replaceAll('-', '');
  let hex = '';
  for (let i = 0; i < 32; i += 1) hex += (parseInt(a[i]!, 16) ^ parseInt(b[i]!, 16)).toString(16);
  hex = `${hex.slice(0, 12)}4${hex.slice(13, 16)}${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17)}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The text search reads, weighted by where words come from: the name (A) matters most, then the
 * categories and needs a service is tagged with (B), then its description (C), then its provider and
 * the accessibility notes of where it happens (D).
 */
export async function refreshSearchDocuments(db: Kysely<Schema>, serviceIds: string[]): Promise<void> {
  if (serviceIds.length === 0) return;
  await sql`
    update services s set search_document =
      setweight(to_tsvector('english', s.name), 'A') ||
      setweight(to_tsvector('english', coalesce((
        select string_agg(t.name, ' ') from service_attributes a join taxonomy_terms t on t.id = a.taxonomy_term_id
         where a.service_id = s.id), '')), 'B') ||
      setweight(to_tsvector('english', s.description), 'C') ||
      setweight(to_tsvector('english', coalesce(o.name, '') || ' ' || coalesce((
        select string_agg(coalesce(x ->> 'description', ''), ' ')
          from service_at_locations l join locations loc on loc.id = l.location_id, jsonb_array_elements(loc.accessibility) x
         where l.service_id = s.id), '')), 'D')
    from services s2 left join organizations o on o.id = s2.organization_id
    where s.id = s2.id and s.id = any(${serviceIds}::uuid[])`.execute(db);
}
