// Reads an Open Referral feed that an editor gives Pathway while it runs: an uploaded file, or an address fetched
// with the limits a server fetching someone else's address needs (http and https only, a few redirects, a time
// limit, a size limit, never a link-local address, where cloud machines answer with their own secrets). What goes
// wrong is a FeedProblem the page explains; the feed's content is never logged.
import { lookup as lookupAddress, type LookupAddress, type LookupOptions } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { isObject } from './feed-values.ts';
import { askingForWholeServices, editionOf, servicesIn, type FeedItem } from './feeds.ts';

export type FeedProblemCode =
  | 'file-missing'
  | 'file-empty'
  | 'file-too-large'
  | 'address-missing'
  | 'address-too-long'
  | 'bad-address'
  | 'refused-address'
  | 'unreachable'
  | 'timeout'
  | 'http-status'
  | 'too-many-redirects'
  | 'too-many-pages'
  | 'too-large'
  | 'not-json'
  | 'not-open-referral'
  | 'failed';

/** Why a feed could not be read; `detail` is what the message needs (an HTTP status), never the feed's content. */
export class FeedProblem extends Error {
  readonly code: FeedProblemCode;
  readonly detail: string | null = null;

  constructor(code: FeedProblemCode, detail: string | null = null) {
    super(`The feed could not be read: ${code}${detail === null ? '' : ` (${detail})`}`);
    this.code = code;
    this.detail = detail;
  }
}

export interface FeedLimits {
  /** Each answer (headers and body) must arrive within this. */
  answerMs: number;
  /** A whole feed, every page of it, must arrive within this. */
  feedMs: number;
  /** A file, or every page of a feed together. */
  bytes: number;
  redirects: number;
  pages: number;
}

export const FEED_LIMITS: FeedLimits = {
  answerMs: 20_000,
  feedMs: 5 * 60_000,
  bytes: 25 * 1024 * 1024,
  redirects: 5,
  pages: 200,
};

export const MAX_ADDRESS_LENGTH = 2000;

/** The address as a URL when it is one Pathway may fetch, else the problem with it. */
export function feedAddress(text: string): URL | FeedProblem {
  if (text === '') return new FeedProblem('address-missing');
  if (text.length > MAX_ADDRESS_LENGTH) return new FeedProblem('address-too-long');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return new FeedProblem('bad-address');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return new FeedProblem('bad-address');
  if (isIP(bareHost(url.hostname)) !== 0 && isLinkLocal(bareHost(url.hostname)))
    return new FeedProblem('refused-address');
  return url;
}

function bareHost(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1');
}

/** 169.254.0.0/16 and fe80::/10 (and IPv4 link-local written as IPv6): where cloud metadata services answer. */
export function isLinkLocal(address: string): boolean {
  const lower = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower)?.[1];
  const v4 = mapped ?? (isIP(lower) === 4 ? lower : undefined);
  if (v4) return v4.startsWith('169.254.');
  return isIP(lower) === 6 && /^fe[89ab][0-9a-f]:/.test(lower);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

const REFUSED = 'PATHWAY_REFUSED_ADDRESS';

/** Resolves a name as Node would, refusing it when any of its addresses is link-local. */
function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  lookupAddress(hostname, { ...options, all: true }, (error, addresses) => {
    // On an error Node passes no addresses.
    const first = error ? undefined : addresses[0];
    if (error) callback(error, '');
    else if (addresses.some((entry) => isLinkLocal(entry.address))) {
      callback(Object.assign(new Error('refused address'), { code: REFUSED }), '');
    } else if (options.all) callback(null, addresses);
    else if (!first) callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), '');
    else callback(null, first.address, first.family);
  });
}

type Answer = { redirect: string } | { text: string; bytes: number };

/** One GET: a redirect's target, or the body as text within the bytes left. */
function fetchOnce(url: URL, bytesLeft: number, signal: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (problem: FeedProblem) => {
      if (settled) return;
      settled = true;
      request.destroy();
      reject(problem);
    };
    const failOn = (error: NodeJS.ErrnoException) => {
      if (signal.aborted) fail(new FeedProblem('timeout'));
      else if (error.code === REFUSED) fail(new FeedProblem('refused-address'));
      else fail(new FeedProblem('unreachable'));
    };
    const client = url.protocol === 'https:' ? https : http;
    const request = client.get(
      url,
      {
        headers: { accept: 'application/json', 'user-agent': 'Pathway (Open Referral UK import)' },
        lookup: guardedLookup,
        signal,
      },
      (response: IncomingMessage) => {
        response.on('error', failOn);
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if ([301, 302, 303, 307, 308].includes(status) && location) {
          response.resume();
          settled = true;
          resolve({ redirect: location });
          return;
        }
        if (status < 200 || status >= 300) {
          response.resume();
          fail(new FeedProblem('http-status', String(status)));
          return;
        }
        if (Number(response.headers['content-length'] ?? 0) > bytesLeft) {
          fail(new FeedProblem('too-large'));
          return;
        }
        const chunks: Buffer[] = [];
        let bytes = 0;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > bytesLeft) fail(new FeedProblem('too-large'));
          else chunks.push(chunk);
        });
        response.on('end', () => {
          if (settled) return;
          settled = true;
          resolve({ text: Buffer.concat(chunks).toString('utf8'), bytes });
        });
      },
    );
    request.on('error', failOn);
  });
}

/** Follows redirects (to http or https only) up to the limit. */
async function fetchFollowing(start: URL, bytesLeft: number, limits: FeedLimits, feedSignal: AbortSignal) {
  let url = start;
  for (let redirects = 0; ; redirects += 1) {
    const signal = AbortSignal.any([feedSignal, AbortSignal.timeout(limits.answerMs)]);
    // Anything Node refuses before a request is made (a malformed address it will not send) is unreachable too.
    const answer = await fetchOnce(url, bytesLeft, signal).catch((error: unknown) => {
      throw error instanceof FeedProblem ? error : new FeedProblem('unreachable');
    });
    if (!('redirect' in answer)) return answer;
    if (redirects >= limits.redirects) throw new FeedProblem('too-many-redirects');
    let next: URL;
    try {
      next = new URL(answer.redirect, url);
    } catch {
      throw new FeedProblem('bad-address');
    }
    const problem = feedAddress(next.href);
    if (problem instanceof FeedProblem)
      throw problem.code === 'address-too-long' ? new FeedProblem('bad-address') : problem;
    url = next;
  }
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new FeedProblem('not-json');
  }
}

/** A feed's document is Open Referral when it holds services, or is a page of them that happens to be empty. */
function isOpenReferral(document: unknown, items: FeedItem[]): boolean {
  return (
    items.length > 0 || (isObject(document) && (Array.isArray(document.contents) || Array.isArray(document.content)))
  );
}

/** A service's id as its feed gives it, or '' when it has none (such services are never taken for repeats). */
function idOf(item: FeedItem): string {
  const id = isObject(item.raw) ? item.raw.id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
}

function itemsOf(document: unknown, origin: string): FeedItem[] {
  return servicesIn(document).map((raw) => ({ edition: editionOf(raw), raw, origin }));
}

/** The services in an uploaded file. */
export function readUploadedFeed(file: { name: string; content: Buffer; truncated: boolean }): FeedItem[] {
  if (file.name === '') throw new FeedProblem('file-missing');
  if (file.truncated) throw new FeedProblem('file-too-large');
  if (file.content.length === 0) throw new FeedProblem('file-empty');
  const document = parsed(file.content.toString('utf8'));
  const items = itemsOf(document, file.name);
  if (!isOpenReferral(document, items)) throw new FeedProblem('not-open-referral');
  return items;
}

/**
 * Every page of the feed at an address: Open Referral UK 3.0 paging (`total_pages`, and `full=true` asked of a
 * `/services` list, as the command-line import does) or Outpost paging (`totalPages`).
 */
export async function readFeedAddress(address: string, limits: FeedLimits = FEED_LIMITS): Promise<FeedItem[]> {
  const start = feedAddress(address);
  if (start instanceof FeedProblem) throw start;
  const feedSignal = AbortSignal.timeout(limits.feedMs);
  const items: FeedItem[] = [];
  const seen = new Set<string>();
  let bytesLeft = limits.bytes;
  for (let page = 1; ; page += 1) {
    if (page > limits.pages) throw new FeedProblem('too-many-pages');
    const pageUrl = new URL(askingForWholeServices(start.href));
    if (page > 1) pageUrl.searchParams.set('page', String(page));
    const answer = await fetchFollowing(pageUrl, bytesLeft, limits, feedSignal);
    bytesLeft -= answer.bytes;
    const document = parsed(answer.text);
    const found = itemsOf(document, pageUrl.href);
    if (page === 1 && !isOpenReferral(document, found)) throw new FeedProblem('not-open-referral');
    // An address that is one page of a feed saved as a file says how many pages the feed had, yet answers every
    // page the same: a page with only services already read means there are no more, and none is counted twice.
    const fresh = found.filter((item) => !seen.has(idOf(item)));
    if (page > 1 && found.length > 0 && fresh.length === 0) return items;
    for (const item of fresh) if (idOf(item) !== '') seen.add(idOf(item));
    items.push(...fresh);
    const totalPages = isObject(document) ? Number(document.total_pages ?? document.totalPages ?? 1) : 1;
    if (!Number.isFinite(totalPages) || page >= totalPages) return items;
  }
}
