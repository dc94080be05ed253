// A family finding a service in a real browser, every page checked by axe: search with filters, a service's
// page, saving it to a list, and telling the council something is wrong.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { importFeed } from '../../src/features/directory/import.ts';
import { assertAccessible, skipWithoutBrowser, startBrowserHarness, type BrowserHarness } from '../helpers/browser.ts';
import { EVALUATION_SERVICES } from '../helpers/reference-data.ts';

describe('finding services in the browser', { timeout: 180_000 }, () => {
  let harness: BrowserHarness | string;

  before(async () => {
    harness = await startBrowserHarness();
    if (typeof harness !== 'string')
      await importFeed(harness.app.deps.database.db, 'Z99', EVALUATION_SERVICES, 'browser-test');
  });
  after(async () => {
    if (typeof harness !== 'string') await harness.close();
  });

  async function newPage(javaScriptEnabled = true): Promise<Page> {
    const context = await (harness as BrowserHarness).browser.newContext({ javaScriptEnabled });
    return context.newPage();
  }

  test('search, filter, open a service, save it, and report a problem', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const page = await newPage();
    await page.goto(harness.baseUrl);
    await page.getByRole('link', { name: 'Find services and activities in the Local Offer' }).click();
    await page.waitForURL(/\/services$/);
    await assertAccessible(page);
    // The page's one inline script ran: the content security policy allows it by its hash.
    assert.match(await page.evaluate(() => document.body.className), /\bjs-enabled\b/);

    await page.getByLabel('What are you looking for?').fill('SALT');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/q=SALT/);
    assert.match(await page.locator('main').innerText(), /SALT means speech and language therapy/);
    await assertAccessible(page);

    await page.getByLabel('Age of the child or young person').fill('4');
    await page.getByLabel('Free', { exact: true }).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/age=4/);
    await assertAccessible(page);

    await page.locator('.pathway-result a').first().click();
    await page.waitForURL(/\/services\/[0-9a-f-]{36}$/);
    await assertAccessible(page);
    await page.getByRole('button', { name: 'Save to my list' }).click();
    assert.match(await page.locator('main').innerText(), /This service is on your list/);
    await page.getByRole('link', { name: 'Your saved services' }).click();
    await page.waitForURL(/\/my-list$/);
    await assertAccessible(page);
    await page.goBack();

    await page.getByRole('link', { name: /Tell us if something on this page is wrong/ }).click();
    await page.getByRole('button', { name: 'Send' }).click();
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Tell us what is wrong or out of date/);
    await assertAccessible(page);
    await page.getByLabel('What is wrong or out of date?').fill('The phone number has changed.');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(/feedback\/sent$/);
    await assertAccessible(page);
    await page.context().close();
  });

  test('a misspelt search offers the corrected words, and works without JavaScript', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    // axe runs in the page, so it checks these pages with JavaScript on; the family's view is checked with it off.
    for (const javaScript of [false, true]) {
      const page = await newPage(javaScript);
      await page.goto(`${harness.baseUrl}/services?q=swiming+lessons`);
      assert.match(await page.locator('main').innerText(), /Showing results for swimming lessons/);
      if (javaScript) await assertAccessible(page);
      await page.goto(`${harness.baseUrl}/services?age=forty`);
      assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter an age from 0 to 25/);
      if (javaScript) await assertAccessible(page);
      await page.context().close();
    }
  });

  test('the search page in Urdu is right to left and still accessible', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const page = await newPage();
    await page.goto(`${harness.baseUrl}/services?q=autism&lang=ur`);
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    await assertAccessible(page);
    await page.context().close();
  });
});
