// Around a short-breaks application: evidence files checked from their content, an officer's questions answered
// online by the family, the resource panel for large outcomes, and a family's request for a social work
// assessment instead.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { seedDemoApplications } from '../src/demo/applications.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { seededApp, signedInClient, testConfig, type TestClient } from './helpers/app.ts';
import { scheduledJobs } from '../src/jobs/worker.ts';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d4948445200000001000000010806000000', 'hex'),
]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

for (const target of databaseTargets()) {
  describe(`Short-breaks casework on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let parent: TestClient;

    before(async () => {
      database = await target.open();
      app = await seededApp(database);
      await seedDemoApplications(database.db);
      parent = await signedInClient(app, 'parent@demo.pathway.test');
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    const applicationOf = (givenName: string) =>
      database.db
        .selectFrom('short_break_applications as a')
        .innerJoin('children as c', 'c.id', 'a.child_id')
        .select(['a.id', 'a.status', 'a.version', 'a.child_id', 'a.decision'])
        .where('c.given_name', '=', givenName)
        .where('a.status', '!=', 'withdrawn')
        .orderBy('a.created_at', 'desc')
        .executeTakeFirstOrThrow();

    const outbox = (template: string) =>
      database.db
        .selectFrom('notifications_outbox')
        .select(['recipient', 'body'])
        .where('template', '=', template)
        .execute();

    test('evidence: a PDF or PNG is kept; a wrong type, a lying name, an empty or too-large file gets a clear error', async () => {
      const draft = await applicationOf('Ada');
      const page = `/short-breaks/applications/${draft.id}/evidence`;
      const png = await parent.upload(page, page, {
        field: 'evidence',
        name: 'dla-letter.png',
        type: 'image/png',
        content: PNG,
      });
      assert.equal(png.statusCode, 303);
      const pdf = await parent.upload(page, page, {
        field: 'evidence',
        name: 'ehc plan.pdf',
        type: 'application/pdf',
        content: PDF,
      });
      assert.equal(pdf.statusCode, 303);
      const listed = await parent.get(page);
      assert.match(listed.body, /dla-letter\.png/);
      assert.match(listed.body, /ehc plan\.pdf/);

      const refused = async (
        file: { name: string; type: string; content: Buffer },
        status: number,
        message: RegExp,
      ) => {
        const response = await parent.upload(page, page, { field: 'evidence', ...file });
        assert.equal(response.statusCode, status, file.name);
        assert.match(response.body, message, file.name);
      };
      await refused(
        { name: 'notes.txt', type: 'text/plain', content: Buffer.from('hello') },
        400,
        /The selected file must be a PDF, JPG or PNG/,
      );
      await refused(
        { name: 'photo.png', type: 'image/png', content: Buffer.from('MZ\x90\x00 not really a picture') },
        400,
        /The selected file must be a PDF, JPG or PNG/,
      );
      await refused({ name: 'letter.pdf', type: 'application/pdf', content: PNG }, 400, /does not match what is in it/);
      await refused(
        { name: 'empty.pdf', type: 'application/pdf', content: Buffer.alloc(0) },
        400,
        /The selected file is empty/,
      );
      await refused(
        { name: 'huge.pdf', type: 'application/pdf', content: Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]) },
        413,
        /The selected file must be smaller than 10MB/,
      );
      await refused(
        { name: '', type: 'application/octet-stream', content: Buffer.alloc(0) },
        400,
        /Select a file to upload/,
      );

      const rows = await database.db
        .selectFrom('short_break_evidence')
        .select(['file_name', 'media_type', 'size_bytes'])
        .where('application_id', '=', draft.id)
        .orderBy('uploaded_at')
        .execute();
      assert.deepEqual(rows, [
        { file_name: 'dla-letter.png', media_type: 'image/png', size_bytes: PNG.length },
        { file_name: 'ehc plan.pdf', media_type: 'application/pdf', size_bytes: PDF.length },
      ]);
    });

    test('evidence downloads: the family and short-breaks staff only, audited; the file comes back unchanged', async () => {
      const draft = await applicationOf('Ada');
      const file = await database.db
        .selectFrom('short_break_evidence')
        .select('id')
        .where('application_id', '=', draft.id)
        .where('media_type', '=', 'application/pdf')
        .executeTakeFirstOrThrow();
      const own = await parent.get(`/short-breaks/applications/${draft.id}/evidence/${file.id}`);
      assert.equal(own.statusCode, 200);
      assert.equal(own.headers['content-type'], 'application/pdf');
      assert.match(String(own.headers['content-disposition']), /^attachment; filename\*=UTF-8''ehc%20plan\.pdf$/);
      assert.deepEqual(own.rawPayload, PDF);
      const stranger = await signedInClient(app, 'young.person@demo.pathway.test');
      assert.equal((await stranger.get(`/short-breaks/applications/${draft.id}/evidence/${file.id}`)).statusCode, 404);
      const officer = await signedInClient(app, 'short.breaks@demo.pathway.test');
      // A draft is the family's own until it is sent.
      assert.equal((await officer.get(`/short-breaks/queue/${draft.id}/evidence/${file.id}`)).statusCode, 404);
      const provider = await signedInClient(app, 'provider@demo.pathway.test');
      assert.equal((await provider.get(`/short-breaks/queue/${draft.id}/evidence/${file.id}`)).statusCode, 403);
      const downloads = await database.db
        .selectFrom('audit_events')
        .select(['subject_id', 'subject_child_id'])
        .where('action', '=', 'download-short-breaks-evidence')
        .execute();
      assert.deepEqual(downloads, [{ subject_id: file.id, subject_child_id: draft.child_id }]);
      // Removing a file from a draft.
      const removed = await parent.submit(
        `/short-breaks/applications/${draft.id}/evidence`,
        `/short-breaks/applications/${draft.id}/evidence/${file.id}/remove`,
        {},
      );
      assert.equal(removed.statusCode, 303);
      assert.doesNotMatch((await parent.get(`/short-breaks/applications/${draft.id}/evidence`)).body, /ehc plan\.pdf/);
    });

    test('an officer asks the family for more information; the family answers online and the clock shows the wait', async () => {
      const officer = await signedInClient(app, 'short.breaks@demo.pathway.test');
      const jordan = await applicationOf('Jordan');
      const view = `/short-breaks/queue/${jordan.id}`;
      const empty = await officer.submit(view, `${view}/ask`, { version: String(jordan.version), question: ' ' });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Enter your question for the family/);
      const asked = await officer.submit(view, `${view}/ask`, {
        version: String(jordan.version),
        question: 'Please upload the letter that says Jordan gets PIP.',
      });
      assert.equal(asked.statusCode, 303);
      const stale = await officer.post(`${view}/ask`, {
        _csrf: '',
        version: String(jordan.version),
        question: 'Again?',
      });
      assert.equal(stale.statusCode, 403, 'a form without its token is refused');
      assert.equal((await applicationOf('Jordan')).status, 'more_information_requested');
      const told = await outbox('short-breaks-more-information');
      assert.deepEqual(
        told.map((message) => message.recipient),
        ['young.person@demo.pathway.test'],
      );
      const queue = await officer.get('/short-breaks/queue');
      assert.match(queue.body, /with the family for 0 working days/);

      const family = await signedInClient(app, 'young.person@demo.pathway.test');
      const page = `/short-breaks/applications/${jordan.id}/more-information`;
      const questions = await family.get(page);
      assert.match(questions.body, /Please upload the letter that says Jordan gets PIP\./);
      const request = await database.db
        .selectFrom('short_break_information_requests')
        .select('id')
        .where('application_id', '=', jordan.id)
        .executeTakeFirstOrThrow();
      const blank = await family.submit(page, page, { [`answer-${request.id}`]: '' });
      assert.equal(blank.statusCode, 400);
      assert.match(blank.body, /Enter your answer/);
      const evidencePage = `/short-breaks/applications/${jordan.id}/evidence`;
      const upload = await family.upload(evidencePage, evidencePage, {
        field: 'evidence',
        name: 'pip.pdf',
        type: 'application/pdf',
        content: PDF,
      });
      assert.equal(upload.statusCode, 303, 'files can be added while the officer waits');
      const answered = await family.submit(page, page, { [`answer-${request.id}`]: 'I have uploaded it now.' });
      assert.equal(answered.statusCode, 303);
      assert.equal((await applicationOf('Jordan')).status, 'submitted');
      assert.deepEqual(
        (await outbox('short-breaks-information-answered')).map((message) => message.recipient),
        ['short.breaks@demo.pathway.test'],
      );
      // The family is told their answers arrived, as every submission of theirs is.
      const thanked = await outbox('short-breaks-answers-received');
      assert.deepEqual(
        thanked.map((message) => message.recipient),
        ['young.person@demo.pathway.test'],
      );
      assert.match(thanked[0]?.body ?? '', /We have your answers about short breaks application SB-/);
      const seen = await officer.get(view);
      assert.match(seen.body, /I have uploaded it now\./);
      assert.match(seen.body, /pip\.pdf/);
      const otherFamily = await signedInClient(app, 'parent@demo.pathway.test');
      assert.equal((await otherFamily.get(page)).statusCode, 404);
    });

    test('an outcome above the panel amount waits for the resource panel, who must give reasons; then the family is told', async () => {
      const yusuf = await applicationOf('Yusuf');
      assert.equal(yusuf.status, 'awaiting_panel');
      const panel = await signedInClient(app, 'panel@demo.pathway.test');
      const queue = await panel.get('/short-breaks/panel');
      assert.equal(queue.statusCode, 200);
      assert.match(queue.body, /Yusuf Hussain/);
      const view = `/short-breaks/queue/${yusuf.id}`;
      const noReason = await panel.submit(view, `${view}/panel`, { version: String(yusuf.version), decision: 'agree' });
      assert.equal(noReason.statusCode, 400);
      assert.match(noReason.body, /Enter the panel&#39;s reasons/);
      const manager = await signedInClient(app, 'manager@demo.pathway.test');
      const notPanel = await manager.post(`${view}/panel`, { version: String(yusuf.version), decision: 'agree' });
      assert.equal(notPanel.statusCode, 403);
      const changed = await panel.submit(view, `${view}/panel`, {
        version: String(yusuf.version),
        decision: 'change',
        outcome: 'Short breaks worth up to £1,664 a year',
        panelReason: 'The family already has overnight support from health.',
      });
      assert.equal(changed.statusCode, 303);
      const after = await applicationOf('Yusuf');
      assert.equal(after.status, 'decided');
      assert.equal((after.decision as { label: string }).label, 'Short breaks worth up to £1,664 a year');
      assert.deepEqual(
        (await outbox('short-breaks-decided')).map((message) => message.recipient),
        [],
        'the Hussain family has no account to email',
      );
      // Once the Hussain family has an account, their letter gives the panel's reasons.
      const hussain = await database.db
        .selectFrom('children')
        .select(['family_id', 'la_code'])
        .where('id', '=', yusuf.child_id)
        .executeTakeFirstOrThrow();
      const carer = await database.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'parent@demo.pathway.test')
        .executeTakeFirstOrThrow();
      await database.db
        .insertInto('family_carers')
        .values({ family_id: hussain.family_id, user_id: carer.id, la_code: hussain.la_code, relationship: 'parent' })
        .execute();
      const letter = await parent.get(`/short-breaks/applications/${yusuf.id}/decision`);
      assert.equal(letter.statusCode, 200);
      assert.match(
        letter.body,
        /resource panel looked at your application[^<]*The family already has overnight support/,
      );
      await database.db.deleteFrom('family_carers').where('family_id', '=', hussain.family_id).execute();
      const again = await panel.submit(view, `${view}/panel`, {
        version: String(yusuf.version),
        decision: 'agree',
        panelReason: 'Late',
      });
      assert.equal(again.statusCode, 409);
      assert.match(again.body, /already decided/);

      // A manager's decision above the amount goes to the panel rather than to the family.
      const ibrahim = await applicationOf('Ibrahim');
      const bigOutcome = await manager.submit(
        `/short-breaks/queue/${ibrahim.id}`,
        `/short-breaks/queue/${ibrahim.id}/decide`,
        {
          version: String(ibrahim.version),
          decision: 'override',
          outcome: 'Short breaks worth up to £6,656 a year',
          overrideReason: 'Both parents work nights and Ibrahim needs two carers.',
        },
      );
      assert.equal(bigOutcome.statusCode, 303);
      assert.equal((await applicationOf('Ibrahim')).status, 'awaiting_panel');
      assert.deepEqual(
        (await outbox('short-breaks-panel')).map((message) => message.recipient),
        ['panel@demo.pathway.test'],
      );
    });

    test('"I would like a social work assessment instead" is on every page of the journey and makes one referral', async () => {
      const draft = await applicationOf('Ada');
      for (const path of ['', '/eligibility', '/evidence', '/check']) {
        const page = await parent.get(`/short-breaks/applications/${draft.id}${path}`);
        assert.match(
          page.body,
          new RegExp(
            `href="/social-work-assessment\\?application=${draft.id}">I would like a social work assessment instead`,
          ),
          path,
        );
      }
      const form = await parent.get(`/social-work-assessment?application=${draft.id}`);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, new RegExp(`value="${draft.child_id}" checked`));
      const zofia = await applicationOf('Zofia');
      const notTheirs = await parent.submit('/social-work-assessment', '/social-work-assessment', {
        childId: zofia.child_id,
      });
      assert.equal(notTheirs.statusCode, 400);
      const send = () =>
        parent.submit('/social-work-assessment', '/social-work-assessment', {
          childId: draft.child_id,
          applicationId: draft.id,
          reason: 'We would like to talk to someone in person.',
        });
      assert.equal((await send()).statusCode, 303);
      assert.equal((await send()).statusCode, 303);
      const referrals = await database.db
        .selectFrom('referrals')
        .select(['child_id', 'source_code', 'kind', 'short_break_application_id'])
        .execute();
      assert.deepEqual(referrals, [
        {
          child_id: draft.child_id,
          source_code: '1A',
          kind: 'social_work_assessment',
          short_break_application_id: draft.id,
        },
      ]);
      const told = (await outbox('social-work-assessment-requested')).map((message) => message.recipient).sort();
      assert.deepEqual(told, ['manager@demo.pathway.test', 'social.worker@demo.pathway.test']);
      // Two presses made one request, and the family is told of it once.
      const confirmed = await outbox('assessment-request-received');
      assert.deepEqual(
        confirmed.map((message) => message.recipient),
        ['parent@demo.pathway.test'],
      );
      assert.match(confirmed[0]?.body ?? '', /social work assessment of Ada's and your family's needs/);
      const socialWorker = await signedInClient(app, 'social.worker@demo.pathway.test');
      const list = await socialWorker.get('/referrals');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /Ada Okafor/);
      assert.match(list.body, /We would like to talk to someone in person\./);
      assert.equal((await parent.get('/referrals')).statusCode, 403);
    });

    test('the fairness report shows outcomes and scores by ethnic group, locality and age band, to staff only', async () => {
      const analyst = await signedInClient(app, 'analyst@demo.pathway.test');
      const report = await analyst.get('/short-breaks/fairness');
      assert.equal(report.statusCode, 200);
      for (const heading of ['By ethnic group', 'By locality', 'By age band'])
        assert.match(report.body, new RegExp(heading));
      const pakistani = await database.db
        .selectFrom('short_break_applications')
        .select('id')
        .where('status', 'not in', ['draft', 'withdrawn'])
        .where((eb) => eb.ref('about', '->>').key('ethnicity'), '=', 'APKN')
        .execute();
      assert.ok(pakistani.length > 0);
      assert.match(
        report.body,
        new RegExp(`Asian or Asian British – Pakistani[\\s\\S]*?numeric">${pakistani.length}</td>`),
      );
      assert.equal((await parent.get('/short-breaks/fairness')).statusCode, 403);
    });

    test('eleven months after a decision the family is invited once to review, starting from their last answers', async () => {
      const round = scheduledJobs(testConfig(), database).find((job) => job.name === 'short-breaks-review-round');
      assert.ok(round, 'the round is scheduled');
      await round.handler();
      await round.handler();
      const invited = await outbox('short-breaks-review-due');
      assert.deepEqual(
        invited.map((message) => message.recipient),
        ['parent@demo.pathway.test'],
        'once, to the carer of the child decided eleven months ago',
      );
      const start = await parent.get('/short-breaks');
      assert.match(start.body, /Review Tobi&#39;s short breaks/);
      const tobi = await applicationOf('Tobi');
      const reviewed = await parent.submit('/short-breaks', `/short-breaks/applications/${tobi.id}/review`, {});
      assert.equal(reviewed.statusCode, 303);
      const draftUrl = String(reviewed.headers.location);
      const draft = await database.db
        .selectFrom('short_break_applications')
        .select(['id', 'status', 'review_of', 'answers', 'about'])
        .where('id', '=', draftUrl.split('/').pop()!)
        .executeTakeFirstOrThrow();
      const last = await database.db
        .selectFrom('short_break_applications')
        .select(['answers', 'about'])
        .where('id', '=', tobi.id)
        .executeTakeFirstOrThrow();
      assert.equal(draft.status, 'draft');
      assert.equal(draft.review_of, tobi.id);
      assert.deepEqual(draft.answers, last.answers);
      assert.deepEqual(draft.about, last.about);
      assert.match((await parent.get(draftUrl)).body, /We have filled in your answers from last time/);
      // While the review is written, the decision in place is still there to read.
      const during = await parent.get('/short-breaks');
      assert.match(during.body, /The decision in place while the review goes on is SB-/);
      assert.ok(during.body.includes(`href="/short-breaks/applications/${tobi.id}/decision"`));
      const jordan = await applicationOf('Jordan');
      const family = await signedInClient(app, 'young.person@demo.pathway.test');
      const notDue = await family.submit('/short-breaks', `/short-breaks/applications/${jordan.id}/review`, {});
      assert.equal(notDue.headers.location, '/short-breaks', 'an application not due a review starts nothing');
    });

    test('a family can withdraw a sent application before it is decided, and then start again', async () => {
      const jordan = await applicationOf('Jordan');
      const family = await signedInClient(app, 'young.person@demo.pathway.test');
      const page = `/short-breaks/applications/${jordan.id}/withdraw`;
      assert.match(
        (await family.get(`/short-breaks/applications/${jordan.id}/confirmation`)).body,
        /Withdraw this application/,
      );
      const unanswered = await family.submit(page, page, {});
      assert.equal(unanswered.statusCode, 400);
      assert.match(unanswered.body, /Select yes if you want to withdraw your application/);
      const stranger = await signedInClient(app, 'parent@demo.pathway.test');
      assert.equal((await stranger.get(page)).statusCode, 404);
      const withdrawn = await family.submit(page, page, { withdraw: 'yes' });
      assert.equal(withdrawn.headers.location, '/short-breaks');
      const row = await database.db
        .selectFrom('short_break_applications')
        .select('status')
        .where('id', '=', jordan.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.status, 'withdrawn');
      const confirmed = await outbox('short-breaks-withdrawn');
      assert.deepEqual(
        confirmed.map((message) => message.recipient),
        ['young.person@demo.pathway.test'],
      );
      assert.match(confirmed[0]?.body ?? '', /for Jordan is withdrawn, as you asked/);
      assert.match((await family.get('/short-breaks')).body, /Start an application for Jordan/);
      const tobi = await database.db
        .selectFrom('short_break_applications as a')
        .innerJoin('children as c', 'c.id', 'a.child_id')
        .select('a.id')
        .where('c.given_name', '=', 'Tobi')
        .where('a.status', '=', 'decided')
        .executeTakeFirstOrThrow();
      const decided = await parent.get(`/short-breaks/applications/${tobi.id}/withdraw`);
      assert.equal(decided.statusCode, 303, 'a decided application cannot be withdrawn');
    });
  });
}
