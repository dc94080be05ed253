// Every string a person reads is in the locale files: English complete, Urdu and Polish for the shared shell,
// falling back to English key by key.
import { ROLES } from '../src/domain/people.ts';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { LANGUAGES, loadCatalogue, loadMessages, MissingTranslationError } from '../src/web/i18n.ts';

const SHELL_FILES = ['common', 'nav', 'footer', 'errors', 'signIn', 'signOut'];

function filesUnder(dir: string, endings: string[]): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path, endings);
    return endings.some((ending) => name.endsWith(ending)) ? [path] : [];
  });
}

/** Keys written out in full in templates and code: t('a.b'), request.t('a.b'), {{ t("a.b") }}. */
function literalKeysUsed(): Map<string, string> {
  const used = new Map<string, string>();
  for (const file of filesUnder('src', ['.ts', '.njk'])) {
    if (file.endsWith('.test.ts')) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(/\bt\(\s*['"]([\w.-]+)['"]\s*[,)]/g)) {
      used.set(match[1]!, file);
    }
  }
  return used;
}

describe('languages', () => {
  const english = loadMessages('en');

  test('every message key used in the code and templates exists in English', () => {
    const used = literalKeysUsed();
    assert.ok(used.size > 30, 'the scan finds the keys');
    const missing = [...used].filter(([key]) => !english.has(key)).map(([key, file]) => `${key} (${file})`);
    assert.deepEqual(missing, []);
  });

  test('keys built from data exist in English too: every role, every outbox status, every error page', () => {
    for (const role of ROLES) assert.ok(english.has(`roles.${role}`), `roles.${role}`);
    for (const status of ['recorded', 'queued', 'sending', 'sent', 'failed'])
      assert.ok(english.has(`outbox.statuses.${status}`));
    const errorPages = readFileSync('src/web/errors.ts', 'utf8').matchAll(/'(errors\.\w+)'/g);
    for (const [, key] of errorPages) {
      assert.ok(english.has(`${key}.title`) && english.has(`${key}.body`), key);
    }
  });

  test('Urdu and Polish translate the whole shared shell, and hold no keys English lacks', () => {
    for (const { code } of LANGUAGES.filter((language) => language.code !== 'en')) {
      const messages = loadMessages(code);
      const strays = [...messages.keys()].filter((key) => !english.has(key));
      assert.deepEqual(strays, [], `${code} has keys English lacks`);
      const shellKeys = [...english.keys()].filter((key) => SHELL_FILES.includes(key.split('.')[0]!));
      const untranslated = shellKeys.filter((key) => !messages.has(key));
      assert.deepEqual(untranslated, [], `${code} is missing shell keys`);
      for (const key of shellKeys) {
        const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        assert.deepEqual(
          placeholders(messages.get(key)!),
          placeholders(english.get(key)!),
          `${code} ${key} placeholders`,
        );
      }
    }
  });

  test('a key a language lacks falls back to English; a key English lacks is an error, not a blank', () => {
    const catalogue = loadCatalogue();
    const polish = catalogue.translator('pl');
    const onlyInEnglish = [...english.keys()].find((key) => !loadMessages('pl').has(key));
    if (onlyInEnglish) assert.equal(polish(onlyInEnglish), english.get(onlyInEnglish));
    assert.throws(() => polish('no.such.key'), MissingTranslationError);
  });

  test('placeholders are filled in', () => {
    const t = loadCatalogue().translator('en');
    assert.match(t('signIn.errors.locked', { minutes: 15 }), /Wait 15 minutes/);
  });

  test('every placeholder is filled in, each time; one without a value is left as written', () => {
    const localesDir = mkdtempSync(join(tmpdir(), 'pathway-locales-'));
    for (const { code } of LANGUAGES) mkdirSync(join(localesDir, code));
    writeFileSync(
      join(localesDir, 'en', 'clock.json'),
      JSON.stringify({ used: '{used} of {limit} working days used; {used} so far{ended}', plain: 'No clock' }),
    );
    const t = loadCatalogue(localesDir).translator('en');
    assert.equal(t('clock.used', { used: 3, limit: 45 }), '3 of 45 working days used; 3 so far{ended}');
    assert.equal(t('clock.used', { used: 0, limit: 20, ended: '.' }), '0 of 20 working days used; 0 so far.');
    assert.equal(t('clock.plain', { used: 1 }), 'No clock');
    assert.equal(t('clock.plain'), 'No clock');
    rmSync(localesDir, { recursive: true });
  });
});
