// A family applies online for short breaks: the gateway, one question per page with save and return, check
// your answers and a declaration, one submission however many times it is sent, scored with the model in use.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { SHIPPED_MODEL } from '../src/features/scoring/service.ts';
import { addWorkingDays, toIsoDate } from '../src/domain/working-days.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { csrfTokenIn, seededApp, signedInClient, type TestClient } from './helpers/app.ts';

const PARENT = 'parent@demo.pathway.test';

/** A question's answer at a level of need, as the model states it: the family's choice, whatever it is called. */
const answerAt = (question: (typeof SHIPPED_MODEL.questions)[number], need: string) =>
  question.options.find((option) => option.need === need)!;

for (const target of databaseTargets()) {
  describe(`Short-breaks application on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let parent: TestClient;

    before(async () => {
      database = await target.open();
      app = await seededApp(database);
      parent = await signedInClient(app, PARENT);
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    const childNamed = async (givenName: string) =>
      database.db.selectFrom('children').select('id').where('given_name', '=', givenName).executeTakeFirstOrThrow();

    // Each test brings Tobi's application to the stage it needs: starting again continues the one draft.
    const startTobisApplication = async () => {
      const tobi = await childNamed('Tobi');
      const started = await parent.submit('/short-breaks', '/short-breaks/start', { childId: tobi.id });
      return String(started.headers.location);
    };
    const passGateway = (applicationUrl: string) =>
      parent.submit(`${applicationUrl}/eligibility`, `${applicationUrl}/eligibility`, {
        livesInArea: 'yes',
        evidence: 'ehc_plan',
      });
    /** The answers the scoring test expects: a lot of need everywhere but no risk of harm. */
    const answerEverything = async (applicationUrl: string) => {
      const aboutChild = `${applicationUrl}/about/child`;
      await parent.submit(aboutChild, aboutChild, { condition: 'Autism', ethnicity: 'REFU' });
      const aboutFamily = `${applicationUrl}/about/family`;
      await parent.submit(aboutFamily, aboutFamily, { parentCarers: 'two', siblings: '1', youngCarers: 'yes' });
      for (const [index, question] of SHIPPED_MODEL.questions.entries()) {
        const page = `${applicationUrl}/questions/${question.id}`;
        const answer = answerAt(question, question.id === 'risk_of_harm' ? 'none' : 'a_lot').id;
        await parent.submit(page, page, { answer, note: index === 0 ? 'He needs two adults when we go out.' : '' });
      }
    };

    test("a parent starts an application for their own child, and not for someone else's", async () => {
      const start = await parent.get('/short-breaks');
      assert.equal(start.statusCode, 200);
      assert.match(start.body, /Start an application for Tobi/);
      const other = await childNamed('Zofia');
      const refused = await parent.submit('/short-breaks', '/short-breaks/start', { childId: other.id });
      assert.equal(refused.statusCode, 404);
      const tobi = await childNamed('Tobi');
      const started = await parent.submit('/short-breaks', '/short-breaks/start', { childId: tobi.id });
      assert.equal(started.statusCode, 303);
      const applicationUrl = String(started.headers.location);
      assert.match(applicationUrl, /^\/short-breaks\/applications\/[0-9a-f-]{36}$/);
      const again = await parent.submit('/short-breaks', '/short-breaks/start', { childId: tobi.id });
      assert.equal(again.headers.location, applicationUrl, 'the draft is continued, not duplicated');
      const taskList = await parent.get(applicationUrl);
      assert.match(taskList.body, /Check you can apply/);
      const stranger = await signedInClient(app, 'young.person@demo.pathway.test');
      assert.equal((await stranger.get(applicationUrl)).statusCode, 404);
    });

    test('the gateway needs an answer to each question, and someone without evidence is told what else there is', async () => {
      const applicationUrl = await startTobisApplication();
      const empty = await parent.submit(`${applicationUrl}/eligibility`, `${applicationUrl}/eligibility`, {});
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Select yes if your child lives in the Northmoor Borough Council area/);
      assert.match(empty.body, /Select which of these your child has/);
      const none = await parent.submit(`${applicationUrl}/eligibility`, `${applicationUrl}/eligibility`, {
        livesInArea: 'yes',
        evidence: 'none',
      });
      assert.equal(none.headers.location, `${applicationUrl}/not-eligible`);
      const explained = await parent.get(`${applicationUrl}/not-eligible`);
      assert.match(explained.body, /We need to know your child has an EHC plan/);
      assert.match(explained.body, /href="\/services"/);
      const firstQuestion = SHIPPED_MODEL.questions[0]!.id;
      assert.equal((await parent.get(`${applicationUrl}/questions/${firstQuestion}`)).statusCode, 303);
      const eligible = await parent.submit(`${applicationUrl}/eligibility`, `${applicationUrl}/eligibility`, {
        livesInArea: 'yes',
        evidence: 'ehc_plan',
      });
      assert.equal(eligible.headers.location, applicationUrl);
    });

    test('one question per page; answers are saved as the family goes, and sending needs every answer and the declaration', async () => {
      const applicationUrl = await startTobisApplication();
      await passGateway(applicationUrl);
      const questions = SHIPPED_MODEL.questions;
      const first = await parent.submit(
        `${applicationUrl}/questions/${questions[0]!.id}`,
        `${applicationUrl}/questions/${questions[0]!.id}`,
        {},
      );
      assert.equal(first.statusCode, 400);
      assert.match(first.body, /Select the answer that fits best/);
      const early = await parent.submit(`${applicationUrl}/check`, `${applicationUrl}/submit`, { declaration: 'yes' });
      assert.equal(early.statusCode, 400);
      assert.match(early.body, /Answer every question before sending/);
      const aboutChild = `${applicationUrl}/about/child`;
      const noChild = await parent.submit(aboutChild, aboutChild, { condition: '' });
      assert.equal(noChild.statusCode, 400);
      assert.match(noChild.body, /Enter Tobi&#39;s disability or condition/);
      assert.match(noChild.body, /Select Tobi&#39;s ethnic group, or prefer not to say/);
      const child = await parent.submit(aboutChild, aboutChild, { condition: 'Autism', ethnicity: 'REFU' });
      assert.equal(child.headers.location, applicationUrl);
      const aboutFamily = `${applicationUrl}/about/family`;
      const badFamily = await parent.submit(aboutFamily, aboutFamily, {
        parentCarers: 'two',
        siblings: 'three',
        youngCarers: 'maybe',
      });
      assert.equal(badFamily.statusCode, 400);
      assert.match(badFamily.body, /Enter a number from 0 to 20/);
      assert.match(badFamily.body, /Select whether any brothers or sisters help to look after Tobi/);
      const family = await parent.submit(aboutFamily, aboutFamily, {
        parentCarers: 'two',
        siblings: '1',
        youngCarers: 'yes',
      });
      assert.equal(family.headers.location, applicationUrl);
      const tooLong = await parent.submit(
        `${applicationUrl}/questions/${questions[0]!.id}`,
        `${applicationUrl}/questions/${questions[0]!.id}`,
        { answer: answerAt(questions[0]!, 'a_lot').id, note: 'x'.repeat(2001) },
      );
      assert.equal(tooLong.statusCode, 400);
      assert.match(tooLong.body, /What you tell us must be 2000 characters or fewer/);
      for (const [index, question] of questions.entries()) {
        const answer = answerAt(question, question.id === 'risk_of_harm' ? 'none' : 'a_lot').id;
        const saved = await parent.submit(
          `${applicationUrl}/questions/${question.id}`,
          `${applicationUrl}/questions/${question.id}`,
          { answer, note: index === 0 ? 'He needs two adults when we go out.' : '' },
        );
        const next = questions[index + 1];
        assert.equal(saved.headers.location, `${applicationUrl}${next ? `/questions/${next.id}` : '/check'}`);
      }
      const check = await parent.get(`${applicationUrl}/check`);
      assert.match(check.body, /Check your answers before sending your application/);
      assert.ok(check.body.includes(answerAt(questions[0]!, 'a_lot').label), 'the answer is shown in its words');
      assert.match(check.body, /Does your child live in the Northmoor Borough Council area\?/);
      assert.match(check.body, /Prefer not to say/);
      const noDeclaration = await parent.submit(`${applicationUrl}/check`, `${applicationUrl}/submit`, {});
      assert.equal(noDeclaration.statusCode, 400);
      assert.match(noDeclaration.body, /Confirm the information is correct/);
    });

    test('sending twice makes one submission with one reference, scored with the model in use', async () => {
      const applicationUrl = await startTobisApplication();
      await passGateway(applicationUrl);
      await answerEverything(applicationUrl);
      // A double click: the same form, with the same token, sent twice at once.
      const token = csrfTokenIn((await parent.get(`${applicationUrl}/check`)).body);
      const send = () => parent.post(`${applicationUrl}/submit`, { _csrf: token, declaration: 'yes' });
      const [first, second] = await Promise.all([send(), send()]);
      assert.equal(first.statusCode, 303);
      assert.equal(second.statusCode, 303);
      const rows = await database.db
        .selectFrom('short_break_applications')
        .select(['status', 'reference', 'model_version', 'total', 'rule_id', 'child_age'])
        .where('child_id', '=', (await childNamed('Tobi')).id)
        .execute();
      assert.equal(rows.length, 1);
      const [row] = rows;
      assert.equal(row!.status, 'submitted');
      assert.match(row!.reference!, /^SB-[0-9A-F]{8}$/);
      assert.equal(row!.model_version, SHIPPED_MODEL.version);
      assert.equal(row!.total, 21 * 6);
      assert.equal(row!.rule_id, 'band_two');
      const confirmation = await parent.get(`${applicationUrl}/confirmation`);
      assert.match(confirmation.body, new RegExp(row!.reference!));
      const changeAfter = await parent.submit(
        `${applicationUrl}/confirmation`,
        `${applicationUrl}/questions/${SHIPPED_MODEL.questions[0]!.id}`,
        { answer: answerAt(SHIPPED_MODEL.questions[0]!, 'none').id },
      );
      assert.equal(
        changeAfter.headers.location,
        `${applicationUrl}/confirmation`,
        'a sent application cannot be changed',
      );
      const unchanged = await database.db
        .selectFrom('short_break_applications')
        .select('answers')
        .where('reference', '=', row!.reference)
        .executeTakeFirstOrThrow();
      assert.equal(
        unchanged.answers[SHIPPED_MODEL.questions[0]!.id],
        answerAt(SHIPPED_MODEL.questions[0]!, 'a_lot').id,
      );
      const audit = await database.db
        .selectFrom('audit_events')
        .select('action')
        .where('action', '=', 'submit-short-breaks-application')
        .execute();
      assert.equal(audit.length, 1);

      // The family is told once, by email, that it arrived, what happens next and by when.
      const told = await database.db
        .selectFrom('notifications_outbox')
        .select(['recipient', 'subject', 'body'])
        .where('template', '=', 'short-breaks-sent')
        .execute();
      assert.deepEqual(
        told.map((message) => message.recipient),
        [PARENT],
      );
      const [message] = told;
      assert.equal(message!.subject, `We have your short breaks application ${row!.reference!}`);
      assert.match(message!.body, /short breaks application SB-[0-9A-F]{8} for Tobi/);
      const dueOn = addWorkingDays(toIsoDate(new Date()), 20);
      const due = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(
        new Date(`${dueOn}T12:00:00Z`),
      );
      assert.ok(
        message!.body.includes(`We aim to tell you our decision within 20 working days, by ${due}.`),
        message!.body,
      );
      assert.ok(message!.body.includes(`${app.config.publicUrl}${applicationUrl}/confirmation`), message!.body);
      assert.doesNotMatch(message!.body, /\{\w+\}/);
      assert.match(confirmation.body, /We aim to tell you our decision within 20 working days/);
    });
  });
}
