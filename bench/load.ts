// A small HTTP load generator for benchmarks: N concurrent clients for a fixed time, on this machine only.
// The clients (load-clients.mjs) run in a worker thread, so the server under test has the main thread to
// itself, as it would with a load generator in another process.
import { Worker } from 'node:worker_threads';

export interface LoadResult {
  requests: number;
  errors: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

export function runLoad(options: {
  urls: string[];
  concurrency: number;
  seconds: number;
  headers?: Record<string, string>;
  /** Each client pauses about this long before each request, as a person reading the page would; none by default. */
  pauseMs?: number;
  /** Each request's address is one never asked before (each URL must have a query string). */
  neverTheSame?: boolean;
}): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-clients.mjs', import.meta.url), { workerData: options });
    worker.once('message', (result: LoadResult) => {
      resolve(result);
    });
    worker.once('error', reject);
  });
}

/**
 * A few seconds of gentle load before measuring, as a server that has been running would have had: for its first
 * seconds V8 is still optimising the code a page runs (each compiled page template is one large function, and
 * optimising one took up to half a second of a core), and a search's first use of a concept finds its matches.
 */
export async function warmUp(options: { urls: string[]; headers?: Record<string, string>; seconds?: number }) {
  await runLoad({ urls: options.urls, concurrency: 4, seconds: options.seconds ?? 5, headers: options.headers });
}
