// The in-memory search index: it must find exactly what PostgreSQL's full-text match finds, count it, and rank it
// by the one relevance formula (search/ranking.ts), which agrees with PostgreSQL's own ts_rank_cd.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { seedDemoCouncil } from '../src/demo/council.ts';
import { englishPlaces, generateServices } from '../src/demo/generate-services.ts';
import { importFeed, importItems } from '../src/features/directory/import.ts';
import { readTsvector } from '../src/features/directory/search/building.ts';
import {
  DirectorySearch,
  type SearchFilters,
  type SearchOrder,
  type SearchResult,
} from '../src/features/directory/search/directory-search.ts';
import { CONCEPTS_CARRIED } from '../src/features/directory/search/freshness.ts';
import { parsePhraseQuery } from '../src/features/directory/search/phrases.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { EVALUATION_SERVICES } from './helpers/reference-data.ts';

/** Enough matches that the first page is picked from many (the index ranked only this many exactly before). */
const MANY_MATCHES = 200;

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
    let directorySearch: DirectorySearch;

    before(async () => {
      database = await target.open();
      directorySearch = new DirectorySearch(database);
      await seedDemoCouncil(database.db, 'test');
      await importFeed(database.db, 'Z99', EVALUATION_SERVICES, 'index-test');
    });
    after(async () => {
      await database.dispose();
    });

    const search = async (text: string, perPage: number, filters: SearchFilters = {}) =>
      directorySearch.services('Z99', { text, filters, order: 'relevance', page: 1, perPage });

    /**
     * Relevance of every match as the formula defines it, worked out by PostgreSQL: concepts covered as a share,
     * adult-only services down by one, and the sum over concepts of ts_rank_cd with normalisation 1.
     */
    async function relevanceInDatabase(result: SearchResult): Promise<Map<string, number>> {
      const plan = result.plan!;
      const conceptQuery = (phrases: string[][]) =>
        phrases
          .map((words) => sql`phraseto_tsquery('english', ${words.join(' ')})`)
          .reduce((all, next) => sql`(${all} || ${next})`);
      const strong = plan.concepts.filter((concept) => !concept.weak);
      const coverage = strong
        .map((concept) => sql`(s.search_document @@ ${conceptQuery(concept.phrases)})::int`)
        .reduce((all, next) => sql`${all} + ${next}`, sql`0`);
      const density = plan.concepts
        .map(
          (concept) =>
            sql`ts_rank_cd('{0.05, 0.2, 0.4, 1.0}'::float4[], s.search_document, ${conceptQuery(concept.phrases)}, 1)`,
        )
        .reduce((all, next) => sql`${all} + ${next}`);
      const anyConcept = plan.concepts
        .map((concept) => conceptQuery(concept.phrases))
        .reduce((all, next) => sql`(${all} || ${next})`);
      const adult = plan.adultIntent || plan.age ? sql`0` : sql`(case when s.minimum_age >= 18 then 1 else 0 end)`;
      const age = plan.age;
      const { rows } = await sql<{ id: string; relevance: number }>`
        select s.id, (${coverage})::float8 / ${Math.max(strong.length, 1)} - ${adult} + ${density} as relevance
          from services s
         where s.la_code = 'Z99' and s.status = 'active' and s.search_document @@ ${anyConcept}
           and ${age ? sql`coalesce(s.minimum_age, 0) <= ${age.max} and coalesce(s.maximum_age, 200) >= ${age.min}` : sql`true`}`.execute(
        database.db,
      );
      return new Map(rows.map((row) => [row.id, row.relevance]));
    }

    test('a rebuilt index already holds the matches of the concepts families searched for', async () => {
      await directorySearch.indexFor('Z99');
      await search('autism', 10);
      await search('speech therapy after school', 10);
      const before = await directorySearch.indexFor('Z99');
      const searched = [...before.conceptMatches.keys()].slice(-CONCEPTS_CARRIED);
      assert.ok(searched.length >= 2);
      directorySearch.directoryChanged('Z99');
      const rebuilt = await directorySearch.indexFor('Z99');
      assert.notEqual(rebuilt, before);
      assert.deepEqual([...rebuilt.conceptMatches.keys()], searched);
      for (const key of searched) assert.deepEqual(rebuilt.conceptMatches.get(key), before.conceptMatches.get(key));
      // Searching again uses what was carried rather than finding it again.
      const carried = rebuilt.conceptMatches.get(searched.at(-1)!);
      await search('speech therapy after school', 10);
      assert.equal(rebuilt.conceptMatches.get(searched.at(-1)!), carried);
    });

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

    test('at national scale the first page is the start of the whole ranking', async () => {
      const items = [
        ...generateServices({ places: englishPlaces(40), count: 3000, seed: 5, namespace: 'index-scale' }),
      ].map((raw) => ({ edition: 'v3' as const, raw, origin: 'test' }));
      await importItems(database.db, 'Z99', items, { source: 'index-scale' });
      // The import is announced through the database, as a change from any process is.
      await directorySearch.caughtUp();
      let manyMatches = 0;
      for (const query of QUERIES) {
        const firstPage = await search(query, 10);
        const everything = await search(query, 1000);
        assert.equal(firstPage.total, everything.total);
        if (firstPage.total > MANY_MATCHES) manyMatches += 1;
        assert.deepEqual(
          firstPage.hits.map((hit) => hit.id),
          everything.hits.slice(0, 10).map((hit) => hit.id),
          `"${query}" (${firstPage.total} matches)`,
        );
      }
      assert.ok(manyMatches >= 5, 'most queries match many services');
    });

    test('a search asked again, and each of its pages, give the whole ranking; a change to the directory shows at once', async () => {
      const pageOf = (text: string, page: number, asked: { filters?: SearchFilters; order?: SearchOrder } = {}) =>
        directorySearch.services('Z99', {
          text,
          filters: asked.filters ?? {},
          order: asked.order ?? 'relevance',
          page,
          perPage: 10,
        });
      // The same words asked with another order or filter are another search; pages 20 and 21 are either side of
      // how deep results are kept.
      const searches = [
        { text: 'autism' },
        { text: 'autism', order: 'name' as const },
        { text: 'autism', filters: { age: 7 } },
        { text: 'short breaks for my 7 year old' },
        { text: 'swiming' },
        { text: '', order: 'name' as const },
      ];
      for (const { text, ...asked } of searches) {
        const everything = await directorySearch.services('Z99', {
          text,
          filters: asked.filters ?? {},
          order: asked.order ?? 'relevance',
          page: 1,
          perPage: 1000,
        });
        for (const round of ['first', 'again']) {
          for (const page of [1, 2, 3, 20, 21]) {
            const shown = await pageOf(text, page, asked);
            assert.equal(shown.total, everything.total);
            assert.deepEqual(
              shown.hits.map((hit) => hit.id),
              everything.hits.slice((page - 1) * 10, page * 10).map((hit) => hit.id),
              `"${text}" ${JSON.stringify(asked)} page ${page}, asked ${round}`,
            );
          }
        }
      }
      const before = await pageOf('origami', 1);
      await importItems(database.db, 'Z99', [service('Origami for everyone', 'Origami and paper folding.')], {
        source: 'index-change',
      });
      directorySearch.directoryChanged('Z99');
      const after = await pageOf('origami', 1);
      assert.equal(after.total, before.total + 1);
      assert.equal(after.hits[0]!.name, 'Origami for everyone');
    });

    test("the ranking is the documented formula, each concept's cover density as PostgreSQL's ts_rank_cd gives it", async () => {
      for (const query of QUERIES) {
        const result = await search(query, 10);
        const relevance = await relevanceInDatabase(result);
        const page = new Set(result.hits.map((hit) => hit.id));
        const shown = result.hits.map((hit) => relevance.get(hit.id)!);
        shown.forEach((value, index) => {
          if (index > 0) assert.ok(value <= shown[index - 1]! + 1e-6, `"${query}": ${index} is in order`);
        });
        const bestLeftOut = Math.max(...[...relevance].filter(([id]) => !page.has(id)).map(([, value]) => value));
        assert.ok(shown.at(-1)! >= bestLeftOut - 1e-6, `"${query}": nothing left off the page ranks higher`);
      }
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

/** A handful of services made for one ranking rule each, in a council of their own. */
function service(
  name: string,
  description: string,
  ages: { minimum: number; maximum: number } = { minimum: 5, maximum: 16 },
) {
  return {
    edition: 'v3' as const,
    origin: 'test',
    raw: {
      id: randomUUID(),
      name,
      description,
      status: 'active',
      minimum_age: ages.minimum,
      maximum_age: ages.maximum,
    },
  };
}

for (const target of databaseTargets()) {
  describe(`Relevance on ${target.name}`, () => {
    let database: TestDatabase;
    let directorySearch: DirectorySearch;
    const laCode = 'Z98';

    before(async () => {
      database = await target.open();
      directorySearch = new DirectorySearch(database);
      await seedDemoCouncil(database.db, 'test');
      await database.db.insertInto('councils').values({ la_code: laCode, name: 'Rankshire' }).execute();
      const report = await importItems(
        database.db,
        laCode,
        [
          service('Origami club', 'Folding paper together.'),
          service('Holiday fun', 'Games, crafts and origami in the holidays.'),
          service('Kayaking taster', 'Paddling on the lake.'),
          service('Outdoor afternoon', 'Kayaking and orienteering with instructors.'),
          service('Orienteering for adults', 'Maps and compasses in the woods.', { minimum: 18, maximum: 99 }),
          service('Woodland walks', 'Walks with a little orienteering on the way.'),
          service('Weekend fun', 'Short breaks for disabled children.'),
          service('Short breaks at the farm', 'Farm visits and animals.'),
          service('Short walks', 'Walks that are short, with breaks for a picnic.'),
        ],
        { source: 'relevance-test' },
      );
      assert.equal(report.accepted, 9);
    });
    after(async () => {
      await database.dispose();
    });

    const names = async (text: string) =>
      (
        await directorySearch.services(laCode, { text, filters: {}, order: 'relevance', page: 1, perPage: 20 })
      ).hits.map((hit) => hit.name);

    test('a word in the name ranks above the same word in the description', async () => {
      assert.deepEqual(await names('origami'), ['Origami club', 'Holiday fun']);
    });

    test("services covering more of the query's words come first, wherever the words are", async () => {
      assert.deepEqual(await names('kayaking orienteering'), [
        'Outdoor afternoon',
        'Kayaking taster',
        'Woodland walks',
        'Orienteering for adults',
      ]);
    });

    test('adult-only services sink unless the family asks about adults', async () => {
      assert.deepEqual(await names('orienteering'), ['Outdoor afternoon', 'Woodland walks', 'Orienteering for adults']);
      assert.equal((await names('orienteering for adults'))[0], 'Orienteering for adults');
    });

    test('a phrase counts only with its words together, and in the name above the description', async () => {
      assert.deepEqual(await names('short breaks'), ['Short breaks at the farm', 'Weekend fun']);
    });
  });
}
