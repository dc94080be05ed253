// Phrases as PostgreSQL's English stemmer reads them, so the index matches exactly what the database would.
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../../db/schema.ts';

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

/** How many phrases are kept stemmed: a family's words are few, but a crawler's are not. */
const PHRASES_KEPT = 50_000;

/** Turns phrases into lexemes with PostgreSQL's own English stemmer, asking the database only for phrases not seen before. */
export class PhraseStemmer {
  private readonly stemmed = new Map<string, LexemePhrase | null>();

  private readonly db: Kysely<Schema>;

  constructor(db: Kysely<Schema>) {
    this.db = db;
  }

  async lexemes(phrases: string[]): Promise<Map<string, LexemePhrase | null>> {
    const unknown = [...new Set(phrases.filter((phrase) => !this.stemmed.has(phrase)))];
    if (unknown.length > 0) {
      const { rows } = await sql<{ phrase: string; query: string }>`
        select p as phrase, phraseto_tsquery('english', p)::text as query from unnest(${unknown}::text[]) p`.execute(
        this.db,
      );
      if (this.stemmed.size + rows.length > PHRASES_KEPT) this.stemmed.clear();
      for (const row of rows) this.stemmed.set(row.phrase, row.query ? parsePhraseQuery(row.query) : null);
    }
    return new Map(phrases.map((phrase) => [phrase, this.stemmed.get(phrase) ?? null]));
  }
}
