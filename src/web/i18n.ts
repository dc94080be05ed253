// Every string a person reads comes from locales/<language>/*.json through translate().
// English is complete; another language falls back to English key by key.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const LANGUAGES = [
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'ur', name: 'اردو', dir: 'rtl' },
  { code: 'pl', name: 'Polski', dir: 'ltr' },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];
export type Messages = Map<string, string>;
export type Translate = (key: string, params?: Record<string, string | number>) => string;

const LOCALES_DIR = join(import.meta.dirname, '..', '..', 'locales');

export function isLanguage(code: unknown): code is LanguageCode {
  return LANGUAGES.some((language) => language.code === code);
}

export function directionOf(code: LanguageCode): 'ltr' | 'rtl' {
  return LANGUAGES.find((language) => language.code === code)?.dir ?? 'ltr';
}

function flatten(prefix: string, value: unknown, into: Messages): void {
  if (typeof value === 'string') {
    into.set(prefix, value);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) flatten(prefix ? `${prefix}.${key}` : key, child, into);
  }
}

/** Reads locales/<code>/*.json; each file's name is the first part of its keys (common.json → common.*). */
export function loadMessages(code: LanguageCode, localesDir = LOCALES_DIR): Messages {
  const messages: Messages = new Map();
  const dir = join(localesDir, code);
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    flatten(file.replace(/\.json$/, ''), JSON.parse(readFileSync(join(dir, file), 'utf8')), messages);
  }
  return messages;
}

export class MissingTranslationError extends Error {}

export interface Catalogue {
  translator(code: LanguageCode): Translate;
  english: Messages;
}

const piecesOfText = new Map<string, string[]>();

/**
 * A message with its {placeholders} filled in; a placeholder without a value stays as it is. Each message is split
 * at its placeholders once (the words, then each name and the words after it): a caseload page fills in a few
 * messages on each of its fifty rows, and a regular expression each time was a tenth of rendering it.
 */
function fillIn(text: string, params: Record<string, string | number>): string {
  let pieces = piecesOfText.get(text);
  if (pieces === undefined) {
    pieces = text.split(/\{(\w+)\}/);
    piecesOfText.set(text, pieces);
  }
  let filled = pieces[0]!;
  for (let i = 1; i < pieces.length; i += 2) {
    const name = pieces[i]!;
    filled += String(params[name] ?? `{${name}}`) + pieces[i + 1]!;
  }
  return filled;
}

export function loadCatalogue(localesDir = LOCALES_DIR): Catalogue {
  const english = loadMessages('en', localesDir);
  const byLanguage = new Map(LANGUAGES.map(({ code }) => [code, loadMessages(code, localesDir)] as const));
  return {
    english,
    translator(code) {
      const messages = byLanguage.get(code) ?? english;
      return (key, params) => {
        const text = messages.get(key) ?? english.get(key);
        // A key missing from English is a programming error: fail loudly rather than show a key to a family.
        if (text === undefined) throw new MissingTranslationError(`No English text for "${key}"`);
        return params ? fillIn(text, params) : text;
      };
    },
  };
}
