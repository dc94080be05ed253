// The servers a benchmark measures, each in processes of its own, so the load generator in the benchmark's process
// shares no thread with them: Pathway started as production starts it (`src/cli.ts serve`), and the bare Fastify
// hello-world it is compared with, in the same number of processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { DEMO_PASSWORD, seedDemoCouncil } from '../src/demo/council.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { buildApp } from '../src/app.ts';

export interface BenchServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * How many web processes Pathway runs in: on PostgreSQL, BENCH_WEB_PROCESSES or one per core, as a council would
 * run it on this machine; on embedded PGlite, which belongs to the process that opened it, one (this one).
 */
export function webProcessesFor(databaseUrl: string | undefined): number {
  return databaseUrl ? Number(process.env.BENCH_WEB_PROCESSES ?? availableParallelism()) : 1;
}

const ROOT = join(import.meta.dirname, '..');

/** Starts a process and waits for a line of its output that gives the port it listens on. */
function startProcess(args: string[], env: Record<string, string>, portLine: RegExp): Promise<BenchServer> {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) {
        resolve();
        return;
      }
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const port = portLine.exec(output)?.[1];
      if (port) {
        output = '';
        resolve({ url: `http://127.0.0.1:${port}`, stop });
      }
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} stopped with exit code ${code}`)));
  });
}

export function startHelloWorld(processes: number): Promise<BenchServer> {
  return startProcess(
    [join(ROOT, 'bench', 'hello-world.mjs')],
    { HELLO_PROCESSES: String(processes) },
    /listening (\d+)/,
  );
}

const PRODUCTION = { NODE_ENV: 'production', SESSION_SECRET: 'b'.repeat(40), LOG_LEVEL: 'warn' };

/**
 * Pathway in production mode on the benchmark's database, already migrated and seeded: `serve` in its own
 * processes on PostgreSQL, or inside this process on embedded PGlite.
 */
export function startPathway(
  database: Database,
  databaseUrl: string | undefined,
  env: Record<string, string> = {},
): Promise<BenchServer> {
  return databaseUrl
    ? startServeProcesses(databaseUrl, webProcessesFor(databaseUrl), env)
    : startInThisProcess(database, { ...PRODUCTION, ...env });
}

function startServeProcesses(databaseUrl: string, processes: number, env: Record<string, string>) {
  return startProcess(
    ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), 'serve'],
    {
      ...PRODUCTION,
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: databaseUrl,
      WEB_PROCESSES: String(processes),
      IN_PROCESS_WORKER: 'false',
      ...env,
    },
    /Pathway is ready at http:\/\/localhost:(\d+)/,
  );
}

async function startInThisProcess(database: Database, env: Record<string, string>): Promise<BenchServer> {
  const config = loadConfig(env);
  const app = await buildApp(config, { database });
  // As `serve` does before it listens.
  await app.directorySearch.prepare(config.councilCode);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, stop: () => app.close() };
}

/** Signs in over HTTP as a demo person and returns the session cookie header for the load clients. */
export async function sessionCookie(baseUrl: string, email: string): Promise<string> {
  const page = await fetch(`${baseUrl}/sign-in`);
  const cookies = page.headers.getSetCookie().map((cookie) => cookie.split(';')[0]!);
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const signedIn = await fetch(`${baseUrl}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookies.join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, email, password: DEMO_PASSWORD }).toString(),
  });
  if (signedIn.status !== 303) throw new Error(`Signing in as ${email} failed with ${signedIn.status}`);
  return [...cookies, ...signedIn.headers.getSetCookie().map((cookie) => cookie.split(';')[0]!)].join('; ');
}

/** The benchmark's database (PostgreSQL at the URL, or PGlite in memory), migrated, with the demo council. */
export async function openDemoDatabase(databaseUrl: string | undefined): Promise<Database> {
  const database = await openDatabase(databaseUrl ? { url: databaseUrl, poolSize: 20 } : {});
  await migrate(database);
  if (!(await database.db.selectFrom('councils').select('la_code').executeTakeFirst()))
    await seedDemoCouncil(database.db, 'development');
  return database;
}
