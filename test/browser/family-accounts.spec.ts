// A family with no account, in a real browser on a phone and a desktop, in English and Urdu: they create an account,
// set their password from the emailed link, ask for their child to be added, and see the child once the front door
// has linked them; every page passes axe, fits the screen, and in Urdu lays out right to left (radios beside their
// labels, lines apart, English left to right, the service's name apart from the menu).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  assertAccessible,
  assertControlsBesideLabels,
  assertRightToLeftLayout,
  browserSuite,
  signedInPage,
  type BrowserHarness,
} from '../helpers/browser.ts';

const PASSWORD = 'three random words here';

async function fitsTheScreen(page: Page, what: string) {
  const sideways = await page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
  );
  assert.equal(sideways, false, `${what} scrolls sideways at ${page.viewportSize()?.width} px`);
}

/** The link in the newest email to this address, as the family would open it. */
async function emailedLink(harness: BrowserHarness, email: string): Promise<string> {
  const message = await harness.app.deps.database.db
    .selectFrom('notifications_outbox')
    .select('body')
    .where('recipient', '=', email)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  const path = /\/set-password\?token=[A-Za-z0-9_-]{43}/.exec(message.body)?.[0];
  assert.ok(path, 'the email holds a link to create a password');
  return `${harness.baseUrl}${path}`;
}

describe('families making their own accounts in the browser', { timeout: 240_000 }, () => {
  const suite = browserSuite();

  for (const width of [375, 1280]) {
    test(`at ${width} px a parent creates an account, asks for their child, and sees them once the front door links them`, async (context) => {
      const harness = suite.harnessFor(context);
      if (!harness) return;
      const email = `ewa.${width}@example.org`;
      const page = await (await harness.browser.newContext({ viewport: { width, height: 900 } })).newPage();
      await page.goto(harness.baseUrl);
      await page.getByRole('link', { name: 'create an account' }).click();
      await page.waitForURL(/\/create-account$/);
      await assertAccessible(page);
      await fitsTheScreen(page, 'create an account');
      await page.getByRole('button', { name: 'Create account' }).click();
      // The error summary leads to each field.
      await page.getByRole('link', { name: 'Enter your full name' }).click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'name');
      await assertAccessible(page);
      await page.getByLabel('Your full name').fill('Ewa Nowak');
      await page.getByLabel('Email address').fill(email);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL(/\/check-your-email$/);
      await assertAccessible(page);

      await page.goto(await emailedLink(harness, email));
      await assertAccessible(page);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByLabel('Confirm password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Save password' }).click();
      await page.waitForURL(/\/password-created$/);
      await page.goto(`${harness.baseUrl}/sign-in`);
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/account$/);
      await page.getByRole('link', { name: 'Add a child to your account' }).click();
      await page.waitForURL(/\/children\/add$/);
      await assertAccessible(page);
      await assertControlsBesideLabels(page);
      await fitsTheScreen(page, 'add a child');
      await page.getByLabel("Child's first name").fill('Zofia');
      await page.getByLabel("Child's last name").fill('Nowak');
      await page.getByLabel('Day').fill('21');
      await page.getByLabel('Month').fill('5');
      await page.getByLabel('Year').fill('2019');
      await page.getByLabel('Their parent').check();
      await page.getByRole('button', { name: 'Send' }).click();
      await page.waitForURL(/\/children\/add\/sent$/);
      await assertAccessible(page);
      await page.getByRole('link', { name: 'Go to your children' }).click();
      assert.match(await page.locator('main').innerText(), /Zofia Nowak: you asked on/);
      await assertAccessible(page);

      // The front door finds the request in its menu and links the parent to the record the council has.
      const triage = await signedInPage(harness, 'triage@demo.pathway.test');
      await triage.setViewportSize({ width, height: 900 });
      const menu = triage.getByRole('button', { name: 'Menu' });
      if (await menu.isVisible()) await menu.click();
      await triage
        .getByRole('navigation', { name: 'Menu' })
        .getByRole('link', { name: 'Children to add to accounts' })
        .click();
      await triage.waitForURL(/\/child-requests$/);
      await assertAccessible(triage);
      await fitsTheScreen(triage, 'children to add');
      await triage
        .getByRole('row', { name: /Ewa Nowak/ })
        .getByRole('link', { name: 'Zofia Nowak' })
        .click();
      await assertAccessible(triage);
      await fitsTheScreen(triage, 'a request');
      await triage.getByLabel(/Add to the record of Zofia Nowak/).check();
      await triage.getByRole('button', { name: 'Save decision' }).click();
      await triage.waitForURL(/\/child-requests\?done=linked$/);
      assert.match(
        await triage.locator('.govuk-notification-banner').innerText(),
        /the child is on the family's account/,
      );
      await assertAccessible(triage);
      await triage.context().close();

      // The family's page now gives Zofia her own part, with how to reach the front door.
      await page.reload();
      await assertAccessible(page);
      await fitsTheScreen(page, 'your children');
      assert.match(await page.locator('main').innerText(), /Talk to someone[\s\S]*01632 960 100/);
      await page.getByRole('link', { name: 'Zofia Nowak' }).click();
      await page.waitForURL(/\/children\/[0-9a-f-]{36}$/);
      assert.match(await page.locator('h1').innerText(), /Zofia Nowak/);
      await assertAccessible(page);
      await page.context().close();
    });
  }

  for (const width of [375, 1280]) {
    test(`at ${width} px in Urdu the account and child forms read right to left, each radio beside its label`, async (context) => {
      const harness = suite.harnessFor(context);
      if (!harness) return;
      const page = await (await harness.browser.newContext({ viewport: { width, height: 900 } })).newPage();
      await page.goto(`${harness.baseUrl}/create-account?lang=ur`);
      await assertAccessible(page);
      await assertRightToLeftLayout(page);
      await fitsTheScreen(page, 'create an account in Urdu');
      for (const path of ['/forgot-password', '/check-your-email']) {
        await page.goto(`${harness.baseUrl}${path}`);
        await assertAccessible(page);
        await assertRightToLeftLayout(page);
        await fitsTheScreen(page, path);
        await page.goto(`${harness.baseUrl}${path}?lang=en`);
        await assertAccessible(page);
        await page.goto(`${harness.baseUrl}${path}?lang=ur`);
      }
      await page.context().close();

      const parent = await signedInPage(harness, 'parent@demo.pathway.test');
      await parent.setViewportSize({ width, height: 900 });
      for (const path of ['/children/add', '/ask-for-help', '/social-work-assessment']) {
        await parent.goto(`${harness.baseUrl}${path}?lang=ur`);
        await assertAccessible(parent);
        await assertRightToLeftLayout(parent);
        await fitsTheScreen(parent, path);
      }
      // The same forms in English keep their controls on the left.
      await parent.goto(`${harness.baseUrl}/ask-for-help?lang=en`);
      assert.equal(await parent.locator('html').getAttribute('dir'), 'ltr');
      await assertControlsBesideLabels(parent);
      await parent.context().close();
    });
  }
});
