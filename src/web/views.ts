// Nunjucks set up for govuk-frontend's macros, our layout and each feature's views.
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { spacedNhsNumber } from '../domain/front-door/nhs-number.ts';
import nunjucks from 'nunjucks';

const require = createRequire(import.meta.url);
export const GOVUK_FRONTEND_DIST = join(require.resolve('govuk-frontend/package.json'), '..', 'dist');

/** What a rendered page is sent as. */
export const HTML = 'text/html; charset=utf-8';
const SRC = join(import.meta.dirname, '..');

type Format = 'date' | 'dateTime' | 'monthYear';

const FORMATS: Record<Format, Intl.DateTimeFormatOptions> = {
  date: { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' },
  monthYear: { month: 'long', year: 'numeric', timeZone: 'Europe/London' },
  dateTime: { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/London' },
};
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * One formatter per format and language, kept: making an Intl.DateTimeFormat costs far more than using one, and a
 * page of fifty rows made a hundred (npm run bench -- casework).
 */
function formatter(format: Format, language: string): Intl.DateTimeFormat {
  const key = `${format}:${language}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : language, FORMATS[format]);
    formatters.set(key, found);
  }
  return found;
}

/**
 * Finds templates, working out each relative import's path once: govuk-frontend's macros import their helpers
 * relatively, so a page with a few dozen components asked the file system path module the same question each time.
 */
class TemplateLoader extends nunjucks.FileSystemLoader {
  /** By the importing template, then by the name it imports: no key to build for each import. */
  private readonly resolved = new Map<string, Map<string, string>>();

  override resolve(from: string, to: string): string {
    let fromHere = this.resolved.get(from);
    if (fromHere === undefined) {
      fromHere = new Map();
      this.resolved.set(from, fromHere);
    }
    let path = fromHere.get(to);
    if (path === undefined) {
      path = super.resolve(from, to);
      fromHere.set(to, path);
    }
    return path;
  }
}

type ExportedCallback = (error: Error | null, exported: unknown) => void;
type GetExported = (this: { path?: string }, context: unknown, frame?: unknown, done?: ExportedCallback) => void;
type Variables = Record<string, unknown>;
interface Frame {
  variables: Variables;
  resolve(name: string, forWrite: boolean): Frame | undefined;
  set(name: string, value: unknown, resolveUp?: boolean): void;
}

let shortcutsInstalled = false;

/**
 * Two shortcuts through Nunjucks, found with CPU profiles of the casework pages (npm run bench -- casework). They
 * change Nunjucks itself, for every environment in this process, so they are installed once, here, when the first
 * view environment is made; src/web/views.test.ts checks each gives what Nunjucks gives.
 */
function installRenderingShortcuts(): void {
  if (shortcutsInstalled) return;
  shortcutsInstalled = true;

  /*
   * Each govuk-frontend component imports its attribute helpers, without context, every time it is used, and
   * Nunjucks runs the imported template again on every import: a child's record, with its summary lists, buttons
   * and forms, served about a quarter more pages a second once each of govuk-frontend's templates keeps what it
   * exports after the first import. Only govuk-frontend's: their macros see their arguments and the template's
   * own top-level variables, which in govuk-frontend are never changed, whereas a template of ours could keep a
   * list at its top level that a macro adds to, which would then be shared by every page. An import `with
   * context` is run every time, as Nunjucks does.
   */
  const templatePrototype = nunjucks.Template.prototype as unknown as { getExported: GetExported };
  const runForExports = templatePrototype.getExported;
  const exportedWithoutContext = new WeakMap<object, unknown>();
  templatePrototype.getExported = function (context, frame, done) {
    if (typeof context !== 'function' || !this.path?.startsWith(GOVUK_FRONTEND_DIST)) {
      runForExports.call(this, context, frame, done);
      return;
    }
    const reply = context as ExportedCallback;
    if (exportedWithoutContext.has(this)) {
      reply(null, exportedWithoutContext.get(this));
      return;
    }
    runForExports.call(this, (error: Error | null, exported: unknown) => {
      if (!error) exportedWithoutContext.set(this, exported);
      reply(error, exported);
    });
  };

  /*
   * Nunjucks sets a loop's seven loop variables ("loop.index", "loop.first" and so on) on every pass, splitting
   * each name at its dots each time; a caseload page's fifty rows made hundreds of arrays to throw away, and
   * setting variables was a tenth of a child's record page. This does what Nunjucks does, with each name's parts
   * worked out once: names come from the templates, so there are a few hundred of them.
   */
  const framePrototype = (nunjucks.runtime as unknown as { Frame: { prototype: Frame } }).Frame.prototype;
  const partsOfName = new Map<string, string[]>();
  framePrototype.set = function (this: Frame, name, value, resolveUp) {
    let parts = partsOfName.get(name);
    if (parts === undefined) {
      parts = name.split('.');
      partsOfName.set(name, parts);
    }
    if (resolveUp) {
      const frame = this.resolve(parts[0]!, true);
      if (frame) {
        frame.set(name, value);
        return;
      }
    }
    let variables = this.variables;
    for (let i = 0; i < parts.length - 1; i += 1) {
      const part = parts[i]!;
      if (!variables[part]) variables[part] = {};
      variables = variables[part] as Variables;
    }
    variables[parts[parts.length - 1]!] = value;
  };
}

export function createViewEnvironment(options: { watch: boolean }): nunjucks.Environment {
  installRenderingShortcuts();
  const loader = new TemplateLoader([join(SRC, 'web', 'views'), join(SRC, 'features'), GOVUK_FRONTEND_DIST], {
    noCache: options.watch,
  });
  const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });
  env.addFilter('date', (value: Date | string | null | undefined, language: string = 'en') => {
    if (!value) return '';
    const date = typeof value === 'string' ? new Date(`${value}${value.length === 10 ? 'T12:00:00Z' : ''}`) : value;
    return formatter('date', language).format(date);
  });
  env.addFilter('monthYear', (value: Date | null | undefined, language: string = 'en') => {
    if (!value) return '';
    return formatter('monthYear', language).format(value);
  });
  env.addFilter('dateTime', (value: Date | null | undefined, language: string = 'en') => {
    if (!value) return '';
    return formatter('dateTime', language).format(value);
  });
  // Marks the radio or checkbox items whose values were chosen, for govukRadios and govukCheckboxes.
  env.addFilter('withChecked', (items: { value: string }[], chosen: string | string[] | undefined) =>
    items.map((item) => ({
      ...item,
      checked: Array.isArray(chosen) ? chosen.includes(item.value) : chosen === item.value,
    })),
  );
  // govuk-frontend's macros trim every block they capture, nested ones again at each level. Nunjucks trims with a
  // regular expression that tries every position of each run of spaces; String's trim removes the same white space
  // (both are ECMAScript's WhiteSpace and LineTerminator) at a fraction of the cost (npm run bench -- search).
  env.addFilter('trim', (value: unknown) => {
    const trimmed = String(value).trim();
    return value instanceof nunjucks.runtime.SafeString ? new nunjucks.runtime.SafeString(trimmed) : trimmed;
  });
  env.addFilter('nhsNumber', (value: string | null | undefined) => (value ? spacedNhsNumber(value) : ''));
  env.addFilter('withSelected', (items: { value: string }[], chosen: string | undefined) =>
    items.map((item) => ({ ...item, selected: chosen === item.value })),
  );
  return env;
}
