// Ranking: filters, counts and orders a query's matches by the one relevance formula (or distance, or name), and
// keeps the results of recent searches in their index.
import { ACCESS_ROUTES, SEND_NEEDS, WEEKDAYS } from '../../../domain/local-offer.ts';
import type { AgeRange } from '../../../domain/search/understand.ts';
import { maskOf, type RankedResults, type SearchIndex, type ServiceFields } from './building.ts';
import type { Point, SearchFilters, SearchOrder } from './filters.ts';
import { matchesOf, type IndexConcept } from './matching.ts';

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

const EARTH_RADIUS_KM = 6371;
const radians = (degrees: number) => (degrees * Math.PI) / 180;

function distanceKm(a: Point, b: Point): number {
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

  private readonly nameRank: Int32Array;

  constructor(limit: number, nameRank: Int32Array) {
    this.nameRank = nameRank;
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

/** How far down a search's results its index keeps them (building.ts says how many searches): a page deeper is ranked afresh. */
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
