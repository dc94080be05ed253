// The job queue: pg-boss on Pathway's own database, so there is no other server to run.
import PgBoss from 'pg-boss';
import type { Database } from '../db/database.ts';

export type JobQueue = PgBoss;

export interface ScheduledJob {
  name: string;
  /** Cron expression, in Europe/London time. */
  cron: string;
  handler: () => Promise<void>;
}

const SCHEMA = 'pgboss';
/** The queue pg-boss's scheduler sends through (its Timekeeper's `__pgboss__send-it`). */
const SCHEDULER_QUEUE = '__pgboss__send-it';

function pgBoss(database: Database, options: { migrate: boolean; work: boolean }) {
  return new PgBoss({
    // pg-boss runs its SQL through our connection, so on PGlite it takes its turn with everything else.
    db: { executeSql: (text: string, values?: unknown[]) => database.executeSql(text, values) },
    schema: SCHEMA,
    migrate: options.migrate,
    supervise: options.work,
    schedule: options.work,
  });
}

/**
 * Creates or upgrades pg-boss's schema and its queues, as the tables' owner (`npm run migrate`): a queue is a table
 * of its own (a partition pg-boss makes when the queue is created), which a role that owns nothing cannot make.
 */
export async function installJobQueue(database: Database, queueNames: readonly string[]): Promise<void> {
  const boss = pgBoss(database, { migrate: true, work: false });
  await boss.start();
  try {
    for (const name of [SCHEDULER_QUEUE, ...queueNames]) await boss.createQueue(name);
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

/**
 * Starts the queue and the scheduled work. With `migrate` false (MIGRATE=false) pg-boss's schema and queues must be
 * there already, made by `npm run migrate`; creating a queue that exists changes nothing, so no table is made.
 */
export async function startJobQueue(
  database: Database,
  options: { work: ScheduledJob[]; onError: (error: Error) => void; migrate?: boolean },
) {
  const boss = pgBoss(database, { migrate: options.migrate ?? true, work: options.work.length > 0 });
  boss.on('error', options.onError);
  try {
    await boss.start();
  } catch (error) {
    if (options.migrate === false && /pg-boss (is not installed|database requires migrations)/.test(String(error))) {
      throw new JobQueueNotInstalledError();
    }
    throw error;
  }
  for (const job of options.work) {
    await boss.createQueue(job.name);
    await boss.schedule(job.name, job.cron, undefined, { tz: 'Europe/London' });
    await boss.work(job.name, { pollingIntervalSeconds: 5 }, async () => {
      await job.handler();
    });
  }
  return boss;
}

export class JobQueueNotInstalledError extends Error {
  constructor() {
    super(
      'The job queue (schema pgboss) is missing or out of date, and MIGRATE=false: run npm run migrate as the ' +
        'database owner first (docs/operations.md, "Database roles").',
    );
  }
}
