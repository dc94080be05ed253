// Knowing when a council's index is out of date, and building the next one without stalling searches. An index is
// rebuilt only after its directory changed: this process's DirectorySearch hears of every change, made in any
// process, through the database (changes.ts).
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Schema } from '../../../db/schema.ts';
import { buildSearchIndex, type SearchIndex } from './building.ts';
import { matchesOf } from './matching.ts';
import type { LexemePhrase } from './phrases.ts';

/** Below this many services an index rebuilds at once after a change; above it, in the background. */
const REBUILD_IN_LINE_BELOW = 20_000;

/** How many of the most recently searched concepts a rebuilt index finds again before it takes over. */
export const CONCEPTS_CARRIED = 100;

interface CouncilIndex {
  current: SearchIndex | undefined;
  building: Promise<SearchIndex> | undefined;
  /** The directory changed since the current index was built. */
  changed: boolean;
}

/**
 * Finds again in a newly built index the matches of the concepts most recently searched in the one it replaces,
 * one concept at a time with a turn for other requests between them, so the first family to search for each
 * after a change does not wait for it (up to a few hundred milliseconds at national scale).
 */
async function carryConcepts(from: SearchIndex, to: SearchIndex): Promise<void> {
  // Oldest first, so the new index's cache keeps the old one's order of use.
  for (const key of [...from.conceptMatches.keys()].slice(-CONCEPTS_CARRIED)) {
    await nextTurn();
    matchesOf(to, { phrases: JSON.parse(key) as LexemePhrase[], weak: false });
  }
}

/** Each council's index: built on first use, and rebuilt when next asked for after its directory changed. */
export class CouncilIndexes {
  private readonly councils = new Map<string, CouncilIndex>();

  private readonly db: Kysely<Schema>;

  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  /**
   * The council's index. A large directory keeps answering from the index it has while the new one builds, so a
   * change shows within seconds rather than stalling searches; a small one rebuilds before answering.
   */
  async indexFor(laCode: string): Promise<SearchIndex> {
    let entry = this.councils.get(laCode);
    if (!entry) {
      entry = { current: undefined, building: undefined, changed: false };
      this.councils.set(laCode, entry);
    }
    const { current } = entry;
    if (!current) return this.rebuild(laCode, entry);
    if (!entry.changed) return current;
    entry.changed = false;
    // A build already under way may have read the directory before the change, so a change waits for it and builds again.
    const next = entry.building ? entry.building.then(() => this.rebuild(laCode, entry)) : this.rebuild(laCode, entry);
    if (current.fields.ids.length < REBUILD_IN_LINE_BELOW) return next;
    next.catch(() => (entry.changed = true));
    return current;
  }

  changed(laCode: string): void {
    const entry = this.councils.get(laCode);
    if (entry) entry.changed = true;
  }

  everythingChanged(): void {
    for (const entry of this.councils.values()) entry.changed = true;
  }

  private rebuild(laCode: string, entry: CouncilIndex): Promise<SearchIndex> {
    entry.building ??= buildSearchIndex(this.db, laCode)
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
}
