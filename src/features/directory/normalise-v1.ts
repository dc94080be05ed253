// Reads the older Open Referral UK 1.0 feeds, including the Outpost flavour many councils publish
// (integer ids, `organisation`, `locations` with GeoJSON points, `regular_schedules`, `send_needs`).
import { weekdaysOf } from '../../domain/local-offer.ts';
import {
  decimal,
  idFor,
  referenceOf,
  isObject,
  normalisePostcode,
  objects,
  plainText,
  text,
  wholeNumber,
  webAddress,
} from './feed-values.ts';
import { ownedList } from './owned-lists.ts';
import { classify } from './normalise-v3.ts';
import { acceptedService } from './normalised-service.ts';
import type { Json, LocationRecord, NormalisedRecord, ServiceStatus, TermRecord } from './records.ts';

function statusOf(raw: Json): ServiceStatus | null {
  const status = text(raw, 'status')?.toLowerCase() ?? 'active';
  if (status === 'active' || status === 'inactive' || status === 'defunct' || status === 'temporarily closed')
    return status;
  if (status === 'archived' || status === 'deleted') return 'defunct';
  if (status === 'pending' || status === 'draft') return 'inactive';
  return null;
}

function locationOf(namespace: string, raw: Json): LocationRecord | null {
  const id = idFor(namespace, 'location', raw.id);
  if (!id) return null;
  const coordinates =
    isObject(raw.geometry) && Array.isArray(raw.geometry.coordinates) ? raw.geometry.coordinates : null;
  const physical = objects(raw, 'physical_addresses');
  const addressSource = physical.length > 0 ? physical : [raw];
  const addresses = ownedList(
    namespace,
    'address',
    addressSource.map((address) => ({ ...address, id: address === raw ? `${String(raw.id)}:address` : address.id })),
    { key: 'location_id', id },
  ).filter((address) => text(address, 'address_1') || text(address, 'postal_code'));
  const accessibility = [...objects(raw, 'accessibilities'), ...objects(raw, 'accessibility_for_disabilities')].map(
    (item, index) => ({
      id: `${String(raw.id)}:accessibility:${index}`,
      description: text(item, 'name') ?? text(item, 'accessibility') ?? '',
    }),
  );
  return {
    id,
    name: text(raw, 'name'),
    description: text(raw, 'description'),
    locationType: 'physical',
    latitude: coordinates ? (typeof coordinates[1] === 'number' ? coordinates[1] : null) : decimal(raw, 'latitude'),
    longitude: coordinates ? (typeof coordinates[0] === 'number' ? coordinates[0] : null) : decimal(raw, 'longitude'),
    postcode: normalisePostcode(
      addresses.map((address) => text(address, 'postal_code')).find((value) => value) ?? null,
    ),
    addresses,
    accessibility: ownedList(namespace, 'accessibility', accessibility, { key: 'location_id', id }),
  };
}

function termsOf(namespace: string, raw: Json): TermRecord[] {
  const lists: [string, Json[]][] = [
    ['Categories', objects(raw, 'taxonomies')],
    ['Categories', objects(raw, 'service_taxonomys').map((link) => (isObject(link.taxonomy) ? link.taxonomy : {}))],
    ['SEND needs', objects(raw, 'send_needs')],
    ['Suitabilities', objects(raw, 'suitabilities')],
  ];
  return lists.flatMap(([taxonomyName, items]) =>
    items.flatMap((item) => {
      const name = text(item, 'name');
      const id = idFor(namespace, `term:${taxonomyName}`, item.id ?? name);
      const taxonomyId = idFor(namespace, 'taxonomy', taxonomyName);
      if (!name || !id || !taxonomyId) return [];
      return [
        {
          id,
          name,
          description: '',
          code: text(item, 'slug'),
          termUri: null,
          parentId: idFor(namespace, `term:${taxonomyName}`, item.parent_id ?? item.parent),
          taxonomy: { id: taxonomyId, name: taxonomyName, description: '', uri: null, version: null },
        },
      ];
    }),
  );
}

export function normaliseV1Service(namespace: string, raw: Json): NormalisedRecord {
  const id = idFor(namespace, 'service', raw.id);
  const name = text(raw, 'name');
  const status = statusOf(raw);
  const reasons: string[] = [];
  if (!id) reasons.push('it has no id');
  if (!name) reasons.push('it has no name');
  if (!status) reasons.push(`its status "${String(raw.status)}" is not one we know`);
  const eligibility = objects(raw, 'eligibilitys')[0];
  const minimumAge = wholeNumber(raw, 'min_age') ?? (eligibility ? wholeNumber(eligibility, 'minimum_age') : null);
  const maximumAge = wholeNumber(raw, 'max_age') ?? (eligibility ? wholeNumber(eligibility, 'maximum_age') : null);
  if (minimumAge !== null && maximumAge !== null && minimumAge > maximumAge)
    reasons.push('its minimum age is above its maximum age');
  if (!id || !name || !status || reasons.length > 0) {
    return { rejected: { reference: referenceOf(raw), reasons } };
  }
  const rawOrganization = isObject(raw.organisation)
    ? raw.organisation
    : isObject(raw.organization)
      ? raw.organization
      : null;
  const organizationId = rawOrganization
    ? idFor(namespace, 'organization', rawOrganization.id ?? rawOrganization.name)
    : null;
  const rawLocations = [
    ...objects(raw, 'locations'),
    ...objects(raw, 'service_at_locations').flatMap((link) => (isObject(link.location) ? [link.location] : [])),
  ];
  const locations = rawLocations.flatMap((rawLocation) => {
    const location = locationOf(namespace, rawLocation);
    const linkId = location && idFor(namespace, 'service_at_location', `${id}:${location.id}`);
    return location && linkId ? [{ serviceAtLocationId: linkId, location }] : [];
  });
  const schedules = objects(raw, 'regular_schedules').map((schedule) => ({
    id: schedule.id,
    byday: weekdaysOf(text(schedule, 'weekday') ?? text(schedule, 'byday')).join(','),
    opens_at: text(schedule, 'opens_at'),
    closes_at: text(schedule, 'closes_at'),
    freq: 'WEEKLY',
    description: text(schedule, 'description'),
  }));
  const costOptions = objects(raw, 'cost_options');
  if (raw.free === true && costOptions.length === 0)
    costOptions.push({ id: `${String(raw.id)}:free`, option: 'Free', amount: 0 });
  const terms = termsOf(namespace, raw);
  const classification = classify(terms);
  if (raw.needs_referral === false && !classification.accessRoutes.includes('self_referral'))
    classification.accessRoutes.push('self_referral');
  if (raw.needs_referral === true && !classification.accessRoutes.includes('professional_referral'))
    classification.accessRoutes.push('professional_referral');
  return {
    accepted: acceptedService(namespace, raw, {
      id,
      name,
      status,
      minimumAge,
      maximumAge,
      assurerEmail: null,
      alert: null,
      lastModified: text(raw, 'updated_at') ?? text(raw, 'last_modified'),
      organization:
        rawOrganization && organizationId
          ? {
              id: organizationId,
              name: text(rawOrganization, 'name') ?? name,
              description: plainText(text(rawOrganization, 'description')),
              email: text(rawOrganization, 'email'),
              website: webAddress(rawOrganization, 'url') ?? webAddress(rawOrganization, 'website'),
              logo: text(rawOrganization, 'logo'),
              uri: null,
            }
          : null,
      locations,
      terms,
      ...classification,
      loosePhones: [
        ...(Array.isArray(raw.phones) ? (raw.phones as unknown[]) : []),
        ...rawLocations.flatMap((location) => (Array.isArray(location.phones) ? (location.phones as unknown[]) : [])),
      ],
      owned: {
        schedules,
        serviceAreas: objects(raw, 'service_areas'),
        languages: objects(raw, 'languages'),
        funding: objects(raw, 'fundings'),
        costOptions,
        contacts: objects(raw, 'contacts'),
      },
    }),
  };
}
