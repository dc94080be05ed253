// A parent applies for short breaks in a real browser, by keyboard-friendly GOV.UK forms, with axe on every page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PASSWORD } from '../../src/demo/council.ts';
import { SHIPPED_MODEL } from '../../src/features/scoring/service.ts';
import { assertAccessible, skipWithoutBrowser, startBrowserHarness, type BrowserHarness } from '../helpers/browser.ts';

// A real 1×1 PNG image.
const ONE_PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

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
    await page.getByRole('link', { name: 'About Tobi' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter Tobi's disability or condition/);
    await assertAccessible(page);
    await page.getByLabel("What is Tobi's disability or condition?").fill('Autism and epilepsy');
    await page.getByLabel("What is Tobi's ethnic group?").selectOption('Prefer not to say');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('link', { name: 'About your family' }).click();
    await assertAccessible(page);
    await page.getByLabel('Two', { exact: true }).check();
    await page.getByLabel('How many brothers and sisters live with Tobi?').fill('1');
    await page.getByLabel('No', { exact: true }).check();
    await page.getByRole('button', { name: 'Continue' }).click();

    // Evidence: a real file from disk, through the file input.
    const folder = await mkdtemp(join(tmpdir(), 'pathway-evidence-'));
    const letter = join(folder, 'dla-award-letter.png');
    await writeFile(letter, ONE_PIXEL_PNG);
    await page.getByRole('link', { name: 'Add evidence of disability' }).click();
    await assertAccessible(page);
    await page.getByLabel('Upload a file').setInputFiles(letter);
    await page.getByRole('button', { name: 'Upload file' }).click();
    await page.getByRole('link', { name: 'dla-award-letter.png' }).waitFor();
    await assertAccessible(page);
    await page.getByRole('link', { name: 'Continue' }).click();
    await rm(folder, { recursive: true });

    await page.getByRole('link', { name: "Tell us about your child's needs" }).click();
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

    // Withdrawing is offered until the decision; answering no changes nothing.
    await page.getByRole('link', { name: 'Withdraw this application' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Select yes if you want to withdraw/);
    await assertAccessible(page);
    await page.getByLabel('No').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/confirmation$/);

    // The right to a social work assessment instead is on every page of the journey.
    await page.getByRole('link', { name: 'I would like a social work assessment instead' }).click();
    await assertAccessible(page);
    await page.getByLabel(/What would you like the social worker to know/).fill('Please call after 4pm.');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.waitForURL(/\/social-work-assessment\/sent$/);
    assert.match(await page.locator('.govuk-panel').innerText(), /Request sent/);
    await assertAccessible(page);
    await page.context().close();
  });
});
