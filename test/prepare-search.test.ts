// A web process loads the public directory's search before it takes requests, so the first family to search does
// not wait for the index to be built.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO_COUNCIL, seedDemoCouncil } from '../src/demo/council.ts';
import { seedDemoDirectory } from '../src/demo/directory.ts';
import { DirectorySearch } from '../src/features/directory/search/directory-search.ts';
import { databaseTargets } from './helpers/databases.ts';

// One database only: which council is public is kept per process (council.ts), so a second database in this
// process would find it already known. PostgreSQL when the tests have one.
const target = databaseTargets().at(-1)!;

describe(`preparing search on ${target.name}`, () => {
  test('a database without a council has nothing to prepare; with one, the index is built and kept', async () => {
    const database = await target.open();
    const search = new DirectorySearch(database);
    try {
      await search.prepare(undefined);
      await seedDemoCouncil(database.db, 'test');
      await seedDemoDirectory(database.db);
      await search.prepare(undefined);
      const started = Date.now();
      const index = await search.indexFor(DEMO_COUNCIL.laCode);
      assert.ok(index.builtAt <= started, 'the index searches use was built while preparing');
      assert.ok(index.fields.ids.length > 100);
      assert.equal(await search.indexFor(DEMO_COUNCIL.laCode), index);
    } finally {
      await search.close();
      await database.dispose();
    }
  });
});
