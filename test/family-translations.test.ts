// Families who chose Urdu or Polish read their short-breaks application, the decision letter, their child's record
// and their requests for help in that language: every English key translated, with the same placeholders, and
// shown on the page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadMessages, type Messages } from '../src/web/i18n.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { seededApp, signedInClient } from './helpers/app.ts';
import { seedDemoApplications } from '../src/demo/applications.ts';
import { SHIPPED_MODEL } from '../src/features/scoring/service.ts';
import type { ScoringModel } from '../src/domain/scoring/model.ts';

/** The parts of the locale files a family reads: whole files, or a file's family sections (referrals.ask). */
const FAMILY_FILES = [
  'account.',
  'roles.',
  'setPassword.',
  'shortBreaks.',
  'shortBreaksLetter.',
  'children.',
  'familyMessages.',
  'referrals.instead',
  'referrals.request.',
  'referrals.sent.',
  'referrals.errors.',
  'referrals.ask.',
  'referrals.panel.',
  'referrals.kinds.',
  'frontDoor.statuses.',
];
const TRANSLATED = ['ur', 'pl'] as const;
const PARENT = 'parent@demo.pathway.test';

/** The keys under a prefix, flattened as the app reads them (shortBreaks.tasks.eligibility); no English fallback. */
function keysOf(messages: Messages, prefix: string): string[] {
  return [...messages.keys()].filter((key) => key.startsWith(prefix)).sort();
}

/** Every text of a scoring model a family reads. */
function familyTextsOf(model: ScoringModel): string[] {
  return [
    ...model.questions.flatMap((question) => [
      question.text,
      ...(question.hint ? [question.hint] : []),
      ...question.options.flatMap((option) => [option.label, option.explanation]),
    ]),
    ...model.rules.flatMap((rule) => [rule.reason, rule.outcome.label]),
    ...Object.values(model.flagNames ?? {}),
  ];
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
const markup = (text: string) => [...text.matchAll(/<[^>]+>/g)].map((match) => match[0]);

describe('family pages in Urdu and Polish', () => {
  const english = loadMessages('en');

  for (const code of TRANSLATED) {
    const messages = loadMessages(code);

    for (const file of FAMILY_FILES) {
      test(`${code} ${file} has exactly the English keys`, () => {
        assert.deepEqual(keysOf(messages, file), keysOf(english, file));
      });

      test(`${code} ${file} keeps every placeholder and any markup, and Easy Read keeps its lines`, () => {
        for (const key of keysOf(english, file)) {
          const original = english.get(key)!;
          const translated = messages.get(key) ?? '';
          assert.deepEqual(placeholders(translated), placeholders(original), `${code} ${key} placeholders`);
          assert.deepEqual(markup(translated), markup(original), `${code} ${key} markup`);
          assert.equal(translated.split('\n').length, original.split('\n').length, `${code} ${key} lines`);
          assert.notEqual(translated.trim(), '', `${code} ${key} is empty`);
        }
      });
    }

    test(`${code}: the shipped scoring model has every question, hint, answer, explanation, reason and outcome in ${code}`, () => {
      const words = SHIPPED_MODEL.translations?.[code] ?? {};
      const english = familyTextsOf(SHIPPED_MODEL);
      assert.deepEqual(
        english.filter((text) => !(words[text] ?? '').trim()),
        [],
        'texts without a translation',
      );
      // Every translation is of a text the model has: none left behind by an edit.
      assert.deepEqual(
        Object.keys(words).filter((text) => !english.includes(text)),
        [],
        'translations of texts the model no longer has',
      );
    });

    test(`${code}: the file input and the button beside it have different names, as in English`, () => {
      // A screen reader user hears both; the same words twice would hide which one uploads.
      assert.notEqual(
        messages.get('shortBreaks.evidenceUpload.label'),
        messages.get('shortBreaks.evidenceUpload.upload'),
      );
    });
  }
});

for (const target of databaseTargets()) {
  describe(`the short-breaks start page in the family's language on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;

    before(async () => {
      database = await target.open();
      app = await seededApp(database);
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    for (const code of TRANSLATED) {
      test(`a parent who picks ${code} sees the application's title in ${code}, not in English`, async () => {
        const parent = await signedInClient(app, PARENT);
        const title = loadMessages(code).get('shortBreaks.title')!;
        const response = await parent.get(`/short-breaks?lang=${code}`);
        assert.equal(response.statusCode, 200);
        assert.match(response.body, new RegExp(`<html lang="${code}" dir="${code === 'ur' ? 'rtl' : 'ltr'}"`));
        assert.ok(response.body.includes(`<h1 class="govuk-heading-xl">${title}</h1>`), `the ${code} title is shown`);
        assert.ok(!response.body.includes('Apply for short breaks'), 'the English title is not shown');
        const instead = loadMessages(code).get('referrals.instead')!;
        assert.ok(response.body.includes(instead), `the right to a social work assessment is offered in ${code}`);
        assert.match(response.body, code === 'ur' ? /Tobi کے لیے درخواست/ : /wniosek dla: Tobi/);
      });
    }

    for (const code of TRANSLATED) {
      test(`the decision letter's dates are in ${code} too`, async () => {
        // Decided applications, after the start-page tests above, which need a family with none.
        if (!(await database.db.selectFrom('short_break_applications').select('id').executeTakeFirst()))
          await seedDemoApplications(database.db);
        const parent = await signedInClient(app, PARENT);
        const decided = await database.db
          .selectFrom('short_break_applications as a')
          .innerJoin('children as c', 'c.id', 'a.child_id')
          .select(['a.id', 'a.decided_at'])
          .where('c.given_name', '=', 'Tobi')
          .where('a.status', '=', 'decided')
          .executeTakeFirstOrThrow();
        const monthAfter = (months: number) => {
          const date = new Date(decided.decided_at!);
          date.setUTCMonth(date.getUTCMonth() + months);
          return new Intl.DateTimeFormat(code, { month: 'long', year: 'numeric', timeZone: 'Europe/London' }).format(
            date,
          );
        };
        const letter = await parent.get(`/short-breaks/applications/${decided.id}/decision?lang=${code}`);
        assert.ok(letter.body.includes(monthAfter(12)), `the review month is in ${code}`);
        // Why, and each answer's explanation, in the words of the model's translation.
        const words = SHIPPED_MODEL.translations![code]!;
        const stored = await database.db
          .selectFrom('short_break_applications')
          .select('outcome')
          .where('id', '=', decided.id)
          .executeTakeFirstOrThrow();
        const proposal = stored.outcome as { reason: string; explanations: string[] };
        const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;');
        assert.ok(letter.body.includes(escaped(words[proposal.reason]!)), `the reason is in ${code}`);
        for (const explanation of proposal.explanations)
          assert.ok(letter.body.includes(escaped(words[explanation]!)), `"${explanation}" is in ${code}`);
        assert.ok(!letter.body.includes(escaped(proposal.reason)), 'the English reason is not shown');
        const easyRead = await parent.get(
          `/short-breaks/applications/${decided.id}/decision?lang=${code}&format=easy-read`,
        );
        assert.ok(easyRead.body.includes(monthAfter(11)), `the Easy Read invitation month is in ${code}`);
      });
    }

    for (const code of TRANSLATED) {
      test(`a form's errors tell screen readers they are errors in ${code}, not in English`, async () => {
        const parent = await signedInClient(app, PARENT);
        await parent.get(`/ask-for-help?lang=${code}`);
        const page = await parent.submit('/ask-for-help', '/ask-for-help', { needs: '' });
        assert.equal(page.statusCode, 400);
        const prefix = loadMessages(code).get('common.errorPrefix')!;
        assert.ok(page.body.includes(`<span class="govuk-visually-hidden">${prefix}</span>`), `"${prefix}" is said`);
        assert.ok(!page.body.includes('<span class="govuk-visually-hidden">Error:</span>'), 'not "Error:"');
      });
    }

    for (const code of TRANSLATED) {
      test(`a needs question, its hint and its answers are in ${code}`, async () => {
        if (!(await database.db.selectFrom('short_break_applications').select('id').executeTakeFirst()))
          await seedDemoApplications(database.db);
        const parent = await signedInClient(app, PARENT);
        const draft = await database.db
          .selectFrom('short_break_applications as a')
          .innerJoin('children as c', 'c.id', 'a.child_id')
          .select('a.id')
          .where('c.given_name', '=', 'Ada')
          .where('a.status', '=', 'draft')
          .executeTakeFirstOrThrow();
        const question = SHIPPED_MODEL.questions[0]!;
        const words = SHIPPED_MODEL.translations![code]!;
        const page = (await parent.get(`/short-breaks/applications/${draft.id}/questions/${question.id}?lang=${code}`))
          .body;
        const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;');
        assert.ok(page.includes(escaped(words[question.text]!)), 'the question');
        assert.ok(page.includes(escaped(words[question.hint!]!)), 'its hint');
        for (const option of question.options) assert.ok(page.includes(escaped(words[option.label]!)), option.id);
        assert.ok(!page.includes(escaped(question.text)), 'not the English question');
      });
    }

    for (const code of TRANSLATED) {
      test(`the family's page of their children says in ${code} where each application is and when the decision is due`, async () => {
        if (!(await database.db.selectFrom('short_break_applications').select('id').executeTakeFirst()))
          await seedDemoApplications(database.db);
        const messages = loadMessages(code);
        // Jordan, a young person with an account of their own, has an application waiting for its decision.
        const jordan = await signedInClient(app, 'young.person@demo.pathway.test');
        const page = (await jordan.get(`/children?lang=${code}`)).body;
        // Jordan reads about themselves, not about "your children".
        assert.ok(page.includes(`<h1 class="govuk-heading-l">${messages.get('children.self.title')!}</h1>`), 'theirs');
        assert.ok(
          !page.includes(`<h1 class="govuk-heading-l">${messages.get('children.listTitle')!}</h1>`),
          'not "children"',
        );
        assert.ok(page.includes(messages.get('shortBreaks.panel.title')!), 'the short breaks panel');
        const decideBy = messages.get('shortBreaks.panel.decideBy')!.split('{date}')[0]!;
        assert.ok(page.includes(decideBy), `when the decision is due, in ${code}`);
        assert.ok(!page.includes('We aim to decide by'), 'not in English');
        // The Okafors: Tobi's decision can be read from the page.
        const parent = await signedInClient(app, PARENT);
        const parentPage = (await parent.get(`/children?lang=${code}`)).body;
        assert.match(parentPage, /href="\/short-breaks\/applications\/[0-9a-f-]{36}\/decision"/);
      });
    }
  });
}
