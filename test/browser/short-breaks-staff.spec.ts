// An officer asks the family a question and checks the evidence, a manager ratifies, the resource panel decides a
// large outcome: in a real browser with axe on every page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { seedDemoApplications } from '../../src/demo/applications.ts';
import {
  assertAccessible,
  skipWithoutBrowser,
  startBrowserHarness,
  type BrowserHarness,
  signedInPage,
} from '../helpers/browser.ts';

describe('short breaks staff work in the browser', { timeout: 180_000 }, () => {
  let harness: BrowserHarness | string;

  before(async () => {
    harness = await startBrowserHarness();
    if (typeof harness !== 'string') await seedDemoApplications(harness.app.deps.database.db);
  });
  after(async () => {
    if (typeof harness !== 'string') await harness.close();
  });

  async function signIn(email: string): Promise<Page> {
    const page = await signedInPage(harness as BrowserHarness, email);
    await page.getByRole('link', { name: 'Short breaks applications' }).click();
    await page.waitForURL(/\/short-breaks\/queue$/);
    return page;
  }

  async function signInAsFamily(): Promise<Page> {
    const family = await signedInPage(harness as BrowserHarness, 'young.person@demo.pathway.test');
    await family.getByRole('link', { name: 'Short breaks' }).click();
    return family;
  }

  test('the resource panel records its decision and reasons on a large outcome', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const panel = await signedInPage(harness, 'panel@demo.pathway.test');
    await panel.getByRole('link', { name: 'Resource panel' }).click();
    // The panel is shown the outcome the manager decided, which is the one it is asked to agree.
    assert.match(await panel.locator('main').innerText(), /Yusuf Hussain[\s\S]*Agreed by a manager/);
    await assertAccessible(panel);
    await panel.getByRole('link', { name: /Yusuf Hussain/ }).click();
    await panel.getByRole('button', { name: "Save the panel's decision" }).click();
    assert.match(await panel.locator('.govuk-error-summary').innerText(), /Enter the panel's reasons/);
    await assertAccessible(panel);
    await panel.getByLabel("The panel's reasons").fill('Agreed: two carers are needed for every outing.');
    await panel.getByRole('button', { name: "Save the panel's decision" }).click();
    assert.match(await panel.locator('.govuk-caption-l').innerText(), /Decided/);
    await assertAccessible(panel);
    await panel.context().close();
  });

  test('an officer checks the evidence, then a manager agrees the outcome', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const officer = await signIn('short.breaks@demo.pathway.test');
    await assertAccessible(officer);
    await officer.getByRole('link', { name: /Jordan Price/ }).click();
    await assertAccessible(officer);
    await officer.getByLabel('Your question').fill('Do you have the letter that says you get PIP?');
    await officer.getByRole('button', { name: 'Send question' }).click();
    assert.match(await officer.locator('.govuk-caption-l').innerText(), /Waiting for the family/);
    await assertAccessible(officer);

    const jordan = await signInAsFamily();
    await jordan.getByRole('link', { name: /Answer the questions about Jordan/ }).click();
    await assertAccessible(jordan);
    await jordan
      .getByLabel('Do you have the letter that says you get PIP?')
      .fill('Yes, I will bring it to the review.');
    await jordan.getByRole('button', { name: 'Send answers' }).click();
    await jordan.waitForURL(/\/confirmation$/);
    await jordan.context().close();

    await officer.reload();
    assert.match(await officer.locator('main').innerText(), /Yes, I will bring it to the review\./);
    for (const label of [/name and date of birth/, /evidence of disability/, /lives in the council/])
      await officer.getByLabel(label).check();
    await officer.getByRole('button', { name: 'Evidence checked' }).click();
    assert.match(await officer.locator('.govuk-caption-l').innerText(), /Waiting for a manager/);
    await officer.context().close();

    const manager = await signIn('manager@demo.pathway.test');
    await manager.getByRole('link', { name: /Jordan Price/ }).click();
    await assertAccessible(manager);
    await manager.getByLabel('Change the outcome').check();
    await manager.getByRole('button', { name: 'Save decision' }).click();
    assert.match(await manager.locator('.govuk-error-summary').innerText(), /Enter the reason/);
    await assertAccessible(manager);
    await manager.getByLabel(/Agree:/).check();
    await manager.getByRole('button', { name: 'Save decision' }).click();
    assert.match(await manager.locator('.govuk-caption-l').innerText(), /Decided/);
    await assertAccessible(manager);
    await manager.context().close();

    const family = await signInAsFamily();
    await family.getByRole('link', { name: 'Read the decision for Jordan' }).click();
    assert.match(await family.locator('h1').innerText(), /Our decision about short breaks for Jordan/);
    await assertAccessible(family);
    await family.getByRole('link', { name: 'Read this decision in Easy Read' }).click();
    assert.equal(await family.locator('img[alt^="A picture of"]').count(), 4);
    await assertAccessible(family);
    await family.context().close();
  });

  test('a manager reads the fairness report and the new referrals', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const manager = await signIn('manager@demo.pathway.test');
    await manager.getByRole('link', { name: 'Fairness report' }).click();
    assert.match(await manager.locator('main').innerText(), /By ethnic group[\s\S]*By locality[\s\S]*By age band/);
    await assertAccessible(manager);
    await manager.getByRole('link', { name: 'New referrals' }).click();
    assert.match(await manager.locator('h1').innerText(), /New referrals/);
    await assertAccessible(manager);
    await manager.context().close();
  });
});
