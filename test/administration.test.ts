// Setting up a council through the administration service: every council, locality, team, account and child record
// it makes is audited without personal details, and a use case that fails leaves nothing half made.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_COUNCIL, DEMO_USERS, seedDemoCouncil } from '../src/demo/council.ts';
import { createUsers, hasCouncil } from '../src/features/administration/service.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';

for (const target of databaseTargets()) {
  describe(`Administration on ${target.name}`, () => {
    let database: TestDatabase;

    before(async () => {
      database = await target.open();
    });
    after(async () => {
      await database.dispose();
    });

    test('the demo council is set up through the service, with an audit row for everything it made', async () => {
      assert.equal(await hasCouncil(database.db), false);
      await seedDemoCouncil(database.db, 'test');
      assert.equal(await hasCouncil(database.db), true);
      const rows = await database.db
        .selectFrom('audit_events')
        .select(['action', 'actor_user_id', 'actor_role', 'details'])
        .where('request_id', '=', 'seed-demo')
        .execute();
      const count = (action: string) => rows.filter((row) => row.action === action).length;
      assert.equal(count('create-council'), 1);
      assert.equal(count('add-locality'), 4);
      assert.equal(count('create-team'), 4);
      assert.equal(count('create-user'), DEMO_USERS.length);
      assert.equal(count('create-child-record'), 7);
      for (const row of rows) {
        assert.equal(row.actor_user_id, null, 'a command, not a person, made the demo');
        assert.equal(row.actor_role, 'system');
        assert.doesNotMatch(JSON.stringify(row.details), /@|Okafor|Hussain/, 'ids and roles only, no personal details');
      }
    });

    test('accounts made together are made all or not at all', async () => {
      const before = await database.db.selectFrom('users').select('id').execute();
      const actor = { userId: null, role: 'system', requestId: 'administration-test' };
      const newcomer = {
        email: 'newcomer@demo.pathway.test',
        displayName: 'New Comer',
        roles: ['analyst' as const],
        teamIds: [],
        passwordHash: null,
      };
      // The second account's email is taken, so neither account is made.
      await assert.rejects(
        createUsers(
          database.db,
          DEMO_COUNCIL.laCode,
          [newcomer, { ...newcomer, email: 'admin@demo.pathway.test' }],
          actor,
        ),
      );
      assert.equal((await database.db.selectFrom('users').select('id').execute()).length, before.length);
      const ids = await createUsers(database.db, DEMO_COUNCIL.laCode, [newcomer], actor);
      const roles = await database.db
        .selectFrom('user_roles')
        .select('role')
        .where('user_id', '=', ids.get(newcomer.email)!)
        .execute();
      assert.deepEqual(roles, [{ role: 'analyst' }]);
    });
  });
}
