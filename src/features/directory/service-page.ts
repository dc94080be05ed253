// What a parent sees about one service, in plain words: what, who for, where, when, cost, how to get it, when checked.
import type { AccessRoute, SendNeed } from '../../domain/local-offer.ts';
import { REVIEW_MONTHS, weekdaysOf } from '../../domain/local-offer.ts';
import type { Translate } from '../../web/i18n.ts';
import { absoluteUrl } from './oruk-shape.ts';
import type { FullService } from './read.ts';

/** The date an entry should next be checked: its review-by date, or six months after it was last checked. */
export function reviewDue(service: {
  review_by: string | null;
  assured_date: string | null;
  last_modified: Date;
}): string {
  if (service.review_by) return service.review_by;
  const checked = service.assured_date ? new Date(`${service.assured_date}T12:00:00Z`) : service.last_modified;
  const due = new Date(checked);
  due.setUTCMonth(due.getUTCMonth() + REVIEW_MONTHS);
  return due.toISOString().slice(0, 10);
}

export function isStale(
  service: { review_by: string | null; assured_date: string | null; last_modified: Date },
  today = new Date(),
): boolean {
  return reviewDue(service) < today.toISOString().slice(0, 10);
}

export function agesText(t: Translate, minimum: number | null, maximum: number | null): string {
  if (minimum !== null && maximum !== null) return t('directory.ages', { min: minimum, max: maximum });
  if (minimum !== null) return t('directory.agesFrom', { min: minimum });
  if (maximum !== null) return t('directory.agesTo', { max: maximum });
  return t('directory.allAges');
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/**
 * A phone number as a `tel:` address: its digits (and a leading +) up to any extension, without the "(0)" British
 * numbers write after +44. Null when too few digits are left to dial.
 */
export function telHref(number: string): string | null {
  const dialled = number.split(/[a-z]/i)[0]!;
  const international = dialled.trim().startsWith('+');
  const digits = (international ? dialled.replace(/\(0\)/g, '') : dialled).replace(/\D/g, '');
  return digits.length >= 3 ? `tel:${international ? '+' : ''}${digits}` : null;
}

/** Every phone number of the service's contacts, each once, with what it is for when the feed said. */
function phonesOf(contacts: Record<string, unknown>[]): { number: string; href: string; description: string }[] {
  const seen = new Set<string>();
  return contacts.flatMap((contact) =>
    (Array.isArray(contact.phones) ? (contact.phones as Record<string, unknown>[]) : []).flatMap((phone) => {
      const number = textOf(phone.number).trim();
      const href = telHref(number);
      if (!href || seen.has(href)) return [];
      seen.add(href);
      return [{ number, href, description: textOf(phone.description) }];
    }),
  );
}

export function servicePage(service: FullService, t: Translate) {
  const { row } = service;
  const addresses = service.locations.map((location) => {
    const address = location.addresses[0] ?? {};
    const lines = [location.name, textOf(address.address_1), textOf(address.city), textOf(address.postal_code)].filter(
      (line) => line,
    );
    return {
      lines: [...new Set(lines)],
      accessibility: location.accessibility.map((item) => textOf(item.description)).filter((text) => text),
    };
  });
  const schedules = row.schedules.map((schedule) => {
    const days = weekdaysOf(textOf(schedule.byday)).map((day) => t(`directory.weekdays.${day}`));
    const times =
      schedule.opens_at && schedule.closes_at
        ? t('directory.timeRange', {
            opens: textOf(schedule.opens_at).slice(0, 5),
            closes: textOf(schedule.closes_at).slice(0, 5),
          })
        : '';
    return [days.join(', '), times, textOf(schedule.description)].filter((part) => part).join(': ');
  });
  const costs = row.cost_options.map((option) => {
    const amount =
      typeof option.amount === 'number'
        ? option.amount === 0
          ? t('directory.free')
          : `£${option.amount.toFixed(2)}`
        : '';
    const parts = [textOf(option.option), amount, textOf(option.amount_description)].filter((part) => part);
    // Feeds often say "Free" three ways; say it once.
    return parts
      .filter((part, index) => parts.findIndex((other) => other.toLowerCase() === part.toLowerCase()) === index)
      .join(' – ');
  });
  const contacts = row.contacts
    .map((contact) => [textOf(contact.name), textOf(contact.title)].filter((part) => part).join(', '))
    .filter((line) => line);
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    organizationName: typeof service.organization?.name === 'string' ? service.organization.name : null,
    paragraphs: row.description.split(/\n{2,}/).filter((paragraph) => paragraph.trim()),
    ages: agesText(t, row.minimum_age, row.maximum_age),
    needs: (row.send_needs as SendNeed[]).map((need) => t(`directory.needs.${need}`)),
    addresses,
    schedules,
    costs,
    accessRoutes: (row.access_routes as AccessRoute[]).map((route) => t(`directory.accessRoutes.${route}`)),
    // Only a web address is a link, whatever an earlier import stored.
    url: absoluteUrl(row.url) ?? null,
    email: row.email,
    contacts,
    phones: phonesOf(row.contacts),
    lastChecked: row.assured_date ?? row.last_modified.toISOString().slice(0, 10),
    stale: isStale(row),
    categories: service.terms
      .filter((term) => !/need|access|referr|suitab/i.test(term.taxonomy_name ?? ''))
      .map((term) => term.name),
  };
}
