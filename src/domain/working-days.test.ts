// The working-day calendar behind every statutory clock.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  addWeeks,
  addWorkingDays,
  calendarFromDates,
  englandAndWales,
  isWorkingDay,
  parseIsoDate,
  toIsoDate,
  weeksBetween,
  workingDaysBetween,
  type IsoDate,
} from './working-days.ts';

describe('working days in England and Wales', () => {
  test('a contact on the Friday before a bank-holiday Monday is due on the Tuesday', () => {
    assert.equal(addWorkingDays('2026-05-22', 1), '2026-05-26');
    assert.equal(addWorkingDays('2026-08-28', 1), '2026-09-01');
  });

  test('Christmas 2026 falls on a Friday, so Boxing Day moves to Monday 28 December', () => {
    assert.equal(isWorkingDay('2026-12-25'), false);
    assert.equal(isWorkingDay('2026-12-28'), false);
    assert.equal(addWorkingDays('2026-12-24', 1), '2026-12-29');
  });

  test('the 2022 Platinum Jubilee gave a four-day weekend', () => {
    assert.equal(addWorkingDays('2022-06-01', 1), '2022-06-06');
    assert.equal(workingDaysBetween('2022-06-01', '2022-06-06'), 1);
  });

  test('one-off holidays are there: VE day 2020, the State Funeral 2022, the coronation 2023', () => {
    for (const date of ['2020-05-08', '2022-09-19', '2023-05-08']) assert.equal(isWorkingDay(date), false, date);
    assert.equal(isWorkingDay('2020-05-04'), true, 'the usual early May Monday was moved in 2020');
  });

  test('Easter is in the right place every year', () => {
    const goodFridays = [
      '2018-03-30',
      '2019-04-19',
      '2020-04-10',
      '2021-04-02',
      '2022-04-15',
      '2023-04-07',
      '2024-03-29',
      '2025-04-18',
      '2026-04-03',
      '2027-03-26',
      '2028-04-14',
    ];
    const easterMondays = [
      '2018-04-02',
      '2019-04-22',
      '2020-04-13',
      '2021-04-05',
      '2022-04-18',
      '2023-04-10',
      '2024-04-01',
      '2025-04-21',
      '2026-04-06',
      '2027-03-29',
      '2028-04-17',
    ];
    for (const date of [...goodFridays, ...easterMondays])
      assert.equal(englandAndWales.isBankHoliday(date), true, date);
  });

  test('45 working days from a referral on Monday 2 November 2026 run past Christmas into January', () => {
    assert.equal(addWorkingDays('2026-11-02', 45), '2027-01-07');
    assert.equal(workingDaysBetween('2026-11-02', '2027-01-07'), 45);
  });

  test('the day of the contact does not count, and adding nothing changes nothing', () => {
    assert.equal(workingDaysBetween('2026-11-23', '2026-11-23'), 0);
    assert.equal(workingDaysBetween('2026-11-23', '2026-11-24'), 1);
    assert.equal(addWorkingDays('2026-11-21', 0), '2026-11-21');
    assert.equal(addWorkingDays('2026-11-21', 1), '2026-11-23', 'a Saturday contact is due on Monday');
  });

  test('weeks for EHC clocks: 6 weeks for advice, 20 weeks for the final plan', () => {
    assert.equal(addWeeks('2026-11-02', 6), '2026-12-14');
    assert.equal(addWeeks('2026-11-02', 20), '2027-03-22');
    assert.equal(weeksBetween('2026-11-02', '2026-12-13'), 5);
    assert.equal(weeksBetween('2026-11-02', '2026-12-14'), 6);
  });

  test('a date outside the bank holiday data fails loudly instead of guessing', () => {
    assert.throws(() => isWorkingDay('2031-03-03'), /No bank holiday data for 2031/);
    assert.throws(() => addWorkingDays('2028-12-20', 30), /No bank holiday data for 2029/);
  });

  test('a London evening in summer is already the next day', () => {
    assert.equal(toIsoDate(new Date('2026-07-01T23:30:00Z')), '2026-07-02');
    assert.equal(toIsoDate(new Date('2026-12-01T23:30:00Z')), '2026-12-01');
  });

  test('the date turns at midnight where the council is, asked again and again, in any time zone', () => {
    for (let pass = 0; pass < 2; pass += 1) {
      assert.equal(toIsoDate(new Date('2026-06-30T22:59:59.999Z')), '2026-06-30');
      assert.equal(toIsoDate(new Date('2026-06-30T23:00:00.000Z')), '2026-07-01');
      assert.equal(toIsoDate(new Date('2026-01-15T23:59:59.999Z')), '2026-01-15');
      assert.equal(toIsoDate(new Date('2026-01-16T00:00:00.000Z')), '2026-01-16');
      // Kathmandu is 5 hours 45 minutes ahead of UTC.
      assert.equal(toIsoDate(new Date('2026-03-01T18:14:59.999Z'), 'Asia/Kathmandu'), '2026-03-01');
      assert.equal(toIsoDate(new Date('2026-03-01T18:15:00.000Z'), 'Asia/Kathmandu'), '2026-03-02');
      assert.equal(toIsoDate(new Date('1960-06-30T23:30:00Z')), '1960-07-01');
    }
  });

  test('dates are checked strictly', () => {
    assert.equal(parseIsoDate('2024-02-29'), '2024-02-29');
    for (const bad of ['2023-02-29', '2026-13-01', '26-01-01', '2026-1-1', '', '2026-01-01T00:00']) {
      assert.throws(() => parseIsoDate(bad), RangeError, bad);
    }
    assert.throws(() => addWorkingDays('2026-01-01', -1), RangeError);
  });

  test('a council can add its own closure days', () => {
    const withClosure = calendarFromDates(['2026-12-25', '2026-12-28', '2026-12-29'], { first: 2026, last: 2026 });
    assert.equal(addWorkingDays('2026-12-24', 1, withClosure), '2026-12-30');
  });
});

describe('working-day properties', () => {
  const first = Date.UTC(2018, 0, 1);
  const last = Date.UTC(2027, 11, 31);
  const isoDate = fc
    .integer({ min: first / 86_400_000, max: last / 86_400_000 })
    .map((day) => new Date(day * 86_400_000).toISOString().slice(0, 10));
  const span = fc.integer({ min: 0, max: 200 });

  function naiveBetween(from: IsoDate, to: IsoDate): number {
    const sign = from <= to ? 1 : -1;
    const [low, high] = sign === 1 ? [from, to] : [to, from];
    let count = 0;
    for (let day = Date.parse(low) + 86_400_000; day <= Date.parse(high); day += 86_400_000) {
      if (isWorkingDay(new Date(day).toISOString().slice(0, 10))) count += 1;
    }
    return sign * count;
  }

  test('adding n working days and counting them back gives n', () => {
    fc.assert(fc.property(isoDate, span, (date, n) => workingDaysBetween(date, addWorkingDays(date, n)) === n));
  });

  test('adding at least one working day always lands on a working day, later than the start', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: 1, max: 200 }), (date, n) => {
        const due = addWorkingDays(date, n);
        return isWorkingDay(due) && due > date;
      }),
    );
  });

  test('more working days never come earlier', () => {
    fc.assert(
      fc.property(isoDate, span, span, (date, a, b) =>
        a <= b ? addWorkingDays(date, a) <= addWorkingDays(date, b) : true,
      ),
    );
  });

  test('counting is antisymmetric and adds up over consecutive spans', () => {
    fc.assert(
      fc.property(isoDate, isoDate, isoDate, (a, b, c) => {
        return (
          workingDaysBetween(a, b) === -workingDaysBetween(b, a) &&
          workingDaysBetween(a, b) + workingDaysBetween(b, c) === workingDaysBetween(a, c)
        );
      }),
    );
  });

  test('the fast count agrees with counting day by day', () => {
    fc.assert(
      fc.property(isoDate, isoDate, (a, b) => workingDaysBetween(a, b) === naiveBetween(a, b)),
      { numRuns: 200 },
    );
  });

  test('every real date round-trips through the strict parser', () => {
    fc.assert(fc.property(isoDate, (date) => parseIsoDate(date) === date));
  });
});
