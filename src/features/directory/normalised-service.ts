// What both Open Referral readers (1.0 in normalise-v1.ts, 3.0 in normalise-v3.ts) do once each has found a
// service's parts its own way: take the fields both versions name alike, give the lists the service owns stable
// ids, and read its needs and access routes from its terms.
import { idFor, isObject, plainText, text, webAddress } from './feed-values.ts';
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
  /**
   * Phone numbers the feed gave outside any contact: on the service itself or on its places (`phones[]`). They are
   * kept as one contact of the service's own, as HSDS 3.0 keeps a number (`contact.phones[]`), so a family sees
   * every number the feed had.
   */
  loosePhones: unknown[];
}

/** The most a phone number may hold: a number, an extension and a few words. */
const PHONE_LENGTH = 60;

/**
 * One phone number as a feed gives it: an object with `number` (3.0 and 1.0 `phones[]`) or plain text (Outpost's
 * `contact.phone`). Null unless it holds a few digits.
 */
function phoneOf(value: unknown): { id: unknown; number: string; description: string | null } | null {
  const raw = isObject(value) ? value : { number: value };
  const number = typeof raw.number === 'string' ? raw.number.replace(/\s+/g, ' ').trim() : '';
  if (number.length > PHONE_LENGTH || (number.match(/\d/g) ?? []).length < 3) return null;
  const description = isObject(value) ? (text(value, 'description') ?? text(value, 'title')) : null;
  return { id: raw.id, number, description };
}

/** A contact's phone numbers in the standard's shape, each number once. */
function phonesOf(namespace: string, contactId: unknown, values: unknown[]): Json[] {
  const seen = new Set<string>();
  return values.flatMap((value, index) => {
    const phone = phoneOf(value);
    const digits = phone?.number.replace(/\D/g, '');
    if (!phone || !digits || seen.has(digits)) return [];
    seen.add(digits);
    const id = idFor(namespace, 'phone', phone.id) ?? idFor(namespace, 'phone', `${String(contactId)}:${index}`);
    return [
      {
        id,
        contact_id: contactId,
        number: phone.number,
        ...(phone.description ? { description: phone.description } : {}),
      },
    ];
  });
}

/**
 * The service's contacts with their phone numbers (3.0 and 1.0 `phones[]`, Outpost's `phone`), and the numbers
 * the feed gave elsewhere as one more contact, so none is lost on import.
 */
function contactsOf(
  namespace: string,
  rawContacts: Json[],
  loosePhones: unknown[],
  owner: { key: string; id: string },
) {
  const contacts = ownedList(namespace, 'contact', rawContacts, owner).map((contact, index) => {
    const raw = rawContacts[index] ?? {};
    const phones = phonesOf(namespace, contact.id, [
      ...(Array.isArray(raw.phones) ? (raw.phones as unknown[]) : []),
      ...(raw.phone === undefined ? [] : [raw.phone]),
    ]);
    return phones.length > 0 ? { ...contact, phones } : contact;
  });
  const known = new Set(
    contacts.flatMap((contact) =>
      Array.isArray(contact.phones)
        ? (contact.phones as Json[]).map((phone) => String(phone.number).replace(/\D/g, ''))
        : [],
    ),
  );
  const id = idFor(namespace, 'contact', `${owner.id}:phones`);
  const loose = phonesOf(namespace, id, loosePhones).filter(
    (phone) => !known.has(String(phone.number).replace(/\D/g, '')),
  );
  return loose.length > 0 ? [...contacts, { id, [owner.key]: owner.id, phones: loose }] : contacts;
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
    contacts: contactsOf(namespace, parts.owned.contacts, parts.loosePhones, owner),
    terms: parts.terms,
    sendNeeds: parts.sendNeeds,
    accessRoutes: parts.accessRoutes,
  };
}
