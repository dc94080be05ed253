// The pathway's legal clocks, in working days (England and Wales bank holidays excluded): the front door decides a
// referral within 1 working day; a social work assessment is authorised within 45 working days of the referral.
import { addWorkingDays, toIsoDate, workingDaysBetween, type IsoDate } from '../working-days.ts';

export const CONTACT_DECISION_DAYS = 1;
export const ASSESSMENT_AUTHORISED_DAYS = 45;

export interface Clock {
  started: IsoDate;
  due: IsoDate;
  /** Working days from the start to the end, or to today while it runs. */
  used: number;
  limit: number;
  stopped: boolean;
  overdue: boolean;
}

export function clockOf(started: Date, limit: number, stoppedAt: Date | null, today = new Date()): Clock {
  const start = toIsoDate(started);
  const used = workingDaysBetween(start, toIsoDate(stoppedAt ?? today));
  return {
    started: start,
    due: addWorkingDays(start, limit),
    used,
    limit,
    stopped: stoppedAt !== null,
    overdue: used > limit,
  };
}
