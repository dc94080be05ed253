// What staff and families read on the short-breaks pages: every {placeholder} filled in, the family's answers in
// words rather than stored codes, and the resource panel shown the manager's outcome it is asked to agree.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { seedDemoApplications } from '../src/demo/applications.ts';
import { decisionDueOn } from '../src/features/short-breaks/service.ts';
import { loadMessages } from '../src/web/i18n.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { seededApp, signedInClient, type TestClient } from './helpers/app.ts';

/** The features whose pages these tests cover. */
const FEATURES = ['src/features/short-breaks', 'src/features/scoring'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return /\.(ts|njk)$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

const placeholdersIn = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);

/** A {placeholder} left in a page, as a person would see it. */
const UNFILLED = /\{\w+\}/;

describe('messages with placeholders', () => {
  const english = loadMessages('en');

  test('every message with a {placeholder} is given a value for it where it is used', () => {
    const problems: string[] = [];
    for (const file of FEATURES.flatMap(filesUnder)) {
      const source = readFileSync(file, 'utf8');
      // t('key') or t('key', { … }) with the key written out; keys built from data are checked on rendered pages below.
      for (const call of source.matchAll(/\bt\(\s*['"`]([\w.-]+)['"`]\s*(\)|,)/g)) {
        const needed = placeholdersIn(english.get(call[1]!) ?? '');
        if (needed.length === 0) continue;
        if (call[2] === ')') {
          problems.push(`${file}: ${call[1]!} needs ${needed.join(', ')} and is given nothing`);
          continue;
        }
        // The names given: the keys of the object that follows, up to its closing brace at the same depth.
        const rest = source.slice(call.index + call[0].length);
        let depth = 0;
        let end = 0;
        for (; end < rest.length; end++) {
          if (rest[end] === '{') depth++;
          if (rest[end] === '}' && --depth === 0) break;
        }
        const object = rest.slice(0, end + 1);
        const given = [...object.matchAll(/[{,]\s*(\w+)\s*(?=[:,}])/g)].map((match) => match[1]!);
        const missing = needed.filter((name) => !given.includes(name));
        if (missing.length > 0) problems.push(`${file}: ${call[1]!} is not given ${missing.join(', ')}`);
      }
    }
    assert.deepEqual(problems, []);
  });
});

for (const target of databaseTargets()) {
  describe(`Short-breaks pages as people read them on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let officer: TestClient;

    before(async () => {
      database = await target.open();
      app = await seededApp(database);
      await seedDemoApplications(database.db);
      officer = await signedInClient(app, 'short.breaks@demo.pathway.test');
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    const applicationOf = (givenName: string) =>
      database.db
        .selectFrom('short_break_applications as a')
        .innerJoin('children as c', 'c.id', 'a.child_id')
        .select(['a.id', 'a.status', 'a.version', 'a.about'])
        .where('c.given_name', '=', givenName)
        .where('a.status', '!=', 'withdrawn')
        .orderBy('a.created_at', 'desc')
        .executeTakeFirstOrThrow();

    async function assertFilledIn(client: TestClient, url: string) {
      const page = await client.get(url);
      assert.equal(page.statusCode, 200, url);
      assert.doesNotMatch(page.body, UNFILLED, `${url} shows a placeholder`);
      return page;
    }

    test('staff pages fill in every placeholder, on every demo application', async () => {
      const sent = await database.db
        .selectFrom('short_break_applications')
        .select('id')
        .where('status', '!=', 'draft')
        .execute();
      assert.ok(sent.length >= 7);
      for (const { id } of sent) await assertFilledIn(officer, `/short-breaks/queue/${id}`);
      await assertFilledIn(officer, '/short-breaks/queue');
      await assertFilledIn(await signedInClient(app, 'panel@demo.pathway.test'), '/short-breaks/panel');
      await assertFilledIn(await signedInClient(app, 'analyst@demo.pathway.test'), '/short-breaks/fairness');
    });

    test("the family's pages fill in every placeholder, the child's name in the ethnicity hint among them", async () => {
      const parent = await signedInClient(app, 'parent@demo.pathway.test');
      const ada = await applicationOf('Ada');
      const draft = `/short-breaks/applications/${ada.id}`;
      await assertFilledIn(parent, '/short-breaks');
      for (const page of ['', '/eligibility', '/about/family', '/evidence', '/check'])
        await assertFilledIn(parent, `${draft}${page}`);
      const aboutChild = await assertFilledIn(parent, `${draft}/about/child`);
      assert.match(aboutChild.body, /It does not change what support Ada can have/);
      const tobi = await applicationOf('Tobi');
      const sent = await assertFilledIn(parent, `/short-breaks/applications/${tobi.id}/confirmation`);
      // Decided: the page leads to the decision, not to "we aim to tell you within …".
      assert.match(sent.body, new RegExp(`href="/short-breaks/applications/${tobi.id}/decision"`));
      assert.doesNotMatch(sent.body, /We aim to tell you our decision/);
    });

    test("staff read the family's answers about the family in words, not as stored codes", async () => {
      const ibrahim = await applicationOf('Ibrahim');
      assert.deepEqual([ibrahim.about.parentCarers, ibrahim.about.youngCarers], ['two', 'no'], 'stored as codes');
      const page = await officer.get(`/short-breaks/queue/${ibrahim.id}`);
      const row = (question: string) =>
        new RegExp(`${question}\\s*</dt>\\s*<dd class="govuk-summary-list__value">\\s*([^<]*?)\\s*</dd>`).exec(
          page.body,
        )?.[1];
      assert.equal(row('How many parents or carers look after Ibrahim at home\\?'), 'Two');
      assert.equal(row('Do any of Ibrahim&#39;s brothers or sisters help to look after Ibrahim\\?'), 'No');
      assert.equal(row('How many brothers and sisters live with Ibrahim\\?'), '1');
      assert.equal(row('What is Ibrahim&#39;s ethnic group\\?'), 'Asian or Asian British – Pakistani');
    });

    test("on an application scored under an earlier model version, the family's words sit under the question's words", async () => {
      const zofia = await applicationOf('Zofia');
      await database.db
        .updateTable('short_break_applications')
        .set({ model_version: 1, notes: JSON.stringify({ able_to_continue: 'I work nights and sleep very little.' }) })
        .where('id', '=', zofia.id)
        .execute();
      const page = await officer.get(`/short-breaks/queue/${zofia.id}`);
      assert.match(
        page.body,
        /How able are you to keep caring for your child as things are now\?<\/p>\s*<p[^>]*>I work nights and sleep very little\./,
      );
      assert.doesNotMatch(page.body, /able_to_continue/);
    });

    test("the resource panel sees the manager's outcome it is asked to agree, and that it was changed from the proposal", async () => {
      const ibrahim = await applicationOf('Ibrahim');
      const manager = await signedInClient(app, 'manager@demo.pathway.test');
      const view = `/short-breaks/queue/${ibrahim.id}`;
      const decided = await manager.submit(view, `${view}/decide`, {
        version: String(ibrahim.version),
        decision: 'override',
        outcome: 'Short breaks worth up to £6,656 a year',
        overrideReason: 'Both parents work nights and Ibrahim needs two carers.',
      });
      assert.equal(decided.statusCode, 303);
      assert.equal((await applicationOf('Ibrahim')).status, 'awaiting_panel');
      const panel = await signedInClient(app, 'panel@demo.pathway.test');
      for (const url of ['/short-breaks/panel', '/short-breaks/queue']) {
        const queue = await panel.get(url);
        const rowOf = (name: string) => {
          const start = queue.body.indexOf(name);
          return queue.body.slice(start, queue.body.indexOf('</tr>', start));
        };
        const changed = rowOf('Ibrahim Hussain');
        assert.match(changed, /Short breaks worth up to £6,656 a year/, url);
        assert.match(
          changed,
          /Changed by a manager from the proposed outcome: Short breaks worth up to £1,664 a year/,
          url,
        );
        // Yusuf's manager agreed the proposal, so nothing was changed.
        const agreed = rowOf('Yusuf Hussain');
        assert.match(agreed, /Short breaks worth up to £6,656 a year/, url);
        assert.match(agreed, /Agreed by a manager/, url);
      }
      const waiting = await officer.get('/short-breaks/queue');
      const jordan = waiting.body.slice(waiting.body.indexOf('Jordan Price'));
      assert.match(jordan.slice(0, jordan.indexOf('</tr>')), /Proposed from the family&#39;s answers/);
    });
  });
}

describe('when the family is told to expect a decision', () => {
  test('the service standard in working days, skipping weekends and bank holidays', () => {
    // Sent on Friday 18 December 2026: Christmas Day and Boxing Day (moved to Monday 28th) do not count.
    assert.equal(decisionDueOn('2026-12-18', 5), '2026-12-29');
  });

  test('past the years the bank-holiday calendar covers, weekends are skipped and sending does not fail', () => {
    // Thursday 20 December 2035: four weeks of weekdays later.
    assert.equal(decisionDueOn('2035-12-20', 20), '2036-01-17');
  });
});
