// The clients of bench/load.ts, run in a worker thread so the server under test has the main thread to itself.
// Plain JavaScript: worker threads on Node 20 do not load TypeScript.
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';

function percentile(sorted, fraction) {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)] * 100) / 100;
}

const { urls, concurrency, seconds, headers, pauseMs = 0, neverTheSame = false } = workerData;
const timings = [];
let errors = 0;
let next = 0;
const deadline = performance.now() + seconds * 1000;
// node:http with kept-alive connections rather than fetch: fetch cost the load generator about 2.5 ms of CPU a
// request for a page of a few dozen rows, CPU taken from the server under test on a small machine.
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

/** One GET; resolves with the status once the whole body has arrived (and been thrown away). */
function get(url) {
  return new Promise((resolve, reject) => {
    const sent = request(url, { headers, agent }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    sent.on('error', reject);
    sent.end();
  });
}

async function client() {
  while (performance.now() < deadline) {
    // A person reads each page before asking for the next: half to one and a half times pauseMs.
    if (pauseMs > 0) await sleep(pauseMs * (0.5 + Math.random()));
    const turn = next++;
    // An address never asked before, so the server cannot send a page it kept: `visit` means nothing to it.
    const url = neverTheSame ? `${urls[turn % urls.length]}&visit=${turn}` : urls[turn % urls.length];
    const started = performance.now();
    try {
      if ((await get(url)) >= 400) errors += 1;
    } catch {
      errors += 1;
    }
    timings.push(performance.now() - started);
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, client));
const elapsed = (performance.now() - started) / 1000;
agent.destroy();
timings.sort((a, b) => a - b);
parentPort.postMessage({
  requests: timings.length,
  errors,
  requestsPerSecond: Math.round(timings.length / elapsed),
  p50Ms: percentile(timings, 0.5),
  p95Ms: percentile(timings, 0.95),
  p99Ms: percentile(timings, 0.99),
});
