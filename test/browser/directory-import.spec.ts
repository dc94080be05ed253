// Importing Open Referral feeds in a real browser, on a phone-sized and a desktop-sized screen, with axe on every
// page: a directory editor uploads a file and reads the report, then registers a feed (served on 127.0.0.1) and
// refreshes it now.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/demo/council.ts';
import { assertAccessible, browserSuite, type BrowserHarness } from '../helpers/browser.ts';
import { ORUK_REFERENCE } from '../helpers/reference-data.ts';

const BRISTOL_FILE = join(ORUK_REFERENCE, 'data', 'bristol-oruk-v3-2025', 'bristol-services-page1.json');
const FAILING_FILE = join(ORUK_REFERENCE, 'validator-mocks', 'V3.0-UK-Fail', 'service_list.json');

async function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

/** The demo directory editor, signed in, in a browser window of this width. */
async function editorAt(harness: BrowserHarness, width: number): Promise<Page> {
  const page = await (await harness.browser.newContext({ viewport: { width, height: 900 } })).newPage();
  await page.goto(`${harness.baseUrl}/sign-in`);
  await page.getByLabel('Email address').fill('editor@demo.pathway.test');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  return page;
}

describe('importing Open Referral feeds in the browser', { timeout: 240_000 }, () => {
  const suite = browserSuite();
  let feedServer: Server;
  let feedBase: string;

  before(async () => {
    // A feed whose records the standard refuses, so the report has rows to read.
    const failing = readFileSync(FAILING_FILE, 'utf8');
    feedServer = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(failing);
    });
    await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
    feedBase = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => feedServer.close(() => resolve()));
  });

  for (const width of [1280, 375]) {
    test(`at ${width} pixels wide, an editor imports a file and registers a feed, every page passing axe`, async (context) => {
      const harness = suite.harnessFor(context);
      if (!harness) return;
      const page = await editorAt(harness, width);
      const visit = async (what: string) => {
        await assertAccessible(page);
        assert.equal(await overflowsSideways(page), false, `${what} at ${width} px`);
      };
      await page.goto(`${harness.baseUrl}/manage/services`);
      await page.getByRole('link', { name: 'Import an Open Referral feed' }).click();
      await page.waitForURL(/\/manage\/import$/);
      await visit('the import page');

      await page.getByRole('button', { name: 'Import the file' }).click();
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Select an Open Referral UK file/);
      await visit('the import page with an error');

      await page.getByLabel('Open Referral UK file').setInputFiles(BRISTOL_FILE);
      await page.getByRole('button', { name: 'Import the file' }).click();
      await page.waitForURL(/\/manage\/import\/file$/);
      assert.equal(await page.locator('h1').innerText(), 'Import finished');
      const summary = await page.locator('.govuk-summary-list').innerText();
      assert.match(summary, /File bristol-services-page1\.json/);
      assert.match(summary, /Services imported\s+3/);
      await visit('the report');

      await page.goto(`${harness.baseUrl}/manage/import`);
      await page.getByRole('link', { name: 'Registered feeds' }).click();
      await page.waitForURL(/\/manage\/feeds$/);
      await visit('the registered feeds');
      await page.getByLabel('Name', { exact: true }).fill(`Validator sample at ${width}`);
      await page.getByLabel('Address of the feed').fill(`${feedBase}/services?width=${width}`);
      await page.getByRole('button', { name: 'Register feed' }).click();
      await page.waitForURL(/\/manage\/feeds\?notice=added$/);
      assert.match(await page.locator('.govuk-notification-banner').innerText(), /The feed is registered/);
      await visit('the registered feeds with a new feed');

      await page.getByRole('button', { name: `Refresh now (Validator sample at ${width})` }).click();
      await page.waitForURL(/\/manage\/feeds\/[0-9a-f-]{36}$/);
      assert.equal(await page.locator('h1').innerText(), `Last refresh of Validator sample at ${width}`);
      assert.match(await page.locator('table').innerText(), /It has no name/);
      await visit("a feed's last refresh");
      await page.context().close();
    });
  }
});
