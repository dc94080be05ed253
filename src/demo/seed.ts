// The whole demo, in the order its parts depend on: the council and its people, the Local Offer, short-breaks
// applications, then the front door and pathway.
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { seedDemoApplications } from './applications.ts';
import { seedDemoCouncil } from './council.ts';
import { seedDemoDirectory } from './directory.ts';
import { seedDemoPathway } from './pathway.ts';

export async function seedDemo(
  db: Kysely<Schema>,
  options: { environment: string; shortBreaksMaxAge: number; publicUrl: string; today?: Date },
): Promise<void> {
  const today = options.today ?? new Date();
  await seedDemoCouncil(db, options.environment);
  await seedDemoDirectory(db, today);
  await seedDemoApplications(db, today, options.shortBreaksMaxAge, options.publicUrl);
  await seedDemoPathway(db, today, options.publicUrl);
}
