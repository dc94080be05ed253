// Council policy as settings with an effective date: the value in force on a day is the latest set to take effect on
// or before it, so a change can be made today for next month, and every earlier value stays as history. Services
// read policy through councilSetting (or shortBreaksPolicy), never from the environment.
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { toIsoDate } from '../../domain/working-days.ts';
import { recordAudit, type Actor } from '../audit/service.ts';
import * as queries from './queries.ts';

/**
 * The settings a council keeps, each a whole number within limits, with the value every council starts with (the
 * defaults the environment variables had before issue 17).
 */
export const COUNCIL_SETTINGS = {
  /** Working days from a short-breaks application being sent to its decision that the council aims for. */
  short_breaks_service_standard_days: { min: 1, max: 250, initial: 20 },
  /** The oldest age, in whole years, a family can apply online for short breaks for (the youngest is 0). */
  short_breaks_max_age: { min: 0, max: 25, initial: 17 },
  /** Short-breaks decisions worth more than this many pounds a year go to the resource panel after the manager. */
  short_breaks_panel_amount: { min: 0, max: 10_000_000, initial: 5000 },
} as const;

export type CouncilSettingName = keyof typeof COUNCIL_SETTINGS;
export const COUNCIL_SETTING_NAMES = Object.keys(COUNCIL_SETTINGS) as CouncilSettingName[];

/** The date the initial values take effect from: before any record Pathway holds. */
const INITIAL_EFFECTIVE_FROM = '2000-01-01';

export function isCouncilSettingName(name: string): name is CouncilSettingName {
  return Object.hasOwn(COUNCIL_SETTINGS, name);
}

/** Today in the council's time (England and Wales), as YYYY-MM-DD. */
export function councilToday(now = new Date()): string {
  return toIsoDate(now);
}

/** The value of a council's setting in force on a day (YYYY-MM-DD; today when not given). */
export async function councilSetting(
  db: Kysely<Schema>,
  laCode: string,
  name: CouncilSettingName,
  onDate: string = councilToday(),
): Promise<number> {
  const value = (await queries.settingsInForce(db, laCode, [name], onDate)).get(name);
  // Every council is given each setting when it is created (and by migration 0018 before that), so a gap is a fault.
  if (value === undefined) throw new Error(`Council ${laCode} has no ${name} in force on ${onDate}`);
  return value;
}

export interface ShortBreaksPolicy {
  /** The ages, in whole years, the council's short breaks serve. */
  ages: { min: number; max: number };
  serviceStandardDays: number;
  panelAmount: number;
}

/** The council's short-breaks policy in force on a day, read in one query. */
export async function shortBreaksPolicy(
  db: Kysely<Schema>,
  laCode: string,
  onDate: string = councilToday(),
): Promise<ShortBreaksPolicy> {
  const names: CouncilSettingName[] = [
    'short_breaks_max_age',
    'short_breaks_service_standard_days',
    'short_breaks_panel_amount',
  ];
  const values = await queries.settingsInForce(db, laCode, names, onDate);
  const value = (name: CouncilSettingName) => {
    const found = values.get(name);
    if (found === undefined) throw new Error(`Council ${laCode} has no ${name} in force on ${onDate}`);
    return found;
  };
  return {
    ages: { min: 0, max: value('short_breaks_max_age') },
    serviceStandardDays: value('short_breaks_service_standard_days'),
    panelAmount: value('short_breaks_panel_amount'),
  };
}

/** Gives a new council every setting at its initial value; part of creating the council. */
export async function giveInitialSettings(db: Kysely<Schema>, laCode: string): Promise<void> {
  await queries.insertSettings(
    db,
    laCode,
    COUNCIL_SETTING_NAMES.map((name) => ({
      name,
      value: COUNCIL_SETTINGS[name].initial,
      effectiveFrom: INITIAL_EFFECTIVE_FROM,
      reason: 'The value every council starts with',
      setBy: null,
    })),
  );
}

export interface SettingView {
  name: CouncilSettingName;
  current: number;
  /** Changes set to take effect after today, soonest first. */
  future: { value: number; effectiveFrom: string }[];
  history: { value: number; effectiveFrom: string; reason: string; setAt: Date; setBy: string | null }[];
}

/** Each setting's value today, any change to come, and every value it has had, for the settings page. */
export async function councilSettingsOverview(
  db: Kysely<Schema>,
  laCode: string,
  today: string = councilToday(),
): Promise<SettingView[]> {
  const rows = await queries.settingHistory(db, laCode);
  const inForce = await queries.settingsInForce(db, laCode, COUNCIL_SETTING_NAMES, today);
  return COUNCIL_SETTING_NAMES.map((name) => {
    const own = rows.filter((row) => row.name === name);
    const current = inForce.get(name);
    if (current === undefined) throw new Error(`Council ${laCode} has no ${name} in force on ${today}`);
    return {
      name,
      current,
      future: own
        .filter((row) => row.effective_from > today)
        .map((row) => ({ value: row.value, effectiveFrom: row.effective_from }))
        .reverse(),
      history: own.map((row) => ({
        value: row.value,
        effectiveFrom: row.effective_from,
        reason: row.reason,
        setAt: row.set_at,
        setBy: row.set_by_name,
      })),
    };
  });
}

/** Sets a new value from a day (today or later), with the reason; audited with ids and the values only. */
export async function changeCouncilSetting(
  db: Kysely<Schema>,
  laCode: string,
  change: { name: CouncilSettingName; value: number; effectiveFrom: string; reason: string },
  actor: Actor,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const [id] = await queries.insertSettings(trx, laCode, [{ ...change, setBy: actor.userId }]);
    await recordAudit(trx, {
      laCode,
      actorUserId: actor.userId,
      actorRole: actor.role,
      action: 'change-council-setting',
      requestId: actor.requestId,
      subjectType: 'council-setting',
      subjectId: id!,
      details: { name: change.name, value: change.value, effectiveFrom: change.effectiveFrom },
    });
  });
}
