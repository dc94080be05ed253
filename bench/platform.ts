// Platform benchmark: page throughput and latency of Pathway's start and sign-in pages against a bare
// Fastify hello-world measured in the same run, plus the time to open, migrate and seed a fresh database.
// Uses DATABASE_URL when set (PostgreSQL), otherwise embedded PGlite in memory.
import Fastify from 'fastify';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { seedDemoCouncil } from '../src/db/seed/demo.ts';
import { buildApp } from '../src/web/app.ts';
import { runLoad } from './load.ts';

const CONCURRENCY = 20;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

async function listen(app: { listen(options: { port: number; host: string }): Promise<string> }) {
  return app.listen({ port: 0, host: '127.0.0.1' });
}

export async function platformBenchmark(): Promise<Record<string, unknown>> {
  const hello = Fastify();
  hello.get('/', async () => 'hello world');
  const helloUrl = await listen(hello);
  const helloLoad = await runLoad({ urls: [helloUrl], concurrency: CONCURRENCY, seconds: SECONDS });
  await hello.close();

  const databaseUrl = process.env.DATABASE_URL;
  const openStarted = performance.now();
  const database = await openDatabase(databaseUrl ? { url: databaseUrl } : {});
  await migrate(database);
  const hasCouncil = await database.db.selectFrom('councils').select('la_code').executeTakeFirst();
  if (!hasCouncil) await seedDemoCouncil(database.db, 'development');
  const openSeconds = (performance.now() - openStarted) / 1000;

  const app = await buildApp(
    loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'b'.repeat(40), LOG_LEVEL: 'warn' }),
    { database },
  );
  const url = await listen(app);
  const pages = await runLoad({
    urls: [`${url}/`, `${url}/sign-in`, `${url}/health/ready`],
    concurrency: CONCURRENCY,
    seconds: SECONDS,
  });
  await app.close();
  await database.close();

  return {
    benchmark: 'platform',
    database: databaseUrl ? 'postgresql' : 'pglite',
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
