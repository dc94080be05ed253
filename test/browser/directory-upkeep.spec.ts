// Keeping the directory right, in a real browser with axe on every page: a provider sends a change, an editor
// checks the diff and approves it, looks at the history, the public reports and the sufficiency view.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/demo/council.ts';
import { seedDemoDirectory } from '../../src/demo/directory.ts';
import { assertAccessible, skipWithoutBrowser, startBrowserHarness, type BrowserHarness } from '../helpers/browser.ts';

describe('keeping the directory right in the browser', { timeout: 180_000 }, () => {
  let harness: BrowserHarness | string;

  before(async () => {
    harness = await startBrowserHarness();
    if (typeof harness !== 'string') await seedDemoDirectory(harness.app.deps.database.db);
  });
  after(async () => {
    if (typeof harness !== 'string') await harness.close();
  });

  async function signedInPage(email: string): Promise<Page> {
    const context = await (harness as BrowserHarness).browser.newContext();
    const page = await context.newPage();
    await page.goto(`${(harness as BrowserHarness).baseUrl}/sign-in`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    return page;
  }

  test('a provider sends a change and an editor approves it from the diff', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const provider = await signedInPage('provider@demo.pathway.test');
    await provider.getByRole('link', { name: 'Directory entries' }).click();
    await provider.waitForURL(/\/manage\/services$/);
    await assertAccessible(provider);
    await provider.locator('table a').first().click();
    await provider.waitForURL(/\/manage\/services\/[0-9a-f-]{36}$/);
    await assertAccessible(provider);
    const serviceName = await provider.locator('h1').innerText();

    await provider.getByRole('link', { name: 'Change these details' }).click();
    await provider.getByLabel('Name').fill('');
    await provider.getByRole('button', { name: 'Send for approval' }).click();
    assert.match(await provider.locator('.govuk-error-summary').innerText(), /Enter the name of the service/);
    await assertAccessible(provider);
    await provider.getByLabel('Name').fill(`${serviceName} on Saturdays`);
    await provider.getByLabel('Sunday').check();
    await provider.getByRole('button', { name: 'Send for approval' }).click();
    assert.match(
      await provider.locator('.govuk-notification-banner').innerText(),
      /sent to the council's directory editors/,
    );
    await assertAccessible(provider);
    await provider.context().close();

    const editor = await signedInPage('editor@demo.pathway.test');
    await editor.goto(`${harness.baseUrl}/manage/changes`);
    await assertAccessible(editor);
    await editor.getByRole('link', { name: new RegExp(`Review: ${serviceName}`) }).click();
    const diff = await editor.locator('.pathway-diff').innerText();
    assert.match(diff, /on Saturdays/);
    assert.match(diff, /Sunday/);
    await assertAccessible(editor);
    await editor.getByRole('button', { name: 'Save decision' }).click();
    assert.match(await editor.locator('.govuk-notification-banner').innerText(), /approved and published/);
    await assertAccessible(editor);

    await editor.goto(`${harness.baseUrl}/manage/services?name=${encodeURIComponent('on Saturdays')}`);
    await assertAccessible(editor);
    await editor.locator('table a').first().click();
    assert.match(await editor.locator('main').innerText(), /Version history/);
    await assertAccessible(editor);
    await editor.goto(`${harness.baseUrl}/manage/feedback`);
    await assertAccessible(editor);
    await editor.getByRole('link', { name: 'Gaps in services' }).click();
    await editor.waitForURL(/\/manage\/sufficiency$/);
    await assertAccessible(editor);
    await editor.getByLabel('Kind of service').selectOption({ label: 'Short breaks' });
    await editor.getByRole('button', { name: 'Show' }).click();
    await editor.waitForURL(/category=/);
    assert.match(await editor.locator('caption').innerText(), /Short breaks/);
    await assertAccessible(editor);

    await editor.goto(`${harness.baseUrl}/manage/glossary`);
    await assertAccessible(editor);
    await editor.getByLabel('Term', { exact: true }).fill('PA');
    await editor.getByLabel('What it means').fill('personal assistant');
    await editor.getByRole('button', { name: 'Save term' }).click();
    assert.match(await editor.locator('.govuk-notification-banner').innerText(), /The term is saved/);
    await assertAccessible(editor);
    await editor.context().close();
  });
});
