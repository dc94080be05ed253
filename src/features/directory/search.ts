// Directory search: the one ranking used by the public pages and the Open Referral API.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import type { AccessRoute, SendNeed, Weekday } from '../../domain/local-offer.ts';
import type { Glossary } from '../../domain/search/glossary.ts';
import { understandQuery, type AgeRange, type QueryPlan, type Vocabulary } from '../../domain/search/understand.ts';
import { EARTH_RADIUS_KM, lexemePhrases, searchIndex, searchIndexFor } from './search-index.ts';

export interface Point {
  latitude: number;
  longitude: number;
}

export interface SearchFilters {
  /** A child's age in years: keeps services whose age range includes it. */
  age?: number;
  needs?: SendNeed[];
  termIds?: string[];
  taxonomyId?: string;
  organizationId?: string;
  near?: Point;
  maxDistanceKm?: number;
  free?: boolean;
  accessRoutes?: AccessRoute[];
  days?: Weekday[];
  modifiedAfter?: Date;
  /** Public pages show active services only; the API can ask for every status. */
  activeOnly?: boolean;
}

export type SearchOrder = 'relevance' | 'distance' | 'name';

export interface SearchRequest {
  text: string;
  filters: SearchFilters;
  order?: SearchOrder;
  page: number;
  perPage: number;
  /** False searches for exactly what was typed ("Search instead for …"). */
  correctSpelling?: boolean;
}

export interface SearchHit {
  id: string;
  name: string;
  description: string;
  status: string;
  minimumAge: number | null;
  maximumAge: number | null;
  isFree: boolean | null;
  organizationName: string | null;
  distanceKm: number | null;
  lastModified: Date;
  assuredDate: string | null;
}

export interface SearchResult {
  plan: QueryPlan | null;
  total: number;
  hits: SearchHit[];
}

/** ts_rank weights for D, C, B, A: provider and access notes, description, categories and needs, name. */
const WEIGHTS = '{0.05, 0.2, 0.4, 1.0}';

function phraseQuery(words: string[]): RawBuilder<unknown> {
  return sql`phraseto_tsquery('english', ${words.join(' ')})`;
}

/** Any of a concept's phrases. */
function conceptQuery(phrases: string[][]): RawBuilder<unknown> {
  return phrases.map(phraseQuery).reduce((all, next) => sql`(${all} || ${next})`);
}

/**
 * The database ranks at least this many candidates exactly; the in-memory index picks them and counts every
 * match. A query matching fewer services is ranked entirely in the database (search-index.ts, ADR 0006).
 */
export const EXACT_CANDIDATES = 200;

function distanceFrom(point: Point): RawBuilder<number | null> {
  return sql<number | null>`(
    select min(2 * ${EARTH_RADIUS_KM} * asin(sqrt(
      power(sin(radians(l.latitude - ${point.latitude}) / 2), 2) +
      cos(radians(${point.latitude})) * cos(radians(l.latitude)) * power(sin(radians(l.longitude - ${point.longitude}) / 2), 2))))
    from service_at_locations sal join locations l on l.id = sal.location_id
    where sal.service_id = s.id and l.latitude is not null and l.longitude is not null)`;
}

function ageFits(age: AgeRange): RawBuilder<boolean> {
  return sql<boolean>`(coalesce(s.minimum_age, 0) <= ${age.max} and coalesce(s.maximum_age, 200) >= ${age.min})`;
}

export async function searchServices(
  db: Kysely<Schema>,
  laCode: string,
  request: SearchRequest,
  understanding: { glossary: Glossary; vocabulary: Vocabulary; documents: number },
): Promise<SearchResult> {
  const plan =
    request.text.trim() === ''
      ? null
      : understandQuery(request.text, understanding.glossary, understanding.vocabulary, {
          correctSpelling: request.correctSpelling !== false,
        });
  const filters = request.filters;
  const conditions: RawBuilder<unknown>[] = [sql`s.la_code = ${laCode}`];
  if (filters.activeOnly !== false) conditions.push(sql`s.status = 'active'`);
  const age = filters.age !== undefined ? { min: filters.age, max: filters.age } : plan?.age;
  if (age) conditions.push(ageFits(age));
  if (filters.needs?.length)
    conditions.push(sql`(s.send_needs && ${filters.needs}::text[] or 'all_send' = any(s.send_needs))`);
  if (filters.accessRoutes?.length) conditions.push(sql`s.access_routes && ${filters.accessRoutes}::text[]`);
  if (filters.days?.length) conditions.push(sql`s.open_days && ${filters.days}::text[]`);
  if (filters.free !== undefined) conditions.push(sql`s.is_free = ${filters.free}`);
  if (filters.organizationId) conditions.push(sql`s.organization_id = ${filters.organizationId}`);
  if (filters.modifiedAfter) conditions.push(sql`s.last_modified > ${filters.modifiedAfter}`);
  if (filters.termIds?.length) {
    conditions.push(
      sql`exists (select 1 from service_attributes a where a.service_id = s.id and a.taxonomy_term_id = any(${filters.termIds}::uuid[]))`,
    );
  }
  if (filters.taxonomyId) {
    conditions.push(
      sql`exists (select 1 from service_attributes a join taxonomy_terms t on t.id = a.taxonomy_term_id where a.service_id = s.id and t.taxonomy_id = ${filters.taxonomyId})`,
    );
  }
  const distance = filters.near ? distanceFrom(filters.near) : sql<null>`null::float8`;
  if (filters.near && filters.maxDistanceKm !== undefined)
    conditions.push(sql`${distance} <= ${filters.maxDistanceKm}`);

  const concepts = plan?.concepts ?? [];
  const strong = concepts.filter((concept) => !concept.weak);
  const anyQuery =
    concepts.length > 0
      ? concepts.map((concept) => conceptQuery(concept.phrases)).reduce((all, next) => sql`(${all} || ${next})`)
      : null;

  // Relevance: how many of the query's concepts a service covers comes first; then how well (name over
  // categories over description); adult-only services sink when the family has not asked about adults.
  const coverage =
    strong.length > 0
      ? strong
          .map((concept) => sql`(s.search_document @@ ${conceptQuery(concept.phrases)})::int`)
          .reduce((all, next) => sql`${all} + ${next}`)
      : sql`0`;
  const rank = anyQuery ? sql`ts_rank_cd(${WEIGHTS}::float4[], s.search_document, ${anyQuery}, 1)` : sql`0`;
  const adultPenalty = plan?.adultIntent || age ? sql`0` : sql`(case when s.minimum_age >= 18 then 1 else 0 end)`;
  const relevance = sql`((${coverage})::float8 / ${Math.max(strong.length, 1)} - ${adultPenalty} + ${rank})`;

  const order = request.order ?? (plan ? 'relevance' : filters.near ? 'distance' : 'name');
  const orderBy =
    order === 'distance' && filters.near
      ? sql`distance_km asc nulls last, s.name`
      : order === 'relevance' && plan
        ? sql`relevance desc, s.name`
        : sql`s.name`;

  const index = await searchIndexFor(db, laCode);
  const lexemes = await lexemePhrases(
    db,
    concepts.flatMap((concept) => concept.phrases.map((words) => words.join(' '))),
  );
  const found = searchIndex(index, {
    concepts: concepts.map((concept) => ({
      weak: concept.weak,
      phrases: concept.phrases.flatMap((words) => lexemes.get(words.join(' ')) ?? []),
    })),
    filters,
    age: age ?? undefined,
    penaliseAdults: !(plan?.adultIntent || age),
    order,
    limit: Math.max(EXACT_CANDIDATES, request.page * request.perPage * 2),
  });
  // The index has already matched the words; the database ranks only its candidates, found by primary key.
  conditions.push(sql`s.id = any(${found.candidates}::uuid[])`);
  const where = conditions.reduce((all, next) => sql`${all} and ${next}`);
  const rows = await sql<{
    id: string;
    name: string;
    description: string;
    status: string;
    minimum_age: number | null;
    maximum_age: number | null;
    is_free: boolean | null;
    organization_name: string | null;
    distance_km: number | null;
    last_modified: Date;
    assured_date: string | null;
    relevance: number;
  }>`
    select s.id, s.name, s.description, s.status, s.minimum_age, s.maximum_age, s.is_free, o.name as organization_name,
           s.last_modified, s.assured_date, ${distance} as distance_km, ${relevance} as relevance
      from services s left join organizations o on o.id = s.organization_id
     where ${where}
     order by ${orderBy}
     limit ${request.perPage} offset ${(request.page - 1) * request.perPage}`.execute(db);

  return {
    plan,
    total: found.total,
    hits: rows.rows.map((row) => ({
      id: row.id,
      name: row.name,
      description: row.description,
      status: row.status,
      minimumAge: row.minimum_age,
      maximumAge: row.maximum_age,
      isFree: row.is_free,
      organizationName: row.organization_name,
      distanceKm: row.distance_km,
      lastModified: row.last_modified,
      assuredDate: row.assured_date,
    })),
  };
}

/** Every word in a council's directory with how many services use it, for spelling correction. */
export async function loadVocabulary(db: Kysely<Schema>, laCode: string): Promise<Vocabulary> {
  const { rows } = await sql<{ word: string; ndoc: number }>`
    select word, ndoc from ts_stat(${`select to_tsvector('simple', name || ' ' || description) from services where la_code = '${laCode.replace(/[^A-Z0-9]/g, '')}' and status = 'active'`})
     where length(word) >= 3 and word !~ '[0-9]'`.execute(db);
  return new Map(rows.map((row) => [row.word, row.ndoc]));
}

export async function countActiveServices(db: Kysely<Schema>, laCode: string): Promise<number> {
  const row = await db
    .selectFrom('services')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('la_code', '=', laCode)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}
