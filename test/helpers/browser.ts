// Browser tests: the real app on a real port, driven in Debian's Chromium, every page scanned by axe.
// Without Chromium they skip with a message, unless REQUIRE_BROWSER=1 (CI), when they fail.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, type TestContext } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { databaseTargets, type TestDatabase } from './databases.ts';
import { seededApp } from './app.ts';
import { DEMO_PASSWORD } from '../../src/demo/council.ts';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const REQUIRED = process.env.REQUIRE_BROWSER === '1';
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface BrowserHarness {
  baseUrl: string;
  browser: Browser;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Starts the app and Chromium, or returns the reason it cannot (which fails the run when REQUIRE_BROWSER=1). */
export async function startBrowserHarness(): Promise<BrowserHarness | string> {
  if (!existsSync(CHROMIUM_PATH)) {
    const reason = `Chromium not found at ${CHROMIUM_PATH}: install it with "apt-get install chromium" or set CHROMIUM_PATH`;
    if (REQUIRED) throw new Error(`REQUIRE_BROWSER=1 but ${reason}`);
    return reason;
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const database: TestDatabase = await databaseTargets()[0]!.open();
  const app = await seededApp(database);
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    baseUrl,
    browser,
    app,
    async close() {
      await browser.close();
      await app.close();
      await database.dispose();
    },
  };
}

/** A new browser, signed in on the sign-in page as a demo user: each user has their own cookies. */
export async function signedInPage(harness: BrowserHarness, email: string): Promise<Page> {
  const page = await (await harness.browser.newContext()).newPage();
  await page.goto(`${harness.baseUrl}/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
}

/** Signs a demo user in and opens the record of the demo child with this given name. */
export async function signedInOnChildRecord(harness: BrowserHarness, email: string, givenName: string): Promise<Page> {
  const child = await harness.app.deps.database.db
    .selectFrom('children')
    .select('id')
    .where('given_name', '=', givenName)
    .executeTakeFirstOrThrow();
  const page = await signedInPage(harness, email);
  await page.goto(`${harness.baseUrl}/children/${child.id}`);
  return page;
}

export interface BrowserSuite {
  /** The harness for a test; undefined when Chromium is missing, and the test has been skipped saying why. */
  harnessFor(context: TestContext): BrowserHarness | undefined;
}

/**
 * The opening of a describe block of browser tests: the app and Chromium start before its tests and stop after
 * them. Each test begins `const harness = suite.harnessFor(context); if (!harness) return;`.
 */
export function browserSuite(): BrowserSuite {
  let harness: BrowserHarness | string;
  before(async () => {
    harness = await startBrowserHarness();
  });
  after(async () => {
    if (typeof harness !== 'string') await harness.close();
  });
  return { harnessFor: (context) => (skipWithoutBrowser(harness, context) ? undefined : harness) };
}

export function skipWithoutBrowser(harness: BrowserHarness | string, context: TestContext): harness is string {
  if (typeof harness === 'string') {
    context.skip(harness);
    return true;
  }
  return false;
}

/**
 * Fails on any WCAG 2.2 A or AA violation axe finds, naming each one and where it is. Needs JavaScript in the page.
 *
 * axe runs in the page itself (`axe.run`, the integration's "legacy mode"). Its default mode exists for pages that
 * embed other sites: it runs in each frame, then opens a second, blank page to combine the frames' results, which
 * took a third of every scan's time. Pathway's pages embed no frame, and this checks that they still do not, since
 * a frame from another site would then go unscanned.
 */
export async function assertAccessible(page: Page): Promise<void> {
  assert.equal(
    await page.locator('iframe, frame').count(),
    0,
    `${page.url()} embeds a frame: scan it in axe's default mode`,
  );
  const results = await new AxeBuilder({ page })
    // Only violations are asserted, so axe gathers the nodes of nothing else. (Options first: they replace the
    // rules chosen by tag.)
    .options({ resultTypes: ['violations'] })
    .withTags(WCAG_22_AA)
    .setLegacyMode()
    .analyze();
  const described = results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact ?? 'unknown'}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
  assert.deepEqual(described, [], `axe found accessibility problems on ${page.url()}`);
}

/**
 * Fails unless every radio and checkbox on the page draws its visible circle or box over its input and beside its
 * label, on the side the page's direction puts it (left to right: the control then the words; right to left: the
 * words to the control's left), within a gap of 20 px, with no overlap. Measured, since axe cannot see layout.
 */
export async function assertControlsBesideLabels(page: Page): Promise<void> {
  const problems = await page.evaluate(() => {
    const rtl = document.documentElement.dir === 'rtl';
    const found: string[] = [];
    for (const input of document.querySelectorAll<HTMLInputElement>('.govuk-radios__input, .govuk-checkboxes__input')) {
      const label = input.parentElement?.querySelector('label');
      if (!label) continue;
      const item = input.parentElement!.getBoundingClientRect();
      const style = getComputedStyle(label, '::before');
      const ringLeft = item.left + parseFloat(style.left);
      const ringRight = ringLeft + parseFloat(style.width);
      const target = input.getBoundingClientRect();
      // The words themselves, not the label's padding.
      const range = document.createRange();
      range.selectNodeContents(label);
      const words = range.getBoundingClientRect();
      const name = `${input.name}=${input.value}`;
      if (ringLeft < target.left - 1 || ringRight > target.right + 1)
        found.push(`${name}: its box is not over its input`);
      const gap = rtl ? ringLeft - words.right : words.left - ringRight;
      if (gap < 0) found.push(`${name}: its label overlaps its box (by ${Math.round(-gap)} px)`);
      else if (gap > 20) found.push(`${name}: its label is ${Math.round(gap)} px away from its box`);
    }
    return found;
  });
  assert.deepEqual(problems, [], `on ${page.url()} at ${page.viewportSize()?.width} px`);
}

/**
 * The right-to-left checks axe cannot make, on an Urdu page: each radio and checkbox beside its label; Urdu lines
 * tall enough for Nastaliq letters (1.8 times the text size) so they do not run into each other; English a provider
 * wrote laid out left to right; and the service's name apart from the menu beside it.
 */
export async function assertRightToLeftLayout(page: Page): Promise<void> {
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  await assertControlsBesideLabels(page);
  const problems = await page.evaluate(() => {
    const found: string[] = [];
    for (const element of document.querySelectorAll<HTMLElement>('main p, main label, main legend, main li')) {
      if (!element.matches(':lang(ur)') || element.innerText.trim() === '') continue;
      const style = getComputedStyle(element);
      if (parseFloat(style.lineHeight) < 1.75 * parseFloat(style.fontSize))
        found.push(`"${element.innerText.slice(0, 30)}" has lines ${style.lineHeight} high for ${style.fontSize} text`);
    }
    for (const element of document.querySelectorAll<HTMLElement>('main [lang="en"]')) {
      if (!element.matches(':dir(ltr)')) found.push(`"${element.innerText.slice(0, 30)}" (English) runs right to left`);
    }
    const name = document.querySelector('.govuk-service-navigation__service-name');
    const first = document.querySelector('.govuk-service-navigation__item');
    if (name && first && (first as HTMLElement).offsetParent !== null) {
      const a = name.getBoundingClientRect();
      const b = first.getBoundingClientRect();
      const sameRow = a.top < b.bottom && b.top < a.bottom;
      if (sameRow && a.left - b.right < 20)
        found.push(`the service's name is ${Math.round(a.left - b.right)} px from the menu`);
    }
    return found;
  });
  assert.deepEqual(problems, [], `on ${page.url()} at ${page.viewportSize()?.width} px`);
}
