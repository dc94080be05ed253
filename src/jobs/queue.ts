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

export async function startJobQueue(
  database: Database,
  options: { work: ScheduledJob[]; onError: (error: Error) => void },
) {
  const boss = new PgBoss({
    // pg-boss runs its SQL through our connection, so on PGlite it takes its turn with everything else.
    db: { executeSql: (text: string, values?: unknown[]) => database.executeSql(text, values) },
    schema: 'pgboss',
    supervise: options.work.length > 0,
    schedule: options.work.length > 0,
  });
  boss.on('error', options.onError);
  await boss.start();
  for (const job of options.work) {
    await boss.createQueue(job.name);
    await boss.schedule(job.name, job.cron, undefined, { tz: 'Europe/London' });
    await boss.work(job.name, { pollingIntervalSeconds: 5 }, async () => {
      await job.handler();
    });
  }
  return boss;
}
