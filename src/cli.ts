// One entry for operators: serve, worker, migrate, seed.
import cluster, { type Worker } from 'node:cluster';
import type { FastifyInstance } from 'fastify';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { seedDemo } from './demo/seed.ts';
import { hasCouncil } from './features/administration/service.ts';
import { describeReport, importFeed } from './features/directory/import.ts';
import { startJobQueue, type JobQueue } from './jobs/queue.ts';
import { scheduledJobs } from './jobs/worker.ts';
import { buildApp } from './app.ts';

function say(message: string) {
  process.stdout.write(`${message}\n`);
}

function databaseOf(config: Config): Promise<Database> {
  return openDatabase(
    config.databaseUrl
      ? { url: config.databaseUrl, preparedStatements: config.databasePreparedStatements }
      : { dataDir: config.dataDir },
  );
}

async function openAndMigrate(config: Config): Promise<Database> {
  const database = await databaseOf(config);
  const applied = await migrate(database);
  if (applied.length > 0) say(`Applied migrations: ${applied.join(', ')}`);
  return database;
}

async function seedIfEmpty(config: Config, database: Database) {
  if (!config.demoData || config.environment === 'production') return;
  if (await hasCouncil(database.db)) return;
  await seedDemo(database.db, {
    environment: config.environment,
    shortBreaksMaxAge: config.shortBreaks.ages.max,
    publicUrl: config.publicUrl,
  });
  say('Seeded the demo council (Northmoor Borough Council). Demo sign-ins are listed in the README.');
}

/** Stops taking work on SIGTERM or SIGINT, finishes what is in flight, then closes the database. */
function closeGracefullyOnSignal(close: () => Promise<void>) {
  let closing = false;
  const onSignal = (signal: string) => {
    if (closing) return;
    closing = true;
    say(`${signal} received: finishing requests in flight, then stopping.`);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Stopping failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}

/** The scheduled work (clocks, reminders, notifications), for `worker` or inside a web process. */
function startScheduledJobs(
  config: Config,
  database: Database,
  onError = (error: Error) => console.error('job queue error', error.message),
): Promise<JobQueue> {
  return startJobQueue(database, { work: scheduledJobs(config, database), onError });
}

async function serve(config: Config) {
  if (config.webProcesses === 1) return serveInOneProcess(config, { prepared: false });
  return cluster.isPrimary ? serveWithSeveralProcesses(config) : serveInOneProcess(config, { prepared: true });
}

/**
 * One web process. Alone, it migrates and seeds first, and runs the jobs when configured to; as one of several,
 * the first process has done that already.
 */
async function serveInOneProcess(config: Config, options: { prepared: boolean }) {
  const database = options.prepared ? await databaseOf(config) : await openAndMigrate(config);
  if (!options.prepared) await seedIfEmpty(config, database);
  const app: FastifyInstance = await buildApp(config, { database });
  let jobs: JobQueue | undefined;
  if (config.inProcessWorker && !options.prepared) {
    jobs = await startScheduledJobs(config, database, (error) => app.log.error({ err: error }, 'job queue error'));
  }
  closeGracefullyOnSignal(async () => {
    await app.close();
    await jobs?.stop({ graceful: true, wait: true });
    await database.close();
  });
  await app.directorySearch.prepare(config.councilCode);
  await app.listen({ host: config.host, port: config.port });
  if (options.prepared) return;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  say(`Pathway is ready at http://localhost:${port}`);
}

/**
 * WEB_PROCESSES web processes sharing one port (node:cluster), so every core of the machine serves pages: one
 * Node.js process uses one core. This first process migrates, seeds and runs the jobs when configured to, but
 * serves nothing itself; a web process that stops unexpectedly is replaced.
 */
async function serveWithSeveralProcesses(config: Config) {
  const database = await openAndMigrate(config);
  await seedIfEmpty(config, database);
  const jobs = config.inProcessWorker ? await startScheduledJobs(config, database) : undefined;
  let stopping = false;
  const listening = new Set<number>();
  cluster.on('listening', (web, address) => {
    if (listening.size === config.webProcesses) return;
    listening.add(web.id);
    if (listening.size < config.webProcesses) return;
    say(`Pathway is ready at http://localhost:${address.port} (${config.webProcesses} web processes)`);
  });
  cluster.on('exit', (_process, code, signal) => {
    if (stopping) return;
    say(`A web process stopped (${signal ? signal : `exit code ${code}`}); starting another.`);
    // A pause, so a process that fails at start does not restart in a tight loop.
    setTimeout(() => cluster.fork(), 1000);
  });
  for (let started = 0; started < config.webProcesses; started += 1) cluster.fork();
  closeGracefullyOnSignal(async () => {
    stopping = true;
    const running = Object.values(cluster.workers ?? {}).filter(
      (web): web is Worker => web !== undefined && !web.isDead(),
    );
    await Promise.all(
      running.map(
        (web) =>
          new Promise<void>((resolve) => {
            web.once('exit', () => resolve());
            web.process.kill('SIGTERM');
          }),
      ),
    );
    await jobs?.stop({ graceful: true, wait: true });
    await database.close();
  });
}

async function worker(config: Config) {
  const database = await openAndMigrate(config);
  const jobs = await startScheduledJobs(config, database);
  closeGracefullyOnSignal(async () => {
    await jobs.stop({ graceful: true, wait: true });
    await database.close();
  });
  say('Pathway worker is running.');
}

/** `npm run import:oruk -- <file-or-folder-or-URL> [--council CODE] [--source NAME]` */
async function importOruk(config: Config, args: string[]) {
  const option = (name: string) => {
    const index = args.indexOf(name);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const input = args.find((arg, index) => !arg.startsWith('--') && !args[index - 1]?.startsWith('--'));
  if (!input) throw new ConfigError('Say what to import: npm run import:oruk -- <file, folder or URL>');
  const database = await openAndMigrate(config);
  try {
    await seedIfEmpty(config, database);
    const councils = await database.db.selectFrom('councils').select('la_code').execute();
    const laCode = option('--council') ?? (councils.length === 1 ? councils[0]?.la_code : undefined);
    if (!laCode || !councils.some((council) => council.la_code === laCode)) {
      throw new ConfigError(
        `Say which council to import into with --council (one of: ${councils.map((c) => c.la_code).join(', ')})`,
      );
    }
    const source = option('--source');
    const report = await importFeed(database.db, laCode, input, source);
    say(describeReport(report));
  } finally {
    await database.close();
  }
}

async function main(command: string | undefined) {
  const config = loadConfig();
  switch (command) {
    case 'serve':
      return serve(config);
    case 'worker':
      return worker(config);
    case 'migrate': {
      const database = await openAndMigrate(config);
      await database.close();
      say('Database is up to date.');
      return;
    }
    case 'seed': {
      const database = await openAndMigrate(config);
      try {
        if (await hasCouncil(database.db)) {
          say('The database already has a council; nothing seeded.');
        } else {
          await seedDemo(database.db, {
            environment: config.environment,
            shortBreaksMaxAge: config.shortBreaks.ages.max,
            publicUrl: config.publicUrl,
          });
          say('Seeded the demo council.');
        }
      } finally {
        await database.close();
      }
      return;
    }
    case 'import-oruk':
      return importOruk(config, process.argv.slice(3));
    default:
      throw new ConfigError(
        `Unknown command "${command ?? ''}". Use one of: serve, worker, migrate, seed, import-oruk.`,
      );
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `Configuration problem: ${error.message}` : error);
  process.exit(1);
});
