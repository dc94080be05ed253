// Checks the administration forms' answers, returning every problem at once for the GOV.UK error summary.
import { ROLES, type Role } from '../../domain/people.ts';
import type { EpisodeTier } from '../../db/schema.ts';
import type { FieldError } from '../../web/errors.ts';
import type { Translate } from '../../web/i18n.ts';

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_EMAIL = 320;
const MAX_NAME = 200;
const MAX_REASON = 2000;

/**
 * A postcode district, the first half of a UK postcode: one or two letters, a digit, then a digit or a letter
 * (BD1, BD10, M1, EC1A). Districts are kept in capitals.
 */
const POSTCODE_DISTRICT = /^[A-Z]{1,2}[0-9][0-9A-Z]?$/;

export function rolesFrom(values: readonly string[]): Role[] {
  return ROLES.filter((role) => values.includes(role));
}

/**
 * The tiers a team can serve: the targeted (short breaks) and specialist (social work) tiers hold episodes; universal
 * is the Local Offer, open to everyone, so a team at that tier, or one holding no episodes, serves 'none'.
 */
export const TEAM_TIERS = ['none', 'targeted', 'specialist'] as const;

export function tierFrom(value: string): EpisodeTier | null | undefined {
  if (value === 'none') return null;
  return value === 'targeted' || value === 'specialist' ? value : undefined;
}

export interface InvitationForm {
  email: string;
  displayName: string;
  roles: Role[];
  teamIds: string[];
  signIn: string;
}

export function validateInvitation(form: InvitationForm, t: Translate): FieldError[] {
  const errors: FieldError[] = [];
  if (form.displayName === '') errors.push({ field: 'displayName', text: t('administration.errors.nameMissing') });
  else if (form.displayName.length > MAX_NAME)
    errors.push({ field: 'displayName', text: t('administration.errors.nameTooLong', { max: MAX_NAME }) });
  if (form.email === '') errors.push({ field: 'email', text: t('administration.errors.emailMissing') });
  else if (form.email.length > MAX_EMAIL || !EMAIL_SHAPE.test(form.email))
    errors.push({ field: 'email', text: t('administration.errors.emailFormat') });
  if (form.roles.length === 0) errors.push({ field: 'roles', text: t('administration.errors.rolesMissing') });
  if (form.signIn !== 'password' && form.signIn !== 'identity-provider')
    errors.push({ field: 'signIn', text: t('administration.errors.signInMissing') });
  return errors;
}

/** A team or locality's name. */
export function validateName(name: string, t: Translate): FieldError[] {
  if (name === '') return [{ field: 'name', text: t('administration.errors.nameMissing') }];
  if (name.length > MAX_NAME)
    return [{ field: 'name', text: t('administration.errors.nameTooLong', { max: MAX_NAME }) }];
  return [];
}

/**
 * Postcode districts as typed ("BD1, bd2 BD3"): separated by commas or spaces, in capitals, each once. Returns the
 * districts and those that are not the shape of a district.
 */
export function readDistricts(typed: string): { districts: string[]; malformed: string[] } {
  const parts = typed
    .toUpperCase()
    .split(/[\s,]+/)
    .filter((part) => part !== '');
  const unique = [...new Set(parts)];
  return {
    districts: unique.filter((part) => POSTCODE_DISTRICT.test(part)),
    malformed: unique.filter((part) => !POSTCODE_DISTRICT.test(part)),
  };
}

export function validateDistricts(
  read: { districts: string[]; malformed: string[] },
  elsewhere: readonly { district: string; locality: string }[],
  t: Translate,
): FieldError[] {
  if (read.malformed.length > 0)
    return [
      {
        field: 'postcodeDistricts',
        text: t('administration.errors.districtFormat', { districts: read.malformed.join(', ') }),
      },
    ];
  if (read.districts.length === 0)
    return [{ field: 'postcodeDistricts', text: t('administration.errors.districtsMissing') }];
  return elsewhere.map((clash) => ({
    field: 'postcodeDistricts',
    text: t('administration.errors.districtTaken', { district: clash.district, locality: clash.locality }),
  }));
}

export interface SettingChangeForm {
  value: string;
  day: string;
  month: string;
  year: string;
  reason: string;
}

/** A setting's new value within its limits, from a date that is today or later, with a reason. */
export function validateSettingChange(
  form: SettingChangeForm,
  limits: { min: number; max: number },
  today: string,
  t: Translate,
): { errors: FieldError[]; value?: number; effectiveFrom?: string } {
  const errors: FieldError[] = [];
  const value = /^\d+$/.test(form.value.replace(/,/g, '')) ? Number(form.value.replace(/,/g, '')) : NaN;
  if (form.value === '') errors.push({ field: 'value', text: t('administration.errors.valueMissing') });
  else if (!Number.isInteger(value) || value < limits.min || value > limits.max)
    errors.push({
      field: 'value',
      text: t('administration.errors.valueRange', {
        min: limits.min.toLocaleString('en-GB'),
        max: limits.max.toLocaleString('en-GB'),
      }),
    });
  const effectiveFrom = isoDateOf(form.day, form.month, form.year);
  if (form.day === '' && form.month === '' && form.year === '')
    errors.push({ field: 'effectiveFrom-day', text: t('administration.errors.dateMissing') });
  else if (!effectiveFrom) errors.push({ field: 'effectiveFrom-day', text: t('administration.errors.dateReal') });
  else if (effectiveFrom < today)
    errors.push({ field: 'effectiveFrom-day', text: t('administration.errors.dateInPast') });
  if (form.reason === '') errors.push({ field: 'reason', text: t('administration.errors.reasonMissing') });
  else if (form.reason.length > MAX_REASON)
    errors.push({ field: 'reason', text: t('administration.errors.reasonTooLong', { max: MAX_REASON }) });
  if (errors.length > 0 || !effectiveFrom) return { errors };
  return { errors, value, effectiveFrom };
}

/** A real calendar date from the GOV.UK date input's three fields, as YYYY-MM-DD. */
function isoDateOf(day: string, month: string, year: string): string | undefined {
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return undefined;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCDate() !== Number(day) || date.getUTCMonth() !== Number(month) - 1) return undefined;
  return date.toISOString().slice(0, 10);
}

/** A telephone number as people write one: digits, spaces, a leading +, brackets and hyphens. */
const PHONE_SHAPE = /^\+?[0-9][0-9 ()-]{5,28}$/;

/** The front door's contact details: each may be left empty, and each given is of its kind. */
export function validateCouncilContact(form: { phone: string; email: string }, t: Translate): FieldError[] {
  const errors: FieldError[] = [];
  if (form.phone !== '' && !PHONE_SHAPE.test(form.phone))
    errors.push({ field: 'phone', text: t('administration.council.errors.phone') });
  if (form.email !== '' && (form.email.length > 320 || !EMAIL_SHAPE.test(form.email)))
    errors.push({ field: 'email', text: t('administration.council.errors.email') });
  return errors;
}
