// On the embedded database, one request's transaction never sees another request's queries inside it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase, type Database } from './database.ts';
import { TurnLock } from './pglite-dialect.ts';

let database: Database;

before(async () => {
  database = await openDatabase({});
  await database.executeSql('create table counters (name text primary key, value integer not null)');
  await database.executeSql("insert into counters values ('a', 0)");
});
after(async () => {
  await database.close();
});

test('concurrent read-modify-write transactions do not lose updates', async () => {
  const increment = () =>
    database.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ value: number }>`select value from counters where name = 'a'`.execute(trx);
      await new Promise((resolve) => setTimeout(resolve, 1));
      await sql`update counters set value = ${rows[0]!.value + 1} where name = 'a'`.execute(trx);
    });
  await Promise.all(Array.from({ length: 20 }, increment));
  const { rows } = await sql<{ value: number }>`select value from counters where name = 'a'`.execute(database.db);
  assert.equal(rows[0]?.value, 20);
});

test('a failed transaction rolls back and leaves the connection usable', async () => {
  await assert.rejects(
    database.db.transaction().execute(async (trx) => {
      await sql`update counters set value = -1 where name = 'a'`.execute(trx);
      await sql`select * from no_such_table`.execute(trx);
    }),
  );
  const { rows } = await sql<{ value: number }>`select value from counters where name = 'a'`.execute(database.db);
  assert.equal(rows[0]?.value, 20);
});

test('waiting too long for the lock fails with a message that says why, and frees the queue', async () => {
  const lock = new TurnLock(50);
  const release = await lock.acquire();
  await assert.rejects(lock.acquire(), /busy for 50 ms/);
  release();
  const again = await lock.acquire();
  again();
});
