// Reads an Open Referral UK 3.0 service (as /services/{id} returns it) into the directory's write model.
import { accessRouteOf, sendNeedOf, type AccessRoute, type SendNeed } from '../../domain/local-offer.ts';
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
import { acceptedService } from './normalised-service.ts';
import type { Json, LocationRecord, NormalisedRecord, ServiceStatus, TermRecord } from './records.ts';

const STATUSES: ServiceStatus[] = ['active', 'inactive', 'defunct', 'temporarily closed'];

/** Taxonomies whose terms say which needs a service supports. */
export const NEEDS_TAXONOMY = /send|need|condition|disabilit|suitabilit/i;
/** Taxonomies whose terms say how a family gets a service. */
export const ACCESS_TAXONOMY = /access|referr|route/i;

/** Some feeds write -1 for "no limit". */
function ageLimit(raw: Json, key: string): number | null {
  const age = wholeNumber(raw, key);
  return age !== null && age < 0 ? null : age;
}

function termOf(namespace: string, attribute: Json): TermRecord | null {
  const term = isObject(attribute.taxonomy_term) ? attribute.taxonomy_term : null;
  if (!term) return null;
  const id = idFor(namespace, 'term', term.id ?? attribute.taxonomy_term_id);
  const name = text(term, 'name');
  if (!id || !name) return null;
  const detail = isObject(term.taxonomy_detail) ? term.taxonomy_detail : null;
  const taxonomyName = text(term, 'taxonomy') ?? (detail && text(detail, 'name'));
  const taxonomyId = idFor(namespace, 'taxonomy', term.taxonomy_id ?? detail?.id ?? taxonomyName);
  return {
    id,
    name,
    description: text(term, 'description') ?? '',
    code: text(term, 'term') ?? text(term, 'code'),
    termUri: text(term, 'term_uri'),
    parentId: idFor(namespace, 'term', term.parent_id),
    taxonomy:
      taxonomyId && taxonomyName
        ? {
            id: taxonomyId,
            name: taxonomyName,
            description: (detail && text(detail, 'description')) ?? '',
            uri: detail && text(detail, 'uri'),
            version: detail && text(detail, 'version'),
          }
        : null,
  };
}

function locationOf(namespace: string, raw: Json): LocationRecord | null {
  const id = idFor(namespace, 'location', raw.id);
  if (!id) return null;
  const addresses = ownedList(namespace, 'address', objects(raw, 'addresses'), { key: 'location_id', id });
  const postcode = normalisePostcode(
    addresses.map((address) => text(address, 'postal_code')).find((value) => value !== null) ?? null,
  );
  return {
    id,
    name: text(raw, 'name'),
    description: text(raw, 'description'),
    locationType: text(raw, 'location_type') ?? 'physical',
    latitude: decimal(raw, 'latitude'),
    longitude: decimal(raw, 'longitude'),
    postcode,
    addresses,
    accessibility: ownedList(namespace, 'accessibility', objects(raw, 'accessibility'), { key: 'location_id', id }),
  };
}

export function classify(terms: TermRecord[]): { sendNeeds: SendNeed[]; accessRoutes: AccessRoute[] } {
  const sendNeeds = new Set<SendNeed>();
  const accessRoutes = new Set<AccessRoute>();
  for (const term of terms) {
    const taxonomy = term.taxonomy?.name ?? '';
    if (NEEDS_TAXONOMY.test(taxonomy)) {
      const need = sendNeedOf(term.name);
      if (need) sendNeeds.add(need);
    }
    if (ACCESS_TAXONOMY.test(taxonomy)) {
      const route = accessRouteOf(term.name);
      if (route) accessRoutes.add(route);
    }
  }
  return { sendNeeds: [...sendNeeds], accessRoutes: [...accessRoutes] };
}

export function normaliseV3Service(namespace: string, raw: Json): NormalisedRecord {
  const reasons: string[] = [];
  const id = idFor(namespace, 'service', raw.id);
  const name = text(raw, 'name');
  const status = text(raw, 'status')?.toLowerCase() as ServiceStatus | undefined;
  if (!id) reasons.push('it has no id');
  if (!name) reasons.push('it has no name');
  if (!status) reasons.push('it has no status');
  else if (!STATUSES.includes(status)) reasons.push(`its status "${status}" is not one of ${STATUSES.join(', ')}`);
  const minimumAge = ageLimit(raw, 'minimum_age');
  const maximumAge = ageLimit(raw, 'maximum_age');
  if (minimumAge !== null && (minimumAge < 0 || minimumAge > 130)) reasons.push('its minimum age is not a real age');
  if (maximumAge !== null && (maximumAge < 0 || maximumAge > 130)) reasons.push('its maximum age is not a real age');
  if (minimumAge !== null && maximumAge !== null && minimumAge > maximumAge)
    reasons.push('its minimum age is above its maximum age');
  if (!id || !name || !status || reasons.length > 0) {
    return { rejected: { reference: referenceOf(raw), reasons } };
  }

  const rawOrganization = isObject(raw.organization) ? raw.organization : null;
  const organizationId = idFor(namespace, 'organization', rawOrganization?.id ?? raw.organization_id);
  const organization =
    organizationId && rawOrganization && text(rawOrganization, 'name')
      ? {
          id: organizationId,
          name: text(rawOrganization, 'name') ?? '',
          description: plainText(text(rawOrganization, 'description')),
          email: text(rawOrganization, 'email'),
          website: webAddress(rawOrganization, 'website') ?? webAddress(rawOrganization, 'url'),
          logo: text(rawOrganization, 'logo'),
          uri: text(rawOrganization, 'uri'),
        }
      : null;

  const locations = objects(raw, 'service_at_locations').flatMap((link) => {
    const location = isObject(link.location) ? locationOf(namespace, link.location) : null;
    const serviceAtLocationId =
      idFor(namespace, 'service_at_location', link.id) ??
      (location && idFor(namespace, 'service_at_location', `${id}:${location.id}`));
    return location && serviceAtLocationId ? [{ serviceAtLocationId, location }] : [];
  });
  const terms = objects(raw, 'attributes').flatMap((attribute) => termOf(namespace, attribute) ?? []);
  return {
    accepted: acceptedService(namespace, raw, {
      id,
      name,
      status,
      minimumAge,
      maximumAge,
      assurerEmail: text(raw, 'assurer_email'),
      alert: text(raw, 'alert'),
      lastModified: text(raw, 'last_modified'),
      organization,
      locations,
      terms,
      ...classify(terms),
      loosePhones: [
        ...(Array.isArray(raw.phones) ? (raw.phones as unknown[]) : []),
        ...objects(raw, 'service_at_locations').flatMap((link) =>
          isObject(link.location) && Array.isArray(link.location.phones) ? (link.location.phones as unknown[]) : [],
        ),
      ],
      owned: {
        schedules: objects(raw, 'schedules'),
        serviceAreas: objects(raw, 'service_areas'),
        languages: objects(raw, 'languages'),
        funding: objects(raw, 'funding'),
        costOptions: objects(raw, 'cost_options'),
        contacts: objects(raw, 'contacts'),
      },
    }),
  };
}
