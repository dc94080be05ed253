// An administrator reads the scoring model and tries a draft in a real browser, with axe on every page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_PASSWORD } from '../../src/demo/council.ts';
import { seedDemoApplications } from '../../src/demo/applications.ts';
import { SHIPPED_MODEL } from '../../src/features/scoring/service.ts';
import { assertAccessible, skipWithoutBrowser, startBrowserHarness, type BrowserHarness } from '../helpers/browser.ts';

describe('the scoring model in the browser', { timeout: 120_000 }, () => {
  let harness: BrowserHarness | string;

  before(async () => {
    harness = await startBrowserHarness();
    if (typeof harness !== 'string') await seedDemoApplications(harness.app.deps.database.db);
  });
  after(async () => {
    if (typeof harness !== 'string') await harness.close();
  });

  test('read the model, try a draft and see how many outcomes would change', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const page = await (await harness.browser.newContext()).newPage();
    await page.goto(`${harness.baseUrl}/sign-in`);
    await page.getByLabel('Email address').fill('admin@demo.pathway.test');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Scoring model' }).click();
    await page.waitForURL(/\/admin\/scoring$/);
    await assertAccessible(page);
    await page.getByRole('link', { name: 'Try a draft model against past applications' }).click();
    await assertAccessible(page);
    await page.getByLabel('The draft model').fill('{"questions": [');
    await page.getByRole('button', { name: 'Compare with past applications' }).click();
    assert.match(await page.locator('.govuk-error-summary').innerText(), /not valid JSON/);
    await assertAccessible(page);
    await page.goto(`${harness.baseUrl}/admin/scoring/draft`);
    await page.getByRole('button', { name: 'Compare with past applications' }).click();
    assert.match(await page.locator('main').innerText(), /0 of \d+ past applications would get a different outcome/);
    await assertAccessible(page);
    await page.context().close();
  });

  test('change a question and a rule on forms, compare the draft and publish it', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const page = await (await harness.browser.newContext()).newPage();
    await page.goto(`${harness.baseUrl}/sign-in`);
    await page.getByLabel('Email address').fill('admin@demo.pathway.test');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Scoring model' }).click();
    await page.getByRole('link', { name: 'Change the model' }).click();
    await assertAccessible(page);
    await page.getByRole('button', { name: 'Start a draft from the model in use' }).click();
    await assertAccessible(page);

    await page.getByRole('link', { name: /^Change How much do your child/ }).click();
    await assertAccessible(page);
    await page.getByLabel('The question, as families read it').fill('');
    await page.getByRole('button', { name: 'Save change' }).click();
    assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter the question/);
    await assertAccessible(page);
    await page.getByLabel('The question, as families read it').fill('How much do your child’s needs affect their day?');
    await page.getByRole('button', { name: 'Save change' }).click();
    await page.waitForURL(/\/admin\/scoring\/editor$/);
    assert.match(await page.locator('main').innerText(), /How much do your child’s needs affect their day\?/);

    await page.getByRole('link', { name: 'Change rule 4' }).click();
    await assertAccessible(page);
    await page.getByLabel('The total is at least (points)').fill('95');
    await page.getByRole('button', { name: 'Save change' }).click();
    await page.getByRole('button', { name: 'Move up rule 4' }).click();
    await page.getByRole('button', { name: 'Compare with past applications' }).click();
    assert.match(await page.locator('main').innerText(), /\d+ of \d+ past applications would get a different outcome/);
    await assertAccessible(page);
    await page.getByRole('button', { name: 'Publish this model' }).click();
    // The shipped model is the version in use, so the council's first is the one after it.
    const next = SHIPPED_MODEL.version + 1;
    await page.waitForURL(new RegExp(`published=${next}$`));
    assert.match(await page.locator('main').innerText(), new RegExp(`Version ${next} is published`));
    await page.context().close();
  });
});
