// Queries on PostgreSQL are prepared once per connection: the same answers, fewer parses and plans, a bound on
// what each connection holds, and recovery when a table changes under a running process.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/database.ts';
import { STATEMENTS_PER_CONNECTION, statementName } from '../src/db/prepared-statements.ts';

const serverUrl = process.env.TEST_DATABASE_URL;

async function run(connectionString: string, text: string) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** The statements prepared on the one connection of a pool of one, and how many times each has run. */
async function preparedStatements(database: Database): Promise<{ name: string; runs: number }[]> {
  const { rows } = await sql<{ name: string; runs: number }>`
    select name, (generic_plans + custom_plans)::int as runs from pg_prepared_statements`.execute(database.db);
  return rows;
}

/** The names of the statements prepared on the one connection of a pool of one. */
async function preparedNames(database: Database): Promise<string[]> {
  return (await preparedStatements(database)).map((statement) => statement.name);
}

describe('prepared statements on PostgreSQL', { skip: serverUrl ? false : 'TEST_DATABASE_URL is not set' }, () => {
  const name = `pathway_test_${randomBytes(6).toString('hex')}`;
  let url: string;

  before(async () => {
    await run(serverUrl!, `create database ${name}`);
    const target = new URL(serverUrl!);
    target.pathname = `/${name}`;
    url = target.href;
    const database = await openDatabase({ url });
    await database.executeSql(`create table pets (id int primary key, name text not null);
      insert into pets values (1, 'Biscuit'), (2, 'Pepper'), (3, 'Nutmeg');`);
    await database.close();
  });
  after(async () => {
    await run(serverUrl!, `drop database if exists ${name} with (force)`);
  });

  test('a query with parameters is prepared once on its connection and answers as before', async () => {
    const database = await openDatabase({ url, poolSize: 1 });
    try {
      const query = (id: number) =>
        database.db
          .selectFrom('pets' as never)
          .select('name' as never)
          .where('id' as never, '=', id as never);
      const text = query(1).compile().sql;
      for (const [id, expected] of [
        [1, 'Biscuit'],
        [2, 'Pepper'],
        [3, 'Nutmeg'],
        [1, 'Biscuit'],
      ] as const) {
        assert.deepEqual(await query(id).execute(), [{ name: expected }]);
      }
      // One statement, prepared the first time and run four times, rather than four parses and plans.
      const statements = await preparedStatements(database);
      assert.deepEqual(
        statements.filter((statement) => statement.name === statementName(text)),
        [{ name: statementName(text), runs: 4 }],
      );
    } finally {
      await database.close();
    }
  });

  test('with prepared statements turned off, nothing is prepared', async () => {
    const database = await openDatabase({ url, poolSize: 1, preparedStatements: false });
    try {
      await sql`select name from pets where id = ${1}`.execute(database.db);
      assert.deepEqual(await preparedNames(database), []);
    } finally {
      await database.close();
    }
  });

  test('a connection holds a bounded number of prepared statements; further queries still answer', async () => {
    const database = await openDatabase({ url, poolSize: 1 });
    try {
      // Each length of list is a different statement, as a query built from a list of ids would be.
      for (let length = 1; length <= STATEMENTS_PER_CONNECTION + 20; length += 1) {
        const ids = Array.from({ length }, (_, i) => i + 1);
        const { rows } = await sql<{
          count: string;
        }>`select count(*) as count from pets where id in (${sql.join(ids)})`.execute(database.db);
        assert.equal(Number(rows[0]!.count), Math.min(length, 3));
      }
      assert.equal((await preparedNames(database)).length, STATEMENTS_PER_CONNECTION);
    } finally {
      await database.close();
    }
  });

  test('when a table changes its columns under a prepared query, that query fails once and the next one answers', async () => {
    const database = await openDatabase({ url, poolSize: 1 });
    try {
      const everything = () => sql<Record<string, unknown>>`select * from pets where id = ${1}`.execute(database.db);
      assert.deepEqual((await everything()).rows, [{ id: 1, name: 'Biscuit' }]);
      // As a deployment's migration might, while this process runs.
      await run(url, `alter table pets add column species text not null default 'cat'`);
      await assert.rejects(everything(), /cached plan must not change result type/);
      assert.deepEqual((await everything()).rows, [{ id: 1, name: 'Biscuit', species: 'cat' }]);
    } finally {
      await database.close();
    }
  });
});
