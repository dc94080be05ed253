// The administration pages in a real browser, on a phone-sized and a desktop-sized screen, with axe on every page:
// an administrator finds people, adds one, keeps teams and localities and changes a council setting from a date.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/demo/council.ts';
import { assertAccessible, browserSuite, type BrowserHarness } from '../helpers/browser.ts';

async function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

/** The demo administrator, signed in, in a browser window of this width. */
async function administratorAt(harness: BrowserHarness, width: number): Promise<Page> {
  const page = await (await harness.browser.newContext({ viewport: { width, height: 900 } })).newPage();
  await page.goto(`${harness.baseUrl}/sign-in`);
  await page.getByLabel('Email address').fill('admin@demo.pathway.test');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/account$/);
  return page;
}

describe('administration in the browser', { timeout: 240_000 }, () => {
  const suite = browserSuite();

  for (const width of [1280, 375]) {
    test(`at ${width} pixels wide, every administration page passes axe and fits the screen`, async (context) => {
      const harness = suite.harnessFor(context);
      if (!harness) return;
      const page = await administratorAt(harness, width);
      // On a phone the menu is folded behind its button.
      const menu = page.getByRole('button', { name: 'Menu' });
      if (await menu.isVisible()) await menu.click();
      await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Administration' }).click();
      await page.waitForURL(/\/admin\/users$/);
      const visit = async (what: string) => {
        await assertAccessible(page);
        assert.equal(await overflowsSideways(page), false, `${what} at ${width} px`);
      };
      await visit('people');
      await page.getByLabel('Name or email address').fill('clarke');
      await page.getByRole('button', { name: 'Show people' }).click();
      await page.waitForURL(/q=clarke/);
      await page.getByRole('link', { name: 'David Clarke' }).click();
      await page.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/);
      await visit('a person');
      await page.goto(`${harness.baseUrl}/admin/users/invite`);
      await visit('add a person');
      await page.goto(`${harness.baseUrl}/admin/teams`);
      await visit('teams');
      await page.getByRole('link', { name: 'Short breaks team' }).click();
      await visit('a team');
      assert.match(await page.locator('main').innerText(), /Nadia Hussain/);
      await page.goto(`${harness.baseUrl}/admin/localities`);
      await visit('localities');
      await page.getByRole('link', { name: 'Brookfield' }).click();
      await visit('a locality');
      await page.goto(`${harness.baseUrl}/admin/settings`);
      await visit('settings');
      await page.getByRole('link', { name: 'Change Resource panel amount' }).click();
      await visit('change a setting');
      await page.goto(`${harness.baseUrl}/admin/council`);
      await visit('how families reach the front door');
      await page.context().close();
    });
  }

  test('a form with problems shows the GOV.UK error summary, which leads to each field', async (context) => {
    const harness = suite.harnessFor(context);
    if (!harness) return;
    const page = await administratorAt(harness, 1280);
    await page.goto(`${harness.baseUrl}/admin/localities`);
    await page.getByLabel('Locality name').fill('Riverside');
    await page.getByLabel('Postcode districts').fill('NM9, 12X, NM1');
    await page.getByRole('button', { name: 'Add locality' }).click();
    const summary = page.locator('.govuk-error-summary');
    assert.match(await summary.innerText(), /These are not: 12X/);
    // The summary takes focus, as GOV.UK's script does, so a screen reader reads it first.
    assert.equal(await summary.evaluate((element) => element === document.activeElement), true);
    await assertAccessible(page);
    await summary.getByRole('link').first().click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'postcodeDistricts');

    await page.goto(`${harness.baseUrl}/admin/settings/short_breaks_service_standard_days`);
    await page.getByRole('button', { name: 'Save change' }).click();
    const errors = await page.locator('.govuk-error-summary').innerText();
    assert.match(errors, /Enter the new value/);
    assert.match(errors, /Enter the date it takes effect/);
    assert.match(errors, /Enter why it is changing/);
    await assertAccessible(page);
    await page.context().close();
  });

  test('a person added by the administrator follows the emailed link on a phone, creates a password and signs in', async (context) => {
    const harness = suite.harnessFor(context);
    if (!harness) return;
    const admin = await administratorAt(harness, 1280);
    await admin.goto(`${harness.baseUrl}/admin/users/invite`);
    await admin.getByLabel('Full name').fill('Beata Zielinska');
    await admin.getByLabel('Email address').fill('beata.zielinska@demo.pathway.test');
    await admin.getByLabel('Analyst').check();
    await admin.getByLabel('With a password they create').check();
    await admin.getByRole('button', { name: 'Add person' }).click();
    await admin.getByRole('button', { name: 'Email a new link' }).waitFor();
    await admin.context().close();
    const email = await harness.app.deps.database.db
      .selectFrom('notifications_outbox')
      .select('body')
      .where('recipient', '=', 'beata.zielinska@demo.pathway.test')
      .executeTakeFirstOrThrow();
    const link = /https?:\/\/\S+\/set-password\?token=[A-Za-z0-9_-]{43}/.exec(email.body)![0];
    const path = new URL(link).pathname + new URL(link).search;

    const page = await (await harness.browser.newContext({ viewport: { width: 375, height: 800 } })).newPage();
    // A family who reads Urdu meets the page in Urdu, right to left, with the email address kept left to right.
    await page.goto(`${harness.baseUrl}${path}&lang=ur`);
    await page.getByRole('heading', { name: 'اپنا پاس ورڈ بنائیں' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    await assertAccessible(page);
    assert.equal(await overflowsSideways(page), false);
    await page.goto(`${harness.baseUrl}${path}&lang=en`);
    await page.getByRole('heading', { name: 'Create your password' }).waitFor();
    await assertAccessible(page);
    assert.equal(await overflowsSideways(page), false);
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Confirm password').fill('different');
    await page.getByRole('button', { name: 'Save password' }).click();
    const errors = page.locator('.govuk-error-summary');
    assert.match(await errors.innerText(), /Password must be \d+ characters or more/);
    await assertAccessible(page);

    const password = 'river lantern biscuit';
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Confirm password').fill(password);
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.getByRole('heading', { name: 'Your password is saved' }).waitFor();
    await assertAccessible(page);
    await page.getByRole('link', { name: 'Sign in' }).last().click();
    await page.getByLabel('Email address').fill('beata.zielinska@demo.pathway.test');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/account$/);

    // The link worked once: opened again, it says so and what to do.
    await page.goto(`${harness.baseUrl}${path}`);
    await page.getByRole('heading', { name: 'This link no longer works' }).waitFor();
    await assertAccessible(page);
    await page.context().close();
  });

  test('in Urdu the administration pages read right to left, with the menu and forms in place', async (context) => {
    const harness = suite.harnessFor(context);
    if (!harness) return;
    const page = await administratorAt(harness, 1280);
    await page.goto(`${harness.baseUrl}/admin/users?lang=ur`);
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    assert.match(await page.locator('header').innerText(), /انتظامیہ/);
    await assertAccessible(page);
    assert.equal(await overflowsSideways(page), false);
    // The search box starts at the right-hand edge of the page's content, as Urdu reads.
    const search = await page.getByLabel('Name or email address').boundingBox();
    const main = await page.locator('main').boundingBox();
    assert.ok(search && main);
    assert.ok(search.x + search.width > main.x + main.width / 2, 'the search box sits on the right');
    await page.goto(`${harness.baseUrl}/admin/settings?lang=ur`);
    await assertAccessible(page);
    await page.goto(`${harness.baseUrl}/?lang=en`);
    await page.context().close();
  });
});
