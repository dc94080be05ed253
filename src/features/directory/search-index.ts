// An in-memory index of a council's directory that finds, filters and counts matching services without
// reading every match from the database, so search stays fast with hundreds of thousands of services (ADR 0006).
//
// It holds each service's search words (PostgreSQL's own stemmed lexemes and positions, read from
// search_document) and the fields filters use. For a query it counts every match exactly and picks the best
// candidates by an estimate of the relevance; PostgreSQL then ranks those candidates exactly with the one
// relevance formula in search.ts. When a query matches fewer services than the candidate limit, every match is
// ranked exactly, so results are the same as ranking in the database alone.
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { ACCESS_ROUTES, SEND_NEEDS, WEEKDAYS } from '../../domain/local-offer.ts';
import type { AgeRange } from '../../domain/search/understand.ts';
import type { Point, SearchFilters, SearchOrder } from './search.ts';

/** tsvector weight letters as ts_rank weights: the same {D, C, B, A} as search.ts. */
const WEIGHT = { A: 1, B: 0.4, C: 0.2, D: 0.05 } as const;
const WEIGHT_OF_CODE = [WEIGHT.D, WEIGHT.C, WEIGHT.B, WEIGHT.A];
const CODE_OF_LETTER: Record<string, number> = { A: 3, B: 2, C: 1, D: 0 };

interface IndexedService {
  id: string;
  name: string;
  active: boolean;
  minimumAge: number | null;
  maximumAge: number | null;
  needs: number;
  routes: number;
  days: number;
  isFree: boolean | null;
  organizationId: string | null;
  lastModified: number;
  termIds: string[];
  taxonomyIds: string[];
  points: Point[];
  /** Number of words in the search document, for length normalisation as ts_rank does. */
  length: number;
  /** lexeme → positions, each position × 4 + weight code. */
  words: Map<string, number[]>;
}

export interface SearchIndex {
  services: IndexedService[];
  /** lexeme → indexes of services whose search document holds it, ascending. */
  postings: Map<string, number[]>;
  /** Service indexes in name order, for browsing. */
  byName: Int32Array;
  /** Each service's place in name order. */
  nameRank: Int32Array;
  builtAt: number;
}

function maskOf(values: readonly string[], all: readonly string[]): number {
  return values.reduce((mask, value) => {
    const bit = all.indexOf(value);
    return bit < 0 ? mask : mask | (1 << bit);
  }, 0);
}

/** Reads PostgreSQL's text form of a tsvector: 'lexeme':1A,5,7B 'it''s':3 */
export function parseTsvector(text: string): { words: Map<string, number[]>; length: number } {
  const words = new Map<string, number[]>();
  let length = 0;
  let index = 0;
  while (index < text.length) {
    if (text[index] !== "'") {
      index += 1;
      continue;
    }
    let lexeme = '';
    index += 1;
    while (index < text.length) {
      if (text[index] === "'" && text[index + 1] === "'") {
        lexeme += "'";
        index += 2;
      } else if (text[index] === "'") {
        index += 1;
        break;
      } else {
        lexeme += text[index];
        index += 1;
      }
    }
    const positions: number[] = [];
    if (text[index] === ':') {
      index += 1;
      const end = text.indexOf(' ', index);
      const list = text.slice(index, end < 0 ? text.length : end);
      for (const item of list.split(',')) {
        const letter = item.at(-1)!;
        const weight = CODE_OF_LETTER[letter];
        const position = Number(weight === undefined ? item : item.slice(0, -1));
        positions.push(position * 4 + (weight ?? 0));
      }
      index = end < 0 ? text.length : end;
    }
    length += Math.max(positions.length, 1);
    words.set(lexeme, positions);
  }
  return { words, length };
}

const BUILD_PAGE = 20_000;

/** Loads a council's services into a new index, a page at a time. */
export async function buildSearchIndex(db: Kysely<Schema>, laCode: string): Promise<SearchIndex> {
  const services: IndexedService[] = [];
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await sql<{
      id: string;
      name: string;
      status: string;
      minimum_age: number | null;
      maximum_age: number | null;
      send_needs: string[];
      access_routes: string[];
      open_days: string[];
      is_free: boolean | null;
      organization_id: string | null;
      last_modified: Date;
      document: string;
      terms: string[] | null;
      taxonomies: string[] | null;
      points: [number, number][] | null;
    }>`
      select s.id, s.name, s.status, s.minimum_age, s.maximum_age, s.send_needs, s.access_routes, s.open_days,
             s.is_free, s.organization_id, s.last_modified, s.search_document::text as document,
             (select array_agg(a.taxonomy_term_id::text) from service_attributes a where a.service_id = s.id) as terms,
             (select array_agg(distinct t.taxonomy_id::text) from service_attributes a
                join taxonomy_terms t on t.id = a.taxonomy_term_id
               where a.service_id = s.id and t.taxonomy_id is not null) as taxonomies,
             (select json_agg(json_build_array(l.latitude, l.longitude)) from service_at_locations sal
                join locations l on l.id = sal.location_id
               where sal.service_id = s.id and l.latitude is not null and l.longitude is not null) as points
        from services s
       where s.la_code = ${laCode} and s.id > ${after}::uuid
       order by s.id
       limit ${BUILD_PAGE}`.execute(db);
    for (const row of rows) {
      const { words, length } = parseTsvector(row.document);
      services.push({
        id: row.id,
        name: row.name,
        active: row.status === 'active',
        minimumAge: row.minimum_age,
        maximumAge: row.maximum_age,
        needs: maskOf(row.send_needs, SEND_NEEDS),
        routes: maskOf(row.access_routes, ACCESS_ROUTES),
        days: maskOf(row.open_days, WEEKDAYS),
        isFree: row.is_free,
        organizationId: row.organization_id,
        lastModified: row.last_modified.getTime(),
        termIds: row.terms ?? [],
        taxonomyIds: row.taxonomies ?? [],
        points: (row.points ?? []).map(([latitude, longitude]) => ({ latitude, longitude })),
        length,
        words,
      });
    }
    if (rows.length < BUILD_PAGE) break;
    after = rows.at(-1)!.id;
  }
  const postings = new Map<string, number[]>();
  services.forEach((service, position) => {
    for (const lexeme of service.words.keys()) {
      const list = postings.get(lexeme);
      if (list) list.push(position);
      else postings.set(lexeme, [position]);
    }
  });
  const collator = new Intl.Collator('en-GB');
  const byName = Int32Array.from(services.keys()).sort((a, b) =>
    collator.compare(services[a]!.name, services[b]!.name),
  );
  const nameRank = new Int32Array(services.length);
  byName.forEach((position, rank) => (nameRank[position] = rank));
  return { services, postings, byName, nameRank, builtAt: Date.now() };
}

/** A phrase as PostgreSQL's phraseto_tsquery reads it: lexemes and how far each is from the first. */
export interface LexemePhrase {
  lexemes: string[];
  offsets: number[];
}

/** Reads phraseto_tsquery's text form: 'speech' <2> 'languag', 'after' <-> 'school', or a single lexeme. */
export function parsePhraseQuery(text: string): LexemePhrase | null {
  const parts = text.split(/\s*(<->|<\d+>)\s*/);
  const lexemes: string[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const [index, part] of parts.entries()) {
    if (index % 2 === 1) {
      offset += part === '<->' ? 1 : Number(part.slice(1, -1));
      continue;
    }
    const match = /^'((?:[^']|'')*)'$/.exec(part.trim());
    if (!match) return null;
    lexemes.push(match[1]!.replaceAll("''", "'"));
    offsets.push(offset);
  }
  return lexemes.length > 0 ? { lexemes, offsets } : null;
}

const phraseCache = new Map<string, LexemePhrase | null>();
const PHRASE_CACHE_LIMIT = 50_000;

/** Turns phrases into lexemes with PostgreSQL's own English stemmer, asking only for phrases not seen before. */
export async function lexemePhrases(db: Kysely<Schema>, phrases: string[]): Promise<Map<string, LexemePhrase | null>> {
  const unknown = [...new Set(phrases.filter((phrase) => !phraseCache.has(phrase)))];
  if (unknown.length > 0) {
    const { rows } = await sql<{ phrase: string; query: string }>`
      select p as phrase, phraseto_tsquery('english', p)::text as query from unnest(${unknown}::text[]) p`.execute(db);
    if (phraseCache.size + rows.length > PHRASE_CACHE_LIMIT) phraseCache.clear();
    for (const row of rows) phraseCache.set(row.phrase, row.query ? parsePhraseQuery(row.query) : null);
  }
  return new Map(phrases.map((phrase) => [phrase, phraseCache.get(phrase) ?? null]));
}

/** The weight codes of each place a phrase occurs in a service's words; empty when it does not. */
function occurrences(service: IndexedService, phrase: LexemePhrase): number[] {
  const first = service.words.get(phrase.lexemes[0]!);
  if (!first) return [];
  if (phrase.lexemes.length === 1) return first.map((packed) => packed & 3);
  const rest = phrase.lexemes.slice(1).map((lexeme) => service.words.get(lexeme));
  if (rest.some((positions) => !positions)) return [];
  const found: number[] = [];
  for (const packed of first) {
    const start = packed >> 2;
    const all = rest.every((positions, index) =>
      positions!.some((other) => other >> 2 === start + phrase.offsets[index + 1]!),
    );
    if (all) found.push(packed & 3);
  }
  return found;
}

/** Services holding every lexeme of a phrase: the shortest posting list, checked against the others. */
function phraseCandidates(index: SearchIndex, phrase: LexemePhrase): number[] {
  const lists = phrase.lexemes.map((lexeme) => index.postings.get(lexeme) ?? []);
  return lists.reduce((shortest, list) => (list.length < shortest.length ? list : shortest));
}

export interface IndexConcept {
  phrases: LexemePhrase[];
  weak: boolean;
}

export interface IndexQuery {
  concepts: IndexConcept[];
  filters: SearchFilters;
  age: AgeRange | undefined;
  /** Adult-only services sink unless the family asked about adults or gave an age. */
  penaliseAdults: boolean;
  order: SearchOrder;
  /** How many candidates the database ranks exactly. */
  limit: number;
}

const EARTH_RADIUS_KM = 6371;
const radians = (degrees: number) => (degrees * Math.PI) / 180;

export function distanceKm(a: Point, b: Point): number {
  const dLat = radians(b.latitude - a.latitude);
  const dLon = radians(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(h));
}

function nearest(service: IndexedService, point: Point): number | null {
  let best: number | null = null;
  for (const place of service.points) {
    const distance = distanceKm(point, place);
    if (best === null || distance < best) best = distance;
  }
  return best;
}

/** The same conditions as the database query in search.ts, on one service. */
function passes(service: IndexedService, query: IndexQuery): boolean {
  const { filters, age } = query;
  if (filters.activeOnly !== false && !service.active) return false;
  if (age && ((service.minimumAge ?? 0) > age.max || (service.maximumAge ?? 200) < age.min)) return false;
  if (filters.needs?.length) {
    const wanted = maskOf(filters.needs, SEND_NEEDS);
    if ((service.needs & wanted) === 0 && (service.needs & (1 << SEND_NEEDS.indexOf('all_send'))) === 0) return false;
  }
  if (filters.accessRoutes?.length && (service.routes & maskOf(filters.accessRoutes, ACCESS_ROUTES)) === 0)
    return false;
  if (filters.days?.length && (service.days & maskOf(filters.days, WEEKDAYS)) === 0) return false;
  if (filters.free !== undefined && service.isFree !== filters.free) return false;
  if (filters.organizationId && service.organizationId !== filters.organizationId) return false;
  if (filters.modifiedAfter && service.lastModified <= filters.modifiedAfter.getTime()) return false;
  if (filters.termIds?.length && !service.termIds.some((term) => filters.termIds!.includes(term))) return false;
  if (filters.taxonomyId && !service.taxonomyIds.includes(filters.taxonomyId)) return false;
  return true;
}

interface Scored {
  position: number;
  /** Higher is better: estimated relevance, or minus the distance, or minus the name order. */
  score: number;
}

/** Keeps the best `limit` items seen, as a min-heap on score. */
class BestOf {
  readonly items: Scored[] = [];
  constructor(private readonly limit: number) {}

  offer(item: Scored) {
    const { items } = this;
    if (items.length < this.limit) {
      items.push(item);
      let child = items.length - 1;
      while (child > 0) {
        const parent = (child - 1) >> 1;
        if (items[parent]!.score <= items[child]!.score) break;
        [items[parent], items[child]] = [items[child]!, items[parent]!];
        child = parent;
      }
    } else if (this.limit > 0 && item.score > items[0]!.score) {
      items[0] = item;
      let parent = 0;
      for (;;) {
        const left = parent * 2 + 1;
        const right = left + 1;
        let smallest = parent;
        if (left < items.length && items[left]!.score < items[smallest]!.score) smallest = left;
        if (right < items.length && items[right]!.score < items[smallest]!.score) smallest = right;
        if (smallest === parent) break;
        [items[parent], items[smallest]] = [items[smallest]!, items[parent]!];
        parent = smallest;
      }
    }
  }
}

export interface IndexResult {
  total: number;
  /** The best candidates' ids, for the database to rank exactly. */
  candidates: string[];
}

/**
 * Every service the query matches and the filters keep, counted; and the best `limit` of them by estimated
 * relevance (or distance, or name). Matching follows the database: a service matches when it holds any way
 * of saying any concept, each phrase's words next to each other.
 */
export function searchIndex(index: SearchIndex, query: IndexQuery): IndexResult {
  const { services } = index;
  const strong = query.concepts.filter((concept) => !concept.weak);
  const best = new BestOf(query.limit);
  const near = query.filters.near;
  let total = 0;

  /** Counts a service the filters keep and offers it as a candidate: nearest first, or by the given score. */
  const consider = (position: number, score: number) => {
    const service = services[position]!;
    if (!passes(service, query)) return;
    let distance: number | null = null;
    if (near) {
      distance = nearest(service, near);
      if (query.filters.maxDistanceKm !== undefined && (distance === null || distance > query.filters.maxDistanceKm))
        return;
    }
    total += 1;
    best.offer({
      position,
      score: query.order === 'distance' && near ? -(distance ?? Number.MAX_SAFE_INTEGER) : score,
    });
  };

  if (query.concepts.length === 0) {
    // Browsing: every service, by name unless sorted by distance.
    for (const [position, rank] of index.nameRank.entries()) consider(position, -rank);
  } else {
    const covered = new Map<number, { concepts: number; weight: number }>();
    for (const concept of query.concepts) {
      const seen = new Set<number>();
      for (const phrase of concept.phrases) {
        for (const position of phraseCandidates(index, phrase)) {
          const found = occurrences(services[position]!, phrase);
          if (found.length === 0) continue;
          const entry = covered.get(position) ?? { concepts: 0, weight: 0 };
          if (!seen.has(position)) {
            seen.add(position);
            if (!concept.weak) entry.concepts += 1;
          }
          for (const code of found) entry.weight += WEIGHT_OF_CODE[code]!;
          covered.set(position, entry);
        }
      }
    }
    for (const [position, entry] of covered) {
      const service = services[position]!;
      if (query.order !== 'relevance') {
        consider(position, -index.nameRank[position]!);
        continue;
      }
      // The estimate follows search.ts: concepts covered first, adult services down, then where the words are.
      const penalty = query.penaliseAdults && (service.minimumAge ?? 0) >= 18 ? 1 : 0;
      consider(
        position,
        entry.concepts / Math.max(strong.length, 1) - penalty + entry.weight / Math.log(service.length + 1),
      );
    }
  }
  return { total, candidates: best.items.map((item) => services[item.position]!.id) };
}

/** Below this many services an index rebuilds at once after a change; above it, in the background. */
const REBUILD_IN_LINE_BELOW = 20_000;
const FRESH_FOR_MS = 5 * 60_000;

interface CachedIndex {
  current: SearchIndex | undefined;
  building: Promise<SearchIndex> | undefined;
  /** The directory changed in this process since the current index was built. */
  changed: boolean;
}

const indexes = new Map<string, CachedIndex>();

function rebuild(db: Kysely<Schema>, laCode: string, entry: CachedIndex): Promise<SearchIndex> {
  entry.building ??= buildSearchIndex(db, laCode)
    .then((index) => {
      entry.current = index;
      return index;
    })
    .finally(() => {
      entry.building = undefined;
    });
  return entry.building;
}

/**
 * The council's index. Built on first use; rebuilt after this process changes the directory, and every five
 * minutes for changes made by other processes. A large directory keeps answering from the index it has while
 * the new one builds, so a change shows within seconds rather than stalling searches.
 */
export async function searchIndexFor(db: Kysely<Schema>, laCode: string, now = Date.now()): Promise<SearchIndex> {
  let entry = indexes.get(laCode);
  if (!entry) {
    entry = { current: undefined, building: undefined, changed: false };
    indexes.set(laCode, entry);
  }
  const { current } = entry;
  if (!current) return rebuild(db, laCode, entry);
  const stale = entry.changed || now - current.builtAt >= FRESH_FOR_MS;
  if (!stale) return current;
  const changedHere = entry.changed;
  entry.changed = false;
  // A build already under way may have read the directory before the change, so a change waits for it and builds again.
  const next =
    changedHere && entry.building ? entry.building.then(() => rebuild(db, laCode, entry)) : rebuild(db, laCode, entry);
  if (changedHere && current.services.length < REBUILD_IN_LINE_BELOW) return next;
  next.catch(() => (entry.changed = true));
  return current;
}

/** Called after this process changes a council's directory. */
export function forgetSearchIndex(laCode: string): void {
  const entry = indexes.get(laCode);
  if (entry) entry.changed = true;
}
