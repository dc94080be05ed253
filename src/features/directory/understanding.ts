// What search needs to understand a query, per council: the glossary (editable; the shipped one until a council
// edits its own) and the directory's vocabulary for spelling correction. Kept in memory and rebuilt after changes.
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { buildGlossary, type Glossary, type GlossaryEntry } from '../../domain/search/glossary.ts';
import type { Vocabulary } from '../../domain/search/understand.ts';
import defaultGlossary from '../../domain/send-glossary.json' with { type: 'json' };
import { countActiveServices, loadVocabulary } from './search.ts';
import { NoCouncilError, publicCouncil } from './council.ts';
import { forgetSearchIndex, searchIndexFor } from './search-index.ts';

export const DEFAULT_GLOSSARY: GlossaryEntry[] = defaultGlossary.entries;

export interface Understanding {
  glossary: Glossary;
  vocabulary: Vocabulary;
  /** How many active services the vocabulary was counted over. */
  documents: number;
}

const FRESH_FOR_MS = 5 * 60_000;
const cache = new Map<string, { understanding: Promise<Understanding>; loadedAt: number }>();

async function loadGlossaryEntries(db: Kysely<Schema>, laCode: string): Promise<GlossaryEntry[]> {
  const rows = await db
    .selectFrom('glossary_terms')
    .select(['term', 'meaning', 'alternatives', 'explain'])
    .where('la_code', '=', laCode)
    .execute();
  return rows.length > 0 ? rows : DEFAULT_GLOSSARY;
}

export function understandingFor(db: Kysely<Schema>, laCode: string, now = Date.now()): Promise<Understanding> {
  const cached = cache.get(laCode);
  if (cached && now - cached.loadedAt < FRESH_FOR_MS) return cached.understanding;
  const understanding = Promise.all([
    loadGlossaryEntries(db, laCode),
    loadVocabulary(db, laCode),
    countActiveServices(db, laCode),
  ]).then(([entries, vocabulary, documents]) => ({ glossary: buildGlossary(entries), vocabulary, documents }));
  // A failed load is not kept, so the next search tries again.
  understanding.catch(() => cache.delete(laCode));
  cache.set(laCode, { understanding, loadedAt: now });
  return understanding;
}

const generations = new Map<string, number>();

/**
 * How many times this process has changed the council's directory or glossary: what is kept from searches (the
 * pages of kept-pages.ts) is kept under it, so a change shows at once.
 */
export function directoryGeneration(laCode: string): number {
  return generations.get(laCode) ?? 0;
}

/** Called after the directory or glossary changes, so the next search sees the new words. */
export function forgetUnderstanding(laCode: string): void {
  cache.delete(laCode);
  generations.set(laCode, directoryGeneration(laCode) + 1);
}

/** Called after a council's services change: search re-reads its words and rebuilds its index. */
export function directoryChanged(laCode: string): void {
  forgetUnderstanding(laCode);
  forgetSearchIndex(laCode);
}

/**
 * Loads what the public directory's search needs before a web process takes requests: at national scale its index
 * takes many seconds to build, which the first family to search would otherwise wait for. Nothing to load when the
 * database has no council yet.
 */
export async function prepareSearch(db: Kysely<Schema>, configuredCouncil: string | undefined): Promise<void> {
  let laCode: string;
  try {
    laCode = (await publicCouncil(db, configuredCouncil)).laCode;
  } catch (error) {
    if (error instanceof NoCouncilError) return;
    throw error;
  }
  await Promise.all([understandingFor(db, laCode), searchIndexFor(db, laCode)]);
}
