// A parent applies for short breaks in a real browser, by keyboard-friendly GOV.UK forms, with axe on every page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_PASSWORD } from '../../src/db/seed/demo.ts';
import { SHIPPED_MODEL } from '../../src/features/scoring/service.ts';
import { assertAccessible, skipWithoutBrowser, startBrowserHarness, type BrowserHarness } from '../helpers/browser.ts';

describe('applying for short breaks in the browser', { timeout: 180_000 }, () => {
  let harness: BrowserHarness | string;

  before(async () => {
    harness = await startBrowserHarness();
  });
  after(async () => {
    if (typeof harness !== 'string') await harness.close();
  });

  test('a parent checks they can apply, answers one question a page, checks and sends', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const page = await (await harness.browser.newContext()).newPage();
    await page.goto(`${harness.baseUrl}/sign-in`);
    await page.getByLabel('Email address').fill('parent@demo.pathway.test');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Short breaks' }).click();
    await page.waitForURL(/\/short-breaks$/);
    await assertAccessible(page);
    await page.getByRole('button', { name: /Start an application for Tobi/ }).click();
    await assertAccessible(page);
    await page.getByRole('link', { name: 'Check you can apply' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Select yes if your child lives/);
    await assertAccessible(page);
    await page.getByLabel('Yes').check();
    await page.getByLabel('None of these').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/not-eligible$/);
    assert.match(await page.locator('main').innerText(), /We need to know your child has an EHC plan/);
    await assertAccessible(page);
    await page.getByRole('link', { name: 'Change your answers' }).click();
    await page.getByLabel('An education, health and care (EHC) plan').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('link', { name: 'Tell us about your child and family' }).click();
    for (const question of SHIPPED_MODEL.questions) {
      assert.equal(await page.locator('h1').innerText(), question.text);
      await assertAccessible(page);
      await page.getByLabel(question.options[1]!.label, { exact: true }).check();
      await page.getByRole('button', { name: 'Continue' }).click();
    }
    await page.waitForURL(/\/check$/);
    await assertAccessible(page);
    await page.getByRole('button', { name: 'Accept and send' }).click();
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Confirm the information is correct/);
    await page.getByLabel(/I confirm the information I have given is correct/).check();
    await page.getByRole('button', { name: 'Accept and send' }).click();
    await page.waitForURL(/\/confirmation$/);
    assert.match(await page.locator('.govuk-panel').innerText(), /Application sent[\s\S]*SB-[0-9A-F]{8}/);
    await assertAccessible(page);
    await page.context().close();
  });
});
