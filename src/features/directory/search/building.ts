// Reading a council's directory into a search index: each service's search words (PostgreSQL's own stemmed lexemes
// and positions, read from search_document) and the fields filters use, in typed arrays (ADR 0006).
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../../db/schema.ts';
import { ACCESS_ROUTES, SEND_NEEDS, WEEKDAYS } from '../../../domain/local-offer.ts';
import { RecentlyUsed } from '../recently-used.ts';

/**
 * How much a word counts by where it is, for tsvector weight codes D, C, B, A: provider and accessibility notes,
 * description, categories and needs, name.
 */
export const WEIGHT_OF_CODE = [0.05, 0.2, 0.4, 1];
/** 1 / weight, with the weight as the single-precision number ts_rank_cd reads it, so ranks agree with PostgreSQL's. */
export const INVERSE_WEIGHT = WEIGHT_OF_CODE.map((weight) => 1 / Math.fround(weight));
const CODE_OF_LETTER: Record<string, number> = { A: 3, B: 2, C: 1, D: 0 };

/**
 * A posting list: the services holding one lexeme, ascending, with the summed weight of its occurrences in each,
 * and its positions (position × 4 + weight code) for phrase matching. Typed arrays keep 200,000 services in a
 * few hundred megabytes and make a scan over tens of thousands of matches take a millisecond or two.
 */
export interface Postings {
  services: Int32Array;
  weights: Float32Array;
  /** positions of services[i] are positions[starts[i]] up to positions[starts[i + 1]]. */
  starts: Int32Array;
  positions: Int32Array;
}

/** What filters read, one entry per service, in typed arrays; null ages and prices are -1. */
export interface ServiceFields {
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
export interface ConceptMatches {
  services: Int32Array;
  density: Float32Array;
}

/** A search's results: how many services it finds, and the first of them in order, as far as was asked. */
export interface RankedResults {
  total: number;
  services: Int32Array;
}

/**
 * How many searches' results an index keeps (ranking.ts says how far down each): families and the Open Referral API
 * ask the same searches again and again ("autism", "short breaks" with a child's age), and matching, filtering and
 * ordering tens of thousands of services was most of a search's time (npm run bench -- search). Results are kept
 * only while the index is the current one, so a change to the directory shows as soon as it would anyway.
 */
const CACHED_SEARCHES = 1_000;

export function maskOf(values: readonly string[], all: readonly string[]): number {
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
