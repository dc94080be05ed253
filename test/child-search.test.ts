// Finding a child: casework staff search by name (typing slips forgiven), date of birth, NHS number, unique pupil
// number or a Pathway reference, see only the children they may see, and every search is audited without what was
// typed, which never reaches the logs either.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { seedDemoCouncil } from '../src/demo/council.ts';
import { seedDemoPathway } from '../src/demo/pathway.ts';
import { childNameSpellings, SEARCH_PROBLEMS } from '../src/domain/front-door/child-search.ts';
import { MOST_READ } from '../src/features/children/search.ts';
import { buildApp } from '../src/app.ts';
import { loadMessages } from '../src/web/i18n.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { signedInClient, testConfig, type TestClient } from './helpers/app.ts';

/** The children a results page lists, by name, in order. */
function namesListed(body: string): string[] {
  return [
    ...body.matchAll(/<h3 class="govuk-heading-s[^"]*"><a class="govuk-link" href="\/children\/[^"]+">([^<]+)<\/a>/g),
  ].map((match) => match[1]!);
}

test('every problem a search can have, and every tier a child can be open at, has an English message', () => {
  const english = loadMessages('en');
  for (const problem of SEARCH_PROBLEMS) assert.ok(english.has(`childSearch.errors.${problem}`), problem);
  for (const tier of ['targeted', 'specialist']) assert.ok(english.has(`childSearch.tiers.${tier}`), tier);
});

for (const target of databaseTargets()) {
  describe(`finding a child on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    const logLines: string[] = [];
    let triage: TestClient;
    const ids = new Map<string, string>();

    before(async () => {
      database = await target.open();
      await seedDemoCouncil(database.db, 'test');
      // Ibrahim open to the social work team with his NHS number and UPN; Maryam open to the short breaks team.
      await seedDemoPathway(database.db);
      app = await buildApp(testConfig({ LOG_LEVEL: 'info' }), {
        database,
        logDestination: { write: (line) => logLines.push(line) },
      });
      // A second family whose names are two slips from the Okafors', so ranking has something to rank.
      const { db } = database;
      const family = await db
        .insertInto('families')
        .values({ la_code: 'Z99', family_name: 'Okafer', postcode: 'NM2 4XY' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('children')
        .values({
          la_code: 'Z99',
          family_id: family.id,
          given_name: 'Toby',
          family_name: 'Okafer',
          date_of_birth: '2015-06-01',
        })
        .execute();
      for (const child of await db.selectFrom('children').select(['id', 'given_name']).execute())
        ids.set(child.given_name, child.id);
      triage = await signedInClient(app, 'triage@demo.pathway.test');
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    async function searchAudits() {
      return database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'search-children')
        .orderBy('occurred_at')
        .execute();
    }

    test('a name with a typing slip finds the child, linked to their record, the exact match first', async () => {
      const page = await triage.get('/children/search?q=Tobi+Okafr');
      assert.equal(page.statusCode, 200);
      assert.deepEqual(namesListed(page.body), ['Tobi Okafor', 'Toby Okafer']);
      assert.match(page.body, new RegExp(`href="/children/${ids.get('Tobi')!}"`));
      assert.match(page.body, /14 March 2016/);
      assert.match(page.body, /2 children found/);
      const exact = await triage.get('/children/search?q=tobi+okafor');
      assert.deepEqual(namesListed(exact.body), ['Tobi Okafor', 'Toby Okafer'], 'no slips before two slips');
    });

    test('a child is found by one word of their name, with accents and case ignored', async () => {
      const page = await triage.get('/children/search?q=ZOFÍA');
      assert.deepEqual(namesListed(page.body), ['Zofia Nowak']);
    });

    test('a date of birth finds the children born that day, and narrows a name', async () => {
      const byDate = await triage.get('/children/search?dobDay=8&dobMonth=1&dobYear=2013');
      assert.deepEqual(namesListed(byDate.body), ['Ibrahim Hussain']);
      const byName = await triage.get('/children/search?q=Hussain');
      assert.deepEqual(namesListed(byName.body), ['Ibrahim Hussain', 'Maryam Hussain', 'Yusuf Hussain']);
      const both = await triage.get('/children/search?q=Husain&dobDay=2&dobMonth=4&dobYear=2011');
      assert.deepEqual(namesListed(both.body), ['Yusuf Hussain']);
    });

    test('an NHS number finds the child with or without spaces, and is shown spaced; so does a UPN', async () => {
      for (const typed of ['4857773007', '485 777 3007', '485-777-3007']) {
        const page = await triage.get(`/children/search?q=${encodeURIComponent(typed)}`);
        assert.deepEqual(namesListed(page.body), ['Ibrahim Hussain'], typed);
        assert.match(page.body, /485 777 3007/);
      }
      const byUpn = await triage.get('/children/search?q=h999201400012');
      assert.deepEqual(namesListed(byUpn.body), ['Ibrahim Hussain']);
    });

    test('a child is found by the reference of a referral or of a short-breaks application about them', async () => {
      const referrer = await database.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'referrer@demo.pathway.test')
        .executeTakeFirstOrThrow();
      await database.db
        .insertInto('referrals')
        .values({
          la_code: 'Z99',
          child_id: ids.get('Zofia')!,
          kind: 'professional',
          source_code: '2A',
          requested_by: referrer.id,
          status: 'decided',
          reference: 'RF-5EA2C41B',
        })
        .execute();
      const byReferral = await triage.get('/children/search?q=rf-5ea2c41b');
      assert.deepEqual(namesListed(byReferral.body), ['Zofia Nowak']);
      await database.db
        .insertInto('short_break_applications')
        .values({ la_code: 'Z99', child_id: ids.get('Maryam')!, status: 'submitted', reference: 'SB-0C4FE9A2' })
        .execute();
      const byApplication = await triage.get('/children/search?q=SB+0C4FE9A2');
      assert.deepEqual(namesListed(byApplication.body), ['Maryam Hussain']);
    });

    test('a short breaks officer does not find a child open to the social work team, by name or by number', async () => {
      const officer = await signedInClient(app, 'short.breaks@demo.pathway.test');
      const byName = await officer.get('/children/search?q=Hussain');
      assert.deepEqual(namesListed(byName.body), ['Maryam Hussain', 'Yusuf Hussain']);
      assert.match(byName.body, /Short breaks team \(targeted\)/);
      assert.match(byName.body, /No team \(universal services\)/);
      const byNumber = await officer.get('/children/search?q=4857773007');
      assert.deepEqual(namesListed(byNumber.body), []);
      assert.match(byNumber.body, /No children found/);
      assert.doesNotMatch(byNumber.body, /Ibrahim/);
    });

    test('the triage worker sees which team a child is open to', async () => {
      const page = await triage.get('/children/search?q=Ibrahim');
      assert.match(page.body, /Disabled children&#39;s social work team \(specialist\)/);
    });

    test('families and staff outside casework cannot search', async () => {
      for (const email of ['parent@demo.pathway.test', 'young.person@demo.pathway.test', 'editor@demo.pathway.test']) {
        const client = await signedInClient(app, email);
        const page = await client.get('/children/search?q=Okafor');
        assert.equal(page.statusCode, 403, email);
        assert.doesNotMatch(page.body, /Tobi/);
      }
    });

    test('the menu offers "Find a child" to casework staff only', async () => {
      assert.match((await triage.get('/account')).body, /href="\/children\/search"/);
      const parent = await signedInClient(app, 'parent@demo.pathway.test');
      assert.doesNotMatch((await parent.get('/account')).body, /href="\/children\/search"/);
    });

    test('each search is audited with who searched, the kinds of term and the number found, never the words', async () => {
      const before = (await searchAudits()).length;
      const page = await triage.get('/children/search?q=Okafr&dobDay=14&dobMonth=3&dobYear=2016');
      assert.deepEqual(namesListed(page.body), ['Tobi Okafor']);
      const audits = await searchAudits();
      assert.equal(audits.length, before + 1);
      const audit = audits.at(-1)!;
      const triageUser = await database.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'triage@demo.pathway.test')
        .executeTakeFirstOrThrow();
      assert.equal(audit.actor_user_id, triageUser.id);
      assert.equal(audit.actor_role, 'triage_worker');
      assert.equal(audit.request_id, page.headers['x-request-id']);
      assert.deepEqual(audit.details, { terms: ['name', 'date_of_birth'], found: 1, shown: 1, tooMany: false });
      const stored = JSON.stringify(audit);
      for (const typed of ['Okafr', 'okafr', '2016-03-14', 'Tobi']) assert.ok(!stored.includes(typed), typed);
    });

    test('opening the page, or a search refused for its mistakes, is not a search and is not audited', async () => {
      const before = (await searchAudits()).length;
      const empty = await triage.get('/children/search');
      assert.equal(empty.statusCode, 200);
      assert.doesNotMatch(empty.body, /govuk-error-summary/);
      assert.equal((await triage.get('/children/search?q=12345')).statusCode, 400);
      assert.equal((await searchAudits()).length, before);
    });

    test('searching with nothing entered, or an impossible date, is refused with a GOV.UK error summary', async () => {
      const nothing = await triage.get('/children/search?q=&dobDay=&dobMonth=&dobYear=');
      assert.equal(nothing.statusCode, 400);
      assert.match(nothing.body, /govuk-error-summary/);
      assert.match(nothing.body, /href="#q">Enter a name, NHS number, unique pupil number or reference/);
      assert.match(nothing.body, /<title>Error: Find a child/);
      const impossible = await triage.get('/children/search?q=Tobi&dobDay=31&dobMonth=2&dobYear=2016');
      assert.equal(impossible.statusCode, 400);
      assert.match(impossible.body, /href="#dobDay">Date of birth must be a real date/);
      assert.match(impossible.body, /value="Tobi"/, 'what was typed is kept');
    });

    test('a search that matches no one says so', async () => {
      const page = await triage.get('/children/search?q=Quentin+Zzyzx');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /No children found/);
    });

    test('what was searched for never reaches the logs', async () => {
      logLines.length = 0;
      await triage.get('/children/search?q=Okafr+Tobi&dobDay=14&dobMonth=3&dobYear=2016');
      await triage.get('/children/search?q=485+777+3007');
      await triage.get('/children/search?q=Tobi&dobDay=31&dobMonth=2&dobYear=2016');
      assert.ok(
        logLines.some((line) => line.includes('/children/search')),
        'the requests are logged',
      );
      const logs = logLines.join('\n');
      // Whole pieces of what was typed: a fragment such as "485" also turns up by chance in request ids and timings.
      for (const typed of ['Okafr', 'Tobi', 'dobYear', '485+777+3007', '485 777 3007', '4857773007', '31&dob'])
        assert.ok(!logs.includes(typed), typed);
    });

    test('the database works out the spellings of a child’s names as the search rules do, and finds a renamed child', async () => {
      const names = [
        ['Siân', "O'Brien-Hart"],
        ['José María', 'Łukasz'],
        ['ZOË', 'van der Berg'],
        ['A', 'Li'],
        ['  Mary  Ann ', 'Smith -Jones'],
      ] as const;
      for (const [given, familyName] of names) {
        const { rows } = await sql<{ spellings: string[] }>`
          select child_name_spellings(${given}, ${familyName}) as spellings`.execute(database.db);
        assert.deepEqual([...rows[0]!.spellings].sort(), childNameSpellings(given, familyName).sort(), given);
      }
      const family = await database.db
        .selectFrom('families')
        .select('id')
        .where('family_name', '=', 'Okafer')
        .executeTakeFirstOrThrow();
      const wren = await database.db
        .insertInto('children')
        .values({
          la_code: 'Z99',
          family_id: family.id,
          given_name: 'Wren',
          family_name: 'Abbot',
          date_of_birth: '2019-02-03',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await database.db.updateTable('children').set({ family_name: 'Quixley' }).where('id', '=', wren.id).execute();
      assert.deepEqual(namesListed((await triage.get('/children/search?q=Wren+Quixly')).body), ['Wren Quixley']);
      assert.deepEqual(namesListed((await triage.get('/children/search?q=Wren+Abbot')).body), []);
    });

    test('a name shared by too many children to list asks for a date of birth, which finds the child', async () => {
      const family = await database.db
        .selectFrom('families')
        .select('id')
        .where('family_name', '=', 'Okafer')
        .executeTakeFirstOrThrow();
      await sql`
        insert into children (la_code, family_id, given_name, family_name, date_of_birth)
        select 'Z99', ${family.id}, 'Sam', 'Ashworth', date '2010-01-01' + n
          from generate_series(0, ${MOST_READ}) as n`.execute(database.db);
      const page = await triage.get('/children/search?q=Ashworth');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Too many children have names like this/);
      assert.deepEqual(namesListed(page.body), []);
      assert.deepEqual((await searchAudits()).at(-1)!.details, {
        terms: ['name'],
        found: 0,
        shown: 0,
        tooMany: true,
      });
      const narrowed = await triage.get('/children/search?q=Ashworth&dobDay=3&dobMonth=1&dobYear=2010');
      assert.deepEqual(namesListed(narrowed.body), ['Sam Ashworth']);
    });
  });
}
