// Reads the public search form (a GET form, so results can be bookmarked and shared) and checks it.
import {
  ACCESS_ROUTES,
  SEND_NEEDS,
  WEEKDAYS,
  type AccessRoute,
  type SendNeed,
  type Weekday,
} from '../../domain/local-offer.ts';
import type { FieldError } from '../../web/errors.ts';
import type { Translate } from '../../web/i18n.ts';
import { parsePostcode } from './places.ts';
import type { SearchOrder } from './search/filters.ts';

export const DISTANCE_MILES = [1, 3, 5, 10, 20] as const;
export const KM_PER_MILE = 1.609344;
export const PAGE_SIZE = 20;

export interface SearchForm {
  q: string;
  age: string;
  needs: SendNeed[];
  category: string;
  postcode: string;
  distance: string;
  cost: '' | 'free' | 'paid';
  access: AccessRoute[];
  days: Weekday[];
  sort: SearchOrder | '';
  page: number;
  /** Search for exactly what was typed, without spelling correction ("Search instead for …"). */
  exact: boolean;
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' && value !== '' ? [value] : [];
}

function one(value: unknown): string {
  return typeof value === 'string' ? value.trim().slice(0, 200) : '';
}

export function readSearchForm(query: Record<string, unknown>): SearchForm {
  const page = Number(one(query.page));
  const cost = one(query.cost);
  const sort = one(query.sort);
  return {
    q: one(query.q),
    age: one(query.age),
    needs: list(query.need).filter((need): need is SendNeed => (SEND_NEEDS as readonly string[]).includes(need)),
    category: /^[0-9a-f-]{36}$/i.test(one(query.category)) ? one(query.category) : '',
    postcode: one(query.postcode).slice(0, 10),
    distance: (DISTANCE_MILES as readonly number[]).includes(Number(one(query.distance))) ? one(query.distance) : '',
    cost: cost === 'free' || cost === 'paid' ? cost : '',
    access: list(query.access).filter((route): route is AccessRoute =>
      (ACCESS_ROUTES as readonly string[]).includes(route),
    ),
    days: list(query.day).filter((day): day is Weekday => (WEEKDAYS as readonly string[]).includes(day)),
    sort: sort === 'relevance' || sort === 'distance' || sort === 'name' ? sort : '',
    page: Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
    exact: one(query.exact) === '1',
  };
}

export function validateSearchForm(form: SearchForm, t: Translate): FieldError[] {
  const errors: FieldError[] = [];
  if (form.age !== '' && (!/^\d{1,2}$/.test(form.age) || Number(form.age) > 25))
    errors.push({ field: 'age', text: t('directory.errors.age') });
  if (form.postcode !== '' && !parsePostcode(form.postcode))
    errors.push({ field: 'postcode', text: t('directory.errors.postcode') });
  return errors;
}

/** The same search with one thing changed, as a link (for paging, "search instead for", sorting). */
export function searchLink(form: SearchForm, change: Partial<SearchForm>): string {
  const search = searchParameters(form, change);
  return `/services${search ? `?${search}` : ''}`;
}

/** The search's own query string (without "?"), as searchLink writes it: '' for the whole directory. */
export function searchParameters(form: SearchForm, change: Partial<SearchForm> = {}): string {
  const merged = { ...form, ...change };
  const params = new URLSearchParams();
  if (merged.q) params.set('q', merged.q);
  if (merged.age) params.set('age', merged.age);
  for (const need of merged.needs) params.append('need', need);
  if (merged.category) params.set('category', merged.category);
  if (merged.postcode) params.set('postcode', merged.postcode);
  if (merged.distance) params.set('distance', merged.distance);
  if (merged.cost) params.set('cost', merged.cost);
  for (const route of merged.access) params.append('access', route);
  for (const day of merged.days) params.append('day', day);
  if (merged.sort) params.set('sort', merged.sort);
  if (merged.exact) params.set('exact', '1');
  if (merged.page > 1) params.set('page', String(merged.page));
  return params.toString();
}

/**
 * The search a family came from, carried in a link or a form as its query string (`from`), read and checked as
 * the search form itself is: whatever the link held, only a search of this directory comes back out of it, never
 * another address. Null when there was none.
 */
export function searchFrom(value: string | undefined): SearchForm | null {
  if (!value) return null;
  const query: Record<string, string | string[]> = {};
  const params = new URLSearchParams(value.replace(/^\?/, ''));
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  return readSearchForm(query);
}

/** The link back to the search a family came from (`from`), or to the directory's first page. */
export function backToSearch(from: string | undefined): string {
  const form = searchFrom(from);
  return form ? searchLink(form, {}) : '/services';
}

/** Names of the filters a search was narrowed by, each in the family's language. */
export interface FilterNames {
  category(id: string): string | undefined;
}

/**
 * The filters a search was narrowed by, each with a link to the same search without it (the removable tags above
 * the results). A postcode takes its distance with it, since a distance means nothing without a place.
 */
export function chosenFilters(form: SearchForm, t: Translate, names: FilterNames): { text: string; href: string }[] {
  const without = (change: Partial<SearchForm>) => searchLink(form, { ...change, page: 1 });
  const chosen: { text: string; href: string }[] = [];
  if (form.age) chosen.push({ text: t('directory.chosenAge', { age: form.age }), href: without({ age: '' }) });
  if (form.postcode)
    chosen.push({
      text: t('directory.chosenNear', { postcode: form.postcode }),
      href: without({ postcode: '', distance: '' }),
    });
  if (form.distance)
    chosen.push({ text: t('directory.withinMiles', { miles: form.distance }), href: without({ distance: '' }) });
  if (form.category)
    chosen.push({ text: names.category(form.category) ?? form.category, href: without({ category: '' }) });
  for (const need of form.needs)
    chosen.push({
      text: t(`directory.needs.${need}`),
      href: without({ needs: form.needs.filter((other) => other !== need) }),
    });
  if (form.cost)
    chosen.push({
      text: t(form.cost === 'free' ? 'directory.costFree' : 'directory.costPaid'),
      href: without({ cost: '' }),
    });
  for (const route of form.access)
    chosen.push({
      text: t(`directory.accessRoutes.${route}`),
      href: without({ access: form.access.filter((other) => other !== route) }),
    });
  for (const day of form.days)
    chosen.push({
      text: t(`directory.weekdays.${day}`),
      href: without({ days: form.days.filter((other) => other !== day) }),
    });
  return chosen;
}
