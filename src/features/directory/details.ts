// The details of a service that providers and editors keep up to date in Pathway: read from a stored service,
// read and checked from the edit form, compared for the editor's diff, and turned back into service columns.
import {
  ACCESS_ROUTES,
  SEND_NEEDS,
  WEEKDAYS,
  type AccessRoute,
  type SendNeed,
  type Weekday,
} from '../../domain/local-offer.ts';
import type { Updateable } from 'kysely';
import type { ServicesTable } from '../../db/schema.ts';
import type { FieldError } from '../../web/errors.ts';
import type { Translate } from '../../web/i18n.ts';
import type { Json, ServiceStatus } from './records.ts';

export const STATUSES: ServiceStatus[] = ['active', 'temporarily closed', 'inactive', 'defunct'];
export const COST_KINDS = ['free', 'paid', 'unknown'] as const;
export type CostKind = (typeof COST_KINDS)[number];

export interface ServiceDetails {
  name: string;
  description: string;
  status: ServiceStatus;
  minimumAge: number | null;
  maximumAge: number | null;
  sendNeeds: SendNeed[];
  accessRoutes: AccessRoute[];
  days: Weekday[];
  /** When it runs, in words: "10:00 to 15:00", "Term time only". */
  hours: string;
  costKind: CostKind;
  /** What it costs, in words: "£8 a session". */
  cost: string;
  url: string | null;
  email: string | null;
}

export const DETAIL_FIELDS = [
  'name',
  'description',
  'status',
  'minimumAge',
  'maximumAge',
  'sendNeeds',
  'accessRoutes',
  'days',
  'hours',
  'costKind',
  'cost',
  'url',
  'email',
] as const satisfies readonly (keyof ServiceDetails)[];

/** The columns details come from. */
export interface ServiceColumns {
  name: string;
  description: string;
  status: ServiceStatus;
  minimum_age: number | null;
  maximum_age: number | null;
  send_needs: string[];
  access_routes: string[];
  open_days: string[];
  schedules: Json[];
  cost_options: Json[];
  is_free: boolean | null;
  fees: string | null;
  url: string | null;
  email: string | null;
}

const textOf = (value: unknown) => (typeof value === 'string' ? value : '');

function hoursOf(schedules: Json[]): string {
  const first = schedules[0];
  if (!first) return '';
  const opens = textOf(first.opens_at).slice(0, 5);
  const closes = textOf(first.closes_at).slice(0, 5);
  return opens && closes ? `${opens} to ${closes}` : textOf(first.description);
}

function costOf(row: ServiceColumns): string {
  const described = row.cost_options
    .map((option) =>
      [textOf(option.option), typeof option.amount === 'number' && option.amount > 0 ? `£${option.amount}` : '']
        .filter((part) => part)
        .join(' '),
    )
    .filter((text) => text);
  return described.length > 0 ? described.join('; ') : (row.fees ?? '');
}

export function detailsOf(row: ServiceColumns): ServiceDetails {
  return {
    name: row.name,
    description: row.description,
    status: row.status,
    minimumAge: row.minimum_age,
    maximumAge: row.maximum_age,
    sendNeeds: SEND_NEEDS.filter((need) => row.send_needs.includes(need)),
    accessRoutes: ACCESS_ROUTES.filter((route) => row.access_routes.includes(route)),
    days: WEEKDAYS.filter((day) => row.open_days.includes(day)),
    hours: hoursOf(row.schedules),
    costKind: row.is_free === true ? 'free' : row.is_free === false ? 'paid' : 'unknown',
    cost: costOf(row),
    url: row.url,
    email: row.email,
  };
}

/** Stored details (a version or a proposed change) as the current shape, whatever was saved. */
export function storedDetails(value: Record<string, unknown>): ServiceDetails {
  return value as unknown as ServiceDetails;
}

export type DetailsForm = Record<(typeof DETAIL_FIELDS)[number], string | string[]>;

function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' && value !== '' ? [value] : [];
}

function trimmed(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** The form as typed, so it can be shown again with errors. */
export function readDetailsForm(body: unknown): DetailsForm {
  const fields = (body ?? {}) as Record<string, unknown>;
  return {
    name: trimmed(fields.name),
    description: trimmed(fields.description),
    status: trimmed(fields.status),
    minimumAge: trimmed(fields.minimumAge),
    maximumAge: trimmed(fields.maximumAge),
    sendNeeds: listOf(fields.sendNeeds),
    accessRoutes: listOf(fields.accessRoutes),
    days: listOf(fields.days),
    hours: trimmed(fields.hours),
    costKind: trimmed(fields.costKind),
    cost: trimmed(fields.cost),
    url: trimmed(fields.url),
    email: trimmed(fields.email),
  };
}

export function formOf(details: ServiceDetails): DetailsForm {
  return {
    ...details,
    minimumAge: details.minimumAge === null ? '' : String(details.minimumAge),
    maximumAge: details.maximumAge === null ? '' : String(details.maximumAge),
    url: details.url ?? '',
    email: details.email ?? '',
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LIMITS = { name: 200, description: 5000, hours: 200, cost: 200, url: 500, email: 320 } as const;

function ageOf(text: string): number | null | undefined {
  if (text === '') return null;
  if (!/^\d{1,3}$/.test(text)) return undefined;
  const age = Number(text);
  return age <= 130 ? age : undefined;
}

/** Checks the form; returns the details when it is right, or field errors in the order the fields appear. */
export function validateDetailsForm(
  form: DetailsForm,
  t: Translate,
): { details: ServiceDetails; errors: [] } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const text = (field: keyof typeof LIMITS) => (typeof form[field] === 'string' ? form[field] : '');
  const error = (field: string, key: string) => errors.push({ field, text: t(`manage.errors.${key}`) });
  if (text('name') === '') error('name', 'nameMissing');
  else if (text('name').length > LIMITS.name) error('name', 'nameTooLong');
  if (text('description') === '') error('description', 'descriptionMissing');
  else if (text('description').length > LIMITS.description) error('description', 'descriptionTooLong');
  const status = STATUSES.find((candidate) => candidate === form.status);
  if (!status) error('status', 'statusMissing');
  const minimumAge = ageOf(typeof form.minimumAge === 'string' ? form.minimumAge : '');
  const maximumAge = ageOf(typeof form.maximumAge === 'string' ? form.maximumAge : '');
  if (minimumAge === undefined) error('minimumAge', 'ageFormat');
  if (maximumAge === undefined) error('maximumAge', 'ageFormat');
  if (typeof minimumAge === 'number' && typeof maximumAge === 'number' && minimumAge > maximumAge)
    error('maximumAge', 'agesOrder');
  const sendNeeds = listOf(form.sendNeeds);
  const accessRoutes = listOf(form.accessRoutes);
  const days = listOf(form.days);
  if (sendNeeds.some((need) => !(SEND_NEEDS as readonly string[]).includes(need))) error('sendNeeds', 'choice');
  if (accessRoutes.some((route) => !(ACCESS_ROUTES as readonly string[]).includes(route)))
    error('accessRoutes', 'choice');
  if (days.some((day) => !(WEEKDAYS as readonly string[]).includes(day))) error('days', 'choice');
  if (text('hours').length > LIMITS.hours) error('hours', 'hoursTooLong');
  const costKind = COST_KINDS.find((candidate) => candidate === form.costKind);
  if (!costKind) error('costKind', 'costKindMissing');
  if (text('cost').length > LIMITS.cost) error('cost', 'costTooLong');
  if (text('url') !== '' && (text('url').length > LIMITS.url || !/^https?:\/\/[^\s]+\.[^\s]+$/i.test(text('url'))))
    error('url', 'urlFormat');
  if (text('email') !== '' && (text('email').length > LIMITS.email || !EMAIL.test(text('email'))))
    error('email', 'emailFormat');
  if (errors.length > 0 || !status || !costKind || minimumAge === undefined || maximumAge === undefined) {
    return { errors };
  }
  return {
    errors: [],
    details: {
      name: text('name'),
      description: text('description'),
      status,
      minimumAge,
      maximumAge,
      sendNeeds: SEND_NEEDS.filter((need) => sendNeeds.includes(need)),
      accessRoutes: ACCESS_ROUTES.filter((route) => accessRoutes.includes(route)),
      days: WEEKDAYS.filter((day) => days.includes(day)),
      hours: text('hours'),
      costKind,
      cost: text('cost'),
      url: text('url') || null,
      email: text('email') || null,
    },
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** One line of the editor's diff: a field, what it says now and what it would say. */
export interface DetailChange {
  field: (typeof DETAIL_FIELDS)[number];
  label: string;
  before: string;
  after: string;
}

export function describeDetail(field: (typeof DETAIL_FIELDS)[number], details: ServiceDetails, t: Translate): string {
  const value = details[field];
  switch (field) {
    case 'sendNeeds':
      return details.sendNeeds.map((need) => t(`directory.needs.${need}`)).join(', ');
    case 'accessRoutes':
      return details.accessRoutes.map((route) => t(`directory.accessRoutes.${route}`)).join(', ');
    case 'days':
      return details.days.map((day) => t(`directory.weekdays.${day}`)).join(', ');
    case 'status':
      return t(`manage.statuses.${details.status.replace(' ', '_')}`);
    case 'costKind':
      return t(`manage.costKinds.${details.costKind}`);
    default:
      return value === null ? '' : String(value);
  }
}

export function diffDetails(before: ServiceDetails, after: ServiceDetails, t: Translate): DetailChange[] {
  return DETAIL_FIELDS.filter((field) => !same(before[field], after[field])).map((field) => ({
    field,
    label: t(`manage.fields.${field}`),
    before: describeDetail(field, before, t),
    after: describeDetail(field, after, t),
  }));
}

/**
 * The service columns to write for new details. Schedules and prices are only rewritten when their words
 * changed, so the richer detail an imported feed gave (several sessions, several prices) is kept otherwise.
 */
export function columnsFor(
  serviceId: string,
  current: ServiceDetails,
  next: ServiceDetails,
): Updateable<ServicesTable> {
  const columns: Updateable<ServicesTable> = {
    name: next.name,
    description: next.description,
    status: next.status,
    minimum_age: next.minimumAge,
    maximum_age: next.maximumAge,
    send_needs: next.sendNeeds,
    access_routes: next.accessRoutes,
    url: next.url,
    email: next.email,
  };
  if (!same(current.days, next.days) || current.hours !== next.hours) {
    columns.open_days = next.days;
    columns.schedules = JSON.stringify(
      next.days.length > 0 || next.hours
        ? [
            {
              id: `${serviceId.slice(0, 24)}${'0'.repeat(12)}`,
              service_id: serviceId,
              freq: 'WEEKLY',
              byday: next.days.join(','),
              description: next.hours,
            },
          ]
        : [],
    );
  }
  if (current.costKind !== next.costKind || current.cost !== next.cost) {
    columns.is_free = next.costKind === 'free' ? true : next.costKind === 'paid' ? false : null;
    columns.fees = next.cost || null;
    columns.cost_options = JSON.stringify(
      next.costKind === 'unknown'
        ? []
        : [
            {
              id: `${serviceId.slice(0, 24)}${'1'.repeat(12)}`,
              service_id: serviceId,
              option: next.cost || (next.costKind === 'free' ? 'Free' : 'Charged'),
              ...(next.costKind === 'free' ? { amount: 0 } : {}),
            },
          ],
    );
  }
  return columns;
}
