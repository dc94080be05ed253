// Directory search for the public pages, the Open Referral API and the evaluation: understands the query, asks the
// in-memory index (search-index.ts, where relevance is defined) for the count and the page, and reads the page.
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import type { Glossary } from '../../domain/search/glossary.ts';
import { understandQuery, type QueryPlan, type Vocabulary } from '../../domain/search/understand.ts';
import { lexemePhrases, searchIndex, searchIndexFor } from './search-index.ts';
import type { SearchFilters, SearchOrder } from './search-filters.ts';

export type { Point, SearchFilters, SearchOrder } from './search-filters.ts';

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
  const { filters } = request;
  const age = filters.age !== undefined ? { min: filters.age, max: filters.age } : plan?.age;
  const concepts = plan?.concepts ?? [];
  const index = await searchIndexFor(db, laCode);
  const lexemes = await lexemePhrases(
    db,
    concepts.flatMap((concept) => concept.phrases.map((words) => words.join(' '))),
  );
  // The index matches, filters, counts and ranks (relevance is defined there, once); the database reads the page.
  const found = searchIndex(index, {
    concepts: concepts.map((concept) => ({
      weak: concept.weak,
      phrases: concept.phrases.flatMap((words) => lexemes.get(words.join(' ')) ?? []),
    })),
    filters,
    age: age ?? undefined,
    penaliseAdults: !(plan?.adultIntent || age),
    order: request.order ?? (plan ? 'relevance' : filters.near ? 'distance' : 'name'),
    page: request.page,
    perPage: request.perPage,
  });
  if (found.page.length === 0) return { plan, total: found.total, hits: [] };
  let read = db
    .selectFrom('services as s')
    .leftJoin('organizations as o', 'o.id', 's.organization_id')
    .select([
      's.id',
      's.name',
      's.description',
      's.status',
      's.minimum_age',
      's.maximum_age',
      's.is_free',
      'o.name as organization_name',
      's.last_modified',
      's.assured_date',
    ])
    .where('s.la_code', '=', laCode)
    .where(
      's.id',
      'in',
      found.page.map((hit) => hit.id),
    );
  // The index may be a few minutes old: a service withdrawn since is not shown to families meanwhile.
  if (filters.activeOnly !== false) read = read.where('s.status', '=', 'active');
  const rows = new Map((await read.execute()).map((row) => [row.id, row]));
  return {
    plan,
    total: found.total,
    hits: found.page.flatMap(({ id, distanceKm }) => {
      const row = rows.get(id);
      return row
        ? [
            {
              id,
              name: row.name,
              description: row.description,
              status: row.status,
              minimumAge: row.minimum_age,
              maximumAge: row.maximum_age,
              isFree: row.is_free,
              organizationName: row.organization_name,
              distanceKm,
              lastModified: row.last_modified,
              assuredDate: row.assured_date,
            },
          ]
        : [];
    }),
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
