// A web process loads the public directory's search before it takes requests, so the first family to search does
// not wait for the index to be built.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO_COUNCIL, seedDemoCouncil } from '../src/db/seed/demo.ts';
import { seedDemoDirectory } from '../src/db/seed/demo-directory.ts';
import { searchIndexFor } from '../src/features/directory/search-index.ts';
import { prepareSearch } from '../src/features/directory/understanding.ts';
import { databaseTargets } from './helpers/databases.ts';

// One database only: which council is public and its index are kept per process, so a second database in this
// process would find them already made. PostgreSQL when the tests have one.
const target = databaseTargets().at(-1)!;

describe(`preparing search on ${target.name}`, () => {
  test('a database without a council has nothing to prepare; with one, the index is built and kept', async () => {
    const database = await target.open();
    try {
      await prepareSearch(database.db, undefined);
      await seedDemoCouncil(database.db, 'test');
      await seedDemoDirectory(database.db);
      await prepareSearch(database.db, undefined);
      const started = Date.now();
      const index = await searchIndexFor(database.db, DEMO_COUNCIL.laCode);
      assert.ok(index.builtAt <= started, 'the index searches use was built while preparing');
      assert.ok(index.fields.ids.length > 100);
      assert.equal(await searchIndexFor(database.db, DEMO_COUNCIL.laCode), index);
    } finally {
      await database.dispose();
    }
  });
});
