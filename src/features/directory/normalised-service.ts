// What both Open Referral readers (1.0 in normalise-v1.ts, 3.0 in normalise-v3.ts) do once each has found a
// service's parts its own way: take the fields both versions name alike, give the lists the service owns stable
// ids, and read its needs and access routes from its terms.
import { plainText, text, webAddress } from './feed-values.ts';
import { ownedList } from './owned-lists.ts';
import type { Json, ServiceRecord } from './records.ts';

/** The parts whose names or shapes differ between the versions, as each reader found them. */
export interface ServiceParts extends Pick<
  ServiceRecord,
  | 'id'
  | 'name'
  | 'status'
  | 'minimumAge'
  | 'maximumAge'
  | 'assurerEmail'
  | 'alert'
  | 'organization'
  | 'locations'
  | 'terms'
  | 'sendNeeds'
  | 'accessRoutes'
> {
  /** The feed's own "last changed" timestamp, if it gave one. */
  lastModified: string | null;
  /** The lists the service owns, as the feed gave them, before they are given stable ids. */
  owned: Pick<ServiceRecord, 'schedules' | 'serviceAreas' | 'languages' | 'funding' | 'costOptions' | 'contacts'>;
}

export function acceptedService(namespace: string, raw: Json, parts: ServiceParts): ServiceRecord {
  const owner = { key: 'service_id', id: parts.id };
  const lastModified = parts.lastModified ? new Date(parts.lastModified) : new Date();
  return {
    id: parts.id,
    name: parts.name,
    description: plainText(text(raw, 'description')),
    url: webAddress(raw, 'url'),
    email: text(raw, 'email'),
    status: parts.status,
    fees: text(raw, 'fees'),
    accreditations: text(raw, 'accreditations'),
    minimumAge: parts.minimumAge,
    maximumAge: parts.maximumAge,
    assuredDate: text(raw, 'assured_date')?.slice(0, 10) ?? null,
    assurerEmail: parts.assurerEmail,
    alert: parts.alert,
    lastModified: Number.isNaN(lastModified.getTime()) ? new Date() : lastModified,
    organization: parts.organization,
    locations: parts.locations,
    schedules: ownedList(namespace, 'schedule', parts.owned.schedules, owner),
    serviceAreas: ownedList(namespace, 'service_area', parts.owned.serviceAreas, owner),
    languages: ownedList(namespace, 'language', parts.owned.languages, owner),
    funding: ownedList(namespace, 'funding', parts.owned.funding, owner),
    costOptions: ownedList(namespace, 'cost_option', parts.owned.costOptions, owner),
    contacts: ownedList(namespace, 'contact', parts.owned.contacts, owner),
    terms: parts.terms,
    sendNeeds: parts.sendNeeds,
    accessRoutes: parts.accessRoutes,
  };
}
