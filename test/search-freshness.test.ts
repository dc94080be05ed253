// Search in a web process is a replica of the database: a change committed by any process (here through a second
// connection, as `npm run import:oruk` or another web process makes it) reaches this process's search within about
// a second, through PostgreSQL's LISTEN and NOTIFY; with no change, nothing is rebuilt.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../src/db/database.ts';
import { importItems } from '../src/features/directory/import.ts';
import { DirectorySearch } from '../src/features/directory/search/directory-search.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';

const COUNCIL = 'Z97';

function service(name: string) {
  return {
    edition: 'v3' as const,
    origin: 'test',
    raw: { id: randomUUID(), name, description: `${name}, for children and young people.`, status: 'active' },
  };
}

// Only a PostgreSQL server has other processes: an embedded database belongs to one process.
for (const target of databaseTargets().filter((candidate) => candidate.name === 'postgresql')) {
  describe(`Search hears of changes from other processes on ${target.name}`, () => {
    let database: TestDatabase;
    let search: DirectorySearch;

    before(async () => {
      database = await target.open();
      await database.db.insertInto('councils').values({ la_code: COUNCIL, name: 'Listenshire' }).execute();
      await importItems(database.db, COUNCIL, [service('Kite flying club')], { source: 'freshness-test' });
      search = new DirectorySearch(database);
    });
    after(async () => {
      await search.close();
      await database.dispose();
    });

    const found = async (text: string) =>
      (await search.services(COUNCIL, { text, filters: {}, page: 1, perPage: 10 })).hits.map((hit) => hit.name);

    /** Imports through a connection of another process's own, as the command-line importer would. */
    async function importElsewhere(name: string) {
      const other = await openDatabase({ url: database.url! });
      try {
        await importItems(other.db, COUNCIL, [service(name)], { source: 'another-process' });
      } finally {
        await other.close();
      }
    }

    /** What the search finds for the words, asked again until it finds the name or the time is up. */
    async function foundWithin(ms: number, text: string, name: string): Promise<string[]> {
      const deadline = Date.now() + ms;
      let names = await found(text);
      while (!names.includes(name) && Date.now() < deadline) {
        await sleep(20);
        names = await found(text);
      }
      return names;
    }

    test('a service imported by another process is found here within a second', async () => {
      assert.deepEqual(await found('origami'), []);
      const generation = search.generation(COUNCIL);
      await importElsewhere('Origami for everyone');
      assert.deepEqual(await foundWithin(1_000, 'origami', 'Origami for everyone'), ['Origami for everyone']);
      assert.ok(search.generation(COUNCIL) > generation, 'pages kept from searches are kept afresh');
    });

    test('with no change, the index is not rebuilt', async () => {
      const index = await search.indexFor(COUNCIL);
      const generation = search.generation(COUNCIL);
      await sleep(1_500);
      assert.equal(await search.indexFor(COUNCIL), index);
      assert.equal(search.generation(COUNCIL), generation);
    });

    test('when the listening connection drops, it comes back, counts everything as changed, and hears again', async () => {
      const index = await search.indexFor(COUNCIL);
      const generation = search.generation(COUNCIL);
      const { rows } = await database.executeSql(
        `select pg_terminate_backend(pid) as ended from pg_stat_activity
          where application_name = 'pathway-listening' and datname = current_database()`,
      );
      assert.equal(rows.length, 1, 'one listening connection');
      const deadline = Date.now() + 5_000;
      while (search.generation(COUNCIL) === generation && Date.now() < deadline) await sleep(20);
      assert.ok(search.generation(COUNCIL) > generation, 'everything counts as changed once it is back');
      assert.notEqual(await search.indexFor(COUNCIL), index);
      await importElsewhere('Paper boats afternoon');
      assert.deepEqual(await foundWithin(1_000, 'paper boats', 'Paper boats afternoon'), ['Paper boats afternoon']);
    });
  });
}
