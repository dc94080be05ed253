// Reads the Open Referral API's query parameters strictly: a bad value is a 400 that names the parameter.
import { isUuid } from '../../web/ids.ts';
export class ParameterError extends Error {
  readonly parameter: string;

  constructor(parameter: string, message: string) {
    super(message);
    this.parameter = parameter;
  }
}

export const MAX_PER_PAGE = 100;

type Query = Record<string, unknown>;

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ParameterError(name, `${name} must be given once`);
  return value;
}

export function wholeNumberParameter(
  query: Query,
  name: string,
  limits: { min: number; max: number },
): number | undefined {
  const value = single(query, name);
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new ParameterError(name, `${name} must be a whole number`);
  const number = Number(value);
  if (number < limits.min || number > limits.max)
    throw new ParameterError(name, `${name} must be from ${limits.min} to ${limits.max}`);
  return number;
}

export function uuidParameter(query: Query, name: string): string | undefined {
  const value = single(query, name);
  if (value === undefined || value === '') return undefined;
  if (!isUuid(value)) throw new ParameterError(name, `${name} must be a UUID`);
  return value.toLowerCase();
}

export function textParameter(query: Query, name: string, maxLength: number): string | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  if (value.length > maxLength) throw new ParameterError(name, `${name} must be ${maxLength} characters or fewer`);
  return value;
}

export function booleanParameter(query: Query, name: string): boolean | undefined {
  const value = single(query, name);
  if (value === undefined || value === '') return undefined;
  if (value !== 'true' && value !== 'false') throw new ParameterError(name, `${name} must be true or false`);
  return value === 'true';
}

export function dateTimeParameter(query: Query, name: string): Date | undefined {
  const value = single(query, name);
  if (value === undefined || value === '') return undefined;
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new ParameterError(name, `${name} must be a date and time such as 2026-01-31T09:00:00Z`);
  }
  return date;
}

export function paging(query: Query): { page: number; perPage: number } {
  const page = wholeNumberParameter(query, 'page', { min: 1, max: 1_000_000 }) ?? 1;
  // per_page is capped rather than refused, so a client asking for "everything" still gets a sensible page.
  const asked = single(query, 'per_page');
  if (asked !== undefined && asked !== '' && !/^\d+$/.test(asked))
    throw new ParameterError('per_page', 'per_page must be a whole number');
  const perPage = asked ? Math.min(Math.max(Number(asked), 1), MAX_PER_PAGE) : 50;
  return { page, perPage };
}

export function pageEnvelope<T>(contents: T[], total: number, page: number, perPage: number) {
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: page,
    size: contents.length,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}
