// The in-memory search index: it must find exactly what PostgreSQL's full-text match finds, count it, and hand
// the database the candidates that hold the true best results, so ranking is the same as in the database alone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { seedDemoCouncil } from '../src/db/seed/demo.ts';
import { englishPlaces, generateServices } from '../src/features/directory/generate.ts';
import { importFeed, importItems } from '../src/features/directory/import.ts';
import { parsePhraseQuery, readTsvector } from '../src/features/directory/search-index.ts';
import { EXACT_CANDIDATES, searchServices, type SearchFilters } from '../src/features/directory/search.ts';
import { understandingFor } from '../src/features/directory/understanding.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { EVALUATION_SERVICES } from './helpers/reference-data.ts';

const QUERIES = [
  'autism',
  'speech and language therapy',
  'short breaks for my 7 year old',
  'SALT',
  'after school club',
  'wheelchair',
  'help with sleep',
  'parent support group',
  'swiming',
];

test('tsvector text is read with positions and weights, quotes included', () => {
  const words = new Map<string, number[]>();
  const length = readTsvector("'autism':3A,17 'it''s':5C 'play':1B,2", (lexeme, positions) =>
    words.set(lexeme, positions),
  );
  assert.deepEqual(words.get('autism'), [3 * 4 + 3, 17 * 4 + 0]);
  assert.deepEqual(words.get("it's"), [5 * 4 + 1]);
  assert.deepEqual(words.get('play'), [1 * 4 + 2, 2 * 4 + 0]);
  assert.equal(length, 5);
});

test('phrase queries are read with the distance between their words', () => {
  assert.deepEqual(parsePhraseQuery("'speech' <2> 'languag' <-> 'therapi'"), {
    lexemes: ['speech', 'languag', 'therapi'],
    offsets: [0, 2, 3],
  });
  assert.deepEqual(parsePhraseQuery("'autism'"), { lexemes: ['autism'], offsets: [0] });
  assert.equal(parsePhraseQuery("'a' & 'b'"), null);
});

for (const target of databaseTargets()) {
  describe(`Search index on ${target.name}`, () => {
    let database: TestDatabase;

    before(async () => {
      database = await target.open();
      await seedDemoCouncil(database.db, 'test');
      await importFeed(database.db, 'Z99', EVALUATION_SERVICES, 'index-test');
    });
    after(async () => {
      await database.dispose();
    });

    const search = async (text: string, perPage: number, filters: SearchFilters = {}) =>
      searchServices(
        database.db,
        'Z99',
        { text, filters, order: 'relevance', page: 1, perPage },
        await understandingFor(database.db, 'Z99'),
      );

    test('counts exactly the services PostgreSQL full-text search matches', async () => {
      for (const query of QUERIES) {
        const result = await search(query, 10);
        const phrases = result.plan!.concepts.flatMap((concept) => concept.phrases.map((words) => words.join(' ')));
        const anyPhrase = phrases
          .map((phrase) => sql`phraseto_tsquery('english', ${phrase})`)
          .reduce((all, next) => sql`(${all} || ${next})`);
        const age = result.plan!.age;
        const { rows } = await sql<{ count: number }>`
          select count(*)::int as count from services s
           where s.la_code = 'Z99' and s.status = 'active' and s.search_document @@ ${anyPhrase}
             and ${age ? sql`coalesce(s.minimum_age, 0) <= ${age.max} and coalesce(s.maximum_age, 200) >= ${age.min}` : sql`true`}`.execute(
          database.db,
        );
        assert.equal(result.total, rows[0]!.count, `"${query}"`);
      }
    });

    test('at national scale the candidates hold the true best results, so the first page is ranked exactly', async () => {
      const items = [
        ...generateServices({ places: englishPlaces(40), count: 3000, seed: 5, namespace: 'index-scale' }),
      ].map((raw) => ({ edition: 'v3' as const, raw, origin: 'test' }));
      await importItems(database.db, 'Z99', items, { source: 'index-scale' });
      let beyondCandidates = 0;
      for (const query of QUERIES) {
        const firstPage = await search(query, 10);
        // 1,000 a page makes the index hand over every match, so the database ranks them all.
        const everything = await search(query, 1000);
        assert.equal(firstPage.total, everything.total);
        if (firstPage.total > EXACT_CANDIDATES) beyondCandidates += 1;
        assert.deepEqual(
          firstPage.hits.map((hit) => hit.name),
          everything.hits.slice(0, 10).map((hit) => hit.name),
          `"${query}" (${firstPage.total} matches)`,
        );
      }
      assert.ok(beyondCandidates >= 5, 'most queries match more services than the database ranks exactly');
    });

    test('near a place, the count is exactly the services the database finds within the distance', async () => {
      const { rows: places } = await sql<{ latitude: number; longitude: number }>`
        select latitude, longitude from locations
         where la_code = 'Z99' and latitude is not null and longitude is not null order by id limit 3`.execute(
        database.db,
      );
      let found = 0;
      for (const near of places) {
        for (const maxDistanceKm of [1, 10, 40]) {
          const { rows } = await sql<{ count: number }>`
            select count(*)::int as count from services s
             where s.la_code = 'Z99' and s.status = 'active' and exists (
               select 1 from service_at_locations sal join locations l on l.id = sal.location_id
                where sal.service_id = s.id and l.latitude is not null and l.longitude is not null
                  and 2 * 6371 * asin(sqrt(power(sin(radians(l.latitude - ${near.latitude}) / 2), 2) +
                      cos(radians(${near.latitude})) * cos(radians(l.latitude)) *
                      power(sin(radians(l.longitude - ${near.longitude}) / 2), 2))) <= ${maxDistanceKm})`.execute(
            database.db,
          );
          const result = await search('', 10, { near, maxDistanceKm });
          assert.equal(
            result.total,
            rows[0]!.count,
            `within ${maxDistanceKm} km of ${near.latitude}, ${near.longitude}`,
          );
          found += result.total;
        }
      }
      assert.ok(found > 0, 'some services are near those places');
    });
  });
}
