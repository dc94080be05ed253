// Working days for statutory clocks: Monday to Friday, less England and Wales bank holidays.
// Dates are calendar dates as YYYY-MM-DD text, worked on as whole days since 1970-01-01 (UTC), so no
// clock change or time zone can move a deadline.
import bankHolidays from './bank-holidays-england-and-wales.json' with { type: 'json' };

export type IsoDate = string;

export interface BankHolidayCalendar {
  isBankHoliday(date: IsoDate): boolean;
  /** Sorted day numbers of the holidays that fall on weekdays. */
  readonly weekdayHolidays: readonly number[];
  readonly coveredYears: { first: number; last: number };
}

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Checks a date strictly: a real calendar date in YYYY-MM-DD form, or a RangeError. */
export function parseIsoDate(text: string): IsoDate {
  dayNumber(text);
  return text;
}

/** Whole days since 1970-01-01 of a date checked as parseIsoDate checks it. */
function dayNumber(date: IsoDate): number {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`"${date}" is not a date in the form YYYY-MM-DD`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const utc = new Date(Date.UTC(year, month - 1, day));
  if (utc.getUTCFullYear() !== year || utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day) {
    throw new RangeError(`"${date}" is not a real date`);
  }
  return utc.getTime() / MS_PER_DAY;
}

function fromDayNumber(day: number): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

function yearOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** 1970-01-01 was a Thursday; 0 is Monday … 6 is Sunday. */
function weekdayIndex(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

function isWeekend(day: number): boolean {
  return weekdayIndex(day) >= 5;
}

/** Monday-to-Friday days before `day`, counted from Monday 1969-12-29 (so differences are exact). */
function weekdaysBefore(day: number): number {
  const sinceMonday = day + 3;
  const weeks = Math.floor(sinceMonday / 7);
  return weeks * 5 + Math.min(sinceMonday - weeks * 7, 5);
}

/** How many of the sorted values are ≤ limit. */
function countAtOrBelow(sorted: readonly number[], limit: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    const value = sorted[middle];
    if (value !== undefined && value <= limit) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function calendarFromDates(
  dates: IsoDate[],
  coveredYears?: { first: number; last: number },
): BankHolidayCalendar {
  const days = [...new Set(dates.map(dayNumber))].sort((a, b) => a - b);
  const years = days.map(yearOf);
  const covered = coveredYears ?? { first: Math.min(...years), last: Math.max(...years) };
  const holidaySet = new Set(days);
  return {
    coveredYears: covered,
    weekdayHolidays: days.filter((day) => !isWeekend(day)),
    isBankHoliday(date) {
      const day = dayNumber(date);
      checkCovered(this, day);
      return holidaySet.has(day);
    },
  };
}

function checkCovered(calendar: BankHolidayCalendar, day: number): void {
  const year = yearOf(day);
  if (year < calendar.coveredYears.first || year > calendar.coveredYears.last) {
    throw new RangeError(
      `No bank holiday data for ${year} (the calendar covers ${calendar.coveredYears.first} to ${calendar.coveredYears.last}); ` +
        'update src/domain/bank-holidays-england-and-wales.json (see docs/working-days.md)',
    );
  }
}

export const englandAndWales: BankHolidayCalendar = calendarFromDates(bankHolidays.events.map((event) => event.date));

export function isWorkingDay(date: IsoDate, calendar: BankHolidayCalendar = englandAndWales): boolean {
  return !isWeekend(dayNumber(date)) && !calendar.isBankHoliday(date);
}

function workingDaysUpTo(day: number, calendar: BankHolidayCalendar): number {
  return weekdaysBefore(day + 1) - countAtOrBelow(calendar.weekdayHolidays, day);
}

/**
 * Working days after `from` up to and including `to`: the day of a contact does not count, so a contact on
 * Monday decided on Tuesday took 1 working day. Negative when `to` is before `from`.
 */
export function workingDaysBetween(
  from: IsoDate,
  to: IsoDate,
  calendar: BankHolidayCalendar = englandAndWales,
): number {
  const start = dayNumber(from);
  const end = dayNumber(to);
  checkCovered(calendar, start);
  checkCovered(calendar, end);
  return workingDaysUpTo(end, calendar) - workingDaysUpTo(start, calendar);
}

/** The n-th working day after `date` (the date itself never counts); n = 0 gives `date` back. */
export function addWorkingDays(date: IsoDate, days: number, calendar: BankHolidayCalendar = englandAndWales): IsoDate {
  if (!Number.isInteger(days) || days < 0)
    throw new RangeError(`Working days to add must be a whole number ≥ 0, not ${days}`);
  if (days === 0) return date;
  const start = dayNumber(date);
  checkCovered(calendar, start);
  const before = workingDaysUpTo(start, calendar);
  // Each working day needs at least one calendar day, so jump by what is still missing until we arrive.
  let candidate = start + days;
  for (;;) {
    checkCovered(calendar, candidate);
    const counted = workingDaysUpTo(candidate, calendar) - before;
    if (counted >= days) break;
    candidate += days - counted;
  }
  // We may have landed on a weekend or holiday after the last working day we needed: step back to it.
  while (isWeekend(candidate) || calendar.weekdayHolidays.includes(candidate)) candidate -= 1;
  return fromDayNumber(candidate);
}

/** Calendar weeks, for the EHC clocks (6 weeks, 20 weeks) that the regulations set in weeks. */
export function addWeeks(date: IsoDate, weeks: number): IsoDate {
  return fromDayNumber(dayNumber(date) + weeks * 7);
}

/** Whole weeks from one date to another (rounded towards zero). */
export function weeksBetween(from: IsoDate, to: IsoDate): number {
  return Math.trunc((dayNumber(to) - dayNumber(from)) / 7);
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per time zone, kept: making one costs far more than using it. */
function dateParts(timeZone: string): Intl.DateTimeFormat {
  let found = partFormatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    partFormatters.set(timeZone, found);
  }
  return found;
}

function formatIsoDate(instant: Date, timeZone: string): IsoDate {
  const parts = dateParts(timeZone).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/**
 * Since 1973 every time zone's offset from UTC has been a whole number of quarter hours, so a date changes only
 * at a quarter hour: the dates of quarter hours already asked about are kept, as queues ask about the same few
 * days on every row and formatting costs a few microseconds each time.
 */
const QUARTER_HOUR_MS = 15 * 60_000;
// (Liberia was 44 minutes 30 seconds behind UTC until January 1972.)
const QUARTER_HOURS_FROM = Date.UTC(1973, 0, 1);
const DATES_KEPT = 10_000;
const datesByQuarterHour = new Map<string, Map<number, IsoDate>>();

/** The calendar date of an instant where the council is: 23:30 UTC on a summer evening is already tomorrow in London. */
export function toIsoDate(instant: Date, timeZone = 'Europe/London'): IsoDate {
  if (instant.getTime() < QUARTER_HOURS_FROM) return formatIsoDate(instant, timeZone);
  let dates = datesByQuarterHour.get(timeZone);
  if (!dates) {
    dates = new Map();
    datesByQuarterHour.set(timeZone, dates);
  }
  const quarterHour = Math.floor(instant.getTime() / QUARTER_HOUR_MS);
  let date = dates.get(quarterHour);
  if (date === undefined) {
    date = formatIsoDate(instant, timeZone);
    if (dates.size >= DATES_KEPT) dates.clear();
    dates.set(quarterHour, date);
  }
  return date;
}
