// Staff forms that show an error give back everything the person chose and typed, so nothing has to be entered
// twice: the front door's decision, a child's move, the short-breaks officer's evidence check and question, and the
// directory editor's note on a public report (whose length is a field error, not the generic bad-request page).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { seedDemoApplications } from '../src/demo/applications.ts';
import { seedDemoDirectory } from '../src/demo/directory.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { seededApp, signedInClient, TestClient } from './helpers/app.ts';

const TOO_LONG = 'x'.repeat(2001);

/** Whether the page has a radio or checkbox with this name and value ticked. */
function ticked(html: string, name: string, value: string) {
  const input = new RegExp(`<input[^>]*name="${name}"[^>]*value="${value}"[^>]*>`).exec(html)?.[0];
  assert.ok(input, `the page has ${name}=${value}`);
  return / checked/.test(input);
}

/** The text in the textarea with this id. */
function textareaValue(html: string, id: string) {
  return new RegExp(`<textarea[^>]*id="${id}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1]?.trim();
}

for (const target of databaseTargets()) {
  describe(`Staff forms keep what was typed on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;

    before(async () => {
      database = await target.open();
      app = await seededApp(database);
      await seedDemoDirectory(database.db);
      await seedDemoApplications(database.db, new Date('2026-10-01T10:00:00Z'));
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    /** A professional's referral, sent to the front door; returns its id. */
    async function sentReferral() {
      const referrer = await signedInClient(app, 'referrer@demo.pathway.test');
      const started = await referrer.submit('/referrals/new', '/referrals/new', { sourceCode: '2A' });
      const draft = String(started.headers.location).replace(/\/child$/, '');
      for (const [section, values] of [
        [
          'child',
          {
            givenName: 'Ada',
            familyName: 'Marsh',
            dobDay: '4',
            dobMonth: '2',
            dobYear: '2017',
            postcode: 'NM1 2AB',
            nhsNumber: '',
          },
        ],
        ['needs', { primaryNeed: 'N2', needs: 'A break for her parents.', tried: 'Nothing yet.' }],
        ['consent', { consent: 'yes', safeguarding: 'no' }],
      ] as const) {
        assert.equal((await referrer.submit(`${draft}/${section}`, `${draft}/${section}`, values)).statusCode, 303);
      }
      assert.equal((await referrer.submit(`${draft}/check`, `${draft}/send`, {})).statusCode, 303);
      return draft.split('/').pop()!;
    }

    test('the front door keeps the "Why" without an outcome, and the outcome without a "Why"', async () => {
      const id = await sentReferral();
      const { version } = await database.db
        .selectFrom('referrals')
        .select('version')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const triage = await signedInClient(app, 'triage@demo.pathway.test');
      const page = `/referrals/${id}`;
      const noOutcome = await triage.submit(page, `${page}/decide`, {
        version: String(version),
        reason: 'Their needs are met by universal services.',
      });
      assert.equal(noOutcome.statusCode, 400);
      assert.equal(textareaValue(noOutcome.body, 'reason'), 'Their needs are met by universal services.');

      const noReason = await triage.submit(page, `${page}/decide`, {
        version: String(version),
        outcome: 'no_further_action',
      });
      assert.equal(noReason.statusCode, 400);
      assert.match(noReason.body, /Enter why/);
      assert.ok(ticked(noReason.body, 'outcome', 'no_further_action'));
    });

    test('a social worker keeps the "Why" when no move was chosen', async () => {
      const child = await database.db
        .selectFrom('children')
        .select('id')
        .where('given_name', '=', 'Zofia')
        .executeTakeFirstOrThrow();
      const socialWorker = await signedInClient(app, 'social.worker@demo.pathway.test');
      const record = `/children/${child.id}`;
      const moved = await socialWorker.submit(record, `${record}/move`, {
        episodeId: '',
        reason: 'School asked for help at home.',
      });
      assert.equal(moved.statusCode, 400);
      assert.match(moved.body, /Select where to move the child/);
      assert.equal(textareaValue(moved.body, 'reason'), 'School asked for help at home.');
    });

    test('the short-breaks officer keeps the ticked evidence and a question that is too long', async () => {
      const application = await database.db
        .selectFrom('short_break_applications')
        .select(['id', 'version'])
        .where('status', '=', 'submitted')
        .orderBy('submitted_at')
        .executeTakeFirstOrThrow();
      const officer = await signedInClient(app, 'short.breaks@demo.pathway.test');
      const page = `/short-breaks/queue/${application.id}`;
      const partial = await officer.submit(page, `${page}/verify`, {
        checks: ['identity'],
        version: String(application.version),
      });
      assert.equal(partial.statusCode, 400);
      assert.ok(ticked(partial.body, 'checks', 'identity'));
      assert.ok(!ticked(partial.body, 'checks', 'disability_evidence'));
      assert.ok(!ticked(partial.body, 'checks', 'lives_in_area'));

      const question = `Please send the letter. ${TOO_LONG}`;
      const asked = await officer.submit(page, `${page}/ask`, { question, version: String(application.version) });
      assert.equal(asked.statusCode, 400);
      assert.match(asked.body, /govuk-error-message/);
      assert.equal(textareaValue(asked.body, 'question'), question);
    });

    test('the directory editor gets a field error for a long note, and a message after an update', async () => {
      const service = await database.db.selectFrom('services').select('id').executeTakeFirstOrThrow();
      const reported = await new TestClient(app).submit(
        `/services/${service.id}/feedback`,
        `/services/${service.id}/feedback`,
        {
          message: 'The opening times are wrong',
          email: '',
        },
      );
      assert.equal(reported.statusCode, 303);
      const feedback = await database.db
        .selectFrom('service_feedback')
        .select('id')
        .where('service_id', '=', service.id)
        .executeTakeFirstOrThrow();
      const editor = await signedInClient(app, 'editor@demo.pathway.test');
      const list = '/manage/feedback?status=new';
      assert.match((await editor.get(list)).body, /The opening times are wrong/);

      const note = `Rang the provider. ${TOO_LONG}`;
      const long = await editor.submit(list, `/manage/feedback/${feedback.id}`, {
        status: 'in_progress',
        response: note,
        filter: 'new',
      });
      assert.equal(long.statusCode, 400);
      assert.match(long.body, /What was done must be 2,000 characters or fewer/);
      assert.match(long.body, new RegExp(`href="#response-${feedback.id}"`));
      assert.equal(textareaValue(long.body, `response-${feedback.id}`), note);
      assert.match(long.body, /<option value="in_progress" selected>/);

      const updated = await editor.submit(list, `/manage/feedback/${feedback.id}`, {
        status: 'in_progress',
        response: 'Rang the provider.',
        filter: 'new',
      });
      assert.equal(updated.statusCode, 303);
      assert.equal(updated.headers.location, '/manage/feedback?status=new&updated=yes');
      const back = await editor.get('/manage/feedback?status=new&updated=yes');
      assert.match(back.body, /The report has been updated/);
      assert.match(back.body, /<option value="new" selected>/);
    });
  });
}
