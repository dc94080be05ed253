// Nunjucks set up for govuk-frontend's macros, our layout and each feature's views.
import { join } from 'node:path';
import { createRequire } from 'node:module';
import nunjucks from 'nunjucks';

const require = createRequire(import.meta.url);
export const GOVUK_FRONTEND_DIST = join(require.resolve('govuk-frontend/package.json'), '..', 'dist');
const SRC = join(import.meta.dirname, '..');

export function createViewEnvironment(options: { watch: boolean }): nunjucks.Environment {
  const env = nunjucks.configure([join(SRC, 'web', 'views'), join(SRC, 'features'), GOVUK_FRONTEND_DIST], {
    autoescape: true,
    throwOnUndefined: false,
    noCache: options.watch,
  });
  env.addFilter('date', (value: Date | string | null | undefined, language: string = 'en') => {
    if (!value) return '';
    const date = typeof value === 'string' ? new Date(`${value}${value.length === 10 ? 'T12:00:00Z' : ''}`) : value;
    return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : language, {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/London',
    }).format(date);
  });
  env.addFilter('dateTime', (value: Date | null | undefined, language: string = 'en') => {
    if (!value) return '';
    return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : language, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Europe/London',
    }).format(value);
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
