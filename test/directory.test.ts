// The public Local Offer: importing feeds, searching, a service's page, "Is something wrong?" and the saved list.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { columnsFor, detailsOf } from '../src/features/directory/details.ts';
import { importFeed, importItems } from '../src/features/directory/import.ts';
import { telHref } from '../src/features/directory/service-page.ts';
import { LANGUAGE_COOKIE } from '../src/web/cookies.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { csrfTokenIn, seededApp, signedInClient, TestClient } from './helpers/app.ts';
import { EVALUATION_SERVICES, ORUK_REFERENCE } from './helpers/reference-data.ts';

for (const target of databaseTargets()) {
  describe(`Local Offer directory on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;

    before(async () => {
      database = await target.open();
      app = await seededApp(database);
      await importFeed(database.db, 'Z99', EVALUATION_SERVICES, 'directory-test');
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    const count = async (table: 'services' | 'organizations' | 'locations' | 'service_attributes' | 'taxonomy_terms') =>
      Number(
        (
          await database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    test('importing the same feed again updates rows and never duplicates them', async () => {
      const before = await Promise.all([
        count('services'),
        count('organizations'),
        count('locations'),
        count('service_attributes'),
        count('taxonomy_terms'),
      ]);
      const report = await importFeed(database.db, 'Z99', EVALUATION_SERVICES, 'directory-test');
      assert.equal(report.accepted, 254);
      assert.deepEqual(report.rejected, []);
      const after = await Promise.all([
        count('services'),
        count('organizations'),
        count('locations'),
        count('service_attributes'),
        count('taxonomy_terms'),
      ]);
      assert.deepEqual(after, before);
    });

    test('an Outpost (Open Referral 1.0) feed imports with stable ids, twice without duplicates', async () => {
      const folder = join(ORUK_REFERENCE, 'data', 'buckinghamshire-outpost-api-2023');
      const first = await importFeed(database.db, 'Z99', folder);
      assert.ok(first.accepted > 0);
      assert.equal(first.editions.v1, first.accepted);
      const services = await count('services');
      const second = await importFeed(database.db, 'Z99', folder);
      assert.equal(second.accepted, first.accepted);
      assert.equal(await count('services'), services);
    });

    test('records the standard would refuse are reported with reasons, and nothing of them is written', async () => {
      const report = await importFeed(
        database.db,
        'Z99',
        join(ORUK_REFERENCE, 'validator-mocks', 'V3.0-UK-Fail', 'service_list.json'),
      );
      assert.ok(report.rejected.length > 0);
      assert.ok(report.rejected.every((rejected) => rejected.reasons.length > 0));
      assert.ok(report.rejected.some((rejected) => rejected.reasons.includes('it has no name')));
    });

    test('a family searching an acronym is told what it means, and finds the service', async () => {
      const response = await app.inject({ method: 'GET', url: '/services?q=SALT' });
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /SALT means speech and language therapy/);
      assert.match(response.body, /Speech/);
    });

    test('a misspelling is corrected, with a link to search for exactly what was typed', async () => {
      const response = await app.inject({ method: 'GET', url: '/services?q=trampolinning' });
      assert.match(response.body, /Showing results for <strong>trampolining<\/strong>/);
      assert.match(response.body, /href="\/services\?q=trampolinning&amp;exact=1"/);
      const exact = await app.inject({ method: 'GET', url: '/services?q=trampolinning&exact=1' });
      assert.ok(!exact.body.includes('Showing results for'), 'no correction when asked for exactly what was typed');
    });

    test('filters narrow the results: age, free, day, need and distance from a postcode', async () => {
      const all = await app.inject({ method: 'GET', url: '/services' });
      const total = (body: string) => Number(/(\d+) services? found/.exec(body)?.[1] ?? -1);
      const everything = total(all.body);
      assert.ok(everything > 200);
      for (const filter of [
        'age=2',
        'cost=free',
        'day=SA',
        'need=autism',
        'postcode=BD21&distance=3',
        'access=self_referral',
      ]) {
        const filtered = await app.inject({ method: 'GET', url: `/services?${filter}` });
        assert.equal(filtered.statusCode, 200, filter);
        const found = total(filtered.body);
        assert.ok(found > 0 && found < everything, `${filter} found ${found} of ${everything}`);
      }
    });

    test('bad filter values get GOV.UK error messages and status 400', async () => {
      const response = await app.inject({ method: 'GET', url: '/services?age=forty&postcode=nowhere' });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /href="#age">Enter an age from 0 to 25/);
      assert.match(response.body, /href="#postcode">Enter a postcode/);
    });

    test("the filter panel shows each search's own choices and messages, the second time too", async () => {
      const page = async (query: string) => (await app.inject({ method: 'GET', url: `/services?${query}` })).body;
      const chosen = 'q=club&need=autism&day=SA&age=7';
      for (const round of ['first', 'again']) {
        // A new address each round (`round` means nothing to the page), so the second round's pages are rendered
        // again around the kept filter panels rather than sent as kept pages.
        const inRound = (query: string) => page(`${query}&round=${round}`);
        const withFilters = await inRound(chosen);
        assert.match(withFilters, /value="autism" checked/, round);
        assert.match(withFilters, /value="SA" checked/, round);
        assert.match(withFilters, /id="age" name="age" type="text" value="7"/, round);
        const without = await inRound('q=swimming');
        assert.doesNotMatch(without, /value="autism" checked|value="SA" checked/, round);
        assert.match(without, /id="age" name="age" type="text"(?! value="7")/, round);
        assert.match(await inRound('age=forty'), /<p id="age-error" class="govuk-error-message">/, round);
        assert.doesNotMatch(await inRound('age=7'), /id="age-error"/, round);
      }
      const category = await database.db
        .selectFrom('taxonomy_terms as t')
        .innerJoin('taxonomies as x', 'x.id', 't.taxonomy_id')
        .select(['t.id', 't.name'])
        .where('t.la_code', '=', 'Z99')
        .where('x.name', '~*', 'categor|type|service')
        .orderBy('t.name')
        .executeTakeFirstOrThrow();
      // Renamed as an edit through Pathway would rename it, telling this process its directory changed.
      const rename = async (name: string) => {
        await database.db.updateTable('taxonomy_terms').set({ name }).where('id', '=', category.id).execute();
        app.directorySearch.directoryChanged('Z99');
      };
      try {
        await rename('Kept panel category one');
        assert.match(await page(''), />Kept panel category one<\/option>/);
        await rename('Kept panel category two');
        const renamed = await page('');
        assert.match(renamed, />Kept panel category two<\/option>/);
        assert.doesNotMatch(renamed, /Kept panel category one/);
      } finally {
        await rename(category.name);
      }
    });

    test('a search page and an API list are kept for anyone not signed in until the directory changes', async () => {
      const url = '/services?q=swimming';
      const first = await app.inject({ method: 'GET', url });
      const id = /href="\/services\/([0-9a-f-]{36})[?"]/.exec(first.body)?.[1];
      assert.ok(id, 'the search finds a service');
      const service = await database.db
        .selectFrom('services')
        .select('name')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const apiUrl = '/api/oruk/services?search=swimming';
      const firstList = await app.inject({ method: 'GET', url: apiUrl });
      const listed = (body: string) => (JSON.parse(body) as { contents: { id: string; name: string }[] }).contents;
      assert.ok(listed(firstList.body).some((item) => item.id === id));
      const rename = (name: string) => database.db.updateTable('services').set({ name }).where('id', '=', id).execute();
      const family = new TestClient(app);
      try {
        // Changed behind Pathway's back (as another web process would), the kept page and list are sent again
        // (each with a CSRF token of its own for the saving buttons)...
        await rename('Renamed swimming club');
        const withoutTokens = (body: string) => body.replace(/name="_csrf" value="[^"]+"/g, '');
        assert.equal(withoutTokens((await app.inject({ method: 'GET', url })).body), withoutTokens(first.body));
        assert.equal((await app.inject({ method: 'GET', url: apiUrl })).body, firstList.body);
        // ...but not to a family with a saved list, whose page counts it, nor in another language...
        family.cookies.set('pathway_saved', id);
        const withList = await family.get(url);
        assert.match(withList.body, /Renamed swimming club/);
        assert.match(withList.body, /href="\/my-list"/);
        const polish = new TestClient(app);
        polish.cookies.set(LANGUAGE_COOKIE, 'pl');
        const inPolish = await polish.get(url);
        assert.match(inPolish.body, /<html lang="pl"/);
        assert.match(inPolish.body, /Renamed swimming club/);
        // ...nor to anyone signed in, who sees their own navigation.
        const signedIn = await signedInClient(app, 'parent@demo.pathway.test');
        const theirs = await signedIn.get(url);
        assert.match(theirs.body, /Renamed swimming club/);
        assert.match(theirs.body, /action="\/sign-out"/);
        // A change made through Pathway shows to everyone at once.
        app.directorySearch.directoryChanged('Z99');
        assert.match((await app.inject({ method: 'GET', url })).body, /Renamed swimming club/);
        const list = listed((await app.inject({ method: 'GET', url: apiUrl })).body);
        assert.equal(list.find((item) => item.id === id)?.name, 'Renamed swimming club');
      } finally {
        await rename(service.name);
        app.directorySearch.directoryChanged('Z99');
      }
    });

    test('HTML and SQL typed into the search box are shown as text and searched as words', async () => {
      const response = await app.inject({
        method: 'GET',
        url: `/services?q=${encodeURIComponent("<script>alert(1)</script> '; drop table services; --")}`,
      });
      assert.equal(response.statusCode, 200);
      assert.doesNotMatch(response.body, /<script>alert\(1\)<\/script>/);
      assert.match(response.body, /&lt;script&gt;/);
      assert.ok((await count('services')) > 0);
    });

    test('results page through, twenty at a time', async () => {
      const first = await app.inject({ method: 'GET', url: '/services' });
      assert.equal((first.body.match(/class="pathway-result"/g) ?? []).length, 20);
      assert.match(first.body, /href="\/services\?page=2"/);
    });

    test('a page number beyond the last says where the results end, with a link to the last page', async () => {
      const first = await app.inject({ method: 'GET', url: '/services?cost=free' });
      const total = Number(/(\d+) services? found/.exec(first.body)?.[1]);
      const last = Math.ceil(total / 20);
      const beyond = await app.inject({ method: 'GET', url: '/services?cost=free&page=999' });
      assert.equal(beyond.statusCode, 200);
      assert.match(beyond.body, new RegExp(`There are no results on page 999. The results end on page ${last}.`));
      assert.match(beyond.body, new RegExp(`href="/services\\?cost=free&amp;page=${last}">Go to the last page`));
      assert.doesNotMatch(beyond.body, /No services match|class="pathway-result"/);
      // A search that finds nothing still says so.
      const nothing = await app.inject({ method: 'GET', url: '/services?q=zzqqxxnothing&exact=1&page=3' });
      assert.match(nothing.body, /No services match/);
    });

    test('"Nearest first" without a postcode says so, and shows the best matches (or names) instead', async () => {
      const firstResult = (body: string) => /id="result-([0-9a-f-]{36})"/.exec(body)?.[1];
      const words = await app.inject({ method: 'GET', url: '/services?q=swimming&sort=distance' });
      assert.match(words.body, /Enter a postcode to sort by distance. Showing the best matches first instead./);
      const bestMatch = await app.inject({ method: 'GET', url: '/services?q=swimming' });
      assert.equal(firstResult(words.body), firstResult(bestMatch.body));
      const browsing = await app.inject({ method: 'GET', url: '/services?sort=distance' });
      assert.match(browsing.body, /Showing services in name order \(A to Z\) instead./);
      const near = await app.inject({ method: 'GET', url: '/services?postcode=BD21&sort=distance' });
      assert.doesNotMatch(near.body, /Enter a postcode to sort by distance/);
      assert.match(near.body, /miles away/);
    });

    test('the filters chosen show above the results, each a link to the same search without it', async () => {
      const page = await app.inject({ method: 'GET', url: '/services?q=club&need=autism&day=SA&age=7&page=2' });
      const tags = [...page.body.matchAll(/<a class="pathway-filter-tag" href="([^"]+)">(.*?)<\/a>/g)].map(
        ([, href, inner]) => ({ href, text: inner!.replace(/<[^>]+>/g, '') }),
      );
      assert.deepEqual(tags, [
        { href: '/services?q=club&amp;need=autism&amp;day=SA', text: 'Remove this filter: Age 7×' },
        { href: '/services?q=club&amp;age=7&amp;day=SA', text: 'Remove this filter: Autism×' },
        { href: '/services?q=club&amp;age=7&amp;need=autism', text: 'Remove this filter: Saturday×' },
      ]);
      assert.match(page.body, /href="\/services\?q=club">Remove all filters/);
      assert.match(page.body, /<summary class="pathway-filters__toggle">Filter results \(3 chosen\)<\/summary>/);
      // Closed (a phone shows the results first), unless a filter needs putting right.
      assert.match(page.body, /<details class="pathway-filters">/);
      const wrong = await app.inject({ method: 'GET', url: '/services?age=forty' });
      assert.match(wrong.body, /<details class="pathway-filters" open>/);
      assert.doesNotMatch(wrong.body, /pathway-filter-tag/);
      const postcode = await app.inject({ method: 'GET', url: '/services?postcode=BD21&distance=3' });
      assert.match(postcode.body, /href="\/services">.*Near BD21/);
      assert.match(postcode.body, /href="\/services\?postcode=BD21">.*Within 3 miles/);
    });

    test('"Back to search" returns to the same search, query, filters and page; nothing else', async () => {
      const results = await app.inject({ method: 'GET', url: '/services?cost=free&sort=name&page=2' });
      const link = /<h3[^>]*><a class="govuk-link" href="([^"]+)"/.exec(results.body)?.[1]?.replace(/&amp;/g, '&');
      assert.ok(link, 'a result on page 2');
      assert.ok(link.startsWith('/services/'));
      assert.match(link, /\?from=cost%3Dfree%26sort%3Dname%26page%3D2$/);
      const service = await app.inject({ method: 'GET', url: link });
      assert.match(service.body, /href="\/services\?cost=free&amp;sort=name&amp;page=2" class="govuk-back-link"/);
      const id = /\/services\/([0-9a-f-]{36})/.exec(link)![1]!;
      const cases: [string, string][] = [
        ['', '/services'],
        ['https://evil.example/', '/services'],
        ['q=swim&next=%2F%2Fevil.example&category=nope', '/services?q=swim'],
        ['?q=swim', '/services?q=swim'],
      ];
      for (const [from, back] of cases) {
        const page = await app.inject({ method: 'GET', url: `/services/${id}?from=${encodeURIComponent(from)}` });
        assert.equal(page.statusCode, 200, from);
        assert.ok(page.body.includes(`href="${back}" class="govuk-back-link"`), from);
      }
    });

    test('a service is saved to the list from the results, back at the same result, without JavaScript', async () => {
      const url = '/services?q=swimming&page=1';
      const family = new TestClient(app);
      const page = await family.get(url);
      const id = /id="result-([0-9a-f-]{36})"/.exec(page.body)?.[1];
      assert.ok(id);
      // One form for every result's Save button, which sends its own service's id.
      assert.match(
        page.body,
        /<form id="save-to-list" method="post" action="\/my-list">[\s\S]*?name="action" value="add"[\s\S]*?<\/form>/,
      );
      assert.match(page.body, new RegExp(`form="save-to-list" name="serviceId" value="${id}"`));
      const saved = await family.post('/my-list', {
        _csrf: csrfTokenIn(page.body),
        serviceId: id,
        action: 'add',
        from: 'q=swimming',
        to: 'results',
      });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, `/services?q=swimming#result-${id}`);
      const after = await family.get('/services?q=swimming');
      assert.match(after.body, /Your saved services \(1\)/);
      const result = after.body.slice(after.body.indexOf(`id="result-${id}"`));
      assert.match(result.slice(0, result.indexOf('</li>')), /This service is on your list.[\s\S]*Remove from my list/);
      // Taken off again from the results; a redirect never leaves the directory's search.
      const removed = await family.post('/my-list', {
        _csrf: csrfTokenIn(after.body),
        serviceId: id,
        action: 'remove',
        from: '//evil.example/?q=x',
        to: 'results',
      });
      assert.equal(removed.headers.location, `/services#result-${id}`);
      assert.doesNotMatch((await family.get('/services?q=swimming')).body, /Your saved services/);
      // Without the token the form is refused, as every form is.
      const forged = await new TestClient(app).post('/my-list', { serviceId: id, action: 'add', to: 'results' });
      assert.equal(forged.statusCode, 403);
    });

    test('a kept results page gives each family a CSRF token of their own, so saving works for them', async () => {
      const url = '/services?q=autism&kept-token-test=1';
      const first = new TestClient(app);
      const second = new TestClient(app);
      const firstPage = await first.get(url);
      const secondPage = await second.get(url);
      assert.notEqual(csrfTokenIn(secondPage.body), csrfTokenIn(firstPage.body));
      assert.doesNotMatch(secondPage.body, /pathway-csrf-token/);
      const id = /id="result-([0-9a-f-]{36})"/.exec(secondPage.body)![1]!;
      const saved = await second.post('/my-list', {
        _csrf: csrfTokenIn(secondPage.body),
        serviceId: id,
        action: 'add',
        to: 'results',
      });
      assert.equal(saved.statusCode, 303);
    });

    test('phone numbers in a feed are kept and shown as links to call; editing a service keeps them', async () => {
      const v3 = '6f1c2f6e-1a56-4c5e-9a51-6a0c1e7f0a01';
      const v1 = 'phones-outpost-1';
      const report = await importItems(
        database.db,
        'Z99',
        [
          {
            edition: 'v3',
            origin: 'phones-test',
            raw: {
              id: v3,
              name: 'Phone test play scheme',
              status: 'active',
              description: 'Play for disabled children.',
              url: 'https://example.org/play',
              cost_options: [{ id: 'c1', option: 'A session', amount: 8 }],
              contacts: [
                {
                  id: 'ct1',
                  name: 'Bookings',
                  phones: [{ number: '01632 960000' }, { number: '01632 960000' }, { number: 'none' }],
                },
              ],
              phones: [{ id: 'p9', number: '+44 (0)1632 960001', description: 'Text messages' }],
              service_at_locations: [
                {
                  id: 'sal1',
                  location: { id: 'loc1', name: 'Play hall', phones: [{ number: '01632 960002 ext 12' }] },
                },
              ],
            },
          },
          {
            edition: 'v1',
            origin: 'phones-test',
            raw: {
              id: v1,
              name: 'Phone test youth club',
              status: 'active',
              contacts: [{ id: 77, name: 'Named contact', email: 'club@example.org', phone: '01632 960003' }],
            },
          },
        ],
        { source: 'phones-test' },
      );
      assert.equal(report.accepted, 2);
      const page = (await app.inject({ method: 'GET', url: `/services/${v3}` })).body;
      assert.equal(page.match(/href="tel:01632960000"/g)?.length, 1, 'a number given twice is shown once');
      assert.match(
        page,
        /Phone: <a class="govuk-link" href="tel:\+441632960001" dir="ltr">\+44 \(0\)1632 960001<\/a> \(<bdi lang="en">Text messages<\/bdi>\)/,
      );
      assert.match(page, /href="tel:01632960002" dir="ltr">01632 960002 ext 12</);
      const v1Id = (
        await database.db
          .selectFrom('services')
          .select('id')
          .where('name', '=', 'Phone test youth club')
          .executeTakeFirstOrThrow()
      ).id;
      assert.match((await app.inject({ method: 'GET', url: `/services/${v1Id}` })).body, /href="tel:01632960003"/);
      // Published in the standard's shape: each number on a contact, with an id.
      const published = JSON.parse((await app.inject({ method: 'GET', url: `/api/oruk/services/${v3}` })).body) as {
        contacts: { id: string; phones?: { id: string; contact_id: string; number: string }[] }[];
      };
      const numbers = published.contacts.flatMap((contact) =>
        (contact.phones ?? []).map((phone) => {
          assert.equal(phone.contact_id, contact.id);
          assert.ok(phone.id);
          return phone.number;
        }),
      );
      assert.deepEqual(numbers.sort(), ['+44 (0)1632 960001', '01632 960000', '01632 960002 ext 12']);
      // The edit form's details never include contacts, so an edit keeps the numbers.
      const row = await database.db.selectFrom('services').selectAll().where('id', '=', v3).executeTakeFirstOrThrow();
      const details = detailsOf(row);
      assert.ok(!('contacts' in columnsFor(v3, details, { ...details, name: 'Renamed play scheme' })));
      // The printed saved list has the full web address, the cost, how to get it and the numbers.
      const family = new TestClient(app);
      family.cookies.set('pathway_saved', v3);
      const list = (await family.get('/my-list')).body;
      assert.match(list, />https:\/\/example.org\/play<\/a>/);
      assert.match(list, /A session – £8.00/);
      assert.match(list, /How to get it/);
      assert.match(list, /href="tel:01632960000"/);
    });

    test('a tel: address keeps the digits to dial', () => {
      assert.equal(telHref('01632 960000'), 'tel:01632960000');
      assert.equal(telHref('+44 (0)1632 960 000'), 'tel:+441632960000');
      assert.equal(telHref('0800 123 4567 (freephone)'), 'tel:08001234567');
      assert.equal(telHref('ask at reception'), null);
    });

    test('a service page says what, who for, where, when, cost, how to get it and when it was checked', async () => {
      const [service] = await database.db
        .selectFrom('services')
        .select(['id', 'name'])
        .where('status', '=', 'active')
        .where('source', '=', 'directory-test')
        .orderBy('name')
        .limit(1)
        .execute();
      const response = await app.inject({ method: 'GET', url: `/services/${service!.id}` });
      assert.equal(response.statusCode, 200);
      for (const heading of [
        'What it is',
        'Who it is for',
        'Where',
        'When',
        'Cost',
        'How to get it',
        'Last checked',
        'Is something wrong',
      ]) {
        assert.ok(response.body.includes(heading), heading);
      }
    });

    test('an unknown or malformed service id is a 404 page', async () => {
      for (const id of ['00000000-0000-4000-8000-000000000000', 'nope', "1'or'1'='1"]) {
        const response = await app.inject({ method: 'GET', url: `/services/${encodeURIComponent(id)}` });
        assert.equal(response.statusCode, 404);
        assert.match(response.body, /Page not found/);
      }
    });

    test('"Is something wrong?" keeps the report and tells the directory editors', async () => {
      const [service] = await database.db
        .selectFrom('services')
        .select(['id', 'name'])
        .where('status', '=', 'active')
        .limit(1)
        .execute();
      const client = new TestClient(app);
      const empty = await client.submit(`/services/${service!.id}/feedback`, `/services/${service!.id}/feedback`, {
        message: '',
        email: 'not-an-email',
      });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Tell us what is wrong or out of date/);
      assert.match(empty.body, /Enter an email address in the correct format/);
      const sent = await client.submit(`/services/${service!.id}/feedback`, `/services/${service!.id}/feedback`, {
        message: 'The group now meets on Thursdays.',
        email: '',
      });
      assert.equal(sent.statusCode, 303);
      const thanks = await client.get(String(sent.headers.location));
      assert.match(thanks.body, /Thank you/);
      const stored = await database.db
        .selectFrom('service_feedback')
        .selectAll()
        .where('service_id', '=', service!.id)
        .execute();
      assert.equal(stored.length, 1);
      assert.equal(stored[0]!.status, 'new');
      const outbox = await database.db
        .selectFrom('notifications_outbox')
        .select(['recipient', 'body'])
        .where('template', '=', 'directory-feedback')
        .execute();
      assert.ok(
        outbox.some(
          (message) =>
            message.recipient === 'editor@demo.pathway.test' && message.body.includes('now meets on Thursdays'),
        ),
      );
    });

    test('a family saves services to a list without an account, prints it, and shares it as a link', async () => {
      const services = await database.db
        .selectFrom('services')
        .select(['id', 'name'])
        .where('status', '=', 'active')
        .orderBy('name')
        .limit(2)
        .execute();
      const client = new TestClient(app);
      for (const service of services) {
        const saved = await client.submit(`/services/${service.id}`, '/my-list', {
          serviceId: service.id,
          action: 'add',
        });
        assert.equal(saved.statusCode, 303);
      }
      const page = await client.get(`/services/${services[0]!.id}`);
      assert.match(page.body, /This service is on your list/);
      const list = await client.get('/my-list');
      for (const service of services)
        assert.ok(list.body.includes(service.name.replace(/'/g, '&#39;').replace(/&(?!#)/g, '&amp;')), service.name);
      const shareLink = /href="(\/my-list\?ids=[^"]+)"/.exec(list.body)?.[1];
      assert.ok(shareLink);
      const shared = await app.inject({ method: 'GET', url: shareLink });
      assert.match(shared.body, /Services someone shared with you/);
      const removed = await client.submit('/my-list', '/my-list', { serviceId: services[0]!.id, action: 'remove' });
      assert.equal(removed.statusCode, 303);
      assert.doesNotMatch((await client.get('/my-list')).body, new RegExp(services[0]!.id));
    });
  });
}
