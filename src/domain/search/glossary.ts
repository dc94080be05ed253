// The search glossary: acronyms, synonyms and plain words that mean the same thing to a family looking for help.
import { stemmer } from 'stemmer';
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

/** Glossary phrases and query words meet on their stems, so "bites" finds an entry written "biting". */
export function stemsOf(words: string[]): string {
  return words.map((word) => stemmer(word.replace(/'s$/, ''))).join(' ');
}

function phrasesOf(entry: GlossaryEntry): string[][] {
  const all = [entry.term, entry.meaning, ...entry.alternatives].map(wordsOf).filter((words) => words.length > 0);
  const unique = new Map(all.map((words) => [words.join(' '), words]));
  return [...unique.values()];
}

export function buildGlossary(entries: GlossaryEntry[]): Glossary {
  // Each way of saying a thing points at every entry that uses it (a phrase can belong to more than one).
  // An entry is found by its own term first: "dads" is the entry "dads", not one of the ways of saying "parent carer".
  const byTerm = new Map<string, GlossaryEntry>();
  const byPhrase = new Map<string, GlossaryEntry[]>();
  let longest = 1;
  for (const entry of entries) {
    byTerm.set(stemsOf(wordsOf(entry.term)), entry);
    for (const words of phrasesOf(entry)) {
      const key = stemsOf(words);
      byPhrase.set(key, [...(byPhrase.get(key) ?? []), entry]);
      longest = Math.max(longest, words.length);
    }
  }
  const known = new Set([...entries.flatMap((entry) => phrasesOf(entry).flat())]);
  return {
    entries,
    match(words) {
      const matches: GlossaryMatch[] = [];
      let position = 0;
      while (position < words.length) {
        let found: { entries: GlossaryEntry[]; length: number } | undefined;
        for (let length = Math.min(longest, words.length - position); length >= 1; length -= 1) {
          const key = stemsOf(words.slice(position, position + length));
          const own = byTerm.get(key);
          const candidates = own ? [own] : byPhrase.get(key);
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
      return known;
    },
  };
}
