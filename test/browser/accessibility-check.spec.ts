// The accessibility check itself: every browser test trusts assertAccessible to fail on a violation, so this proves
// it still does with the options it runs axe with (in the page, gathering violations only), and that it refuses a
// page with a frame, which that way of running axe would not look inside.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertAccessible, browserSuite } from '../helpers/browser.ts';

describe('the accessibility check', () => {
  const suite = browserSuite();

  test('fails on each WCAG violation, naming it and where it is, and on a page with a frame', async (context) => {
    const harness = suite.harnessFor(context);
    if (!harness) return;
    const page = await (await harness.browser.newContext()).newPage();
    // A page of Pathway passes, which also shows that only the WCAG A and AA rules run: its phase banner sits
    // outside a landmark, which axe's best-practice rules (not WCAG) would report. The same page with an image that
    // has no text alternative and a field with no label fails, naming both.
    await page.goto(`${harness.baseUrl}/services`);
    await assertAccessible(page);
    await page.evaluate(() => {
      const main = document.querySelector('main')!;
      main.insertAdjacentHTML(
        'beforeend',
        '<img src="/static/missing.png" id="no-alt"><input type="text" id="no-label">',
      );
    });
    await assert.rejects(assertAccessible(page), (error: Error) => {
      assert.match(error.message, /image-alt \(critical\).*#no-alt/);
      assert.match(error.message, /label \(critical\).*#no-label/);
      return true;
    });
    await page.goto(`${harness.baseUrl}/services`);
    await page.evaluate(() =>
      document.querySelector('main')!.insertAdjacentHTML('beforeend', '<iframe title="x"></iframe>'),
    );
    await assert.rejects(assertAccessible(page), /embeds a frame/);
    await page.context().close();
  });
});
