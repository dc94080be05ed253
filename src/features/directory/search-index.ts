// An in-memory index of a council's directory that finds, filters, counts and ranks matching services without
// reading every match from the database, so search stays fast with hundreds of thousands of services (ADR 0006).
//
// It holds each service's search words (PostgreSQL's own stemmed lexemes and positions, read from
// search_document) and the fields filters use. For a query it counts every match and ranks them by the one
// relevance formula (`relevance` below); the database then reads only the page's services, by primary key.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { ACCESS_ROUTES, SEND_NEEDS, WEEKDAYS } from '../../domain/local-offer.ts';
import type { AgeRange } from '../../domain/search/understand.ts';
import { RecentlyUsed } from './recently-used.ts';
import type { Point, SearchFilters, SearchOrder } from './search-filters.ts';

/**
 * How much a word counts by where it is, for tsvector weight codes D, C, B, A: provider and accessibility notes,
 * description, categories and needs, name.
 */
const WEIGHT_OF_CODE = [0.05, 0.2, 0.4, 1];
/** 1 / weight, with the weight as the single-precision number ts_rank_cd reads it, so ranks agree with PostgreSQL's. */
const INVERSE_WEIGHT = WEIGHT_OF_CODE.map((weight) => 1 / Math.fround(weight));
const CODE_OF_LETTER: Record<string, number> = { A: 3, B: 2, C: 1, D: 0 };

/**
 * A posting list: the services holding one lexeme, ascending, with the summed weight of its occurrences in each,
 * and its positions (position × 4 + weight code) for phrase matching. Typed arrays keep 200,000 services in a
 * few hundred megabytes and make a scan over tens of thousands of matches take a millisecond or two.
 */
interface Postings {
  services: Int32Array;
  weights: Float32Array;
  /** positions of services[i] are positions[starts[i]] up to positions[starts[i + 1]]. */
  starts: Int32Array;
  positions: Int32Array;
}

/** What filters read, one entry per service, in typed arrays; null ages and prices are -1. */
interface ServiceFields {
  ids: string[];
  active: Uint8Array;
  minimumAge: Int16Array;
  maximumAge: Int16Array;
  needs: Uint16Array;
  routes: Uint8Array;
  days: Uint8Array;
  isFree: Int8Array;
  organization: Int32Array;
  lastModified: Float64Array;
  /** 1 / log(words in the search document + 1): ts_rank's length normalisation, worked out once. */
  lengthNormal: Float64Array;
  /** Terms of service i are terms[termStarts[i]] up to terms[termStarts[i + 1]]; taxonomies and places likewise. */
  termStarts: Int32Array;
  terms: Int32Array;
  taxonomyStarts: Int32Array;
  taxonomies: Int32Array;
  pointStarts: Int32Array;
  latitudes: Float64Array;
  longitudes: Float64Array;
}

export interface SearchIndex {
  fields: ServiceFields;
  postings: Map<string, Postings>;
  /** Organisation, term and taxonomy ids as the small numbers the fields hold. */
  numbers: { organizations: Map<string, number>; terms: Map<string, number>; taxonomies: Map<string, number> };
  /** Each service's place in name order. */
  nameRank: Int32Array;
  /** Every place of every service by latitude, and whose it is: a radius search reads only a band of them. */
  placesByLatitude: { latitudes: Float64Array; services: Int32Array };
  builtAt: number;
  /** Each concept's matches, found once per index: families search for the same few concepts again and again. */
  conceptMatches: Map<string, ConceptMatches>;
  /** The results of recent searches (`rankedResultsOf`), kept while this index is the current one. */
  rankedResults: RecentlyUsed<RankedResults>;
  /** Per-query scratch space, reused: searches run one at a time in this process. */
  scratch: { seen: Int32Array; concepts: Uint8Array; density: Float64Array; touched: Int32Array; stamp: number };
}

/**
 * The services holding any of a concept's phrases, in the order first found, with the cover density of the
 * concept's phrases in each (before normalising by the document's length; see `coverDensity`).
 */
interface ConceptMatches {
  services: Int32Array;
  density: Float32Array;
}

function maskOf(values: readonly string[], all: readonly string[]): number {
  return values.reduce((mask, value) => {
    const bit = all.indexOf(value);
    return bit < 0 ? mask : mask | (1 << bit);
  }, 0);
}

/** Reads PostgreSQL's text form of a tsvector ('lexeme':1A,5,7B 'it''s':3), one lexeme at a time. */
export function readTsvector(text: string, each: (lexeme: string, positions: number[]) => void): number {
  let length = 0;
  const pattern = /'((?:[^']|'')*)'(?::([0-9A-D,]+))?/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const lexeme = match[1]!.replaceAll("''", "'");
    const positions = (match[2] ?? '').split(',').flatMap((item) => {
      if (item === '') return [];
      const weight = CODE_OF_LETTER[item.slice(-1)];
      return [Number(weight === undefined ? item : item.slice(0, -1)) * 4 + (weight ?? 0)];
    });
    length += Math.max(positions.length, 1);
    each(lexeme, positions);
  }
  return length;
}

const BUILD_PAGE = 20_000;

/** Grows into a typed array: a plain array while building, converted once at the end. */
function numbering(map: Map<string, number>, id: string): number {
  let number = map.get(id);
  if (number === undefined) {
    number = map.size;
    map.set(id, number);
  }
  return number;
}

/** Loads a council's services into a new index, a page at a time. */
export async function buildSearchIndex(db: Kysely<Schema>, laCode: string): Promise<SearchIndex> {
  const numbers = {
    organizations: new Map<string, number>(),
    terms: new Map<string, number>(),
    taxonomies: new Map<string, number>(),
  };
  const ids: string[] = [];
  const names: string[] = [];
  const columns = {
    active: [] as number[],
    minimumAge: [] as number[],
    maximumAge: [] as number[],
    needs: [] as number[],
    routes: [] as number[],
    days: [] as number[],
    isFree: [] as number[],
    organization: [] as number[],
    lastModified: [] as number[],
    length: [] as number[],
  };
  const lists = {
    termStarts: [0],
    terms: [] as number[],
    taxonomyStarts: [0],
    taxonomies: [] as number[],
    pointStarts: [0],
    latitudes: [] as number[],
    longitudes: [] as number[],
  };
  const building = new Map<string, { services: number[]; weights: number[]; starts: number[]; positions: number[] }>();
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
      const service = ids.length;
      ids.push(row.id);
      names.push(row.name);
      columns.active.push(row.status === 'active' ? 1 : 0);
      columns.minimumAge.push(row.minimum_age ?? -1);
      columns.maximumAge.push(row.maximum_age ?? -1);
      columns.needs.push(maskOf(row.send_needs, SEND_NEEDS));
      columns.routes.push(maskOf(row.access_routes, ACCESS_ROUTES));
      columns.days.push(maskOf(row.open_days, WEEKDAYS));
      columns.isFree.push(row.is_free === null ? -1 : row.is_free ? 1 : 0);
      columns.organization.push(row.organization_id ? numbering(numbers.organizations, row.organization_id) : -1);
      columns.lastModified.push(row.last_modified.getTime());
      for (const term of row.terms ?? []) lists.terms.push(numbering(numbers.terms, term));
      lists.termStarts.push(lists.terms.length);
      for (const taxonomy of row.taxonomies ?? []) lists.taxonomies.push(numbering(numbers.taxonomies, taxonomy));
      lists.taxonomyStarts.push(lists.taxonomies.length);
      for (const [latitude, longitude] of row.points ?? []) {
        lists.latitudes.push(latitude);
        lists.longitudes.push(longitude);
      }
      lists.pointStarts.push(lists.latitudes.length);
      const length = readTsvector(row.document, (lexeme, positions) => {
        let postings = building.get(lexeme);
        if (!postings) {
          postings = { services: [], weights: [], starts: [0], positions: [] };
          building.set(lexeme, postings);
        }
        postings.services.push(service);
        postings.weights.push(positions.reduce((sum, packed) => sum + WEIGHT_OF_CODE[packed & 3]!, 0));
        for (const packed of positions) postings.positions.push(packed);
        postings.starts.push(postings.positions.length);
      });
      columns.length.push(length);
    }
    if (rows.length < BUILD_PAGE) break;
    after = rows.at(-1)!.id;
  }
  const postings = new Map<string, Postings>();
  for (const [lexeme, list] of building) {
    postings.set(lexeme, {
      services: Int32Array.from(list.services),
      weights: Float32Array.from(list.weights),
      starts: Int32Array.from(list.starts),
      positions: Int32Array.from(list.positions),
    });
  }
  const collator = new Intl.Collator('en-GB');
  const byName = Int32Array.from(names.keys()).sort((a, b) => collator.compare(names[a]!, names[b]!));
  const nameRank = new Int32Array(names.length);
  byName.forEach((service, rank) => (nameRank[service] = rank));
  const count = ids.length;
  const placeServices = new Int32Array(lists.latitudes.length);
  for (let service = 0; service < count; service += 1)
    placeServices.fill(service, lists.pointStarts[service], lists.pointStarts[service + 1]);
  const byLatitude = Int32Array.from(placeServices.keys()).sort((a, b) => lists.latitudes[a]! - lists.latitudes[b]!);
  return {
    fields: {
      ids,
      active: Uint8Array.from(columns.active),
      minimumAge: Int16Array.from(columns.minimumAge),
      maximumAge: Int16Array.from(columns.maximumAge),
      needs: Uint16Array.from(columns.needs),
      routes: Uint8Array.from(columns.routes),
      days: Uint8Array.from(columns.days),
      isFree: Int8Array.from(columns.isFree),
      organization: Int32Array.from(columns.organization),
      lastModified: Float64Array.from(columns.lastModified),
      lengthNormal: Float64Array.from(columns.length, (length) => 1 / Math.log(length + 1)),
      termStarts: Int32Array.from(lists.termStarts),
      terms: Int32Array.from(lists.terms),
      taxonomyStarts: Int32Array.from(lists.taxonomyStarts),
      taxonomies: Int32Array.from(lists.taxonomies),
      pointStarts: Int32Array.from(lists.pointStarts),
      latitudes: Float64Array.from(lists.latitudes),
      longitudes: Float64Array.from(lists.longitudes),
    },
    postings,
    numbers,
    nameRank,
    placesByLatitude: {
      latitudes: Float64Array.from(byLatitude, (place) => lists.latitudes[place]!),
      services: Int32Array.from(byLatitude, (place) => placeServices[place]!),
    },
    builtAt: Date.now(),
    conceptMatches: new Map(),
    rankedResults: new RecentlyUsed(CACHED_SEARCHES),
    scratch: {
      seen: new Int32Array(count),
      concepts: new Uint8Array(count),
      density: new Float64Array(count),
      touched: new Int32Array(count),
      stamp: 0,
    },
  };
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
  /** Which page of results, from 1, and how many a page. */
  page: number;
  perPage: number;
}

/** Where in a sorted posting list a service is, or -1. */
function find(services: Int32Array, service: number, from: number): number {
  let low = from;
  let high = services.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const value = services[middle]!;
    if (value === service) return middle;
    if (value < service) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/**
 * Calls `found(service)` for each service holding a phrase of two or more words, its words the right distance
 * apart, as PostgreSQL's phrase match does.
 */
function eachPhraseMatch(index: SearchIndex, phrase: LexemePhrase, found: (service: number) => void) {
  const lists = phrase.lexemes.map((lexeme) => index.postings.get(lexeme));
  if (lists.some((list) => !list)) return;
  const postings = lists as Postings[];
  // Walk the rarest word's list; look each service up in the others, then compare positions.
  let driver = 0;
  postings.forEach((list, word) => {
    if (list.services.length < postings[driver]!.services.length) driver = word;
  });
  const lead = postings[driver]!;
  const cursors = postings.map(() => 0);
  const at = postings.map(() => 0);
  for (let i = 0; i < lead.services.length; i += 1) {
    const service = lead.services[i]!;
    let all = true;
    for (let word = 0; word < postings.length && all; word += 1) {
      if (word === driver) {
        at[word] = i;
        continue;
      }
      const j = find(postings[word]!.services, service, cursors[word]!);
      if (j < 0) all = false;
      else cursors[word] = at[word] = j;
    }
    if (!all) continue;
    for (let p = lead.starts[i]!; p < lead.starts[i + 1]!; p += 1) {
      const start = (lead.positions[p]! >> 2) - phrase.offsets[driver]!;
      let next = true;
      for (let word = 0; word < postings.length && next; word += 1) {
        if (word === driver) continue;
        const list = postings[word]!;
        const j = at[word]!;
        const wanted = start + phrase.offsets[word]!;
        next = false;
        for (let q = list.starts[j]!; q < list.starts[j + 1]!; q += 1) {
          if (list.positions[q]! >> 2 === wanted) {
            next = true;
            break;
          }
        }
      }
      if (next) {
        found(service);
        break;
      }
    }
  }
}

/**
 * A concept's phrases of two or more words without those that cannot match a service the concept's one-word
 * phrases do not already match ("autistic spectrum condition" when "autistic" is one of them): those never
 * change a service's cover density either (see `coverDensity`), and walking them is the slowest part of a search.
 */
function phrasesWorthWalking(phrases: LexemePhrase[], singleWords: Set<string>): LexemePhrase[] {
  return phrases.filter(
    (phrase) => phrase.lexemes.length > 1 && !phrase.lexemes.some((lexeme) => singleWords.has(lexeme)),
  );
}

/** One occurrence in a service of a word of the query: where, how much it counts, and which word. */
interface Occurrence {
  position: number;
  code: number;
  word: number;
}

/** A concept's phrases as the numbers `coverDensity` reads: its distinct words' posting lists, and each phrase's. */
interface ConceptWords {
  lists: (Postings | undefined)[];
  phrases: { words: number[]; offsets: number[] }[];
  /** Where in each word's posting list the last service looked up was: services are looked up in ascending order. */
  cursors: number[];
}

function conceptWords(index: SearchIndex, phrases: LexemePhrase[]): ConceptWords {
  const words = [...new Set(phrases.flatMap((phrase) => phrase.lexemes))];
  const distinct = new Map(phrases.map((phrase) => [JSON.stringify(phrase), phrase]));
  return {
    lists: words.map((lexeme) => index.postings.get(lexeme)),
    phrases: [...distinct.values()].map((phrase) => ({
      words: phrase.lexemes.map((lexeme) => words.indexOf(lexeme)),
      offsets: phrase.offsets,
    })),
    cursors: words.map(() => 0),
  };
}

/**
 * How densely a service holds a concept's phrases: PostgreSQL's cover density (ts_rank_cd) before normalising by
 * the document's length, worked out the same way. A cover is the shortest stretch of the document, from where the
 * last cover began, that holds a whole phrase; it counts the harmonic mean of the weights of the query's words in
 * it, divided by one plus the other words inside it. So a one-word phrase counts its weight wherever it occurs,
 * and a longer one counts the harmonic mean of its words' weights, halved by a word between them ("speech and
 * language"). Found with the occurrences of every word of the concept, as PostgreSQL does.
 */
function coverDensity(concept: ConceptWords, service: number): number {
  const occurrences: Occurrence[] = [];
  concept.lists.forEach((list, word) => {
    const i = list ? find(list.services, service, concept.cursors[word]!) : -1;
    if (!list || i < 0) return;
    concept.cursors[word] = i;
    for (let p = list.starts[i]!; p < list.starts[i + 1]!; p += 1)
      occurrences.push({ position: list.positions[p]! >> 2, code: list.positions[p]! & 3, word });
  });
  occurrences.sort((a, b) => a.position - b.position || a.code - b.code || a.word - b.word);
  // Each whole phrase in the document, as the first and last of the occurrences it is made of.
  const indexOf = (word: number, position: number) =>
    occurrences.findIndex((occurrence) => occurrence.word === word && occurrence.position === position);
  const phraseFirst: number[] = [];
  const phraseLast: number[] = [];
  for (const phrase of concept.phrases) {
    for (const occurrence of occurrences) {
      if (occurrence.word !== phrase.words[0]) continue;
      let first = Number.POSITIVE_INFINITY;
      let last = -1;
      for (const [k, word] of phrase.words.entries()) {
        const i = indexOf(word, occurrence.position + phrase.offsets[k]!);
        if (i < 0) {
          last = -1;
          break;
        }
        first = Math.min(first, i);
        last = Math.max(last, i);
      }
      if (last < 0) continue;
      phraseFirst.push(first);
      phraseLast.push(last);
    }
  }
  let density = 0;
  for (let from = 0; ;) {
    // A cover ends where the first whole phrase from `from` on ends, and begins where the last of the phrases
    // within it begins.
    let end = Number.POSITIVE_INFINITY;
    for (let w = 0; w < phraseFirst.length; w += 1) if (phraseFirst[w]! >= from) end = Math.min(end, phraseLast[w]!);
    if (end === Number.POSITIVE_INFINITY) break;
    let begin = from;
    for (let w = 0; w < phraseFirst.length; w += 1)
      if (phraseFirst[w]! >= from && phraseLast[w]! <= end) begin = Math.max(begin, phraseFirst[w]!);
    let inverseWeights = 0;
    for (let o = begin; o <= end; o += 1) inverseWeights += INVERSE_WEIGHT[occurrences[o]!.code]!;
    // Other words inside the cover; PostgreSQL's guess when positions collide in a very long document.
    let noise = occurrences[end]!.position - occurrences[begin]!.position - (end - begin);
    if (noise < 0) noise = Math.trunc((end - begin) / 2);
    density += (end - begin + 1) / inverseWeights / (1 + noise);
    from = begin + 1;
  }
  return density;
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

/** Kilometres along a meridian per degree of latitude. */
const KM_PER_DEGREE = (Math.PI / 180) * EARTH_RADIUS_KM;

/**
 * The distance to the service's nearest place, or null when it has none within `withinKm`. A great-circle
 * distance is never shorter than the difference in latitude alone, so most places are ruled out without the
 * trigonometry: a radius search across a national directory is otherwise mostly sines and cosines.
 */
function nearest(fields: ServiceFields, service: number, point: Point, withinKm: number): number | null {
  let best: number | null = null;
  for (let p = fields.pointStarts[service]!; p < fields.pointStarts[service + 1]!; p += 1) {
    const latitude = fields.latitudes[p]!;
    const bound = best ?? withinKm;
    if (Math.abs(latitude - point.latitude) * KM_PER_DEGREE > bound) continue;
    const distance = distanceKm(point, { latitude, longitude: fields.longitudes[p]! });
    if (distance <= bound && (best === null || distance < best)) best = distance;
  }
  return best;
}

/** Where the first value at least `value` is in an ascending array (its length when there is none). */
function firstAtLeast(values: Float64Array, value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (values[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The filters of a query, in the numbers the index holds. */
interface Conditions {
  activeOnly: boolean;
  age: AgeRange | undefined;
  needs: number;
  allNeeds: number;
  routes: number;
  days: number;
  free: number;
  organization: number | undefined;
  modifiedAfter: number | undefined;
  terms: number[] | undefined;
  taxonomy: number | undefined;
}

function conditionsOf(index: SearchIndex, query: IndexQuery): Conditions {
  const { filters } = query;
  const { numbers } = index;
  return {
    activeOnly: filters.activeOnly !== false,
    age: query.age,
    needs: filters.needs?.length ? maskOf(filters.needs, SEND_NEEDS) : 0,
    allNeeds: 1 << SEND_NEEDS.indexOf('all_send'),
    routes: filters.accessRoutes?.length ? maskOf(filters.accessRoutes, ACCESS_ROUTES) : 0,
    days: filters.days?.length ? maskOf(filters.days, WEEKDAYS) : 0,
    free: filters.free === undefined ? -2 : filters.free ? 1 : 0,
    // An id the index has never seen matches nothing.
    organization: filters.organizationId ? (numbers.organizations.get(filters.organizationId) ?? -2) : undefined,
    modifiedAfter: filters.modifiedAfter?.getTime(),
    terms: filters.termIds?.length ? filters.termIds.map((id) => numbers.terms.get(id) ?? -2) : undefined,
    taxonomy: filters.taxonomyId ? (numbers.taxonomies.get(filters.taxonomyId) ?? -2) : undefined,
  };
}

/** Whether one service meets the filters: age range, needs (or all needs), access routes, days, cost, provider, date, category. */
function passes(fields: ServiceFields, service: number, c: Conditions): boolean {
  if (c.activeOnly && fields.active[service] === 0) return false;
  if (c.age) {
    const minimum = fields.minimumAge[service]!;
    const maximum = fields.maximumAge[service]!;
    if ((minimum < 0 ? 0 : minimum) > c.age.max || (maximum < 0 ? 200 : maximum) < c.age.min) return false;
  }
  if (c.needs !== 0 && (fields.needs[service]! & (c.needs | c.allNeeds)) === 0) return false;
  if (c.routes !== 0 && (fields.routes[service]! & c.routes) === 0) return false;
  if (c.days !== 0 && (fields.days[service]! & c.days) === 0) return false;
  if (c.free !== -2 && fields.isFree[service] !== c.free) return false;
  if (c.organization !== undefined && fields.organization[service] !== c.organization) return false;
  if (c.modifiedAfter !== undefined && fields.lastModified[service]! <= c.modifiedAfter) return false;
  if (c.terms) {
    let any = false;
    for (let t = fields.termStarts[service]!; t < fields.termStarts[service + 1]! && !any; t += 1)
      any = c.terms.includes(fields.terms[t]!);
    if (!any) return false;
  }
  if (c.taxonomy !== undefined) {
    let any = false;
    for (let t = fields.taxonomyStarts[service]!; t < fields.taxonomyStarts[service + 1]! && !any; t += 1)
      any = fields.taxonomies[t] === c.taxonomy;
    if (!any) return false;
  }
  return true;
}

/**
 * Keeps the `limit` services that come first in the results: the highest score, then the earliest in name order.
 * A heap with the one that comes last of those kept at its root, in typed arrays so a scan makes no garbage.
 */
class BestOf {
  private readonly services: Int32Array;
  private readonly scores: Float64Array;
  private size = 0;

  constructor(
    limit: number,
    private readonly nameRank: Int32Array,
  ) {
    this.services = new Int32Array(limit);
    this.scores = new Float64Array(limit);
  }

  /** Whether (scoreA, serviceA) comes before (scoreB, serviceB) in the results. */
  private before(scoreA: number, serviceA: number, scoreB: number, serviceB: number): boolean {
    return scoreA > scoreB || (scoreA === scoreB && this.nameRank[serviceA]! < this.nameRank[serviceB]!);
  }

  private place(at: number, service: number, score: number) {
    this.services[at] = service;
    this.scores[at] = score;
  }

  offer(service: number, score: number) {
    const { services, scores } = this;
    if (this.size < services.length) {
      // Up from the bottom while the new one comes after its parent.
      let child = this.size;
      this.size += 1;
      while (child > 0) {
        const parent = (child - 1) >> 1;
        if (!this.before(scores[parent]!, services[parent]!, score, service)) break;
        this.place(child, services[parent]!, scores[parent]!);
        child = parent;
      }
      this.place(child, service, score);
      return;
    }
    if (this.size === 0 || !this.before(score, service, scores[0]!, services[0]!)) return;
    // Down from the root, moving up whichever child comes last while it comes after the new one.
    let parent = 0;
    for (;;) {
      const left = parent * 2 + 1;
      const right = left + 1;
      if (left >= this.size) break;
      let last = left;
      if (right < this.size && this.before(scores[left]!, services[left]!, scores[right]!, services[right]!))
        last = right;
      if (!this.before(score, service, scores[last]!, services[last]!)) break;
      this.place(parent, services[last]!, scores[last]!);
      parent = last;
    }
    this.place(parent, service, score);
  }

  /** The services kept, in the order of the results. */
  ranked(): number[] {
    const order = Array.from({ length: this.size }, (_, i) => i);
    order.sort((a, b) =>
      this.before(this.scores[a]!, this.services[a]!, this.scores[b]!, this.services[b]!) ? -1 : 1,
    );
    return order.map((i) => this.services[i]!);
  }
}

/** How many concepts' matches an index keeps, and how many matches in all (about 8 bytes each). */
const CACHED_CONCEPTS = 500;
const CACHED_MATCHES = 10_000_000;

/**
 * A concept's matches with their cover density, from the index's cache, found and cached on first use (the least
 * recently used go first). A service holding none of the concept's phrases of two or more words has a cover for
 * each occurrence of a one-word phrase, so its density is the sum of their weights, which the posting lists hold;
 * only services holding a longer phrase need their covers found.
 */
function matchesOf(index: SearchIndex, concept: IndexConcept): ConceptMatches {
  const cache = index.conceptMatches;
  const key = JSON.stringify(concept.phrases);
  const cached = cache.get(key);
  if (cached) {
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  const { seen, density, touched } = index.scratch;
  index.scratch.stamp += 1;
  const stamp = index.scratch.stamp;
  let count = 0;
  const firstSeen = (service: number) => {
    if (seen[service] === stamp) return;
    seen[service] = stamp;
    touched[count++] = service;
    density[service] = 0;
  };
  const singleWords = new Set(
    concept.phrases.filter((phrase) => phrase.lexemes.length === 1).map((phrase) => phrase.lexemes[0]!),
  );
  for (const lexeme of singleWords) {
    const list = index.postings.get(lexeme);
    if (!list) continue;
    for (let i = 0; i < list.services.length; i += 1) {
      const service = list.services[i]!;
      firstSeen(service);
      density[service] = density[service]! + list.weights[i]!;
    }
  }
  const holdingPhrases = new Set<number>();
  for (const phrase of phrasesWorthWalking(concept.phrases, singleWords)) {
    eachPhraseMatch(index, phrase, (service) => {
      firstSeen(service);
      holdingPhrases.add(service);
    });
  }
  const words = conceptWords(index, concept.phrases);
  for (const service of Int32Array.from(holdingPhrases).sort()) density[service] = coverDensity(words, service);
  const matches = { services: touched.slice(0, count), density: new Float32Array(count) };
  for (let i = 0; i < count; i += 1) matches.density[i] = density[matches.services[i]!]!;
  let size = count;
  for (const held of cache.values()) size += held.services.length;
  for (const [oldest, held] of cache) {
    if (cache.size < CACHED_CONCEPTS && size <= CACHED_MATCHES) break;
    cache.delete(oldest);
    size -= held.services.length;
  }
  cache.set(key, matches);
  return matches;
}

/**
 * The one relevance formula, used for the public pages, the Open Referral API and the evaluation alike. How many
 * of the query's (strong) concepts a service covers comes first, as a share; adult-only services sink by one
 * whole concept when the family has not asked about adults or given an age; then where the words are: each
 * concept's cover density (`coverDensity`), summed over the concepts and divided by log(words in the service's
 * search document + 1), as ts_rank_cd(weights, document, concept, 1) would give.
 */
function relevance(fields: ServiceFields, service: number, terms: RelevanceTerms, covered: number, density: number) {
  const adult = terms.penaliseAdults && fields.minimumAge[service]! >= 18 ? 1 : 0;
  return covered / terms.strongConcepts - adult + density * fields.lengthNormal[service]!;
}

interface RelevanceTerms {
  strongConcepts: number;
  penaliseAdults: boolean;
}

export interface IndexResult {
  total: number;
  /** The page's services in order, with the distance to the nearest of their places when searching near one. */
  page: { id: string; distanceKm: number | null }[];
}

/** A search's results: how many services it finds, and the first of them in order, as far as was asked. */
interface RankedResults {
  total: number;
  services: Int32Array;
}

/**
 * How many searches' results an index keeps, and how far down each: families and the Open Referral API ask the
 * same searches again and again ("autism", "short breaks" with a child's age), and matching, filtering and
 * ordering tens of thousands of services was most of a search's time (npm run bench -- search). Results are
 * kept only while the index is the current one, so a change to the directory shows as soon as it would anyway.
 */
const CACHED_SEARCHES = 1_000;
const CACHED_DEPTH = 200;

/**
 * Every service the query matches and the filters keep, counted; and the requested page of them in order of
 * relevance (or distance, or name; ties by name). Matching follows the database: a service matches when it holds
 * any way of saying any concept, each phrase's words the right distance apart.
 */
export function searchIndex(index: SearchIndex, query: IndexQuery): IndexResult {
  const { fields } = index;
  const results = rankedResultsOf(index, query);
  const near = query.filters.near;
  const page = results.services.subarray((query.page - 1) * query.perPage, query.page * query.perPage);
  return {
    total: results.total,
    page: Array.from(page, (service) => ({
      id: fields.ids[service]!,
      distanceKm: near ? nearest(fields, service, near, Number.POSITIVE_INFINITY) : null,
    })),
  };
}

/** The query's results as far as its page, kept for the next time it is asked when the page is not too deep. */
function rankedResultsOf(index: SearchIndex, query: IndexQuery): RankedResults {
  const depth = query.page * query.perPage;
  if (depth > CACHED_DEPTH) return rank(index, query, depth);
  // Everything but the page. Numbers here are finite (the routes refuse anything else), as JSON would write NaN and
  // Infinity alike as null.
  const key = JSON.stringify([query.concepts, query.filters, query.age, query.penaliseAdults, query.order]);
  return index.rankedResults.get(key, () => rank(index, query, CACHED_DEPTH));
}

/** Matches, filters, counts and orders: the first `depth` results in order, and how many there are in all. */
function rank(index: SearchIndex, query: IndexQuery, depth: number): RankedResults {
  const { fields, nameRank, scratch } = index;
  const conditions = conditionsOf(index, query);
  const best = new BestOf(Math.min(depth, fields.ids.length), nameRank);
  const near = query.filters.near;
  const byDistance = query.order === 'distance' && near !== undefined;
  const withinKm = query.filters.maxDistanceKm ?? Number.POSITIVE_INFINITY;
  let total = 0;

  /** Counts a service the filters keep and offers it for the page: nearest first, or by the given score. */
  const consider = (service: number, score: number) => {
    if (!passes(fields, service, conditions)) return;
    let distance: number | null = null;
    if (near) {
      distance = nearest(fields, service, near, withinKm);
      if (distance === null && query.filters.maxDistanceKm !== undefined) return;
    }
    total += 1;
    best.offer(service, byDistance ? -(distance ?? Number.MAX_VALUE) : score);
  };

  if (query.concepts.length === 0 && near && withinKm !== Number.POSITIVE_INFINITY) {
    // Browsing near a place: only services with a place in the band of latitude the distance allows can be near
    // enough, so the band is all that is read, each service once.
    const { latitudes, services } = index.placesByLatitude;
    // A hair wider than the distance allows: nearest() decides exactly.
    const band = withinKm / KM_PER_DEGREE + 1e-9;
    scratch.stamp += 1;
    for (let p = firstAtLeast(latitudes, near.latitude - band); p < latitudes.length; p += 1) {
      if (latitudes[p]! > near.latitude + band) break;
      const service = services[p]!;
      if (scratch.seen[service] === scratch.stamp) continue;
      scratch.seen[service] = scratch.stamp;
      consider(service, 0);
    }
  } else if (query.concepts.length === 0) {
    // Browsing: every service, by name (ties in score go by name) unless sorted by distance.
    for (let service = 0; service < nameRank.length; service += 1) consider(service, 0);
  } else {
    // Found first: finding a concept's matches uses the same scratch space.
    const found = query.concepts.map((concept) => matchesOf(index, concept));
    const terms = {
      strongConcepts: Math.max(query.concepts.filter((concept) => !concept.weak).length, 1),
      penaliseAdults: query.penaliseAdults,
    };
    const byRelevance = query.order === 'relevance';
    if (found.length === 1) {
      // One concept (the usual search) needs no adding up across concepts.
      const matches = found[0]!;
      const covered = query.concepts[0]!.weak ? 0 : 1;
      for (let i = 0; i < matches.services.length; i += 1) {
        const service = matches.services[i]!;
        consider(service, byRelevance ? relevance(fields, service, terms, covered, matches.density[i]!) : 0);
      }
    } else {
      const { seen, concepts, density, touched } = scratch;
      let touchedCount = 0;
      scratch.stamp += 1;
      const stamp = scratch.stamp;
      for (const [c, concept] of query.concepts.entries()) {
        const matches = found[c]!;
        for (let i = 0; i < matches.services.length; i += 1) {
          const service = matches.services[i]!;
          if (seen[service] !== stamp) {
            seen[service] = stamp;
            touched[touchedCount++] = service;
            concepts[service] = 0;
            density[service] = 0;
          }
          if (!concept.weak) concepts[service] = concepts[service]! + 1;
          density[service] = density[service]! + matches.density[i]!;
        }
      }
      for (let t = 0; t < touchedCount; t += 1) {
        const service = touched[t]!;
        consider(service, byRelevance ? relevance(fields, service, terms, concepts[service]!, density[service]!) : 0);
      }
    }
  }
  return { total, services: Int32Array.from(best.ranked()) };
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

/** How many of the most recently searched concepts a rebuilt index finds again before it takes over. */
export const CONCEPTS_CARRIED = 100;

/**
 * Finds again in a newly built index the matches of the concepts most recently searched in the one it replaces,
 * one concept at a time with a turn for other requests between them, so the first family to search for each
 * after the five-minute rebuild does not wait for it (up to a few hundred milliseconds at national scale).
 */
async function carryConcepts(from: SearchIndex, to: SearchIndex): Promise<void> {
  // Oldest first, so the new index's cache keeps the old one's order of use.
  for (const key of [...from.conceptMatches.keys()].slice(-CONCEPTS_CARRIED)) {
    await nextTurn();
    matchesOf(to, { phrases: JSON.parse(key) as LexemePhrase[], weak: false });
  }
}

function rebuild(db: Kysely<Schema>, laCode: string, entry: CachedIndex): Promise<SearchIndex> {
  entry.building ??= buildSearchIndex(db, laCode)
    .then(async (index) => {
      if (entry.current) await carryConcepts(entry.current, index);
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
  if (changedHere && current.fields.ids.length < REBUILD_IN_LINE_BELOW) return next;
  next.catch(() => (entry.changed = true));
  return current;
}

/** Called after this process changes a council's directory. */
export function forgetSearchIndex(laCode: string): void {
  const entry = indexes.get(laCode);
  if (entry) entry.changed = true;
}
