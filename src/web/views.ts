// Nunjucks set up for govuk-frontend's macros, our layout and each feature's views.
import { join } from 'node:path';
import { createRequire } from 'node:module';
import nunjucks from 'nunjucks';

const require = createRequire(import.meta.url);
export const GOVUK_FRONTEND_DIST = join(require.resolve('govuk-frontend/package.json'), '..', 'dist');
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
 * Two changes to Nunjucks' own behaviour that GOV.UK macros make costly, each measured on the child's record page
 * (about a tenth of the web process's time together, `npm run bench -- casework`):
 * - the `trim` filter, which every component applies to its whole output, uses /^\s*|\s*$/g, which rescans each
 *   run of spaces to its end; the built-in String trim removes the same characters in one pass;
 * - each component imports its helpers by a relative path on every call, which the loader turns into an absolute
 *   path with path.resolve each time; the answer never changes for a template, so it is kept.
 */
function speedUpGovukMacros(env: nunjucks.Environment) {
  const { SafeString } = nunjucks.runtime;
  env.addFilter('trim', (value: string | InstanceType<typeof SafeString> | undefined) => {
    const trimmed = (value ?? '').toString().trim();
    return value instanceof SafeString ? new SafeString(trimmed) : trimmed;
  });
  for (const loader of (env as unknown as { loaders: { resolve(from: string, to: string): string }[] }).loaders) {
    const resolve = loader.resolve.bind(loader);
    const resolved = new Map<string, string>();
    loader.resolve = (from, to) => {
      const key = `${from}\n${to}`;
      let path = resolved.get(key);
      if (path === undefined) {
        path = resolve(from, to);
        resolved.set(key, path);
      }
      return path;
    };
  }
}

export function createViewEnvironment(options: { watch: boolean }): nunjucks.Environment {
  const env = nunjucks.configure([join(SRC, 'web', 'views'), join(SRC, 'features'), GOVUK_FRONTEND_DIST], {
    autoescape: true,
    throwOnUndefined: false,
    noCache: options.watch,
  });
  speedUpGovukMacros(env);
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
  env.addFilter('withSelected', (items: { value: string }[], chosen: string | undefined) =>
    items.map((item) => ({ ...item, selected: chosen === item.value })),
  );
  return env;
}
