// A service's small lists (schedules, cost options, …) kept in Open Referral UK's own shape: only the fields
// the standard declares, of the right type, each with a UUID and a link to its parent, so what we publish validates.
import { idFor, isObject } from './feed-values.ts';
import type { Json } from './records.ts';

type FieldType = 'string' | 'number' | 'array';

const FIELDS = {
  schedule: {
    valid_from: 'string',
    valid_to: 'string',
    dtstart: 'string',
    freq: 'string',
    interval: 'number',
    byday: 'string',
    bymonthday: 'string',
    description: 'string',
    opens_at: 'string',
    closes_at: 'string',
    schedule_link: 'string',
    attending_type: 'string',
    notes: 'string',
  },
  cost_option: {
    valid_from: 'string',
    valid_to: 'string',
    option: 'string',
    amount: 'number',
    amount_description: 'string',
  },
  contact: { name: 'string', title: 'string' },
  service_area: { name: 'string', extent: 'string', extent_type: 'string', uri: 'string', service_area: 'string' },
  language: { name: 'string', code: 'string', note: 'string' },
  funding: { source: 'string' },
  address: {
    attention: 'string',
    address_1: 'string',
    city: 'string',
    region: 'string',
    state_province: 'string',
    postal_code: 'string',
    country: 'string',
    address_type: 'string',
  },
  accessibility: { description: 'string', details: 'string', url: 'string', accessibility: 'string' },
} satisfies Record<string, Record<string, FieldType>>;

export type OwnedKind = keyof typeof FIELDS;

/** Fields the standard requires on an address, filled with empty text when a feed leaves them out. */
const REQUIRED_ADDRESS_FIELDS = ['address_1', 'city', 'state_province', 'postal_code', 'country', 'address_type'];

function valueOf(value: unknown, type: FieldType): unknown {
  if (type === 'string') {
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    return undefined;
  }
  if (type === 'number') {
    const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : undefined;
  }
  return Array.isArray(value) ? value : undefined;
}

export function ownedList(
  namespace: string,
  kind: OwnedKind,
  items: Json[],
  parent: { key: string; id: string },
): Json[] {
  const fields: Record<string, FieldType> = FIELDS[kind];
  return items.flatMap((item, index) => {
    if (!isObject(item)) return [];
    const id = idFor(namespace, kind, item.id) ?? idFor(namespace, kind, `${parent.id}:${index}`);
    const kept: Json = { id, [parent.key]: parent.id };
    for (const [key, type] of Object.entries(fields)) {
      const value = valueOf(item[key], type);
      if (value !== undefined) kept[key] = value;
    }
    if (kind === 'address') {
      for (const key of REQUIRED_ADDRESS_FIELDS)
        kept[key] ??= key === 'country' ? 'GB' : key === 'address_type' ? 'physical' : '';
    }
    return [kept];
  });
}
