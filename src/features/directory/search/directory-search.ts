// Directory search for the public pages, the Open Referral API, the front door's suggestions and the evaluation.
// One DirectorySearch per app owns everything search keeps in memory for each council (its understanding of
// queries, its index, the generation kept pages are filed under), and keeps it a replica of the database: it
// listens for the changes every process announces (changes.ts) and rebuilds only after one (ADR 0006).
import type { Database, Listening } from '../../../db/database.ts';
import { understandQuery, type QueryPlan } from '../../../domain/search/understand.ts';
import { NoCouncilError, publicCouncil } from '../council.ts';
import type { SearchIndex } from './building.ts';
import { DIRECTORY_CHANGED } from './changes.ts';
import type { SearchFilters, SearchOrder } from './filters.ts';
import { CouncilIndexes } from './freshness.ts';
import { PhraseStemmer } from './phrases.ts';
import { searchIndex } from './ranking.ts';
import { readHits, type SearchHit } from './reading.ts';
import { Understandings, type Understanding } from './understanding.ts';

export type { SearchFilters, SearchOrder } from './filters.ts';
export type { SearchHit } from './reading.ts';

export interface SearchRequest {
  text: string;
  filters: SearchFilters;
  order?: SearchOrder;
  page: number;
  perPage: number;
  /** False searches for exactly what was typed ("Search instead for …"). */
  correctSpelling?: boolean;
}

export interface SearchResult {
  plan: QueryPlan | null;
  total: number;
  hits: SearchHit[];
}

export class DirectorySearch {
  private readonly indexes: CouncilIndexes;
  private readonly understandings: Understandings;
  private readonly stemmer: PhraseStemmer;
  /** Changes heard of per council, and changes everywhere (a reconnection may have missed some). */
  private readonly changes = new Map<string, number>();
  private missedChanges = 0;
  private listening: Promise<Listening> | undefined;

  private readonly database: Database;

  constructor(database: Database) {
    this.database = database;
    this.indexes = new CouncilIndexes(database.db);
    this.understandings = new Understandings(database.db);
    this.stemmer = new PhraseStemmer(database.db);
  }

  /**
   * Every service the request matches and its filters keep, counted, and the page asked for: the query is
   * understood, the index matches, filters, counts and ranks (relevance is defined there, once), and the database
   * reads the page.
   */
  async services(laCode: string, request: SearchRequest): Promise<SearchResult> {
    const understanding = await this.understanding(laCode);
    const plan =
      request.text.trim() === ''
        ? null
        : understandQuery(request.text, understanding.glossary, understanding.vocabulary, {
            correctSpelling: request.correctSpelling !== false,
          });
    const { filters } = request;
    const age = filters.age !== undefined ? { min: filters.age, max: filters.age } : plan?.age;
    const concepts = plan?.concepts ?? [];
    const index = await this.indexFor(laCode);
    const lexemes = await this.stemmer.lexemes(
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
      order: request.order ?? (plan ? 'relevance' : filters.near ? 'distance' : 'name'),
      page: request.page,
      perPage: request.perPage,
    });
    const hits = await readHits(this.database.db, laCode, found.page, filters.activeOnly !== false);
    return { plan, total: found.total, hits };
  }

  /** The council's glossary and its directory's vocabulary, as search reads queries with them. */
  async understanding(laCode: string): Promise<Understanding> {
    await this.listen();
    return this.understandings.of(laCode);
  }

  /** The council's index, built on first use and rebuilt after its directory changes. */
  async indexFor(laCode: string): Promise<SearchIndex> {
    await this.listen();
    return this.indexes.indexFor(laCode);
  }

  /**
   * A number that grows with every change to the council's directory or glossary this process hears of: what is
   * kept from searches (kept-pages.ts) is kept under it, so a change shows at once.
   */
  generation(laCode: string): number {
    return this.missedChanges + (this.changes.get(laCode) ?? 0);
  }

  /** The council's directory or glossary changed: search re-reads its words and rebuilds its index when next asked. */
  directoryChanged(laCode: string): void {
    this.understandings.forget(laCode);
    this.indexes.changed(laCode);
    this.changes.set(laCode, (this.changes.get(laCode) ?? 0) + 1);
  }

  /**
   * Resolves once this process has heard of every change committed before the call, so a page that made a change
   * can show it on the next: the notification travels through the database, alongside the change's own answer.
   */
  async caughtUp(): Promise<void> {
    const listening = await this.listening?.catch(() => undefined);
    await listening?.caughtUp();
  }

  /**
   * Loads what the public directory's search needs before a web process takes requests: at national scale its
   * index takes many seconds to build, which the first family to search would otherwise wait for. Nothing to load
   * when the database has no council yet.
   */
  async prepare(configuredCouncil: string | undefined): Promise<void> {
    let laCode: string;
    try {
      laCode = (await publicCouncil(this.database.db, configuredCouncil)).laCode;
    } catch (error) {
      if (error instanceof NoCouncilError) return;
      throw error;
    }
    await Promise.all([this.understanding(laCode), this.indexFor(laCode)]);
  }

  /** Stops listening for changes. */
  async close(): Promise<void> {
    const listening = await this.listening?.catch(() => undefined);
    this.listening = undefined;
    await listening?.close();
  }

  /** Starts listening before anything is loaded, so no change made after a load is missed. */
  private listen(): Promise<Listening> {
    if (!this.listening) {
      const listening = this.database.listen(DIRECTORY_CHANGED, {
        notified: (laCode) => this.directoryChanged(laCode),
        reconnected: () => this.everythingChanged(),
      });
      // Not listening fails this search, as a database that cannot be reached would; the next one tries again.
      listening.catch(() => {
        if (this.listening === listening) this.listening = undefined;
      });
      this.listening = listening;
    }
    return this.listening;
  }

  /** After the listening connection dropped: changes made meanwhile were not heard of, so everything may have changed. */
  private everythingChanged(): void {
    this.understandings.forgetAll();
    this.indexes.everythingChanged();
    this.missedChanges += 1;
  }
}
