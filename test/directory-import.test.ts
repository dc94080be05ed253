// Importing Open Referral feeds while Pathway runs: a directory editor uploads a file or gives an address and reads
// the report; every way a feed can be wrong is a field error; registered feeds are refreshed now or by the nightly
// job, one unreadable feed never stopping the others. Feeds are served by a local server on 127.0.0.1 only.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { FEED_LIMITS, FeedProblem, isLinkLocal, readFeedAddress } from '../src/features/directory/feed-reading.ts';
import { scheduledJobs } from '../src/jobs/worker.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { csrfTokenIn, multipartBody, seededApp, signedInClient, testConfig, TestClient } from './helpers/app.ts';
import { ORUK_REFERENCE } from './helpers/reference-data.ts';

const EDITOR = 'editor@demo.pathway.test';
const BRISTOL_FILE = join(ORUK_REFERENCE, 'data', 'bristol-oruk-v3-2025', 'bristol-services-page1.json');
const FAILING_FILE = join(ORUK_REFERENCE, 'validator-mocks', 'V3.0-UK-Fail', 'service_list.json');
const OUTPOST_PAGE = join(ORUK_REFERENCE, 'data', 'buckinghamshire-outpost-api-2023', 'services_page_1.json');

function json(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** Open Referral feeds and ways of not being one, on 127.0.0.1. */
async function startFeedServer(): Promise<{ server: Server; base: string; asked: string[] }> {
  const bristol = json(BRISTOL_FILE);
  const failing = json(FAILING_FILE);
  const outpost = json(OUTPOST_PAGE);
  const asked: string[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    asked.push(`${url.pathname}${url.search}`);
    const send = (status: number, body: string, type = 'application/json') => {
      response.writeHead(status, { 'content-type': type });
      response.end(body);
    };
    switch (url.pathname) {
      case '/api/services': {
        // Two pages: Bristol's three services, then the validator's four records that must be rejected.
        const page = url.searchParams.get('page') === '2' ? failing : bristol;
        send(200, JSON.stringify({ ...page, total_pages: 2, page_number: url.searchParams.get('page') ?? 1 }));
        return;
      }
      case '/bristol.json':
        send(200, JSON.stringify({ ...bristol, total_pages: 1, last_page: true }));
        return;
      case '/outpost.json':
        send(200, JSON.stringify({ ...outpost, totalPages: 1, last: true }));
        return;
      case '/moved':
        response.writeHead(302, { location: '/bristol.json' });
        response.end();
        return;
      case '/round-and-round':
        response.writeHead(302, { location: '/round-and-round' });
        response.end();
        return;
      case '/to-ftp':
        response.writeHead(302, { location: 'ftp://127.0.0.1/feed.json' });
        response.end();
        return;
      case '/silent':
        // Never answers: the reader must give up on its own.
        return;
      case '/web-page':
        send(200, '<!DOCTYPE html><html><body>Our services</body></html>', 'text/html');
        return;
      case '/not-open-referral':
        send(200, JSON.stringify({ weather: 'sunny', temperature: 21 }));
        return;
      case '/huge': {
        // No content-length: the limit must hold while the body streams in.
        response.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        let sent = 0;
        const write = () => {
          while (sent < 30) {
            sent += 1;
            if (!response.write(chunk)) {
              response.once('drain', write);
              return;
            }
          }
          response.end();
        };
        response.on('error', () => undefined);
        write();
        return;
      }
      case '/endless-pages': {
        // Every page new services (their ids end with the page's number), and more pages than Pathway reads.
        const page = Number(url.searchParams.get('page') ?? 1);
        const contents = (bristol.contents as { id: string }[]).map((service) => ({
          ...service,
          id: `${service.id.slice(0, -8)}${page.toString(16).padStart(8, '0')}`,
        }));
        send(200, JSON.stringify({ ...bristol, contents, total_pages: 100_000 }));
        return;
      }
      case '/one-page-saved':
        // One page of a feed saved as a file: it says the feed had 118 pages, and answers every page the same.
        send(200, JSON.stringify({ ...bristol, total_pages: 118 }));
        return;
      default:
        send(404, JSON.stringify({ error: 'not found' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked };
}

/** An address on 127.0.0.1 where nothing listens. */
async function closedAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/feed.json`;
}

test('addresses where cloud machines keep their secrets are never fetched, whether written or looked up', () => {
  for (const address of ['169.254.169.254', '::ffff:169.254.1.1', 'fe80::1', 'FEBF::2']) {
    assert.equal(isLinkLocal(address), true, address);
  }
  for (const address of ['127.0.0.1', '10.0.0.1', '192.168.1.1', '::1', '2001:db8::1', 'fec0::1']) {
    assert.equal(isLinkLocal(address), false, address);
  }
});

for (const target of databaseTargets()) {
  describe(`importing Open Referral feeds in the browser on ${target.name}`, { timeout: 300_000 }, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let editor: TestClient;
    let feeds: { server: Server; base: string; asked: string[] };
    let nowhere: string;

    const countServices = async () =>
      Number(
        (
          await database.db
            .selectFrom('services')
            .select((eb) => eb.fn.countAll<string>().as('count'))
            .executeTakeFirstOrThrow()
        ).count,
      );
    const importFile = (name: string, content: Buffer) =>
      editor.upload('/manage/import', '/manage/import/file', {
        field: 'feed-file',
        name,
        type: 'application/json',
        content,
      });
    const importAddress = (url: string) => editor.submit('/manage/import', '/manage/import/address', { url });
    const audits = (action: string) =>
      database.db
        .selectFrom('audit_events')
        .select(['actor_user_id', 'actor_role', 'details', 'subject_id'])
        .where('action', '=', action)
        .orderBy('occurred_at')
        .execute();

    before(async () => {
      database = await target.open();
      app = await seededApp(database);
      editor = await signedInClient(app, EDITOR);
      feeds = await startFeedServer();
      nowhere = await closedAddress();
    });
    after(async () => {
      feeds.server.closeAllConnections();
      await new Promise<void>((resolve) => feeds.server.close(() => resolve()));
      await app.close();
      await database.dispose();
    });

    test('the directory entries page links an editor to importing, and the page offers a file and an address', async () => {
      const services = await editor.get('/manage/services');
      assert.match(services.body, /href="\/manage\/import">Import an Open Referral feed</);
      const page = await editor.get('/manage/import');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /enctype="multipart\/form-data"/);
      assert.match(page.body, /type="file"[^>]*name="feed-file"|name="feed-file"[^>]*type="file"/);
      assert.match(page.body, /name="url"/);
    });

    test('anyone but a directory editor is refused the import and the registered feeds', async () => {
      for (const email of ['provider@demo.pathway.test', 'manager@demo.pathway.test', 'admin@demo.pathway.test']) {
        const other = await signedInClient(app, email);
        for (const path of ['/manage/import', '/manage/feeds']) {
          assert.equal((await other.get(path)).statusCode, 403, `${email} ${path}`);
        }
        const token = csrfTokenIn((await other.get('/account')).body);
        const posted = await other.post('/manage/import/address', { _csrf: token, url: `${feeds.base}/bristol.json` });
        assert.equal(posted.statusCode, 403, email);
        const registered = await other.post('/manage/feeds', { _csrf: token, name: 'x', url: `${feeds.base}/x` });
        assert.equal(registered.statusCode, 403, email);
      }
      const anonymous = await app.inject({ method: 'GET', url: '/manage/import' });
      assert.equal(anonymous.statusCode, 303);
      assert.match(String(anonymous.headers.location), /^\/sign-in/);
      assert.equal(await countServices(), 0);
    });

    test('an upload or an address without the form token is refused', async () => {
      const { body, contentType } = multipartBody(
        {},
        { field: 'feed-file', name: 'feed.json', type: 'application/json', content: readFileSync(BRISTOL_FILE) },
      );
      const upload = await app.inject({
        method: 'POST',
        url: '/manage/import/file',
        headers: {
          cookie: [...editor.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
          'content-type': contentType,
        },
        payload: body,
      });
      assert.equal(upload.statusCode, 403);
      const address = await editor.post('/manage/import/address', { url: `${feeds.base}/bristol.json` });
      assert.equal(address.statusCode, 403);
      assert.equal(await countServices(), 0);
    });

    test('an editor uploads an Open Referral file, reads the report, and families find the services at once', async () => {
      const response = await importFile('bristol-services-page1.json', readFileSync(BRISTOL_FILE));
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /<h1 class="govuk-heading-l">Import finished<\/h1>/);
      assert.match(response.body, /File bristol-services-page1.json/);
      assert.match(response.body, /Services imported\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*3\s*</);
      assert.match(response.body, /No records were rejected/);
      assert.equal(await countServices(), 3);
      const search = await app.inject({ method: 'GET', url: '/services?q=picture+of+health' });
      assert.match(search.body, /A Picture of Health/);
      const [audit] = await audits('import-directory-feed');
      assert.ok(audit);
      assert.equal(audit.actor_role, 'directory_editor');
      assert.deepEqual(audit.details, {
        from: 'file',
        source: 'bristol-services-page1.json',
        accepted: 3,
        rejected: 0,
      });
    });

    test('a file with records the standard refuses reports each one with its reference and reasons', async () => {
      const before = await countServices();
      const response = await importFile('service_list.json', readFileSync(FAILING_FILE));
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /Records rejected\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*4\s*</);
      assert.match(response.body, /ac148810-d857-441c-9679-408f346de14b/);
      assert.match(response.body, /<li>It has no name<\/li>/);
      // Every record refused: the page says nothing was imported, not that the import finished.
      assert.match(response.body, /<h1 class="govuk-heading-l">Nothing was imported<\/h1>/);
      assert.equal(await countServices(), before);
    });

    test('an Open Referral 1.0 (Outpost) file is read too', async () => {
      const response = await importFile('services_page_1.json', readFileSync(OUTPOST_PAGE));
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /3\.0: 0, 1\.0: 50/);
    });

    test('a missing, empty, too large, non-JSON or non-Open Referral file is a field error, and nothing is imported', async () => {
      const before = await countServices();
      const cases: [string, Buffer, RegExp][] = [
        ['', Buffer.alloc(0), /Select an Open Referral UK file/],
        ['empty.json', Buffer.alloc(0), /The selected file is empty/],
        ['page.json', Buffer.from('<html><body>Services</body></html>'), /The feed is not in JSON/],
        ['weather.json', Buffer.from('{"weather":"sunny"}'), /No Open Referral UK services were found/],
        ['huge.json', Buffer.alloc(26 * 1024 * 1024, 0x20), /The selected file must be smaller than 25 MB/],
      ];
      for (const [name, content, message] of cases) {
        const response = await importFile(name, content);
        assert.equal(response.statusCode, 400, name);
        assert.match(response.body, /govuk-error-summary/, name);
        assert.match(response.body, /href="#feed-file"/, name);
        assert.match(response.body, message, name);
      }
      assert.equal(await countServices(), before);
    });

    test('an editor imports every page of a feed from its address, with the rejected records of each page', async () => {
      const before = await countServices();
      feeds.asked.length = 0;
      const response = await importAddress(`${feeds.base}/api/services`);
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /Address at 127\.0\.0\.1:\d+/);
      assert.match(response.body, /Services imported\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*3\s*</);
      assert.match(response.body, /Records rejected\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*4\s*</);
      // Bristol's services were uploaded before under the same ids: updated, not added again.
      assert.equal(await countServices(), before);
      assert.deepEqual(feeds.asked, ['/api/services?full=true', '/api/services?full=true&page=2']);
      const audit = (await audits('import-directory-feed')).at(-1);
      assert.deepEqual(audit?.details, {
        from: 'address',
        source: new URL(feeds.base).host,
        accepted: 3,
        rejected: 4,
      });
    });

    test('an address that answers every page the same is read once: no service is counted twice', async () => {
      feeds.asked.length = 0;
      const response = await importAddress(`${feeds.base}/one-page-saved`);
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /Services imported\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*3\s*</);
      assert.deepEqual(feeds.asked, ['/one-page-saved', '/one-page-saved?page=2']);
    });

    test('an address that redirects is followed, a few times at most', async () => {
      assert.equal((await importAddress(`${feeds.base}/moved`)).statusCode, 200);
      const looping = await importAddress(`${feeds.base}/round-and-round`);
      assert.equal(looping.statusCode, 400);
      assert.match(looping.body, /sent Pathway to other addresses too many times/);
    });

    test('every way an address can fail is a field error with status 400, and the address is kept', async () => {
      const cases: [string, RegExp][] = [
        ['', /Enter the address of the feed/],
        ['not an address', /Enter an address that starts with https:\/\/ or http:\/\//],
        ['ftp://127.0.0.1/feed.json', /Enter an address that starts with https:\/\/ or http:\/\//],
        ['file:///etc/passwd', /Enter an address that starts with https:\/\/ or http:\/\//],
        [`${feeds.base}/to-ftp`, /Enter an address that starts with https:\/\/ or http:\/\//],
        ['http://169.254.169.254/latest/meta-data/', /Pathway does not read feeds from that address/],
        [nowhere, /The address could not be reached/],
        [`${feeds.base}/missing`, /answered with an error \(HTTP status 404\)/],
        [`${feeds.base}/web-page`, /The feed is not in JSON/],
        [`${feeds.base}/not-open-referral`, /No Open Referral UK services were found/],
        [`${feeds.base}/huge`, /The feed must be smaller than 25 MB/],
        [`${feeds.base}/endless-pages`, /more than 200 pages/],
      ];
      for (const [url, message] of cases) {
        const response = await importAddress(url);
        assert.equal(response.statusCode, 400, url);
        assert.match(response.body, /href="#url"/, url);
        assert.match(response.body, message, url);
        if (url !== '') assert.ok(response.body.includes(`value="${url.replace(/&/g, '&amp;')}"`), url);
      }
    });

    test('an address that does not answer in time is given up on', async () => {
      await assert.rejects(
        readFeedAddress(`${feeds.base}/silent`, { ...FEED_LIMITS, answerMs: 300 }),
        (error: unknown) => error instanceof FeedProblem && error.code === 'timeout',
      );
    });

    test('an editor registers a feed, refreshes it now and reads its last result, then removes it', async () => {
      const invalid = await editor.submit('/manage/feeds', '/manage/feeds', { name: '', url: 'feeds.example' });
      assert.equal(invalid.statusCode, 400);
      assert.match(invalid.body, /Enter a name for the feed/);
      assert.match(invalid.body, /Enter an address that starts with https:\/\/ or http:\/\//);

      const url = `${feeds.base}/api/services`;
      const added = await editor.submit('/manage/feeds', '/manage/feeds', { name: 'Bristol', url });
      assert.equal(added.statusCode, 303);
      assert.equal(added.headers.location, '/manage/feeds?notice=added');
      const list = await editor.get('/manage/feeds?notice=added');
      assert.match(list.body, /The feed is registered/);
      assert.match(list.body, /Bristol/);
      assert.match(list.body, /Not yet/);
      const again = await editor.submit('/manage/feeds', '/manage/feeds', { name: 'Bristol again', url });
      assert.equal(again.statusCode, 400);
      assert.match(again.body, /This address is registered already/);

      const feed = await database.db
        .selectFrom('registered_feeds')
        .select('id')
        .where('url', '=', url)
        .executeTakeFirstOrThrow();
      const before = await editor.get(`/manage/feeds/${feed.id}`);
      assert.match(before.body, /This feed has not been refreshed yet/);
      const refreshed = await editor.submit('/manage/feeds', `/manage/feeds/${feed.id}/refresh`, {});
      assert.equal(refreshed.statusCode, 303);
      assert.equal(refreshed.headers.location, `/manage/feeds/${feed.id}`);
      const report = await editor.get(`/manage/feeds/${feed.id}`);
      assert.match(report.body, /Last refresh of Bristol/);
      assert.match(report.body, /Services imported\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*3\s*</);
      assert.match(report.body, /<li>It has no name<\/li>/);
      const listed = await editor.get('/manage/feeds');
      assert.match(listed.body, /3 imported, 4 rejected/);
      const [refreshAudit] = await audits('refresh-directory-feed');
      assert.equal(refreshAudit?.subject_id, feed.id);
      assert.equal(refreshAudit?.actor_role, 'directory_editor');

      const removed = await editor.submit('/manage/feeds', `/manage/feeds/${feed.id}/remove`, {});
      assert.equal(removed.statusCode, 303);
      assert.match((await editor.get('/manage/feeds?notice=removed')).body, /No feeds are registered/);
      assert.equal((await editor.get(`/manage/feeds/${feed.id}`)).statusCode, 404);
      assert.equal((await audits('register-directory-feed')).length, 1);
      assert.equal((await audits('remove-directory-feed')).length, 1);
    });

    test("the nightly job refreshes every council's feeds, and one that fails does not stop the others", async () => {
      // A second council, to show the job is every council's.
      await database.db.insertInto('councils').values({ la_code: 'Z98', name: 'Southmoor' }).execute();
      await database.db
        .insertInto('registered_feeds')
        .values([
          { la_code: 'Z99', name: 'Gone away', url: nowhere },
          { la_code: 'Z99', name: 'Not a feed', url: `${feeds.base}/web-page` },
          { la_code: 'Z98', name: 'Buckinghamshire', url: `${feeds.base}/outpost.json` },
        ])
        .execute();
      const job = scheduledJobs(testConfig(), database).find(
        (candidate) => candidate.name === 'directory-feeds-refresh',
      );
      assert.ok(job);
      assert.equal(job.cron, '0 2 * * *');
      await job.handler();

      const rows = await database.db
        .selectFrom('registered_feeds')
        .select(['name', 'la_code', 'last_refreshed_at', 'last_accepted', 'last_rejected', 'last_problem'])
        .orderBy('name')
        .execute();
      assert.deepEqual(
        rows.map(({ last_refreshed_at, ...rest }) => ({ ...rest, refreshed: last_refreshed_at !== null })),
        [
          {
            name: 'Buckinghamshire',
            la_code: 'Z98',
            last_accepted: 50,
            last_rejected: 0,
            last_problem: null,
            refreshed: true,
          },
          {
            name: 'Gone away',
            la_code: 'Z99',
            last_accepted: null,
            last_rejected: null,
            last_problem: 'unreachable',
            refreshed: true,
          },
          {
            name: 'Not a feed',
            la_code: 'Z99',
            last_accepted: null,
            last_rejected: null,
            last_problem: 'not-json',
            refreshed: true,
          },
        ],
      );
      const southmoor = await database.db
        .selectFrom('services')
        .select('name')
        .where('la_code', '=', 'Z98')
        .orderBy('name')
        .execute();
      assert.equal(southmoor.length, 50);
      const nightly = (await audits('refresh-directory-feed')).filter((row) => row.actor_role === 'system');
      assert.equal(nightly.length, 3);
      assert.ok(nightly.every((row) => row.actor_user_id === null));

      const list = await editor.get('/manage/feeds');
      assert.match(list.body, /Could not be read: The address could not be reached/);
      assert.match(list.body, /Could not be read: The feed is not in JSON/);
      assert.doesNotMatch(list.body, /Buckinghamshire|outpost\.json/, "another council's feeds are not shown");
    });
  });
}
