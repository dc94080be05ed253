// A parent applies for short breaks in a real browser, by keyboard-friendly GOV.UK forms, with axe on every page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PASSWORD } from '../../src/demo/council.ts';
import { SHIPPED_MODEL } from '../../src/features/scoring/service.ts';
import { seedDemoApplications } from '../../src/demo/applications.ts';
import {
  assertAccessible,
  assertRightToLeftLayout,
  skipWithoutBrowser,
  startBrowserHarness,
  type BrowserHarness,
} from '../helpers/browser.ts';
import type { Page } from 'playwright-core';

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

  /**
   * English words left in the page's main part, other than names and what Pathway cannot translate: the child's and
   * family's names, email addresses, references (SB-…), abbreviations families know in English (NHS, EHC, DLA, PIP, and file types and
   * sizes), numbers, and an
   * English term glossed in brackets after its translation.
   */
  async function englishLeft(page: Page, allowed: readonly string[]): Promise<string[]> {
    // An English term in brackets after its Urdu ("(EHC plan)") is a gloss families meet in letters: kept on purpose.
    // Text marked as English (a council's or a provider's own words) is meant to be.
    const main = await page.locator('main').evaluate((element) => {
      const copy = element.cloneNode(true) as HTMLElement;
      for (const english of copy.querySelectorAll('[lang="en"]')) english.remove();
      return copy.textContent ?? '';
    });
    const text = main
      .replace(/\S+@\S+/g, '')
      .replace(/\b(SB|RF)-[0-9A-Z]{8}\b/g, '')
      .replace(/\([A-Za-z][A-Za-z '’-]*\)/g, '');
    const words = text.match(/[A-Za-z][A-Za-z'’-]+/g) ?? [];
    const known = new Set(['NHS', 'EHC', 'DLA', 'PIP', 'SB', 'Pathway', 'PDF', 'JPG', 'PNG', 'MB', ...allowed]);
    return [...new Set(words.filter((word) => !known.has(word) && !/^[A-F0-9]+$/.test(word)))];
  }

  test('in Urdu a parent completes an application and reads a decision, and no English is left on their pages', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const page = await (await harness.browser.newContext({ viewport: { width: 375, height: 800 } })).newPage();
    await page.goto(`${harness.baseUrl}/sign-in`);
    await page.getByLabel('Email address').fill('parent@demo.pathway.test');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/account$/);
    // Names: the child's, the family's, and the council's own.
    const names = ['Ada', 'Okafor', 'Tobi', 'Northmoor', 'Borough', 'Council'];
    const visit = async (what: string) => {
      await assertAccessible(page);
      await assertRightToLeftLayout(page);
      assert.deepEqual(await englishLeft(page, names), [], `English left on ${what} (${page.url()})`);
    };
    await page.goto(`${harness.baseUrl}/short-breaks?lang=ur`);
    await visit('the start page');
    await page.locator('form[action="/short-breaks/start"]').filter({ hasText: 'Ada' }).getByRole('button').click();
    await page.waitForURL(/\/short-breaks\/applications\/[0-9a-f-]{36}$/);
    const base = page.url();
    await visit('the task list');
    await page.goto(`${base}/eligibility`);
    await visit('can you apply');
    await page.locator('input[name="livesInArea"][value="yes"]').check();
    await page.locator('input[name="evidence"][value="ehc_plan"]').check();
    await page.locator('main form button').first().click();
    await page.goto(`${base}/about/child`);
    await visit('about the child');
    await page.locator('#condition').fill('آٹزم');
    await page.locator('#ethnicity').selectOption('REFU');
    await page.locator('main form button').first().click();
    await page.goto(`${base}/about/family`);
    await visit('about the family');
    await page.locator('input[name="parentCarers"]').first().check();
    await page.locator('#siblings').fill('1');
    await page.locator('input[name="youngCarers"]').last().check();
    await page.locator('main form button').first().click();
    await page.goto(`${base}/evidence`);
    await visit('evidence');
    for (const question of SHIPPED_MODEL.questions) {
      await page.goto(`${base}/questions/${question.id}`);
      await visit(`the question ${question.id}`);
      await page.locator(`input[name="answer"][value="${question.options[1]!.id}"]`).check();
      await page.locator('main form button').first().click();
    }
    await page.goto(`${base}/check`);
    await visit('check your answers');
    await page.locator('input[name="declaration"]').check();
    await page.locator('main form button').first().click();
    await page.waitForURL(/\/confirmation$/);
    await visit('application sent');
    await page.goto(`${harness.baseUrl}/children`);
    await visit('your children');

    // A decision, as the family reads it: the letter and its Easy Read version.
    await seedDemoApplications(harness.app.deps.database.db);
    const decided = await harness.app.deps.database.db
      .selectFrom('short_break_applications as a')
      .innerJoin('children as c', 'c.id', 'a.child_id')
      .select('a.id')
      .where('c.given_name', '=', 'Tobi')
      .where('a.status', '=', 'decided')
      .executeTakeFirstOrThrow();
    await page.goto(`${harness.baseUrl}/short-breaks/applications/${decided.id}/decision`);
    await visit('the decision letter');
    await page.goto(`${harness.baseUrl}/short-breaks/applications/${decided.id}/decision?format=easy-read`);
    await visit('the decision in Easy Read');
    await page.context().close();
  });
});
