// Journeys through the shared shell in a real browser, with every page checked by axe.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/demo/council.ts';
import { assertAccessible, skipWithoutBrowser, startBrowserHarness, type BrowserHarness } from '../helpers/browser.ts';

describe('browser journeys', { timeout: 180_000 }, () => {
  let harness: BrowserHarness | string;

  before(async () => {
    harness = await startBrowserHarness();
  });
  after(async () => {
    if (typeof harness !== 'string') await harness.close();
  });

  async function newPage(options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
    const { browser } = harness as BrowserHarness;
    const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true });
    return context.newPage();
  }

  async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  test('sign in, with mistakes on the way, and sign out', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const page = await newPage();
    await page.goto(harness.baseUrl);
    await assertAccessible(page);
    await page.getByRole('main').getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/sign-in$/);
    await assertAccessible(page);

    await page.getByRole('button', { name: 'Sign in' }).click();
    await assert.doesNotReject(page.getByRole('alert').waitFor());
    assert.match(await page.title(), /^Error: Sign in/);
    assert.match(
      await page.locator('.govuk-error-summary').innerText(),
      /Enter your email address[\s\S]*Enter your password/,
    );
    const focused = await page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary'));
    assert.equal(focused, true, 'focus moves to the error summary');
    await assertAccessible(page);

    await signIn(page, 'manager@demo.pathway.test', 'wrong password');
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter a correct email address and password/);
    await assertAccessible(page);

    await signIn(page, 'manager@demo.pathway.test');
    await page.waitForURL(/\/account$/);
    assert.match(await page.locator('h1').innerText(), /Your account/);
    await assertAccessible(page);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signed-out$/);
    assert.match(await page.locator('h1').innerText(), /You have signed out/);
    await assertAccessible(page);
    await page.context().close();
  });

  test('switching to Urdu gives a right-to-left page in Urdu; Polish works too', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const page = await newPage();
    await page.goto(harness.baseUrl);
    await page.getByRole('link', { name: 'اردو' }).click();
    await page.waitForURL(/lang=ur/);
    assert.equal(await page.locator('html').getAttribute('lang'), 'ur');
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    assert.match(await page.locator('h1').innerText(), /معذور بچوں/);
    await assertAccessible(page);

    // The choice is remembered on the next page.
    await page.goto(`${harness.baseUrl}/sign-in`);
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    assert.match(await page.locator('h1').innerText(), /سائن ان/);
    await assertAccessible(page);

    await page.getByRole('link', { name: 'Polski' }).click();
    await page.waitForURL(/lang=pl/);
    assert.equal(await page.locator('html').getAttribute('dir'), 'ltr');
    assert.match(await page.locator('h1').innerText(), /Zaloguj się/);
    await assertAccessible(page);
    await page.context().close();
  });

  test('by keyboard alone: skip link to the main content, then sign in', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const page = await newPage();
    await page.goto(harness.baseUrl);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Skip to main content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main-content');

    await page.goto(`${harness.baseUrl}/sign-in`);
    await page.locator('#email').focus();
    await page.keyboard.type('parent@demo.pathway.test');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'password');
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/account$/);
    await page.context().close();
  });

  test('the page-not-found page', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const page = await newPage();
    const response = await page.goto(`${harness.baseUrl}/no/such/page`);
    assert.equal(response?.status(), 404);
    assert.match(await page.locator('h1').innerText(), /Page not found/);
    await assertAccessible(page);
    await page.context().close();
  });

  test('a parent sees their children and a child’s record; an administrator reads the outbox', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const page = await newPage();
    await page.goto(`${harness.baseUrl}/children`);
    await page.waitForURL(/\/sign-in/);
    await signIn(page, 'parent@demo.pathway.test');
    await page.waitForURL(/\/children$/);
    await assertAccessible(page);
    await page.getByRole('link', { name: 'Tobi Okafor' }).click();
    await page.waitForURL(/\/children\/[0-9a-f-]{36}$/);
    assert.match(await page.locator('h1').innerText(), /Tobi Okafor/);
    await assertAccessible(page);
    await page.context().close();

    const admin = await newPage();
    await admin.goto(`${harness.baseUrl}/sign-in`);
    await signIn(admin, 'admin@demo.pathway.test');
    await admin.waitForURL(/\/account$/);
    await admin.getByRole('link', { name: 'Messages sent' }).first().click();
    await admin.waitForURL(/\/admin\/notifications$/);
    await assertAccessible(admin);
    await admin.context().close();
  });

  test('without JavaScript, a person can still sign in and out', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`${harness.baseUrl}/sign-in`);
    await signIn(page, 'social.worker@demo.pathway.test');
    await page.waitForURL(/\/account$/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signed-out$/);
    await page.context().close();
  });
});
