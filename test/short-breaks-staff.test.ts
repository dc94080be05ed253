// Staff work on short-breaks applications: the queue oldest first with working days waiting, an audited view,
// the officer's evidence check, and a manager's decision, with two managers at once resolved safely.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { seedDemoApplications } from '../src/demo/applications.ts';
import { decideApplication } from '../src/features/short-breaks/staff.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { seededApp, signedInClient, testConfig } from './helpers/app.ts';
import { scheduledJobs } from '../src/jobs/worker.ts';

for (const target of databaseTargets()) {
  describe(`Short breaks staff work on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;

    before(async () => {
      database = await target.open();
      app = await seededApp(database);
      await seedDemoApplications(database.db, new Date('2026-10-01T10:00:00Z'));
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    const applicationIn = (status: 'submitted' | 'verified') =>
      database.db
        .selectFrom('short_break_applications')
        .select(['id', 'version', 'outcome'])
        .where('status', '=', status)
        .orderBy('submitted_at')
        .executeTakeFirstOrThrow();

    test('officers see waiting applications oldest first with working days waiting; families may not', async () => {
      const officer = await signedInClient(app, 'short.breaks@demo.pathway.test');
      const queue = await officer.get('/short-breaks/queue');
      assert.equal(queue.statusCode, 200);
      assert.match(queue.body, /working days/);
      assert.match(queue.body, /Overdue/, 'applications sent on 1 October are past 20 working days');
      assert.doesNotMatch(queue.body, /Decided</);
      const parent = await signedInClient(app, 'parent@demo.pathway.test');
      assert.equal((await parent.get('/short-breaks/queue')).statusCode, 403);
    });

    test('viewing an application is audited; the officer must tick every check to confirm the evidence', async () => {
      const officer = await signedInClient(app, 'short.breaks@demo.pathway.test');
      const application = await applicationIn('submitted');
      const page = await officer.get(`/short-breaks/queue/${application.id}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Why this outcome was proposed/);
      const views = await database.db
        .selectFrom('audit_events')
        .select('subject_id')
        .where('action', '=', 'view-short-breaks-application')
        .execute();
      assert.ok(views.some((view) => view.subject_id === application.id));
      const partial = await officer.submit(
        `/short-breaks/queue/${application.id}`,
        `/short-breaks/queue/${application.id}/verify`,
        { checks: ['identity'], version: String(application.version) },
      );
      assert.equal(partial.statusCode, 400);
      assert.match(partial.body, /Check every item of evidence/);
      const verified = await officer.submit(
        `/short-breaks/queue/${application.id}`,
        `/short-breaks/queue/${application.id}/verify`,
        { checks: ['identity', 'disability_evidence', 'lives_in_area'], version: String(application.version) },
      );
      assert.equal(verified.statusCode, 303);
      const row = await database.db
        .selectFrom('short_break_applications')
        .select('status')
        .where('id', '=', application.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.status, 'verified');
      const manager = await signedInClient(app, 'manager@demo.pathway.test');
      const notOfficer = await manager.submit(
        `/short-breaks/queue/${application.id}`,
        `/short-breaks/queue/${application.id}/verify`,
        { checks: ['identity'], version: '1' },
      );
      assert.equal(notOfficer.statusCode, 403);
    });

    test('a manager overriding must give a reason; ratifying records the proposed outcome and tells the family', async () => {
      const manager = await signedInClient(app, 'manager@demo.pathway.test');
      // Jordan's application was verified above; Jordan applies for themselves as a young person.
      const application = await database.db
        .selectFrom('short_break_applications as a')
        .innerJoin('children as c', 'c.id', 'a.child_id')
        .select(['a.id', 'a.version'])
        .where('c.given_name', '=', 'Jordan')
        .where('a.status', '=', 'verified')
        .executeTakeFirstOrThrow();
      const noReason = await manager.submit(
        `/short-breaks/queue/${application.id}`,
        `/short-breaks/queue/${application.id}/decide`,
        {
          decision: 'override',
          outcome: 'A social work assessment',
          overrideReason: '',
          version: String(application.version),
        },
      );
      assert.equal(noReason.statusCode, 400);
      assert.match(noReason.body, /Enter the reason for changing the outcome/);
      const ratified = await manager.submit(
        `/short-breaks/queue/${application.id}`,
        `/short-breaks/queue/${application.id}/decide`,
        { decision: 'ratify', version: String(application.version) },
      );
      assert.equal(ratified.statusCode, 303);
      const row = await database.db
        .selectFrom('short_break_applications')
        .select(['status', 'decision', 'outcome'])
        .where('id', '=', application.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.status, 'decided');
      assert.deepEqual(row.decision, row.outcome);
      const told = await database.db
        .selectFrom('notifications_outbox')
        .select('recipient')
        .where('template', '=', 'short-breaks-decided')
        .execute();
      assert.deepEqual(
        told.map((message) => message.recipient),
        ['young.person@demo.pathway.test'],
      );
    });

    test('the family reads the decision in plain English and in Easy Read, and no other family can', async () => {
      const jordan = await database.db
        .selectFrom('short_break_applications as a')
        .innerJoin('children as c', 'c.id', 'a.child_id')
        .select(['a.id', 'a.decision'])
        .where('c.given_name', '=', 'Jordan')
        .executeTakeFirstOrThrow();
      const decision = jordan.decision as { label: string; reason: string };
      const family = await signedInClient(app, 'young.person@demo.pathway.test');
      const start = await family.get('/short-breaks');
      assert.match(start.body, new RegExp(`href="/short-breaks/applications/${jordan.id}/decision"`));
      const letter = await family.get(`/short-breaks/applications/${jordan.id}/decision`);
      assert.equal(letter.statusCode, 200);
      assert.ok(letter.body.includes(decision.label.replaceAll("'", '&#39;')));
      assert.match(letter.body, /Why we decided this/);
      assert.match(letter.body, /What you told us/);
      assert.match(letter.body, /When we will look at this again/);
      assert.match(letter.body, /If you disagree/);
      const reads = await database.db
        .selectFrom('audit_events')
        .select('subject_id')
        .where('action', '=', 'view-short-breaks-decision')
        .execute();
      assert.deepEqual(
        reads.map((read) => read.subject_id),
        [jordan.id],
      );
      const easyRead = await family.get(`/short-breaks/applications/${jordan.id}/decision?format=easy-read`);
      assert.equal(easyRead.statusCode, 200);
      assert.match(
        easyRead.body,
        /<img class="pathway-easy-read__picture" src="\/static\/easy-read\/[a-z]+\.svg" alt="A picture of [^"]+"/,
      );
      assert.match(easyRead.body, /Tell us in 28 days/);
      const picture = await app.inject({ url: '/static/easy-read/calendar.svg' });
      assert.equal(picture.statusCode, 200);
      const otherFamily = await signedInClient(app, 'parent@demo.pathway.test');
      assert.equal((await otherFamily.get(`/short-breaks/applications/${jordan.id}/decision`)).statusCode, 404);
    });

    test('two managers deciding at once: one decision stands, the other writes nothing and is told', async () => {
      const application = await applicationIn('verified');
      const manager = await database.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'manager@demo.pathway.test')
        .executeTakeFirstOrThrow();
      const user = {
        id: manager.id,
        laCode: 'Z99',
        displayName: 'Manager',
        email: 'manager@demo.pathway.test',
        roles: ['team_manager' as const],
        teamIds: [],
      };
      const decide = (label: string, reason: string | null) =>
        decideApplication(database.db, user, {
          id: application.id,
          seenVersion: application.version,
          outcome: { kind: 'band', label, amountPerYear: 1 },
          overrideReason: reason,
          panelAmount: 5000,
          requestId: 'test',
          baseUrl: 'http://localhost',
        });
      const outcomes = await Promise.all([decide('First', 'one'), decide('Second', 'two')]);
      assert.deepEqual([...outcomes].sort(), ['changed-since', 'done']);
      const row = await database.db
        .selectFrom('short_break_applications')
        .select(['decision', 'override_reason'])
        .where('id', '=', application.id)
        .executeTakeFirstOrThrow();
      const winner = outcomes[0] === 'done' ? { label: 'First', reason: 'one' } : { label: 'Second', reason: 'two' };
      assert.equal((row.decision as { label: string }).label, winner.label);
      assert.equal(row.override_reason, winner.reason);
    });

    test('the weekday round tells team managers once about applications past the service standard', async () => {
      const round = scheduledJobs(testConfig(), database).find((job) => job.name === 'short-breaks-overdue-round');
      assert.ok(round, 'the round is scheduled');
      const waiting = await database.db
        .selectFrom('short_break_applications')
        .select('reference')
        .where('status', 'in', ['submitted', 'more_information_requested', 'verified'])
        .execute();
      assert.ok(waiting.length > 0);
      await round.handler();
      const told = await database.db
        .selectFrom('notifications_outbox')
        .select(['recipient', 'body'])
        .where('template', '=', 'short-breaks-overdue')
        .execute();
      assert.deepEqual(
        told.map((message) => message.recipient),
        ['short.breaks.manager@demo.pathway.test'],
      );
      for (const { reference } of waiting) assert.ok(told[0]!.body.includes(reference!), String(reference));
      await round.handler();
      const again = await database.db
        .selectFrom('notifications_outbox')
        .select('id')
        .where('template', '=', 'short-breaks-overdue')
        .execute();
      assert.equal(again.length, 1, 'each application is flagged once');
    });
  });
}
