// One entry for operators: serve, worker, migrate, grant, seed, import-oruk, setup, backup, restore.
import cluster, { type Worker } from 'node:cluster';
import { existsSync, readFileSync, rmSync, renameSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { dataFolderHolder, DataFolderInUseError } from './db/data-folder-lock.ts';
import {
  answerBackupRequests,
  askRunningProcessForBackup,
  BackupError,
  clearForRestore,
  holdsDatabase,
  writeBackup,
} from './db/backup.ts';
import { migrate, pendingMigrations } from './db/migrate.ts';
import { grantApplicationRole, grantStatements, GrantRefused } from './db/roles.ts';
import { seedDemo } from './demo/seed.ts';
import { hasCouncil } from './features/administration/service.ts';
import {
  ENGLISH_COUNCIL_CODE,
  newAdministratorLink,
  setUpFirstCouncil,
} from './features/administration/first-council.ts';
import { expiryText } from './features/accounts/set-password.ts';
import { describeReport, importFeed } from './features/directory/import.ts';
import { installJobQueue, JobQueueNotInstalledError, startJobQueue, type JobQueue } from './jobs/queue.ts';
import { scheduledJobs } from './jobs/worker.ts';
import { buildApp } from './app.ts';

function say(message: string) {
  process.stdout.write(`${message}\n`);
}

/** A command that would do harm, or nothing useful, stops with its reason and exit code 1. */
class CommandRefused extends Error {}

/** `--name value` from a command's arguments. */
function optionIn(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

/** The first argument that is neither an option nor an option's value. */
function positionalIn(args: string[], flags: readonly string[] = []): string | undefined {
  return args.find(
    (arg, index) => !arg.startsWith('--') && !(args[index - 1]?.startsWith('--') && !flags.includes(args[index - 1]!)),
  );
}

function databaseOf(config: Config): Promise<Database> {
  return openDatabase(
    config.databaseUrl
      ? { url: config.databaseUrl, preparedStatements: config.databasePreparedStatements }
      : { dataDir: config.dataDir, say },
  );
}

/**
 * Opens the database and brings it up to date; with MIGRATE=false (a role that owns no tables) only checks that the
 * owner has, and refuses to go on if not.
 */
async function openAndMigrate(config: Config): Promise<Database> {
  const database = await databaseOf(config);
  try {
    if (!config.migrate) {
      const pending = await pendingMigrations(database);
      if (pending.length > 0) {
        throw new CommandRefused(
          `The database lacks migrations (${pending.join(', ')}) and MIGRATE=false: run npm run migrate as the ` +
            'database owner first (docs/operations.md, "Database roles").',
        );
      }
      return database;
    }
    const applied = await migrate(database);
    if (applied.length > 0) say(`Applied migrations: ${applied.join(', ')}`);
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** `npm run migrate`, as the owner: Pathway's tables, then pg-boss's schema and queues, so grants can follow. */
async function migrateAsOwner(config: Config) {
  const database = await openAndMigrate({ ...config, migrate: true });
  try {
    await installJobQueue(
      database,
      scheduledJobs(config, database).map((job) => job.name),
    );
  } finally {
    await database.close();
  }
  say('Database is up to date.');
}

/** `npm run grant -- <role> [--print]`: the application's role's rights, run by the owner after migrating. */
async function grant(config: Config, args: string[]) {
  const role = positionalIn(args, ['--print']);
  if (!role) throw new ConfigError('Say which role the application connects as: npm run grant -- <role>');
  if (args.includes('--print')) {
    say(grantStatements(role, optionIn(args, '--database') ?? 'pathway'));
    return;
  }
  if (!config.databaseUrl) {
    throw new CommandRefused('Roles belong to a PostgreSQL server: set DATABASE_URL to the database, as its owner.');
  }
  const database = await databaseOf(config);
  try {
    await grantApplicationRole(database, role);
  } finally {
    await database.close();
  }
  say(`Granted ${role} what Pathway needs: it reads and adds to the audit trail, and cannot change it.`);
  say(`Start Pathway as ${role} with MIGRATE=false; run npm run migrate as the owner after each upgrade.`);
}

async function seedIfEmpty(config: Config, database: Database) {
  if (!config.demoData || config.environment === 'production') return;
  if (await hasCouncil(database.db)) return;
  await seedDemo(database.db, {
    environment: config.environment,
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
  return startJobQueue(database, { work: scheduledJobs(config, database), onError, migrate: config.migrate });
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
  // The backup command cannot open the folder this process holds, so it asks this process (src/db/backup.ts).
  if (database.kind === 'embedded') answerBackupRequests(database, config.dataDir, say);
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
  const option = (name: string) => optionIn(args, name);
  const input = positionalIn(args);
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

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * `npm run setup -- --council-code E08000032 --council-name "…" --admin-email … [--admin-name "…"]`: the council and
 * its first administrator on an empty database, once. `npm run setup -- --new-link --admin-email …` gives an
 * administrator who has lost their link, or let it expire, a new one.
 */
async function setup(config: Config, args: string[]) {
  const adminEmail = optionIn(args, '--admin-email')?.trim() ?? '';
  if (!EMAIL_SHAPE.test(adminEmail)) {
    throw new ConfigError(
      'Give the first administrator’s email address with --admin-email, like it.lead@council.gov.uk',
    );
  }
  if (args.includes('--new-link')) return newLinkForAdministrator(config, adminEmail);
  const laCode = optionIn(args, '--council-code')?.trim().toUpperCase() ?? '';
  const name = optionIn(args, '--council-name')?.trim() ?? '';
  const adminName = optionIn(args, '--admin-name')?.trim() || 'Administrator';
  if (!ENGLISH_COUNCIL_CODE.test(laCode)) {
    throw new ConfigError(
      `--council-code must be an English council's code from the Office for National Statistics: E06, E07, E08, E09 ` +
        `or E10 and six digits, like E08000032 for Bradford${laCode ? `, not "${laCode}"` : ''}.`,
    );
  }
  if (name === '' || name.length > 200) {
    throw new ConfigError('Give the council’s name with --council-name, like "Bradford Metropolitan District Council"');
  }
  const database = await openAndMigrate(config);
  let result;
  try {
    result = await setUpFirstCouncil(database.db, { laCode, name, adminEmail, adminName, publicUrl: config.publicUrl });
  } finally {
    await database.close();
  }
  if (result.outcome === 'already-set-up') {
    const councils = result.councils.map((council) => `${council.name} (${council.laCode})`).join(', ');
    throw new CommandRefused(
      [
        `Pathway is already set up in this database, for ${councils}. Nothing was changed.`,
        'Set-up runs once, on an empty database. To add people, teams and localities, sign in as an administrator.',
        'If the first administrator never created a password, give them a new link:',
        `  npm run setup -- --new-link --admin-email ${adminEmail}`,
      ].join('\n'),
    );
  }
  say(`Set up ${name} (${laCode}) with its first administrator, ${adminEmail}.`);
  describeLink(config, adminEmail, result.link);
}

async function newLinkForAdministrator(config: Config, adminEmail: string) {
  const database = await openAndMigrate(config);
  let link;
  try {
    link = await newAdministratorLink(database.db, { email: adminEmail, publicUrl: config.publicUrl });
  } finally {
    await database.close();
  }
  if (!link) throw new CommandRefused(`No active administrator has the email address ${adminEmail}.`);
  describeLink(config, adminEmail, link);
}

function describeLink(config: Config, email: string, link: { url: string; expiresAt: Date }) {
  say('');
  say(`Link to create a password (it works once, until ${expiryText(link)}):`);
  say(`  ${link.url}`);
  say('');
  say(
    config.notify
      ? `It is also queued as an email to ${email}; GOV.UK Notify sends it once Pathway runs.`
      : `It is also kept as an email to ${email} in the outbox; set NOTIFY_API_KEY for Pathway to send emails.`,
  );
  say(
    `The link starts with PUBLIC_URL (${config.publicUrl}). If people will reach Pathway at another address, set PUBLIC_URL to it and run npm run setup -- --new-link --admin-email ${email}.`,
  );
  say('Keep this link private: whoever opens it first can create the password. Only its hash is stored.');
  say('Next: start Pathway (npm start), open the link, create a password and sign in.');
}

/** `npm run backup -- <file>`: the embedded database and its evidence files, whether or not Pathway is running. */
async function backup(config: Config, args: string[]) {
  const file = positionalIn(args);
  if (!file) throw new ConfigError('Say where to write the backup: npm run backup -- <file>.tar.gz');
  if (config.databaseUrl) {
    throw new CommandRefused('DATABASE_URL is set: back up a PostgreSQL server with pg_dump (docs/operations.md).');
  }
  if (!holdsDatabase(config.dataDir)) {
    throw new CommandRefused(`There is no embedded database in ${config.dataDir} to back up (set DATA_DIR).`);
  }
  if (existsSync(file)) throw new CommandRefused(`${file} already exists: choose a new name for the backup.`);
  const holder = dataFolderHolder(config.dataDir);
  let bytes: number;
  if (holder) {
    if (!holder.answersBackups) throw new DataFolderInUseError(config.dataDir, holder);
    bytes = await askRunningProcessForBackup(config.dataDir, holder.pid, file);
    say(`The running Pathway (process ${holder.pid}) wrote the backup.`);
  } else {
    const database = await databaseOf(config);
    try {
      bytes = await writeBackup(database, file);
    } finally {
      await database.close();
    }
  }
  say(`Backed up ${config.dataDir} to ${file} (${(bytes / 1_048_576).toFixed(1)} MB).`);
}

/** `npm run restore -- <file> [--replace]`: into an empty data folder, or in place of one with --replace. */
async function restore(config: Config, args: string[]) {
  const file = positionalIn(args, ['--replace']);
  if (!file) throw new ConfigError('Say which backup to restore: npm run restore -- <file>.tar.gz');
  if (config.databaseUrl) {
    throw new CommandRefused('DATABASE_URL is set: restore a PostgreSQL server with pg_restore (docs/operations.md).');
  }
  if (!existsSync(file)) throw new CommandRefused(`There is no file ${file}.`);
  const archive = readFileSync(file);
  // gzip's first two bytes: checked before anything is moved, so a wrong file name changes nothing.
  if (archive[0] !== 0x1f || archive[1] !== 0x8b) {
    throw new CommandRefused(`${file} is not a backup made by npm run backup.`);
  }
  const aside = clearForRestore(config.dataDir, args.includes('--replace'));
  let councils: number;
  try {
    const database = await openDatabase({ dataDir: config.dataDir, loadDataDir: new Blob([archive]), say });
    try {
      councils = (await database.db.selectFrom('councils').select('la_code').execute()).length;
    } finally {
      await database.close();
    }
  } catch (error) {
    // The folder as it was goes back, so a failed restore leaves things as they were.
    rmSync(config.dataDir, { recursive: true, force: true });
    if (aside) renameSync(aside, config.dataDir);
    throw error;
  }
  say(`Restored ${file} into ${config.dataDir} (${councils} council${councils === 1 ? '' : 's'}).`);
  if (aside) say(`The folder as it was is kept at ${aside}: delete it once you are content.`);
  say('Start Pathway with npm start; it applies any migrations newer than the backup.');
}

const USAGE = [
  "Pathway's commands (npm run <command> -- <options>, or node dist/cli.js <command> <options>):",
  '  serve                      run Pathway (npm start)',
  '  worker                     run the background jobs on their own (with DATABASE_URL)',
  '  migrate                    bring the database up to date, as its owner',
  "  grant <role>               give the application's database role what it needs (docs/operations.md)",
  '  seed                       seed the demo council into an empty database',
  '  setup --council-code CODE --council-name "…" --admin-email … [--admin-name "…"]',
  '                             set up your council and its first administrator; --new-link gives a new link',
  '  import-oruk <file, folder or URL> [--council CODE] [--source NAME]',
  '                             import an Open Referral UK feed (npm run import:oruk)',
  '  backup <file>              back up the embedded database',
  '  restore <file> [--replace] restore a backup into the embedded data folder, with Pathway stopped',
  'The README says more, and docs/operations.md how to run Pathway for real.',
].join('\n');

async function main(command: string | undefined) {
  // "npm run setup -- --help" asks what the command takes, before anything is checked or opened.
  if (process.argv.slice(3).some((argument) => argument === '--help' || argument === '-h')) {
    say(USAGE);
    return;
  }
  const config = loadConfig();
  switch (command) {
    case 'serve':
      return serve(config);
    case 'worker':
      return worker(config);
    case 'migrate':
      return migrateAsOwner(config);
    case 'grant':
      return grant(config, process.argv.slice(3));
    case 'seed': {
      const database = await openAndMigrate(config);
      try {
        if (await hasCouncil(database.db)) {
          say('The database already has a council; nothing seeded.');
        } else {
          await seedDemo(database.db, {
            environment: config.environment,
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
    case 'setup':
      return setup(config, process.argv.slice(3));
    case 'backup':
      return backup(config, process.argv.slice(3));
    case 'restore':
      return restore(config, process.argv.slice(3));
    case 'help':
    case '--help':
      say(USAGE);
      return;
    default:
      throw new ConfigError(`Unknown command "${command ?? ''}".\n${USAGE}`);
  }
}

const command = process.argv[2];
main(command).then(
  () => {
    // A command that has done its work ends here: PGlite can leave a PostgreSQL timer (setitimer) running after it
    // closes, which would keep the process waiting for minutes. serve and worker run until they are stopped.
    if (command !== 'serve' && command !== 'worker') process.exit(0);
  },
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(`Configuration problem: ${error.message}`);
    else if (
      error instanceof CommandRefused ||
      error instanceof DataFolderInUseError ||
      error instanceof BackupError ||
      error instanceof GrantRefused ||
      error instanceof JobQueueNotInstalledError
    ) {
      console.error(error.message);
    } else console.error(error);
    process.exit(1);
  },
);
