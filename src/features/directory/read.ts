// Reads whole services (with their provider, places and classifications) for service pages and the API.
import type { Kysely } from 'kysely';
import type { Schema, ServicesTable } from '../../db/schema.ts';
import {
  absoluteUrl,
  compact,
  emailAddress,
  orukLocation,
  orukOrganization,
  orukTerm,
  type LocationRow,
  type TermRow,
} from './oruk-shape.ts';
import type { Json } from './records.ts';

export interface FullService {
  row: ServiceRow;
  organization: Json | undefined;
  locations: (LocationRow & { service_at_location_id: string; postcode: string | null })[];
  terms: (TermRow & { attribute_id: string })[];
}

/**
 * Every column but the search document, which only the search index reads: as text it was about a third of each
 * row, read and thrown away fifty times for each page of the Open Referral API. Written as a record of every other
 * column, so a column added to services and not here stops the build rather than going missing from pages.
 */
const COLUMNS_READ: Record<Exclude<keyof ServicesTable, 'search_document'>, true> = {
  id: true,
  la_code: true,
  organization_id: true,
  name: true,
  description: true,
  url: true,
  email: true,
  status: true,
  fees: true,
  accreditations: true,
  minimum_age: true,
  maximum_age: true,
  assured_date: true,
  assurer_email: true,
  alert: true,
  last_modified: true,
  schedules: true,
  service_areas: true,
  languages: true,
  funding: true,
  cost_options: true,
  contacts: true,
  access_routes: true,
  send_needs: true,
  review_by: true,
  is_free: true,
  open_days: true,
  source: true,
  version: true,
  created_at: true,
  review_reminded_at: true,
  stale_flagged_at: true,
};
const SERVICE_COLUMNS = Object.keys(COLUMNS_READ) as (keyof typeof COLUMNS_READ)[];

function serviceRows(db: Kysely<Schema>, laCode: string, ids: string[]) {
  return db
    .selectFrom('services')
    .select(SERVICE_COLUMNS)
    .where('la_code', '=', laCode)
    .where('id', 'in', ids)
    .execute();
}

type ServiceRow = Awaited<ReturnType<typeof serviceRows>>[number];

function organizationRows(db: Kysely<Schema>, rows: ServiceRow[]) {
  const ids = [...new Set(rows.flatMap((row) => row.organization_id ?? []))];
  return ids.length > 0 ? db.selectFrom('organizations').selectAll().where('id', 'in', ids).execute() : [];
}

/** The services found, in the order their ids were asked for, each with its organisation in the standard's shape. */
function inAskedOrder(
  ids: string[],
  rows: ServiceRow[],
  organizations: Awaited<ReturnType<typeof organizationRows>>,
): { row: ServiceRow; organization: Json | undefined }[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const organizationsById = new Map(organizations.map((organization) => [organization.id, organization]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    const organization = row.organization_id ? organizationsById.get(row.organization_id) : undefined;
    return [{ row, organization: organization && orukOrganization(organization) }];
  });
}

/**
 * Services by id in the order asked for, as the standard's list of services gives them (`service_list`): each
 * service's own fields and its organisation, without its places, classifications, schedules and contacts, which
 * `loadFullServices` adds (the API's `full=true` and `/services/{id}`).
 */
export async function loadServiceListItems(db: Kysely<Schema>, laCode: string, ids: string[]): Promise<Json[]> {
  if (ids.length === 0) return [];
  const rows = await serviceRows(db, laCode, ids);
  return inAskedOrder(ids, rows, await organizationRows(db, rows)).map(({ row, organization }) =>
    orukServiceListItem(row, organization),
  );
}

/** Loads services by id in one round of queries, in the order asked for. */
export async function loadFullServices(db: Kysely<Schema>, laCode: string, ids: string[]): Promise<FullService[]> {
  if (ids.length === 0) return [];
  const rows = await serviceRows(db, laCode, ids);
  const [organizations, locations, terms] = await Promise.all([
    organizationRows(db, rows),
    db
      .selectFrom('service_at_locations as sal')
      .innerJoin('locations as l', 'l.id', 'sal.location_id')
      .select([
        'sal.id as service_at_location_id',
        'sal.service_id',
        'l.id',
        'l.location_type',
        'l.name',
        'l.description',
        'l.latitude',
        'l.longitude',
        'l.addresses',
        'l.accessibility',
        'l.postcode',
      ])
      .where('sal.service_id', 'in', ids)
      .execute(),
    db
      .selectFrom('service_attributes as a')
      .innerJoin('taxonomy_terms as t', 't.id', 'a.taxonomy_term_id')
      .leftJoin('taxonomies as x', 'x.id', 't.taxonomy_id')
      .select([
        'a.id as attribute_id',
        'a.service_id',
        't.id',
        't.name',
        't.description',
        't.code',
        't.term_uri',
        't.parent_id',
        't.taxonomy_id',
        'x.name as taxonomy_name',
      ])
      .where('a.service_id', 'in', ids)
      .orderBy('x.name')
      .orderBy('t.name')
      .execute(),
  ]);
  return inAskedOrder(ids, rows, organizations).map(({ row, organization }) => ({
    row,
    organization,
    locations: locations.filter((location) => location.service_id === row.id),
    terms: terms.filter((term) => term.service_id === row.id),
  }));
}

/** A service's own fields and its organisation: one item of the standard's list of services. */
function orukServiceListItem(row: ServiceRow, organization: Json | undefined): Json {
  return compact({
    id: row.id,
    organization_id: row.organization_id,
    name: row.name,
    description: row.description,
    url: absoluteUrl(row.url),
    email: emailAddress(row.email),
    status: row.status,
    fees: row.fees,
    accreditations: row.accreditations,
    minimum_age: row.minimum_age,
    maximum_age: row.maximum_age,
    assured_date: row.assured_date,
    assurer_email: emailAddress(row.assurer_email),
    alert: row.alert,
    last_modified: row.last_modified.toISOString(),
    organization,
  });
}

/** A whole service: its own fields, its organisation, and everything linked to it. */
export function orukService(service: FullService): Json {
  const { row } = service;
  return compact({
    ...orukServiceListItem(row, service.organization),
    schedules: row.schedules,
    service_areas: row.service_areas,
    service_at_locations: service.locations.map((location) => ({
      id: location.service_at_location_id,
      service_id: row.id,
      location_id: location.id,
      location: orukLocation(location),
    })),
    languages: row.languages,
    funding: row.funding,
    cost_options: row.cost_options,
    contacts: row.contacts,
    attributes: service.terms.map((term) => ({
      id: term.attribute_id,
      link_id: row.id,
      link_type: 'service',
      taxonomy_term_id: term.id,
      taxonomy_term: orukTerm(term),
    })),
  });
}
