// Platform benchmark: page throughput and latency of Pathway's start and sign-in pages against a bare
// Fastify hello-world measured in the same run, plus the time to open, migrate and seed a fresh database.
// Uses DATABASE_URL when set (PostgreSQL; Pathway then runs as `serve` does in production, in BENCH_WEB_PROCESSES
// web processes, one per core by default), otherwise embedded PGlite in memory.
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { seedDemoCouncil } from '../src/demo/council.ts';
import { runLoad, warmUp } from './load.ts';
import { startHelloWorld, startPathway, webProcessesFor } from './server.ts';

const CONCURRENCY = 20;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

export async function platformBenchmark(): Promise<Record<string, unknown>> {
  const databaseUrl = process.env.DATABASE_URL;
  const processes = webProcessesFor(databaseUrl);
  const hello = await startHelloWorld(processes);
  const helloLoad = await runLoad({ urls: [hello.url], concurrency: CONCURRENCY, seconds: SECONDS });
  await hello.stop();

  const openStarted = performance.now();
  const database = await openDatabase(databaseUrl ? { url: databaseUrl } : {});
  await migrate(database);
  const hasCouncil = await database.db.selectFrom('councils').select('la_code').executeTakeFirst();
  if (!hasCouncil) await seedDemoCouncil(database.db, 'development');
  const openSeconds = (performance.now() - openStarted) / 1000;

  const server = await startPathway(database, databaseUrl);
  const url = server.url;
  const urls = [`${url}/`, `${url}/sign-in`, `${url}/health/ready`];
  await warmUp({ urls });
  const pages = await runLoad({
    urls,
    concurrency: CONCURRENCY,
    seconds: SECONDS,
  });
  await server.stop();
  await database.close();

  return {
    benchmark: 'platform',
    database: databaseUrl ? 'postgresql' : 'pglite',
    web_processes: processes,
    concurrency: CONCURRENCY,
    seconds: SECONDS,
    open_migrate_seed_seconds: Math.round(openSeconds * 100) / 100,
    pages_rps: pages.requestsPerSecond,
    pages_p50_ms: pages.p50Ms,
    pages_p95_ms: pages.p95Ms,
    pages_p99_ms: pages.p99Ms,
    pages_errors: pages.errors,
    hello_world_rps: helloLoad.requestsPerSecond,
    pages_share_of_hello_world: Math.round((pages.requestsPerSecond / helloLoad.requestsPerSecond) * 1000) / 1000,
  };
}
