// Kept pages: sent again for KEPT_FOR_MS, then made afresh.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KEPT_FOR_MS, KeptPages } from './kept-pages.ts';

test('a page is found for KEPT_FOR_MS after it was kept, and not after', () => {
  const pages = new KeptPages();
  pages.keep('en 0 /services?q=autism', '<html>autism</html>', 1_000);
  assert.equal(pages.find('en 0 /services?q=autism', 1_000 + KEPT_FOR_MS - 1), '<html>autism</html>');
  assert.equal(pages.find('en 0 /services?q=autism', 1_000 + KEPT_FOR_MS), undefined);
  assert.equal(pages.find('en 0 /services?q=swimming', 1_000), undefined);
  pages.keep('en 0 /services?q=autism', '<html>autism again</html>', 1_000 + KEPT_FOR_MS);
  assert.equal(pages.find('en 0 /services?q=autism', 1_000 + KEPT_FOR_MS + 1), '<html>autism again</html>');
});
