// Paged lists of the directory's organisations, taxonomies, terms and service locations, for the Open Referral API.
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { compact, orukLocation, orukOrganization, orukTerm } from './oruk-shape.ts';
import type { Json } from './records.ts';

interface Page {
  page: number;
  perPage: number;
}

async function counted<T>(rows: Promise<(T & { total: string | number })[]>): Promise<{ rows: T[]; total: number }> {
  const result = await rows;
  return { rows: result, total: result[0] ? Number(result[0].total) : 0 };
}

export async function listOrganizations(db: Kysely<Schema>, laCode: string, { page, perPage }: Page, id?: string) {
  let query = db
    .selectFrom('organizations')
    .selectAll()
    .select((eb) => eb.fn.countAll<string>().over().as('total'))
    .where('la_code', '=', laCode);
  if (id) query = query.where('id', '=', id);
  const { rows, total } = await counted(
    query
      .orderBy('name')
      .orderBy('id')
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute(),
  );
  return { contents: rows.map(orukOrganization), total };
}

export async function listTaxonomies(db: Kysely<Schema>, laCode: string, { page, perPage }: Page, id?: string) {
  let query = db
    .selectFrom('taxonomies')
    .selectAll()
    .select((eb) => eb.fn.countAll<string>().over().as('total'))
    .where('la_code', '=', laCode);
  if (id) query = query.where('id', '=', id);
  const { rows, total } = await counted(
    query
      .orderBy('name')
      .orderBy('id')
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute(),
  );
  return {
    contents: rows.map((row): Json =>
      compact({
        id: row.id,
        name: row.name,
        description: row.description,
        uri: row.uri ?? undefined,
        version: row.version,
      }),
    ),
    total,
  };
}

export async function listTaxonomyTerms(
  db: Kysely<Schema>,
  laCode: string,
  { page, perPage }: Page,
  filters: { id?: string; taxonomyId?: string },
) {
  let query = db
    .selectFrom('taxonomy_terms as t')
    .leftJoin('taxonomies as x', 'x.id', 't.taxonomy_id')
    .select([
      't.id',
      't.name',
      't.description',
      't.code',
      't.term_uri',
      't.parent_id',
      't.taxonomy_id',
      'x.name as taxonomy_name',
    ])
    .select((eb) => eb.fn.countAll<string>().over().as('total'))
    .where('t.la_code', '=', laCode);
  if (filters.id) query = query.where('t.id', '=', filters.id);
  if (filters.taxonomyId) query = query.where('t.taxonomy_id', '=', filters.taxonomyId);
  const { rows, total } = await counted(
    query
      .orderBy('x.name')
      .orderBy('t.name')
      .orderBy('t.id')
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute(),
  );
  return { contents: rows.map(orukTerm), total };
}

export async function listServiceAtLocations(db: Kysely<Schema>, laCode: string, { page, perPage }: Page, id?: string) {
  let query = db
    .selectFrom('service_at_locations as sal')
    .innerJoin('locations as l', 'l.id', 'sal.location_id')
    .select([
      'sal.id as link_id',
      'sal.service_id',
      'l.id',
      'l.location_type',
      'l.name',
      'l.description',
      'l.latitude',
      'l.longitude',
      'l.addresses',
      'l.accessibility',
    ])
    .select((eb) => eb.fn.countAll<string>().over().as('total'))
    .where('sal.la_code', '=', laCode);
  if (id) query = query.where('sal.id', '=', id);
  const { rows, total } = await counted(
    query
      .orderBy('sal.id')
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute(),
  );
  return {
    contents: rows.map((row): Json => ({
      id: row.link_id,
      service_id: row.service_id,
      location_id: row.id,
      location: orukLocation(row),
    })),
    total,
  };
}
