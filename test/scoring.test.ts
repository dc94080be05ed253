// The scoring model pages: the model in use in plain words, a draft tried against past applications, and
// publishing it as the next version, for administrators only.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { seedDemoApplications } from '../src/demo/applications.ts';
import { scoreApplication } from '../src/domain/scoring/score.ts';
import { SHIPPED_MODEL } from '../src/features/scoring/service.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { seededApp, signedInClient } from './helpers/app.ts';

for (const target of databaseTargets()) {
  describe(`Scoring model pages on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;

    before(async () => {
      database = await target.open();
      app = await seededApp(database);
      await seedDemoApplications(database.db);
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    test('managers and analysts read the model in use in plain words; families and providers may not', async () => {
      for (const email of ['admin@demo.pathway.test', 'manager@demo.pathway.test', 'analyst@demo.pathway.test']) {
        const page = await (await signedInClient(app, email)).get('/admin/scoring');
        assert.equal(page.statusCode, 200, email);
        assert.match(page.body, /How much do your child&#39;s needs affect their daily life/);
        assert.match(page.body, /someone answered that someone may be at risk of harm/);
        assert.match(page.body, /the total is at least 140 points/);
        assert.match(
          page.body,
          /I cannot keep caring without help now<\/td>\s*<td class="govuk-table__cell">Exceptional need<\/td>/,
          'each answer shows the level of need its words show',
        );
      }
      for (const email of ['parent@demo.pathway.test', 'provider@demo.pathway.test']) {
        assert.equal((await (await signedInClient(app, email)).get('/admin/scoring')).statusCode, 403, email);
      }
      const manager = await signedInClient(app, 'manager@demo.pathway.test');
      assert.equal((await manager.get('/admin/scoring/draft')).statusCode, 403);
    });

    test('a draft that is not valid is refused with what is wrong, in plain English', async () => {
      const admin = await signedInClient(app, 'admin@demo.pathway.test');
      const notJson = await admin.submit('/admin/scoring/draft', '/admin/scoring/draft', { draft: '{"questions": [' });
      assert.equal(notJson.statusCode, 400);
      assert.match(notJson.body, /not valid JSON/);
      const noCatchAll = { ...SHIPPED_MODEL, rules: SHIPPED_MODEL.rules.slice(0, -1) };
      const broken = await admin.submit('/admin/scoring/draft', '/admin/scoring/draft', {
        draft: JSON.stringify(noCatchAll),
      });
      assert.equal(broken.statusCode, 400);
      assert.match(broken.body, /The last rule must have no conditions/);
      // A question scored the wrong way round: the answers showing most need score least.
      const reversed = {
        ...SHIPPED_MODEL,
        questions: SHIPPED_MODEL.questions.map((question) =>
          question.id === 'able_to_continue'
            ? {
                ...question,
                options: question.options.map((option, index, all) => ({
                  ...option,
                  points: all[all.length - 1 - index]!.points,
                })),
              }
            : question,
        ),
      };
      const refused = await admin.submit('/admin/scoring/draft', '/admin/scoring/draft', {
        draft: JSON.stringify(reversed),
      });
      assert.equal(refused.statusCode, 400);
      assert.match(
        refused.body,
        /Answer &quot;cannot_without_help&quot; of &quot;able_to_continue&quot; shows exceptional need but scores fewer points/,
      );
      const notPublished = await admin.submit('/admin/scoring/draft', '/admin/scoring/publish', {
        draft: JSON.stringify(reversed),
      });
      assert.equal(notPublished.statusCode, 400, 'a reversed model cannot be published');
    });

    test('a draft is compared with past applications, then published as the next version', async () => {
      const admin = await signedInClient(app, 'admin@demo.pathway.test');
      // Everything that scored a band now gets the standard offer instead.
      const draft = {
        ...SHIPPED_MODEL,
        rules: SHIPPED_MODEL.rules.filter((rule) => rule.id !== 'band_one' && rule.id !== 'band_two'),
      };
      const past = await database.db
        .selectFrom('short_break_applications')
        .select(['answers', 'child_age', 'status'])
        .execute();
      const submitted = past.filter((row) => row.status !== 'draft' && row.status !== 'withdrawn');
      const expected = submitted.filter((row) =>
        ['band_one', 'band_two'].includes(
          scoreApplication(SHIPPED_MODEL, { answers: row.answers, childAge: row.child_age! }).ruleId,
        ),
      ).length;
      assert.ok(expected > 0, 'some demo applications scored a band');
      const compared = await admin.submit('/admin/scoring/draft', '/admin/scoring/draft', {
        draft: JSON.stringify(draft),
      });
      assert.equal(compared.statusCode, 200);
      assert.match(
        compared.body,
        new RegExp(`${expected} of ${submitted.length} past applications would get a different outcome`),
      );

      const published = await admin.submit('/admin/scoring/draft', '/admin/scoring/publish', {
        draft: JSON.stringify(draft),
      });
      assert.equal(published.statusCode, 303);
      const page = await admin.get('/admin/scoring');
      assert.match(page.body, new RegExp(`Version ${SHIPPED_MODEL.version + 1}`));
      assert.doesNotMatch(page.body, /up to £6,656 a year/);
      assert.match(page.body, /someone may be at risk of harm/, 'the pasted model keeps the names of its flags');
      const audit = await database.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'publish-scoring-model')
        .execute();
      assert.equal(audit.length, 1);
      const versions = await database.db.selectFrom('scoring_models').select(['version', 'status']).execute();
      assert.deepEqual(versions, [{ version: SHIPPED_MODEL.version + 1, status: 'published' }]);
    });
  });
}
