import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ASSESSMENT_AUTHORISED_DAYS, clockOf } from './clocks.ts';

test('a clock counts working days to today, or to when it stopped, against its limit', () => {
  // From Monday 2 November 2026, 45 working days, skipping Christmas Day, the Boxing Day holiday (Monday 28
  // December) and New Year's Day, end on Thursday 7 January 2027.
  const started = new Date('2026-11-02T10:00:00Z');
  const running = clockOf(started, ASSESSMENT_AUTHORISED_DAYS, null, new Date('2026-11-09T10:00:00Z'));
  assert.equal(running.used, 5);
  assert.equal(running.stopped, false);
  assert.equal(running.overdue, false);
  assert.equal(running.due, '2027-01-07');
  const late = clockOf(started, ASSESSMENT_AUTHORISED_DAYS, null, new Date('2027-01-12T10:00:00Z'));
  assert.ok(late.overdue);
  const stopped = clockOf(
    started,
    ASSESSMENT_AUTHORISED_DAYS,
    new Date('2026-11-20T10:00:00Z'),
    new Date('2027-03-01'),
  );
  assert.equal(stopped.used, 14);
  assert.ok(stopped.stopped && !stopped.overdue);
});
