// Builds Open Referral UK 3.0 objects from directory rows, leaving out what the standard would reject
// (empty values, links that are not absolute URLs, malformed email addresses).
import type { Json } from './records.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function absoluteUrl(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? value : undefined;
  } catch {
    return undefined;
  }
}

export function emailAddress(value: string | null | undefined): string | undefined {
  return value && EMAIL.test(value) ? value : undefined;
}

/**
 * Drops null and undefined values, which the standard's schemas do not allow in place of a string or number. A loop
 * rather than entries and fromEntries, which make an array for each field: an API page of fifty services compacts
 * a few thousand objects.
 */
export function compact(object: Record<string, unknown>): Json {
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (value !== null && value !== undefined) kept[key] = value;
  }
  return kept;
}

export interface OrganizationRow {
  id: string;
  name: string;
  description: string;
  email: string | null;
  website: string | null;
  logo: string | null;
  uri: string | null;
}

export function orukOrganization(row: OrganizationRow): Json {
  return compact({
    id: row.id,
    name: row.name,
    description: row.description,
    email: emailAddress(row.email),
    website: absoluteUrl(row.website),
    logo: absoluteUrl(row.logo),
    uri: absoluteUrl(row.uri),
  });
}

export interface TermRow {
  id: string;
  name: string;
  description: string;
  code: string | null;
  term_uri: string | null;
  parent_id: string | null;
  taxonomy_id: string | null;
  taxonomy_name: string | null;
}

export function orukTerm(row: TermRow): Json {
  return compact({
    id: row.id,
    name: row.name,
    description: row.description,
    parent_id: row.parent_id,
    taxonomy: row.taxonomy_name,
    taxonomy_id: row.taxonomy_id,
    term_uri: absoluteUrl(row.term_uri),
    term: row.code,
  });
}

export interface LocationRow {
  id: string;
  location_type: string;
  name: string | null;
  description: string | null;
  latitude: number | null;
  longitude: number | null;
  addresses: Json[];
  accessibility: Json[];
}

export function orukLocation(row: LocationRow): Json {
  return compact({
    id: row.id,
    location_type: row.location_type,
    name: row.name,
    description: row.description,
    latitude: row.latitude,
    longitude: row.longitude,
    addresses: row.addresses,
    accessibility: row.accessibility,
  });
}
