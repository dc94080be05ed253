// A small HTTP load generator for benchmarks: N concurrent clients for a fixed time, on this machine only.
export interface LoadResult {
  requests: number;
  errors: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)]! * 100) / 100;
}

export async function runLoad(options: {
  urls: string[];
  concurrency: number;
  seconds: number;
  headers?: Record<string, string>;
}): Promise<LoadResult> {
  const timings: number[] = [];
  let errors = 0;
  const deadline = performance.now() + options.seconds * 1000;
  let next = 0;
  async function client() {
    while (performance.now() < deadline) {
      const url = options.urls[next++ % options.urls.length]!;
      const started = performance.now();
      try {
        const response = await fetch(url, { headers: options.headers, redirect: 'manual' });
        await response.arrayBuffer();
        if (response.status >= 400) errors += 1;
      } catch {
        errors += 1;
      }
      timings.push(performance.now() - started);
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, client));
  const elapsed = (performance.now() - started) / 1000;
  timings.sort((a, b) => a - b);
  return {
    requests: timings.length,
    errors,
    requestsPerSecond: Math.round(timings.length / elapsed),
    p50Ms: percentile(timings, 0.5),
    p95Ms: percentile(timings, 0.95),
    p99Ms: percentile(timings, 0.99),
  };
}
