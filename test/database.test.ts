// The database itself: migrations, tenancy columns, and an audit trail that cannot be rewritten.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { migrate, migrationFiles } from '../src/db/migrate.ts';
import { seedDemoCouncil, SeedRefusedError } from '../src/demo/council.ts';
import { recordAudit } from '../src/features/audit/service.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';

// Tables that describe the system rather than a council's data.
const NOT_COUNCIL_DATA = new Set(['councils', 'schema_migrations']);

for (const target of databaseTargets()) {
  describe(`database on ${target.name}`, () => {
    let database: TestDatabase;

    before(async () => {
      database = await target.open();
      await seedDemoCouncil(database.db, 'test');
    });
    after(async () => {
      await database.dispose();
    });

    test('every migration is recorded once, and running migrations again changes nothing', async () => {
      const applied = await database.db.selectFrom('schema_migrations').select('version').orderBy('version').execute();
      assert.deepEqual(
        applied.map((row) => row.version),
        migrationFiles().map((file) => file.replace(/\.sql$/, '')),
      );
      assert.deepEqual(await migrate(database), []);
    });

    test('every table of council data carries la_code', async () => {
      const tables = await sql<{ table_name: string; has_la_code: boolean }>`
        select t.table_name,
               exists (select 1 from information_schema.columns c
                        where c.table_schema = t.table_schema and c.table_name = t.table_name and c.column_name = 'la_code') as has_la_code
          from information_schema.tables t
         where t.table_schema = 'public' and t.table_type = 'BASE TABLE'`.execute(database.db);
      const missing = tables.rows.filter((row) => !NOT_COUNCIL_DATA.has(row.table_name) && !row.has_la_code);
      assert.ok(tables.rows.length > 5);
      assert.deepEqual(
        missing.map((row) => row.table_name),
        [],
      );
    });

    test('audit rows cannot be changed, deleted or truncated, even by the role that owns the table', async () => {
      await recordAudit(database.db, {
        laCode: 'Z99',
        actorUserId: null,
        actorRole: 'administrator',
        action: 'test-event',
        requestId: 'request-1',
      });
      await assert.rejects(
        sql`update audit_events set action = 'rewritten' where action = 'test-event'`.execute(database.db),
        /append-only/,
      );
      await assert.rejects(
        sql`delete from audit_events where action = 'test-event'`.execute(database.db),
        /append-only/,
      );
      await assert.rejects(sql`truncate audit_events`.execute(database.db), /append-only/);
      const rows = await database.db
        .selectFrom('audit_events')
        .select('action')
        .where('action', '=', 'test-event')
        .execute();
      assert.equal(rows.length, 1);
    });

    test('an audit row written in a transaction that fails is rolled back with it', async () => {
      await assert.rejects(
        database.db.transaction().execute(async (trx) => {
          await recordAudit(trx, {
            laCode: 'Z99',
            actorUserId: null,
            actorRole: null,
            action: 'doomed',
            requestId: null,
          });
          throw new Error('the change failed');
        }),
      );
      const rows = await database.db.selectFrom('audit_events').select('id').where('action', '=', 'doomed').execute();
      assert.equal(rows.length, 0);
    });

    test('calendar dates come back as the same YYYY-MM-DD text, whatever the time zone', async () => {
      const child = await database.db
        .selectFrom('children')
        .select('date_of_birth')
        .where('given_name', '=', 'Tobi')
        .executeTakeFirstOrThrow();
      assert.equal(child.date_of_birth, '2016-03-14');
    });

    test('the demo council is never seeded in production', async () => {
      await assert.rejects(seedDemoCouncil(database.db, 'production'), SeedRefusedError);
    });
  });
}
