// The search glossary: acronyms, synonyms and plain words that mean the same thing to a family looking for help.
import { wordsOf } from './words.ts';

export interface GlossaryEntry {
  term: string;
  meaning: string;
  alternatives: string[];
  /** Explain the term to families ("SALT means speech and language therapy") when their search uses it. */
  explain: boolean;
}

export interface GlossaryMatch {
  entry: GlossaryEntry;
  /** Every way of saying it, as word lists, for the search to look for any of them. */
  phrases: string[][];
  /** Where in the query it was found. */
  start: number;
  length: number;
}

export interface Glossary {
  entries: GlossaryEntry[];
  /** Finds the longest glossary phrase starting at each position, left to right. */
  match(words: string[]): GlossaryMatch[];
  /** Every word the glossary knows, for spelling correction. */
  words(): Set<string>;
}

function phrasesOf(entry: GlossaryEntry): string[][] {
  const all = [entry.term, entry.meaning, ...entry.alternatives].map(wordsOf).filter((words) => words.length > 0);
  const unique = new Map(all.map((words) => [words.join(' '), words]));
  return [...unique.values()];
}

export function buildGlossary(entries: GlossaryEntry[]): Glossary {
  // Each way of saying a thing points at every entry that uses it (a phrase can belong to more than one).
  const byPhrase = new Map<string, GlossaryEntry[]>();
  let longest = 1;
  for (const entry of entries) {
    for (const words of phrasesOf(entry)) {
      const key = words.join(' ');
      byPhrase.set(key, [...(byPhrase.get(key) ?? []), entry]);
      longest = Math.max(longest, words.length);
    }
  }
  return {
    entries,
    match(words) {
      const matches: GlossaryMatch[] = [];
      let position = 0;
      while (position < words.length) {
        let found: { entries: GlossaryEntry[]; length: number } | undefined;
        for (let length = Math.min(longest, words.length - position); length >= 1; length -= 1) {
          const candidates = byPhrase.get(words.slice(position, position + length).join(' '));
          if (candidates) {
            found = { entries: candidates, length };
            break;
          }
        }
        if (found) {
          for (const entry of found.entries)
            matches.push({ entry, phrases: phrasesOf(entry), start: position, length: found.length });
          position += found.length;
        } else {
          position += 1;
        }
      }
      return matches;
    },
    words() {
      return new Set([...byPhrase.keys()].flatMap((phrase) => phrase.split(' ')));
    },
  };
}
