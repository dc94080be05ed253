// Matching: which services hold a concept's phrases, each phrase's words the right distance apart, and how densely
// (PostgreSQL's cover density, as ts_rank_cd works it out). A concept's matches are kept in its index.
import { INVERSE_WEIGHT, type ConceptMatches, type Postings, type SearchIndex } from './building.ts';
import type { LexemePhrase } from './phrases.ts';

export interface IndexConcept {
  phrases: LexemePhrase[];
  weak: boolean;
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

/** How many concepts' matches an index keeps, and how many matches in all (about 8 bytes each). */
const CACHED_CONCEPTS = 500;
const CACHED_MATCHES = 10_000_000;

/**
 * A concept's matches with their cover density, from the index's cache, found and cached on first use (the least
 * recently used go first). A service holding none of the concept's phrases of two or more words has a cover for
 * each occurrence of a one-word phrase, so its density is the sum of their weights, which the posting lists hold;
 * only services holding a longer phrase need their covers found.
 */
export function matchesOf(index: SearchIndex, concept: IndexConcept): ConceptMatches {
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
