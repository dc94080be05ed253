// National-scale directory benchmark: generates 200,000 Local Offer services (BENCH_SERVICES to change it) across
// made-up English towns, loads them through the Open Referral importer, then measures the public search page and
// the Open Referral API over HTTP at 20 concurrent clients, with a mix of realistic queries and filters, against a
// bare Fastify hello-world measured in the same run; then the same searches at addresses never asked before, so no
// page kept from an earlier search serves them (fresh_search_*). DATABASE_URL selects PostgreSQL (Pathway then
// runs as `serve` does in production, in BENCH_WEB_PROCESSES web processes, one per core by default); otherwise
// PGlite in memory.
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { DEMO_COUNCIL, seedDemoCouncil } from '../src/demo/council.ts';
import { englishPlaces, generateServices } from '../src/demo/generate-services.ts';
import { importItems } from '../src/features/directory/import.ts';
import { runLoad, warmUp } from './load.ts';
import { startHelloWorld, startPathway, webProcessesFor } from './server.ts';

const CONCURRENCY = 20;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const SERVICES = Number(process.env.BENCH_SERVICES ?? 200_000);

/** What families type, with and without filters; some misspelt, some acronyms, some just browsing. */
function searchUrls(base: string, districts: string[]): string[] {
  const near = (index: number) => `postcode=${districts[index % districts.length]!}&distance=10`;
  const pages = [
    'q=autism',
    'q=short+breaks&age=7',
    'q=SALT',
    'q=speach+therapy',
    'q=swimming&need=physical_disability',
    'q=respite+for+teenagers',
    'q=help+with+sleep',
    'q=wheelchair+sports&cost=free',
    'q=ADHD+parenting+course',
    'q=dyslexia&age=9',
    'q=saturday+club&day=SA',
    'q=deaf+child',
    'q=benefits+advice',
    'age=4&need=autism',
    `q=play&${near(3)}`,
    `q=youth+club&${near(11)}&sort=distance`,
    `${near(42)}&age=12`,
    'q=independent+travel+training&page=2',
  ].map((query) => `${base}/services?${query}`);
  const api = [
    'search=autism&per_page=20',
    'search=short+breaks&age=10',
    `postcode=${districts[7]!}&proximity=8000`,
    'search=speech+and+language&page=3',
  ].map((query) => `${base}/api/oruk/services?${query}`);
  return [...pages, ...api];
}

export async function searchBenchmark(): Promise<Record<string, unknown>> {
  const databaseUrl = process.env.DATABASE_URL;
  const processes = webProcessesFor(databaseUrl);
  const hello = await startHelloWorld(processes);
  const helloLoad = await runLoad({ urls: [hello.url], concurrency: CONCURRENCY, seconds: SECONDS });
  await hello.stop();

  const database = await openDatabase(databaseUrl ? { url: databaseUrl } : {});
  await migrate(database);
  await seedDemoCouncil(database.db, 'development');
  const places = englishPlaces(400);
  const items = [...generateServices({ places, count: SERVICES, seed: 1, namespace: 'bench-national' })].map((raw) => ({
    edition: 'v3' as const,
    raw,
    origin: 'bench',
  }));
  const report = await importItems(database.db, DEMO_COUNCIL.laCode, items, { source: 'bench', batchSize: 1000 });
  // Statistics for the planner, as a council's nightly maintenance would have.
  await database.executeSql('analyze');
  // Each web process builds its search index before it listens, so starting is mostly that.
  const startStarted = performance.now();
  // Twenty clients from one address would otherwise meet the API's per-address rate limit.
  const server = await startPathway(database, databaseUrl, { API_RATE_LIMIT_PER_MINUTE: '1000000' });
  const startSeconds = (performance.now() - startStarted) / 1000;
  const url = server.url;
  const urls = searchUrls(
    url,
    places.map((place) => place.district),
  );
  await warmUp({ urls, seconds: 10 });
  const search = await runLoad({ urls, concurrency: CONCURRENCY, seconds: SECONDS });
  // The same searches with addresses never asked before, so no page is kept (kept-pages.ts) and each is rendered
  // afresh: what a search costs when nobody has made it in the last few seconds.
  const fresh = await runLoad({ urls, concurrency: CONCURRENCY, seconds: SECONDS, neverTheSame: true });
  await server.stop();
  await database.close();

  return {
    benchmark: 'search',
    database: databaseUrl ? 'postgresql' : 'pglite',
    services: report.accepted,
    import_seconds: report.seconds,
    start_seconds: Math.round(startSeconds * 10) / 10,
    web_processes: processes,
    concurrency: CONCURRENCY,
    seconds: SECONDS,
    search_p50_ms: search.p50Ms,
    search_p95_ms: search.p95Ms,
    search_p99_ms: search.p99Ms,
    search_rps: search.requestsPerSecond,
    search_errors: search.errors,
    fresh_search_p50_ms: fresh.p50Ms,
    fresh_search_p95_ms: fresh.p95Ms,
    fresh_search_rps: fresh.requestsPerSecond,
    fresh_search_errors: fresh.errors,
    hello_world_rps: helloLoad.requestsPerSecond,
    search_share_of_hello_world: Math.round((search.requestsPerSecond / helloLoad.requestsPerSecond) * 1000) / 1000,
    fresh_search_share_of_hello_world:
      Math.round((fresh.requestsPerSecond / helloLoad.requestsPerSecond) * 1000) / 1000,
  };
}
