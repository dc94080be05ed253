// The structured scoring model editor: administrators change a question and a rule on forms, reorder rules, try
// the draft against past applications and publish it; two administrators cannot save over each other unseen.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { seedDemoApplications } from '../src/demo/applications.ts';
import { SHIPPED_MODEL } from '../src/features/scoring/service.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { seededApp, signedInClient, type TestClient } from './helpers/app.ts';

const EDITOR = '/admin/scoring/editor';

for (const target of databaseTargets()) {
  describe(`Scoring model editor on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let admin: TestClient;

    before(async () => {
      database = await target.open();
      app = await seededApp(database);
      await seedDemoApplications(database.db);
      admin = await signedInClient(app, 'admin@demo.pathway.test');
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    const draftVersion = async () =>
      (await database.db.selectFrom('scoring_model_drafts').select('version').executeTakeFirstOrThrow()).version;

    test('only administrators change the model; a draft starts from the model in use', async () => {
      const manager = await signedInClient(app, 'manager@demo.pathway.test');
      assert.equal((await manager.get(EDITOR)).statusCode, 403);
      const empty = await admin.get(EDITOR);
      assert.match(empty.body, /Start a draft from the model in use/);
      const started = await admin.submit(EDITOR, `${EDITOR}/start`, {});
      assert.equal(started.statusCode, 303);
      const overview = await admin.get(EDITOR);
      assert.match(overview.body, /How much do your child&#39;s needs affect their daily life/);
      assert.match(overview.body, /Move down/);
    });

    test('a question is changed on a form: bad input gets GOV.UK messages, good input is saved', async () => {
      const question = SHIPPED_MODEL.questions[0]!;
      const page = `${EDITOR}/questions/${question.id}`;
      const form = await admin.get(page);
      assert.equal(form.statusCode, 200);
      const fields: Record<string, string> = {
        version: String(await draftVersion()),
        text: question.text,
        hint: question.hint ?? '',
        domain: question.domain,
        weight: '1',
      };
      for (const [index, option] of question.options.entries()) {
        fields[`label-${index}`] = option.label;
        fields[`points-${index}`] = String(option.points);
        fields[`need-${index}`] = option.need ?? '';
        fields[`explanation-${index}`] = option.explanation;
      }
      const bad = await admin.submit(page, page, { ...fields, 'points-2': 'many', text: '' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Enter the question/);
      assert.match(bad.body, /Enter the points as a whole number/);
      const reversed = await admin.submit(page, page, { ...fields, 'points-3': '5' });
      assert.equal(reversed.statusCode, 400, 'an answer showing more need may not score fewer points');
      assert.match(reversed.body, /Answer 4 shows more need than answer 3, so give it at least 21 points/);
      const noNeed = await admin.submit(page, page, { ...fields, 'need-1': '' });
      assert.equal(noNeed.statusCode, 400);
      assert.match(noNeed.body, /Select how much need this answer shows/);
      const good = await admin.submit(page, page, { ...fields, 'points-3': '40' });
      assert.equal(good.statusCode, 303);
      const draft = await database.db.selectFrom('scoring_model_drafts').select('model').executeTakeFirstOrThrow();
      const saved = (draft.model as unknown as typeof SHIPPED_MODEL).questions[0]!;
      assert.equal(saved.options[3]!.points, 40);
    });

    test('a rule is changed and moved; a stale form is refused with a clear message', async () => {
      const rule = SHIPPED_MODEL.rules.find((candidate) => candidate.id === 'band_one')!;
      const page = `${EDITOR}/rules/${rule.id}`;
      const version = String(await draftVersion());
      const changed = await admin.submit(page, page, {
        version,
        reason: rule.reason,
        minTotal: '70',
        kind: 'band',
        label: rule.outcome.label,
        amountPerYear: String(rule.outcome.amountPerYear),
      });
      assert.equal(changed.statusCode, 303);
      const stale = await admin.submit(page, page, {
        version,
        reason: 'An older change',
        minTotal: '10',
        kind: 'band',
        label: rule.outcome.label,
      });
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /Another administrator changed the draft/);
      const moved = await admin.submit(EDITOR, `${EDITOR}/rules/${rule.id}/move`, {
        version: String(await draftVersion()),
        direction: 'up',
      });
      assert.equal(moved.statusCode, 303);
      const draft = await database.db.selectFrom('scoring_model_drafts').select('model').executeTakeFirstOrThrow();
      const rules = (draft.model as unknown as typeof SHIPPED_MODEL).rules;
      const index = rules.findIndex((candidate) => candidate.id === rule.id);
      assert.equal(rules[index]!.when.minTotal, 70);
      assert.equal(index, SHIPPED_MODEL.rules.findIndex((candidate) => candidate.id === rule.id) - 1);
    });

    test('the draft is tried against past applications, then published as the next version', async () => {
      const tried = await admin.submit(EDITOR, `${EDITOR}/try`, { version: String(await draftVersion()) });
      assert.equal(tried.statusCode, 200);
      assert.match(tried.body, /\d+ of \d+ past applications would get a different outcome/);
      const published = await admin.submit(EDITOR, `${EDITOR}/publish`, { version: String(await draftVersion()) });
      assert.equal(published.statusCode, 303);
      assert.equal(published.headers.location, `/admin/scoring?published=${SHIPPED_MODEL.version + 1}`);
      const models = await database.db.selectFrom('scoring_models').select(['version', 'status', 'model']).execute();
      assert.equal(models.length, 1);
      assert.equal((models[0]!.model as unknown as typeof SHIPPED_MODEL).questions[0]!.options[3]!.points, 40);
      assert.equal(
        (await database.db.selectFrom('scoring_model_drafts').select('la_code').execute()).length,
        0,
        'the draft is cleared',
      );
      const audit = await database.db
        .selectFrom('audit_events')
        .select('action')
        .where('action', 'like', '%scoring-model%')
        .execute();
      assert.ok(audit.some((row) => row.action === 'change-scoring-model-draft'));
    });
    test('a draft with a reversed question, however it got there, shows the problem and cannot be tried or published', async () => {
      await admin.submit(EDITOR, `${EDITOR}/start`, {});
      const draft = await database.db.selectFrom('scoring_model_drafts').select('model').executeTakeFirstOrThrow();
      const model = draft.model as unknown as typeof SHIPPED_MODEL;
      const reversed = {
        ...model,
        questions: model.questions.map((question) =>
          question.id === 'no_support'
            ? { ...question, options: question.options.map((option, index) => ({ ...option, points: 30 - index })) }
            : question,
        ),
      };
      await database.db
        .updateTable('scoring_model_drafts')
        .set({ model: JSON.stringify(reversed) })
        .execute();
      const overview = await admin.get(EDITOR);
      assert.match(
        overview.body,
        /Answer &quot;crisis&quot; of &quot;no_support&quot; shows exceptional need but scores fewer points/,
      );
      const published = await admin.submit(EDITOR, `${EDITOR}/publish`, { version: String(await draftVersion()) });
      assert.equal(published.statusCode, 400);
      const tried = await admin.submit(EDITOR, `${EDITOR}/try`, { version: String(await draftVersion()) });
      assert.equal(tried.statusCode, 400);
    });
  });
}
