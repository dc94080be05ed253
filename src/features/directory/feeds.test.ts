// Reading a feed from a URL: an Open Referral UK 3.0 API's list of services is asked for whole services, and the
// rest of the URL is sent as it was written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { askingForWholeServices } from './feeds.ts';

test('a list of services is asked for whole services, with the rest of the URL as written', () => {
  assert.equal(
    askingForWholeServices('https://example.org/api/oruk/services'),
    'https://example.org/api/oruk/services?full=true',
  );
  assert.equal(
    askingForWholeServices('https://example.org/services/?per_page=100'),
    'https://example.org/services/?per_page=100&full=true',
  );
  assert.equal(askingForWholeServices('https://example.org/services?'), 'https://example.org/services?full=true');
  assert.equal(
    askingForWholeServices('https://example.org/services?search=short%20breaks&signature=a%3Ab'),
    'https://example.org/services?search=short%20breaks&signature=a%3Ab&full=true',
  );
});

test('a URL that says full, or is not a list of services, is left as it is', () => {
  for (const url of [
    'https://example.org/services?full=false',
    'https://example.org/api/v1/services/123',
    'https://example.org/feeds/local-offer.json',
    'https://example.org/organizations',
  ]) {
    assert.equal(askingForWholeServices(url), url);
  }
});
