// The demo council's directory: a few hundred services placed in Northmoor's localities, with a gap to find.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { seedDemoCouncil } from '../src/demo/council.ts';
import { DEMO_DIRECTORY_SIZE, DEMO_GAP, seedDemoDirectory } from '../src/demo/directory.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';

for (const target of databaseTargets()) {
  describe(`Demo directory on ${target.name}`, () => {
    let database: TestDatabase;

    before(async () => {
      database = await target.open();
      await seedDemoCouncil(database.db, 'test');
      await seedDemoDirectory(database.db);
    });
    after(async () => {
      await database.dispose();
    });

    test('every service is imported and every location lands in a locality by its postcode district', async () => {
      const { rows } = await sql<{ services: number; unplaced: number; localities: number }>`
        select (select count(*)::int from services) as services,
               (select count(*)::int from locations where locality_id is null) as unplaced,
               (select count(distinct locality_id)::int from locations) as localities`.execute(database.db);
      assert.deepEqual(rows[0], { services: DEMO_DIRECTORY_SIZE, unplaced: 0, localities: 4 });
    });

    test(`${DEMO_GAP.locality} has no short breaks for children under ${DEMO_GAP.belowAge}, and the others do`, async () => {
      const { rows } = await sql<{ locality: string; services: number }>`
        select loc.name as locality, count(distinct s.id)::int as services
          from localities loc
          left join locations l on l.locality_id = loc.id
          left join service_at_locations sal on sal.location_id = l.id
          left join services s on s.id = sal.service_id and s.minimum_age < ${DEMO_GAP.belowAge}
               and exists (select 1 from service_attributes a join taxonomy_terms t on t.id = a.taxonomy_term_id
                            where a.service_id = s.id and t.name = ${DEMO_GAP.category})
         group by loc.name order by loc.name`.execute(database.db);
      for (const row of rows) {
        if (row.locality === DEMO_GAP.locality) assert.equal(row.services, 0);
        else assert.ok(row.services > 0, `${row.locality} has short breaks for young children`);
      }
    });

    test('the demo provider speaks for one organisation', async () => {
      const { rows } = await sql<{ organizations: number }>`
        select count(*)::int as organizations from organization_members m join users u on u.id = m.user_id
         where u.email = 'provider@demo.pathway.test'`.execute(database.db);
      assert.equal(rows[0]?.organizations, 1);
    });
  });
}
