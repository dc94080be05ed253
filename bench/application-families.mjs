// The families of bench/applications.ts, run in a worker thread so the server under test has the main thread to
// itself. Each family signs in and completes a whole short-breaks application over HTTP, page by page, as a
// browser would (GET a page, POST its form with the CSRF token), pausing `pauseMs` (on average; 0 for none)
// between pages as a person reading them would, and arriving at a random moment in the first `arrivalMs`. Plain JavaScript: workers on Node 20 do not load TypeScript.
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request as httpRequest } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { baseUrl, families, password, questions, pauseMs, arrivalMs } = workerData;
// node:http with kept-alive connections rather than fetch: it costs the load generator far less CPU, which on a
// small machine is CPU taken from the server under test.
const agent = new Agent({ keepAlive: true, maxSockets: families.length });

/** One HTTP request; resolves with the status, headers and body text. */
function send(method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${baseUrl}${path}`, { method, headers, agent }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString() }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}
const timings = new Map();
let errors = 0;
const failures = new Map();

function record(page, milliseconds) {
  if (!timings.has(page)) timings.set(page, []);
  timings.get(page).push(milliseconds);
}

function csrfTokenIn(html) {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
}

async function family({ email, childId }, index) {
  if (arrivalMs > 0) await sleep(Math.random() * arrivalMs);
  const cookies = new Map();
  // Each family is at home on its own address (the server trusts the proxy header, as behind a load balancer),
  // so the sign-in rate limit per address applies to each family, not to the benchmark as a whole.
  const address = `10.${Math.floor(index / 250)}.${index % 250}.1`;
  async function request(page, path, form) {
    // A family reads each page before sending it: a pause of half to one and a half times pauseMs.
    if (pauseMs > 0) await sleep(pauseMs * (0.5 + Math.random()));
    const started = performance.now();
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const response = await send(
      form ? 'POST' : 'GET',
      path,
      {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        'x-forwarded-for': address,
        ...(body === undefined
          ? {}
          : { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) }),
      },
      body,
    );
    record(page, performance.now() - started);
    for (const cookie of response.headers['set-cookie'] ?? []) {
      const [pair] = cookie.split(';');
      const [name, ...value] = pair.split('=');
      cookies.set(name, value.join('='));
    }
    const expected = form ? 303 : 200;
    if (response.status !== expected) {
      errors += 1;
      failures.set(`${page} ${response.status}`, (failures.get(`${page} ${response.status}`) ?? 0) + 1);
      throw new Error(`${page} answered ${response.status}`);
    }
    return { body: response.body, location: response.headers.location ?? '' };
  }
  /** GETs a page, then POSTs its form with the page's token. */
  async function fill(page, path, fields) {
    const { body } = await request(`GET ${page}`, path);
    return request(`POST ${page}`, path, { _csrf: csrfTokenIn(body), ...fields });
  }

  await fill('sign-in', '/sign-in', { email, password });
  const start = await request('GET start', '/short-breaks');
  const { location } = await request('POST start', '/short-breaks/start', {
    _csrf: csrfTokenIn(start.body),
    childId,
  });
  await request('GET task list', location);
  await fill('eligibility', `${location}/eligibility`, { livesInArea: 'yes', evidence: 'ehc_plan' });
  await fill('about child', `${location}/about/child`, { condition: 'Autism', ethnicity: 'REFU' });
  await fill('about family', `${location}/about/family`, { parentCarers: 'two', siblings: '1', youngCarers: 'no' });
  for (const question of questions) {
    const answer = question.options[Math.floor(Math.random() * question.options.length)];
    await fill('question', `${location}/questions/${question.id}`, { answer, note: '' });
  }
  const check = await request('GET check', `${location}/check`);
  await request('POST submit', `${location}/submit`, { _csrf: csrfTokenIn(check.body), declaration: 'yes' });
  await request('GET confirmation', `${location}/confirmation`);
}

function percentile(sorted, fraction) {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)] * 10) / 10;
}

const started = performance.now();
const results = await Promise.allSettled(families.map((each, index) => family(each, index)));
const seconds = (performance.now() - started) / 1000;
const pages = {};
for (const [page, values] of timings) {
  values.sort((a, b) => a - b);
  pages[page] = { requests: values.length, p50Ms: percentile(values, 0.5), p95Ms: percentile(values, 0.95) };
}
parentPort.postMessage({
  seconds,
  completed: results.filter((result) => result.status === 'fulfilled').length,
  errors,
  failures: Object.fromEntries(failures),
  pages,
});
