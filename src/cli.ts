// One entry for operators: serve, worker, migrate, seed.
import type { FastifyInstance } from 'fastify';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { hasCouncil, seedDemoCouncil } from './db/seed/demo.ts';
import { startJobQueue, type JobQueue } from './jobs/queue.ts';
import { scheduledJobs } from './jobs/worker.ts';
import { buildApp } from './web/app.ts';

function say(message: string) {
  process.stdout.write(`${message}\n`);
}

async function openAndMigrate(config: Config): Promise<Database> {
  const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir });
  const applied = await migrate(database);
  if (applied.length > 0) say(`Applied migrations: ${applied.join(', ')}`);
  return database;
}

async function seedIfEmpty(config: Config, database: Database) {
  if (!config.demoData || config.environment === 'production') return;
  if (await hasCouncil(database.db)) return;
  await seedDemoCouncil(database.db, config.environment);
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

async function serve(config: Config) {
  const database = await openAndMigrate(config);
  await seedIfEmpty(config, database);
  const app: FastifyInstance = await buildApp(config, { database });
  let jobs: JobQueue | undefined;
  if (config.inProcessWorker) {
    jobs = await startJobQueue(database, {
      work: scheduledJobs(config, database),
      onError: (error) => app.log.error({ err: error }, 'job queue error'),
    });
  }
  closeGracefullyOnSignal(async () => {
    await app.close();
    await jobs?.stop({ graceful: true, wait: true });
    await database.close();
  });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  say(`Pathway is ready at http://localhost:${port}`);
}

async function worker(config: Config) {
  const database = await openAndMigrate(config);
  const jobs = await startJobQueue(database, {
    work: scheduledJobs(config, database),
    onError: (error) => console.error('job queue error', error.message),
  });
  closeGracefullyOnSignal(async () => {
    await jobs.stop({ graceful: true, wait: true });
    await database.close();
  });
  say('Pathway worker is running.');
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
          await seedDemoCouncil(database.db, config.environment);
          say('Seeded the demo council.');
        }
      } finally {
        await database.close();
      }
      return;
    }
    default:
      throw new ConfigError(`Unknown command "${command ?? ''}". Use one of: serve, worker, migrate, seed.`);
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `Configuration problem: ${error.message}` : error);
  process.exit(1);
});
