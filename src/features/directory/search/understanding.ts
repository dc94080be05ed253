// What search needs to understand a query, per council: the glossary (editable; the shipped one until a council
// edits its own) and the directory's vocabulary for spelling correction.
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../../db/schema.ts';
import { buildGlossary, type Glossary, type GlossaryEntry } from '../../../domain/search/glossary.ts';
import type { Vocabulary } from '../../../domain/search/understand.ts';
import defaultGlossary from '../../../domain/send-glossary.json' with { type: 'json' };

export const DEFAULT_GLOSSARY: GlossaryEntry[] = defaultGlossary.entries;

export interface Understanding {
  glossary: Glossary;
  vocabulary: Vocabulary;
  /** How many active services the vocabulary was counted over. */
  documents: number;
}

async function loadGlossaryEntries(db: Kysely<Schema>, laCode: string): Promise<GlossaryEntry[]> {
  const rows = await db
    .selectFrom('glossary_terms')
    .select(['term', 'meaning', 'alternatives', 'explain'])
    .where('la_code', '=', laCode)
    .execute();
  return rows.length > 0 ? rows : DEFAULT_GLOSSARY;
}

/** Every word in a council's directory with how many services use it, for spelling correction. */
async function loadVocabulary(db: Kysely<Schema>, laCode: string): Promise<Vocabulary> {
  const { rows } = await sql<{ word: string; ndoc: number }>`
    select word, ndoc from ts_stat(${`select to_tsvector('simple', name || ' ' || description) from services where la_code = '${laCode.replace(/[^A-Z0-9]/g, '')}' and status = 'active'`})
     where length(word) >= 3 and word !~ '[0-9]'`.execute(db);
  return new Map(rows.map((row) => [row.word, row.ndoc]));
}

async function countActiveServices(db: Kysely<Schema>, laCode: string): Promise<number> {
  const row = await db
    .selectFrom('services')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('la_code', '=', laCode)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** Each council's understanding, loaded on first use and again when next asked for after a change. */
export class Understandings {
  private readonly councils = new Map<string, Promise<Understanding>>();

  private readonly db: Kysely<Schema>;

  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  of(laCode: string): Promise<Understanding> {
    const kept = this.councils.get(laCode);
    if (kept) return kept;
    const understanding = Promise.all([
      loadGlossaryEntries(this.db, laCode),
      loadVocabulary(this.db, laCode),
      countActiveServices(this.db, laCode),
    ]).then(([entries, vocabulary, documents]) => ({ glossary: buildGlossary(entries), vocabulary, documents }));
    // A failed load is not kept, so the next search tries again.
    understanding.catch(() => {
      if (this.councils.get(laCode) === understanding) this.councils.delete(laCode);
    });
    this.councils.set(laCode, understanding);
    return understanding;
  }

  forget(laCode: string): void {
    this.councils.delete(laCode);
  }

  forgetAll(): void {
    this.councils.clear();
  }
}
