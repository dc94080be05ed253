// Keeping the directory right: providers edit their own services, editors approve with a diff, history and
// restore, review reminders and stale flags, public reports with a status, and the sufficiency view.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { DEMO_GAP, seedDemoDirectory } from '../src/demo/directory.ts';
import { flagStaleServices, sendReviewReminders } from '../src/features/directory/reminders.ts';
import { decideChange } from '../src/features/directory/upkeep.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { seededApp, signedInClient, TestClient } from './helpers/app.ts';

const PROVIDER = 'provider@demo.pathway.test';
const EDITOR = 'editor@demo.pathway.test';

for (const target of databaseTargets()) {
  describe(`Directory upkeep on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let provider: TestClient;
    let editor: TestClient;
    let ownService: { id: string; name: string; version: number };
    let otherService: { id: string };

    const serviceRow = (id: string) =>
      database.db.selectFrom('services').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const outboxTo = (recipient: string, template: string) =>
      database.db
        .selectFrom('notifications_outbox')
        .select(['subject', 'body'])
        .where('recipient', '=', recipient)
        .where('template', '=', template)
        .execute();

    /** The edit form's fields for a service as it is now, with some changed. */
    const editFields = (changes: Record<string, string | string[]>) => ({
      name: ownService.name,
      description: 'A Saturday play session for disabled children.',
      status: 'active',
      minimumAge: '5',
      maximumAge: '12',
      sendNeeds: ['autism', 'learning_disability'],
      accessRoutes: ['self_referral'],
      days: ['SA'],
      hours: '10:00 to 15:00',
      costKind: 'paid',
      cost: '£8 a session',
      url: 'https://example.org/play',
      email: 'hello@example.org',
      ...changes,
    });

    before(async () => {
      database = await target.open();
      app = await seededApp(database);
      await seedDemoDirectory(database.db);
      const { rows } = await sql<{ id: string; name: string; version: number; mine: boolean }>`
        select s.id, s.name, s.version,
               exists (select 1 from organization_members m join users u on u.id = m.user_id
                        where m.organization_id = s.organization_id and u.email = ${PROVIDER}) as mine
          from services s order by s.name`.execute(database.db);
      ownService = rows.find((row) => row.mine)!;
      otherService = rows.find((row) => !row.mine)!;
      provider = await signedInClient(app, PROVIDER);
      editor = await signedInClient(app, EDITOR);
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    test("a provider sees only their own organisation's services, and another's is not found", async () => {
      const list = await provider.get('/manage/services');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, new RegExp(ownService.id));
      assert.doesNotMatch(list.body, new RegExp(otherService.id));
      // Every heading of the list is words, never a placeholder left unfilled.
      assert.match(list.body, /<th scope="col" class="govuk-table__header">Organisation<\/th>/);
      assert.doesNotMatch(list.body, /\{[a-z]+\}/i);
      assert.equal((await provider.get(`/manage/services/${otherService.id}/edit`)).statusCode, 404);
      const edit = await provider.submit(
        `/manage/services/${ownService.id}/edit`,
        `/manage/services/${otherService.id}/edit`,
        editFields({}),
      );
      assert.equal(edit.statusCode, 404);
      assert.equal((await provider.get('/manage/changes')).statusCode, 403);
    });

    test('a wrong answer on the edit form is a 400 with the GOV.UK error summary, and nothing is saved', async () => {
      const response = await provider.submit(
        `/manage/services/${ownService.id}/edit`,
        `/manage/services/${ownService.id}/edit`,
        editFields({ name: '', minimumAge: '12', maximumAge: '5', url: 'not a website', email: 'nope' }),
      );
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /govuk-error-summary/);
      assert.match(response.body, /Enter the name of the service/);
      assert.match(response.body, /Oldest age must be the same as or more than youngest age/);
      assert.match(response.body, /Enter a website address/);
      assert.match(response.body, /Enter an email address in the correct format/);
      const waiting = await database.db.selectFrom('service_changes').select('id').execute();
      assert.equal(waiting.length, 0);
    });

    test("a provider's change waits for an editor, who sees the diff and approves it; then it is published", async () => {
      const newName = `${ownService.name} (Saturdays)`;
      const sent = await provider.submit(
        `/manage/services/${ownService.id}/edit`,
        `/manage/services/${ownService.id}/edit`,
        editFields({ name: newName }),
      );
      assert.equal(sent.statusCode, 303);
      assert.equal((await serviceRow(ownService.id)).name, ownService.name, 'nothing published yet');
      const toEditor = await outboxTo(EDITOR, 'directory-change-proposed');
      assert.equal(toEditor.length, 1);

      const queue = await editor.get('/manage/changes');
      const changeId = /href="\/manage\/changes\/([0-9a-f-]{36})"/.exec(queue.body)?.[1];
      assert.ok(changeId, 'the change is in the queue');
      const diff = await editor.get(`/manage/changes/${changeId}`);
      assert.equal(diff.statusCode, 200);
      assert.match(diff.body, new RegExp(`<del>${ownService.name.replace(/[()]/g, '\\$&')}</del>`));
      assert.match(diff.body, /<ins>[^<]*\(Saturdays\)<\/ins>/);

      const approved = await editor.submit(`/manage/changes/${changeId}`, `/manage/changes/${changeId}`, {
        decision: 'approve',
        note: '',
        version: String(ownService.version),
      });
      assert.equal(approved.statusCode, 303);
      const published = await serviceRow(ownService.id);
      assert.equal(published.name, newName);
      assert.equal(published.version, ownService.version + 1);
      assert.equal(published.assured_date, new Date().toISOString().slice(0, 10));
      assert.equal((await outboxTo(PROVIDER, 'directory-change-approved')).length, 1);
      const search = await app.inject({ url: `/services?q=${encodeURIComponent('Saturdays')}` });
      assert.match(search.body, new RegExp(ownService.id));
    });

    test('the history keeps every version, and an editor can restore an earlier one', async () => {
      const page = await editor.get(`/manage/services/${ownService.id}`);
      assert.match(page.body, /Version history/);
      assert.match(page.body, new RegExp(`/versions/${ownService.version}/restore`));
      const restored = await editor.submit(
        `/manage/services/${ownService.id}`,
        `/manage/services/${ownService.id}/versions/${ownService.version}/restore`,
        {},
      );
      assert.equal(restored.statusCode, 303);
      const row = await serviceRow(ownService.id);
      assert.equal(row.name, ownService.name);
      assert.equal(row.version, ownService.version + 2);
      const versions = await database.db
        .selectFrom('service_versions')
        .select(['version', 'summary'])
        .where('service_id', '=', ownService.id)
        .orderBy('version')
        .execute();
      assert.deepEqual(
        versions.map((version) => version.version),
        [ownService.version, ownService.version + 1, ownService.version + 2],
      );
      const providerRestore = await provider.submit(
        `/manage/services/${ownService.id}`,
        `/manage/services/${ownService.id}/versions/${ownService.version}/restore`,
        {},
      );
      assert.equal(providerRestore.statusCode, 403);
    });

    test('rejecting needs a reason, and the provider is told it', async () => {
      await provider.submit(
        `/manage/services/${ownService.id}/edit`,
        `/manage/services/${ownService.id}/edit`,
        editFields({ cost: 'Free for everyone', costKind: 'free' }),
      );
      const change = await database.db
        .selectFrom('service_changes')
        .select('id')
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow();
      const version = String((await serviceRow(ownService.id)).version);
      const noReason = await editor.submit(`/manage/changes/${change.id}`, `/manage/changes/${change.id}`, {
        decision: 'reject',
        note: '',
        version,
      });
      assert.equal(noReason.statusCode, 400);
      assert.match(noReason.body, /Enter a reason/);
      const rejected = await editor.submit(`/manage/changes/${change.id}`, `/manage/changes/${change.id}`, {
        decision: 'reject',
        note: 'The council funds only some places; say who it is free for.',
        version,
      });
      assert.equal(rejected.statusCode, 303);
      const told = await outboxTo(PROVIDER, 'directory-change-rejected');
      assert.equal(told.length, 1);
      assert.match(told[0]!.body, /say who it is free for/);
      assert.notEqual((await serviceRow(ownService.id)).is_free, true);
    });

    test('two editors deciding the same change at once: one wins, the other is told, nothing is lost', async () => {
      await provider.submit(
        `/manage/services/${ownService.id}/edit`,
        `/manage/services/${ownService.id}/edit`,
        editFields({ hours: '09:30 to 14:30' }),
      );
      const change = await database.db
        .selectFrom('service_changes')
        .select('id')
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow();
      const before = await serviceRow(ownService.id);
      const editorUser = await database.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', EDITOR)
        .executeTakeFirstOrThrow();
      const user = {
        id: editorUser.id,
        laCode: 'Z99',
        displayName: 'Editor',
        email: EDITOR,
        roles: ['directory_editor' as const],
        teamIds: [],
      };
      const decide = (decision: 'approve' | 'reject') =>
        decideChange(database.db, user, {
          changeId: change.id,
          decision,
          note: 'Checked',
          seenVersion: before.version,
          requestId: 'test',
          link: 'http://localhost/manage/services',
        });
      const outcomes = await Promise.all([decide('approve'), decide('reject')]);
      assert.equal(outcomes.filter((outcome) => outcome === 'already-decided').length, 1, outcomes.join());
      const decided = await database.db
        .selectFrom('service_changes')
        .select('status')
        .where('id', '=', change.id)
        .executeTakeFirstOrThrow();
      assert.ok(outcomes.includes(decided.status as 'approved' | 'rejected'));
      const after = await serviceRow(ownService.id);
      assert.equal(after.version, decided.status === 'approved' ? before.version + 1 : before.version);
    });

    test('an editor deciding on a diff that is out of date is told to look again', async () => {
      await provider.submit(
        `/manage/services/${ownService.id}/edit`,
        `/manage/services/${ownService.id}/edit`,
        editFields({ hours: 'Saturdays in term time' }),
      );
      const change = await database.db
        .selectFrom('service_changes')
        .select('id')
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow();
      const stale = String((await serviceRow(ownService.id)).version - 1);
      const response = await editor.submit(`/manage/changes/${change.id}`, `/manage/changes/${change.id}`, {
        decision: 'approve',
        note: '',
        version: stale,
      });
      assert.equal(response.statusCode, 409);
      assert.match(response.body, /The service changed while you were looking/);
    });

    test('providers are reminded before the review date, once; stale entries are flagged to editors and marked publicly', async () => {
      const today = new Date();
      const daysAgo = (days: number) => new Date(today.getTime() - days * 86_400_000).toISOString().slice(0, 10);
      await database.db
        .updateTable('services')
        .set({ assured_date: daysAgo(175), review_by: null, review_reminded_at: null, stale_flagged_at: null })
        .where('id', '=', ownService.id)
        .execute();
      await database.db
        .updateTable('services')
        .set({ assured_date: daysAgo(40), review_by: null, review_reminded_at: null })
        .where('id', '!=', ownService.id)
        .execute();
      await database.db
        .updateTable('services')
        .set({ assured_date: daysAgo(200) })
        .where('id', '=', otherService.id)
        .execute();
      const first = await sendReviewReminders(database.db, { baseUrl: 'http://localhost:3000', today });
      assert.ok(first.services >= 1);
      const reminders = await outboxTo(PROVIDER, 'directory-review-due');
      assert.equal(reminders.length, 1);
      assert.match(reminders[0]!.body, new RegExp(`/manage/services/${ownService.id}`));
      await sendReviewReminders(database.db, { baseUrl: 'http://localhost:3000', today });
      assert.equal((await outboxTo(PROVIDER, 'directory-review-due')).length, 1, 'not reminded twice');

      const flagged = await flagStaleServices(database.db, { baseUrl: 'http://localhost:3000', today });
      assert.equal(flagged, 1);
      const toEditors = await outboxTo(EDITOR, 'directory-stale-entries');
      assert.equal(toEditors.length, 1);
      assert.equal(await flagStaleServices(database.db, { baseUrl: 'http://localhost:3000', today }), 0);
      const stalePage = await editor.get('/manage/services?show=stale');
      assert.match(stalePage.body, new RegExp(otherService.id));
      assert.doesNotMatch(stalePage.body, new RegExp(ownService.id));
      const publicPage = await app.inject({ url: `/services/${otherService.id}` });
      assert.match(publicPage.body, /It may be out of date/);
    });

    test('a provider confirming an entry is still right marks it checked today', async () => {
      const response = await provider.submit(
        `/manage/services/${ownService.id}`,
        `/manage/services/${ownService.id}/confirm`,
        {},
      );
      assert.equal(response.statusCode, 303);
      const row = await serviceRow(ownService.id);
      assert.equal(row.assured_date, new Date().toISOString().slice(0, 10));
      assert.equal(row.review_reminded_at, null);
    });

    test("public reports reach the provider's account, who records what was done", async () => {
      const report = await new TestClient(app).submit(
        `/services/${ownService.id}/feedback`,
        `/services/${ownService.id}/feedback`,
        { message: 'The phone number is wrong', email: '' },
      );
      assert.equal(report.statusCode, 303);
      assert.equal((await outboxTo(PROVIDER, 'directory-feedback')).length, 1);
      const list = await provider.get('/manage/feedback');
      assert.match(list.body, /The phone number is wrong/);
      const feedback = await database.db.selectFrom('service_feedback').select('id').executeTakeFirstOrThrow();
      const updated = await provider.submit('/manage/feedback', `/manage/feedback/${feedback.id}`, {
        status: 'resolved',
        response: 'Number corrected',
      });
      assert.equal(updated.statusCode, 303);
      const row = await database.db
        .selectFrom('service_feedback')
        .select(['status', 'response'])
        .where('id', '=', feedback.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, { status: 'resolved', response: 'Number corrected' });
      const bad = await provider.submit('/manage/feedback', `/manage/feedback/${feedback.id}`, {
        status: 'gone',
        response: '',
      });
      assert.equal(bad.statusCode, 400);
    });

    test('the sufficiency view shows the gap in its table and heat map, and downloads as CSV', async () => {
      const category = await database.db
        .selectFrom('taxonomy_terms')
        .select('id')
        .where('name', '=', DEMO_GAP.category)
        .executeTakeFirstOrThrow();
      const page = await editor.get(`/manage/sufficiency?category=${category.id}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<svg class="pathway-heat-map" role="img"/);
      const gapRow = new RegExp(
        `<th scope="row" class="govuk-table__header">${DEMO_GAP.locality}</th>\\s*<td[^>]*>0</td>\\s*<td[^>]*>0</td>`,
      );
      assert.match(page.body, gapRow, 'no short breaks for 0 to 4 or 5 to 7 in the gap locality');
      const csv = await editor.get(`/manage/sufficiency.csv?category=${category.id}`);
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /text\/csv/);
      const lines = csv.body.trim().split('\n');
      assert.equal(lines[0], 'locality,age_band,need,services');
      assert.ok(lines.includes(`"${DEMO_GAP.locality}","5 to 7",any,0`));
      assert.equal((await provider.get('/manage/sufficiency')).statusCode, 403);
      const analyst = await signedInClient(app, 'analyst@demo.pathway.test');
      assert.equal((await analyst.get('/manage/sufficiency')).statusCode, 200);
    });

    test('an editor adds a glossary term and search understands it at once; others may not edit it', async () => {
      const before = await app.inject({ url: '/services?q=boogaloo' });
      assert.doesNotMatch(before.body, /BOOGALOO means/);
      const empty = await editor.submit('/manage/glossary', '/manage/glossary', {
        term: '',
        meaning: '',
        alternatives: '',
      });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Enter the term/);
      const saved = await editor.submit('/manage/glossary', '/manage/glossary', {
        term: 'BOOGALOO',
        meaning: 'speech and language therapy',
        alternatives: 'speech therapy, SALT',
        explain: 'yes',
      });
      assert.equal(saved.statusCode, 303);
      const after = await app.inject({ url: '/services?q=boogaloo' });
      assert.match(after.body, /BOOGALOO means speech and language therapy/);
      const terms = await database.db.selectFrom('glossary_terms').select('term').execute();
      assert.ok(terms.length > 80, 'the shipped glossary became the council’s own, with the new term');
      const removed = await editor.submit('/manage/glossary', '/manage/glossary/delete', { term: 'boogaloo' });
      assert.equal(removed.statusCode, 303);
      assert.doesNotMatch((await app.inject({ url: '/services?q=boogaloo' })).body, /BOOGALOO means/);
      assert.equal((await provider.get('/manage/glossary')).statusCode, 403);
    });
  });
}
