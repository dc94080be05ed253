// The demo council's Local Offer: a few hundred generated services across Northmoor's localities, with the gaps a
// real borough has (the rural locality has fewer services, and no short breaks for children under 8), and the
// demo provider account speaking for one organisation.
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../db/schema.ts';
import { generateServices, type Place } from './generate-services.ts';
import { importItems } from '../features/directory/import.ts';
import { accountByEmail } from '../features/accounts/service.ts';
import { addOrganizationMember } from '../features/administration/service.ts';
import { DEMO_ACTOR, DEMO_COUNCIL, DEMO_LOCALITIES } from './council.ts';

export const DEMO_DIRECTORY_SIZE = 320;
export const DEMO_PROVIDER_EMAIL = 'provider@demo.pathway.test';
/** The gap the sufficiency view should show at a glance. */
export const DEMO_GAP = { locality: 'Denholme Moor', category: 'Short breaks', belowAge: 8 } as const;

function demoPlaces(): Place[] {
  return DEMO_LOCALITIES.flatMap((locality) => {
    const places = locality.districts.map((district, index) => ({
      name: locality.name,
      district,
      latitude: locality.latitude + index * 0.01,
      longitude: locality.longitude + index * 0.015,
    }));
    // The moorland locality is rural: half as many places to put a service.
    return locality.name === DEMO_GAP.locality ? places.slice(0, 1) : [...places, ...places];
  });
}

export async function seedDemoDirectory(db: Kysely<Schema>, today = new Date()): Promise<void> {
  const laCode = DEMO_COUNCIL.laCode;
  const items = [
    ...generateServices({
      places: demoPlaces(),
      count: DEMO_DIRECTORY_SIZE,
      seed: 2026,
      namespace: 'demo-northmoor',
      today,
      gap: (place, category, minimumAge) =>
        place.name === DEMO_GAP.locality && category === DEMO_GAP.category && minimumAge < DEMO_GAP.belowAge,
    }),
  ].map((raw) => ({ edition: 'v3' as const, raw, origin: 'demo' }));
  await importItems(db, laCode, items, { source: 'demo' });

  // The demo provider speaks for the organisation with the most services in Brookfield.
  const { rows } = await sql<{ organization_id: string }>`
    select s.organization_id from services s
      join service_at_locations sal on sal.service_id = s.id
      join locations l on l.id = sal.location_id
      join localities loc on loc.id = l.locality_id
     where s.la_code = ${laCode} and loc.name = 'Brookfield' and s.organization_id is not null
     group by s.organization_id order by count(*) desc, s.organization_id limit 1`.execute(db);
  const provider = await accountByEmail(db, DEMO_PROVIDER_EMAIL);
  if (!provider) throw new Error('The demo provider is missing: seed the demo council first');
  const organizationId = rows[0]?.organization_id;
  if (organizationId) {
    await addOrganizationMember(db, laCode, { userId: provider.id, organizationId }, DEMO_ACTOR);
  }
}
