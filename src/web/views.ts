// Nunjucks set up for govuk-frontend's macros, our layout and each feature's views.
import { readFileSync } from 'node:fs';
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
type GetExported = (context: unknown, frame?: unknown, done?: ExportedCallback) => void;

/** Nunjucks' own way to run a template for what it exports: read from its prototype, never changed. */
const runForExports = (nunjucks.Template.prototype as unknown as { getExported: GetExported }).getExported;

/**
 * A govuk-frontend template that works out what it exports to an import without context once. Each govuk-frontend
 * component imports its attribute helpers every time it is used, and Nunjucks runs the imported template again on
 * every import: a child's record, with its summary lists, buttons and forms, served about a quarter more pages a
 * second once these templates keep their exports. Only govuk-frontend's: their macros see their arguments and the
 * template's own top-level variables, which govuk-frontend never changes, whereas a template of ours could keep a
 * list at its top level that a macro adds to, which would then be shared by every page. An import `with context`
 * runs every time, as Nunjucks does. Everything else (rendering, including, extending) is Nunjucks' own.
 */
class ExportsOnceTemplate extends nunjucks.Template {
  private exported: { value: unknown } | undefined;

  getExported(context: unknown, frame?: unknown, done?: ExportedCallback): void {
    if (typeof context !== 'function') {
      runForExports.call(this, context, frame, done);
      return;
    }
    const reply = context as ExportedCallback;
    if (this.exported) {
      reply(null, this.exported.value);
      return;
    }
    runForExports.call(this, (error: Error | null, value: unknown) => {
      if (!error) this.exported = { value };
      reply(error, value);
    });
  }
}

/** How compiled templates ask for another template: (name, eagerCompile, parentName, ignoreMissing, callback). */
type GetTemplate = (...args: unknown[]) => unknown;

/**
 * The view environment: Nunjucks' own, except that govuk-frontend's templates are handed out as ExportsOnceTemplates,
 * one per file, made from the same source with Nunjucks' public Template constructor.
 */
class ViewEnvironment extends nunjucks.Environment {
  private readonly govukTemplates = new Map<string, nunjucks.Template>();

  override getTemplate(name: string, eagerCompile?: boolean): nunjucks.Template;
  override getTemplate(
    name: string,
    eagerCompile?: boolean,
    callback?: nunjucks.Callback<Error, nunjucks.Template>,
  ): void;
  override getTemplate(...args: unknown[]): unknown {
    // Nunjucks' own getTemplate, called with this environment as `this` (apply, below).
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const asked = super.getTemplate as unknown as GetTemplate;
    const at = args.findIndex((arg) => typeof arg === 'function');
    if (at === -1) return this.govukOnce(asked.apply(this, args) as nunjucks.Template);
    const callback = args[at] as (error: Error | null, template?: nunjucks.Template) => void;
    const answered = [...args];
    answered[at] = (error: Error | null, template?: nunjucks.Template) =>
      callback(error, template ? this.govukOnce(template) : template);
    return asked.apply(this, answered);
  }

  private govukOnce(template: nunjucks.Template): nunjucks.Template {
    // The file a template was read from (Nunjucks sets `path` on every template it loads).
    const path = (template as unknown as { path?: string }).path;
    if (path === undefined || !path.startsWith(GOVUK_FRONTEND_DIST)) return template;
    let kept = this.govukTemplates.get(path);
    if (kept === undefined) {
      kept = new ExportsOnceTemplate(readFileSync(path, 'utf8'), this, path);
      this.govukTemplates.set(path, kept);
    }
    return kept;
  }
}

export function createViewEnvironment(options: { watch: boolean }): nunjucks.Environment {
  const loader = new TemplateLoader([join(SRC, 'web', 'views'), join(SRC, 'features'), GOVUK_FRONTEND_DIST], {
    noCache: options.watch,
  });
  const env = new ViewEnvironment(loader, { autoescape: true, throwOnUndefined: false });
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
