// Finds the service records in an Open Referral feed, whatever its edition or packaging: a v3 paging envelope
// (`contents`), an Outpost v1 page (`content`), a plain array, or one service.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isObject } from './feed-values.ts';
import type { Json } from './records.ts';

export type FeedEdition = 'v3' | 'v1';

export interface FeedItem {
  edition: FeedEdition;
  raw: Json;
  origin: string;
}

/** Outpost and ORUK v1 services have integer ids, `organisation`, `regular_schedules` or `locations`. */
export function editionOf(raw: Json): FeedEdition {
  if ('service_at_locations' in raw && !('regular_schedules' in raw)) return 'v3';
  if ('organisation' in raw || 'regular_schedules' in raw || 'locations' in raw || 'min_age' in raw) return 'v1';
  if (typeof raw.id === 'number' || 'eligibilitys' in raw || 'service_taxonomys' in raw) return 'v1';
  return 'v3';
}

/** Feeds and folders also hold organisations, taxonomies and locations; only services are imported. */
function looksLikeService(value: Json): boolean {
  if ('status' in value || 'service_at_locations' in value || 'organization_id' in value || 'organisation' in value)
    return true;
  const otherKinds = [
    'organization_identifiers',
    'website',
    'taxonomy_terms',
    'taxonomy_id',
    'term',
    'version',
    'location_type',
    'service',
    'services',
    'services_url',
  ];
  return !otherKinds.some((key) => key in value) && 'name' in value;
}

export function servicesIn(document: unknown): Json[] {
  if (Array.isArray(document)) return document.filter(isObject).flatMap(servicesIn);
  if (!isObject(document)) return [];
  if (Array.isArray(document.contents)) return document.contents.flatMap(servicesIn);
  if (Array.isArray(document.content)) return document.content.flatMap(servicesIn);
  if (looksLikeService(document)) return [document];
  // An organisation (organization_full) carries its services; a service at location carries one.
  if (Array.isArray(document.services)) return document.services.filter(isObject).filter(looksLikeService);
  if (isObject(document.service)) return [document.service];
  return [];
}

function parseJson(textContent: string, origin: string): unknown {
  try {
    return JSON.parse(textContent.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new Error(`${origin} is not JSON: ${(error as Error).message}`);
  }
}

function itemsOf(document: unknown, origin: string): FeedItem[] {
  return servicesIn(document).map((raw) => ({ edition: editionOf(raw), raw, origin }));
}

function jsonFilesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => jsonFilesUnder(join(path, name)))
    .filter((file) => file.endsWith('.json'));
}

const MAX_PAGES = 10_000;

/**
 * An Open Referral UK 3.0 API's list of services holds each service's own fields and its organisation (the
 * standard's `service_list`); `full=true` asks it for whole services, with their places, categories and contacts.
 * The parameter is added to the end of the URL as written, so the rest of it is sent exactly as given; a URL that
 * sets `full` is left as it is. An API that does not know the parameter is expected to ignore it.
 */
export function askingForWholeServices(url: string): string {
  const parsed = new URL(url);
  if (!/\/services\/?$/.test(parsed.pathname) || parsed.searchParams.has('full') || parsed.hash) return url;
  const joiner = parsed.search ? '&' : url.endsWith('?') ? '' : '?';
  return `${url}${joiner}full=true`;
}

/** Reads every page of a feed URL: v3 paging (`total_pages`) or Outpost paging (`totalPages`). */
async function readUrl(url: string): Promise<FeedItem[]> {
  const items: FeedItem[] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const pageUrl = new URL(askingForWholeServices(url));
    if (page > 1) pageUrl.searchParams.set('page', String(page));
    const response = await fetch(pageUrl, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`${pageUrl.href} answered ${response.status}`);
    const document = parseJson(await response.text(), pageUrl.href);
    items.push(...itemsOf(document, pageUrl.href));
    const totalPages = isObject(document) ? Number(document.total_pages ?? document.totalPages ?? 1) : 1;
    if (!Number.isFinite(totalPages) || page >= totalPages) break;
  }
  return items;
}

export async function readFeed(source: string): Promise<FeedItem[]> {
  if (/^https?:\/\//.test(source)) return readUrl(source);
  return jsonFilesUnder(source).flatMap((file) => itemsOf(parseJson(readFileSync(file, 'utf8'), file), file));
}
