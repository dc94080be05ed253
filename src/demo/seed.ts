// The whole demo, in the order its parts depend on: the council and its people, the Local Offer, short-breaks
// applications, then the front door and pathway.
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { seedDemoApplications } from './applications.ts';
import { DEMO_COUNCIL, seedDemoCouncil } from './council.ts';
import { councilSetting } from '../features/administration/settings.ts';
import { toIsoDate } from '../domain/working-days.ts';
import { seedDemoDirectory } from './directory.ts';
import { seedDemoPathway } from './pathway.ts';

export async function seedDemo(
  db: Kysely<Schema>,
  options: { environment: string; publicUrl: string; today?: Date },
): Promise<void> {
  const today = options.today ?? new Date();
  await seedDemoCouncil(db, options.environment);
  await seedDemoDirectory(db, today);
  // The demo's applications are made for the oldest age the council's short breaks serve (a council setting).
  const maxAge = await councilSetting(db, DEMO_COUNCIL.laCode, 'short_breaks_max_age', toIsoDate(today));
  await seedDemoApplications(db, today, maxAge, options.publicUrl);
  await seedDemoPathway(db, today, options.publicUrl);
}
