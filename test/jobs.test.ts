// The job queue runs on Pathway's own database, embedded or server, and the scheduled work does its job.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { queueNotification } from '../src/features/notifications/service.ts';
import { startJobQueue, type JobQueue } from '../src/jobs/queue.ts';
import { scheduledJobs } from '../src/jobs/worker.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { testConfig } from './helpers/app.ts';
import { seedDemoCouncil } from '../src/demo/council.ts';

for (const target of databaseTargets()) {
  describe(`job queue on ${target.name}`, () => {
    let database: TestDatabase;
    let jobs: JobQueue;

    before(async () => {
      database = await target.open();
      await seedDemoCouncil(database.db, 'test');
      jobs = await startJobQueue(database, { work: [], onError: (error) => assert.fail(error) });
    });
    after(async () => {
      await jobs.stop({ graceful: true, wait: true });
      await database.dispose();
    });

    test('a job sent to the queue is picked up by a worker', async () => {
      await jobs.createQueue('test-job');
      const received = new Promise<unknown>((resolve) => {
        void jobs.work('test-job', { pollingIntervalSeconds: 0.5 }, async ([job]) => resolve(job?.data));
      });
      await jobs.send('test-job', { childId: 'c-1' });
      assert.deepEqual(await received, { childId: 'c-1' });
    });

    test('the scheduled notification job delivers queued messages', async () => {
      const id = await queueNotification(database.db, {
        laCode: 'Z99',
        template: 'account-locked',
        recipient: 'x@example.test',
        params: { minutes: 1 },
      });
      const deliver = scheduledJobs(testConfig(), database).find((job) => job.name === 'deliver-notifications');
      assert.ok(deliver);
      await deliver.handler();
      const row = await database.db
        .selectFrom('notifications_outbox')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(row.status, 'recorded');
    });

    test('the scheduled session job ends sessions idle past the timeout', async () => {
      const user = await database.db.selectFrom('users').select(['id', 'la_code']).executeTakeFirstOrThrow();
      await database.db
        .insertInto('sessions')
        .values([
          {
            id_hash: 'idle',
            user_id: user.id,
            la_code: user.la_code,
            last_seen_at: new Date(Date.now() - 2 * 60 * 60_000),
          },
          { id_hash: 'fresh', user_id: user.id, la_code: user.la_code, last_seen_at: new Date() },
        ])
        .execute();
      const purge = scheduledJobs(testConfig(), database).find((job) => job.name === 'purge-idle-sessions');
      assert.ok(purge);
      await purge.handler();
      const left = await database.db.selectFrom('sessions').select('id_hash').execute();
      assert.deepEqual(
        left.map((row) => row.id_hash),
        ['fresh'],
      );
    });
  });
}
