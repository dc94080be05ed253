// The audit screen in a real browser, on a phone-sized and a desktop-sized screen, in English and in Urdu, with axe
// on every page: the DSCO finds who saw a child's record, pages through, gets the dates wrong and is told, and
// downloads the events as a CSV file; the wide table scrolls in its own region, never the page.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/demo/council.ts';
import { assertAccessible, browserSuite, type BrowserHarness } from '../helpers/browser.ts';

async function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

/** A demo person, signed in, in a browser window of this width. */
async function signedInAt(harness: BrowserHarness, email: string, width: number): Promise<Page> {
  const page = await (
    await harness.browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true })
  ).newPage();
  await page.goto(`${harness.baseUrl}/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/account$/);
  return page;
}

describe('the audit screen in the browser', { timeout: 240_000 }, () => {
  const suite = browserSuite();

  for (const width of [1280, 375]) {
    test(`at ${width} pixels wide, the DSCO filters the trail, is told of wrong dates and downloads it`, async (context) => {
      const harness = suite.harnessFor(context);
      if (!harness) return;
      // A family looks at their children, so the trail has something to find.
      const parent = await signedInAt(harness, 'parent@demo.pathway.test', width);
      await parent.goto(`${harness.baseUrl}/children`);
      await parent.context().close();

      const page = await signedInAt(harness, 'dsco@demo.pathway.test', width);
      const menu = page.getByRole('button', { name: 'Menu' });
      if (await menu.isVisible()) await menu.click();
      await page.getByRole('link', { name: 'Audit trail' }).click();
      await page.waitForURL(/\/admin\/audit$/);
      await assertAccessible(page);
      assert.equal(await overflowsSideways(page), false, `the audit trail at ${width} px`);

      await page.getByLabel('Child').fill('Tobi');
      await page.getByRole('button', { name: 'Show events' }).click();
      await page.waitForURL(/child=Tobi/);
      const table = page.getByRole('region', { name: 'Audit events' });
      assert.match(await table.innerText(), /Viewed their children/);
      assert.match(await table.innerText(), /Sam Okafor/);
      await assertAccessible(page);
      assert.equal(await overflowsSideways(page), false, `the filtered trail at ${width} px`);

      const download = page.waitForEvent('download');
      await page.getByRole('link', { name: 'Download these events (CSV)' }).click();
      const file = await download;
      assert.match(file.suggestedFilename(), /^audit-trail-\d{4}-\d{2}-\d{2}\.csv$/);

      await page.getByRole('group', { name: 'From' }).getByLabel('Day').fill('31');
      await page.getByRole('group', { name: 'From' }).getByLabel('Month').fill('2');
      await page.getByRole('group', { name: 'From' }).getByLabel('Year').fill('2026');
      await page.getByRole('button', { name: 'Show events' }).click();
      const summary = page.locator('.govuk-error-summary');
      await summary.waitFor();
      assert.match(await summary.innerText(), /Enter the ‘from’ date as a real date/);
      assert.equal(await page.getByLabel('Child').inputValue(), 'Tobi');
      await assertAccessible(page);
      assert.equal(await overflowsSideways(page), false, `the errors at ${width} px`);
      await page.context().close();
    });
  }

  for (const width of [1280, 375]) {
    test(`in Urdu at ${width} pixels, the audit trail reads right to left and fits`, async (context) => {
      const harness = suite.harnessFor(context);
      if (!harness) return;
      const page = await signedInAt(harness, 'admin@demo.pathway.test', width);
      await page.goto(`${harness.baseUrl}/admin/audit?lang=ur`);
      assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
      assert.match(await page.locator('h1').innerText(), /آڈٹ ریکارڈ/);
      await assertAccessible(page);
      assert.equal(await overflowsSideways(page), false, `Urdu at ${width} px`);
      await page.goto(`${harness.baseUrl}/admin/audit?lang=en`);
      await page.context().close();
    });
  }
});
