// Wide tables on staff pages scroll sideways within their own focusable region on a 375 px phone, so the page itself
// never does, in English and in Urdu (right to left); axe checks every page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  assertAccessible,
  skipWithoutBrowser,
  startBrowserHarness,
  type BrowserHarness,
  signedInPage,
} from '../helpers/browser.ts';
import { seedDemoApplications } from '../../src/demo/applications.ts';
import { seedDemoDirectory } from '../../src/demo/directory.ts';

/** Whether the page scrolls sideways: nothing on it may be wider than a phone's screen. */
async function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

describe('tables on a phone in the browser', { timeout: 180_000 }, () => {
  let harness: BrowserHarness | string;

  before(async () => {
    harness = await startBrowserHarness();
    if (typeof harness !== 'string') {
      await seedDemoDirectory(harness.app.deps.database.db);
      await seedDemoApplications(harness.app.deps.database.db, new Date('2026-10-01T10:00:00Z'));
    }
  });
  after(async () => {
    if (typeof harness !== 'string') await harness.close();
  });

  test('fairness, glossary, gaps in services, services and the scoring model fit 375 px', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    for (const [email, path] of [
      ['analyst@demo.pathway.test', '/short-breaks/fairness'],
      ['editor@demo.pathway.test', '/manage/glossary'],
      ['editor@demo.pathway.test', '/manage/sufficiency'],
      ['editor@demo.pathway.test', '/manage/services'],
      ['admin@demo.pathway.test', '/admin/scoring?lang=ur'],
    ] as const) {
      const page = await signedInPage(harness, email);
      await page.setViewportSize({ width: 375, height: 900 });
      await page.goto(`${harness.baseUrl}${path}`);
      assert.ok(await page.locator('.pathway-table-scroll[role="region"][tabindex="0"] table').count(), path);
      await assertAccessible(page);
      assert.equal(await overflowsSideways(page), false, `${path} at 375 px`);
      await page.context().close();
    }
  });
});
