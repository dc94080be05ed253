// The front door finds a child with a misspelt name and opens their record, in a real browser on a phone-sized and a
// desktop-sized screen, by keyboard, with axe on every page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/demo/council.ts';
import { assertAccessible, skipWithoutBrowser, startBrowserHarness, type BrowserHarness } from '../helpers/browser.ts';

describe('finding a child in the browser', { timeout: 180_000 }, () => {
  let harness: BrowserHarness | string;

  before(async () => {
    harness = await startBrowserHarness();
  });
  after(async () => {
    if (typeof harness !== 'string') await harness.close();
  });

  /** The triage worker, signed in, in a browser window of this width. */
  async function triageWorkerAt(width: number): Promise<Page> {
    const { browser, baseUrl } = harness as BrowserHarness;
    const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel('Email address').fill('triage@demo.pathway.test');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/account$/);
    return page;
  }

  for (const width of [375, 1280]) {
    test(`at ${width} pixels wide, a misspelt name finds the child, whose record opens from the results`, async (context) => {
      if (skipWithoutBrowser(harness, context)) return;
      const page = await triageWorkerAt(width);
      // On a phone the menu is folded behind its button.
      const menu = page.getByRole('button', { name: 'Menu' });
      if (await menu.isVisible()) await menu.click();
      await page.getByRole('link', { name: 'Find a child' }).click();
      await page.waitForURL(/\/children\/search$/);
      await assertAccessible(page);

      await page.getByRole('button', { name: 'Search' }).click();
      assert.match(
        await page.locator('.govuk-error-summary').innerText(),
        /Enter a name, NHS number, unique pupil number or reference, or a date of birth/,
      );
      await assertAccessible(page);

      // By keyboard: type the name with a slip, send the form with Enter, open the record with Enter.
      await page.locator('#q').focus();
      await page.keyboard.type('Tobi Okafr');
      await page.keyboard.press('Enter');
      await page.waitForURL(/q=Tobi\+Okafr/);
      assert.match(await page.locator('main').innerText(), /1 child found/);
      await assertAccessible(page);
      await page.getByRole('link', { name: 'Tobi Okafor' }).focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/children\/[0-9a-f-]{36}$/);
      assert.equal(await page.locator('h1').innerText(), 'Tobi Okafor');
      await assertAccessible(page);

      // Back from the record, the results are there again.
      await page.goBack();
      assert.match(await page.locator('main').innerText(), /1 child found/);
      await page.context().close();
    });
  }

  test('a search that finds no one says so, and a date that cannot be is explained', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const page = await triageWorkerAt(1280);
    await page.goto(`${harness.baseUrl}/children/search`);
    await page.getByLabel('Name, NHS number or reference').fill('Quentin Zzyzx');
    await page.getByRole('button', { name: 'Search' }).click();
    assert.match(await page.locator('h2').first().innerText(), /No children found/);
    await assertAccessible(page);

    await page.getByLabel('Day').fill('31');
    await page.getByLabel('Month').fill('2');
    await page.getByLabel('Year').fill('2016');
    await page.getByRole('button', { name: 'Search' }).click();
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Date of birth must be a real date/);
    await assertAccessible(page);
    await page.context().close();
  });
});
