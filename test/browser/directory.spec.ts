// A family finding a service in a real browser, every page checked by axe: search with filters, a service's
// page, saving it to a list, and telling the council something is wrong; on a phone, results first, with the
// filters behind "Filter results" and the chosen ones as tags that remove them, with and without JavaScript.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { importFeed } from '../../src/features/directory/import.ts';
import {
  assertAccessible,
  assertRightToLeftLayout,
  skipWithoutBrowser,
  startBrowserHarness,
  type BrowserHarness,
} from '../helpers/browser.ts';
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

  async function newPage(javaScriptEnabled = true, viewport?: { width: number; height: number }): Promise<Page> {
    const context = await (harness as BrowserHarness).browser.newContext({
      javaScriptEnabled,
      ...(viewport ? { viewport } : {}),
    });
    return context.newPage();
  }

  /** A phone's screen: 375 px wide, 667 high (as an iPhone SE's). */
  const PHONE = { width: 375, height: 667 };

  /** How far down the page the first result starts, in pixels. */
  const firstResultTop = (page: Page) =>
    page
      .locator('.pathway-result')
      .first()
      .evaluate((result) => result.getBoundingClientRect().top + window.scrollY);

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
    await page.waitForURL(/\/services\/[0-9a-f-]{36}\?from=/);
    // Back to the same search, then on to the service again.
    await page.getByRole('link', { name: 'Back to search' }).click();
    await page.waitForURL(/\/services\?q=SALT&age=4&cost=free$/);
    await page.locator('.pathway-result a').first().click();
    await page.waitForURL(/\/services\/[0-9a-f-]{36}\?from=/);
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

  test('on a phone the results come first; the filters open from "Filter results"; tags remove them', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    // Before (2026-12-07) the first result started 2,782 px down at 375 px: 4.2 screens of 667 px.
    const page = await newPage(true, PHONE);
    await page.goto(`${harness.baseUrl}/services?q=autism`);
    assert.ok((await firstResultTop(page)) < PHONE.height, 'the first result starts on the first screen');
    assert.equal(await page.getByLabel('Age of the child or young person').isVisible(), false);
    await assertAccessible(page);
    await page.getByText('Filter results', { exact: true }).click();
    await page.getByLabel('Age of the child or young person').fill('7');
    await page.getByLabel('Autism', { exact: true }).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/age=7/);
    assert.ok((await firstResultTop(page)) < PHONE.height * 1.25, 'with two filters chosen, still near the top');
    const tags = page.locator('.pathway-filter-tag');
    const tagTexts = (await tags.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
    assert.deepEqual(tagTexts, ['Remove this filter: Age 7×', 'Remove this filter: Autism×']);
    await assertAccessible(page);
    await page.getByRole('link', { name: 'Remove this filter: Age 7' }).click();
    await page.waitForURL((url) => url.search === '?q=autism&need=autism');
    assert.deepEqual(await tags.count(), 1);
    await assertAccessible(page);
    // Saved from the results, back at the same result.
    const first = page.locator('.pathway-result').first();
    const name = await first.locator('h3').innerText();
    const save = first.getByRole('button', { name: /^Save to my list/ });
    assert.match((await save.textContent()) ?? '', new RegExp(`: ${name}`), 'the button names its service');
    await save.click();
    await page.waitForURL(/\?q=autism&need=autism#result-/);
    assert.match(await first.innerText(), /This service is on your list/);
    await assertAccessible(page);
    // On a wider screen the filters stand open beside the results, with no "Filter results" to press.
    await page.setViewportSize({ width: 1024, height: 768 });
    assert.equal(await page.getByLabel('Age of the child or young person').isVisible(), true);
    assert.equal(await page.locator('.pathway-filters__toggle').isVisible(), false);
    await page.context().close();
  });

  test('without JavaScript the filters open, apply and come off, and a result is saved', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const page = await newPage(false, PHONE);
    await page.goto(`${harness.baseUrl}/services?q=swimming`);
    assert.ok((await firstResultTop(page)) < PHONE.height);
    await page.getByText('Filter results', { exact: true }).click();
    await page.getByLabel('Free', { exact: true }).check();
    await page.getByLabel('Saturday').check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/cost=free/);
    assert.equal(await page.locator('.pathway-filter-tag').count(), 2);
    await page.getByRole('link', { name: 'Remove this filter: Saturday' }).click();
    await page.waitForURL((url) => url.search === '?q=swimming&cost=free');
    const first = page.locator('.pathway-result').first();
    await first.getByRole('button', { name: /^Save to my list/ }).click();
    await page.waitForURL(/\?q=swimming&cost=free#result-/);
    assert.match(await first.innerText(), /This service is on your list/);
    await page.context().close();
  });

  test('on a phone in Urdu the filters, tags and saving buttons lay out right to left', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const page = await newPage(true, PHONE);
    await page.goto(`${harness.baseUrl}/services?q=autism&need=autism&day=SA&lang=ur`);
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    assert.ok((await firstResultTop(page)) < PHONE.height * 1.25);
    // Right to left: the toggle and the first tag start at the right-hand edge.
    const right = async (selector: string) => {
      const box = (await page.locator(selector).first().boundingBox())!;
      return box.x + box.width;
    };
    assert.ok((await right('.pathway-filters__toggle')) > PHONE.width - 30);
    assert.ok((await right('.pathway-filter-tag')) > PHONE.width - 30);
    await assertAccessible(page);
    await page.getByText('نتائج فلٹر کریں (2 منتخب)').click();
    assert.equal(await page.locator('#age').isVisible(), true);
    await assertAccessible(page);
    await assertRightToLeftLayout(page);
    await page.context().close();
  });

  test("the search and service pages in Urdu are right to left, with providers' English left to right, and accessible", async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const page = await newPage();
    await page.goto(`${harness.baseUrl}/services?q=autism&lang=ur`);
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    await assertAccessible(page);
    // A service's own words stay as its provider wrote them, left to right inside the right-to-left page.
    assert.ok((await page.locator('main [lang="en"]').count()) > 0);
    await assertRightToLeftLayout(page);
    await page.locator('main h3 a').first().click();
    await page.waitForURL(/\/services\/[0-9a-f-]{36}/);
    await assertAccessible(page);
    await assertRightToLeftLayout(page);
    await page.context().close();
  });
});
