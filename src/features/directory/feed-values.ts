// Small, strict readers for values in untrusted feed JSON, and stable ids for feeds whose ids are not UUIDs.
import { createHash } from 'node:crypto';
import { absoluteUrl } from './oruk-shape.ts';
import type { Json } from './records.ts';
import { isUuid } from '../../web/ids.ts';

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function text(source: Json, key: string): string | null {
  const value = source[key];
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number') return String(value);
  return null;
}

/**
 * A web address (http or https) from a feed, or null for anything else: a feed is not trusted, and an address such
 * as `javascript:…` shown as a link would run on the directory's page. The editing form accepts only these too.
 */
export function webAddress(source: Json, key: string): string | null {
  return absoluteUrl(text(source, key)) ?? null;
}

export function wholeNumber(source: Json, key: string): number | null {
  const value = source[key];
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof parsed === 'number' && Number.isFinite(parsed) ? Math.round(parsed) : null;
}

export function decimal(source: Json, key: string): number | null {
  const value = source[key];
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : null;
}

export function objects(source: Json, key: string): Json[] {
  const value = source[key];
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** A UUID (version 5 layout) derived from a name, so re-importing the same feed gives the same ids. */
export function stableId(namespace: string, name: string): string {
  const hash = createHash('sha1').update(`${namespace}\u0000${name}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** How a rejected record is named in the import report: its id, else its name. */
export function referenceOf(raw: Json): string {
  for (const value of [raw.id, raw.name]) {
    if (typeof value === 'string' || typeof value === 'number') return String(value);
  }
  return '(no id or name)';
}

/** Keeps a feed's UUID, or makes a stable one from whatever id it has. */
export function idFor(namespace: string, kind: string, value: unknown): string | null {
  if (isUuid(value)) return value.toLowerCase();
  if (typeof value === 'string' && value.trim() !== '') return stableId(namespace, `${kind}:${value.trim()}`);
  if (typeof value === 'number') return stableId(namespace, `${kind}:${value}`);
  return null;
}

/** Feeds sometimes hold HTML; the directory shows plain text. */
export function plainText(value: string | null): string {
  if (!value) return '';
  return value
    .replace(/<(br|\/p|\/li|\/h\d|\/div)\s*\/?>/gi, '\n')
    .replace(/<li[^>]*>/gi, '• ')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&rsquo;|&lsquo;/g, "'")
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const OUTWARD_AND_INWARD = /^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$/;

/** A UK postcode in its usual form ("bd13qj" → "BD1 3QJ"), or null when it is not one. */
export function normalisePostcode(value: string | null): string | null {
  if (!value) return null;
  const compact = value.toUpperCase().replace(/\s+/g, '');
  const match = OUTWARD_AND_INWARD.exec(compact);
  return match ? `${match[1]} ${match[2]}` : null;
}
