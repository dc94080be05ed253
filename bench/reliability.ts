// Reliability benchmark (issue 17): does a write Pathway has confirmed survive the server being killed with
// `kill -9`, and is anything ever half-written? Families ask for help through the real form (`POST /ask-for-help`,
// CSRF token and session cookie, as a browser sends it) from several clients at once; each answer of 303 with a
// referral reference is a confirmed write. The server (`node dist/cli.js serve`, as production runs it) is killed
// with SIGKILL at a random moment, restarted, and loaded again, several rounds; then every confirmed write is looked
// for, and every referral the load made must have all its parts, written in one transaction by the service: the
// referral, its timeline event, its audit row and the front door's email in the outbox.
//
// On the embedded database (PGlite in a data folder) the folder holds the casework benchmark's data (50,000 children
// unless BENCH_CHILDREN says otherwise), and the figures include the restart time after a kill against a folder
// with only the demo council, and the time of a backup (while running and stopped) and a restore of it. On
// PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL: a throwaway database is made on that server and dropped) the
// same rounds run with the demo council only; without either URL the figures say PostgreSQL was not measured.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { DEMO_PASSWORD, seedDemoCouncil } from '../src/demo/council.ts';
import { loadCasework } from './casework.ts';

const ROOT = join(import.meta.dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Clients sending forms at once: enough to keep a write in flight at every kill, modest for a shared machine. */
const WRITERS = Number(process.env.BENCH_WRITERS ?? 6);
/** The kill comes at a random moment between these many milliseconds after the load starts. */
const KILL_AFTER_MS: [number, number] = [1000, 4000];
const REQUEST_TIMEOUT_MS = 60_000;
const READY_TIMEOUT_MS = 180_000;
const NEEDS_PREFIX = 'Reliability benchmark';
const FAMILIES = ['parent@demo.pathway.test', 'young.person@demo.pathway.test'];

const PRODUCTION = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'r'.repeat(40),
  LOG_LEVEL: 'error',
  HOST: '127.0.0.1',
  PORT: '0',
  DEMO_DATA: 'false',
};

const seconds = (ms: number) => Math.round(ms) / 1000;

interface Server {
  process: ChildProcess;
  baseUrl: string;
  /** From spawning the process to its "Pathway is ready" line, in milliseconds. */
  readyMs: number;
}

/** `node dist/cli.js serve`, as production runs it, resolved once it says it is ready. */
function startServer(env: Record<string, string>): Promise<Server> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, ...PRODUCTION, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let settled = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      settled = true;
      child.kill('SIGKILL');
      reject(new Error(`Pathway was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${output}`));
    }, READY_TIMEOUT_MS);
    // Read to the end, so the server never writes into a full pipe.
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /Pathway is ready at http:\/\/localhost:(\d+)/.exec(output)?.[1];
      if (port && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({ process: child, baseUrl: `http://127.0.0.1:${port}`, readyMs: performance.now() - started });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`Pathway stopped before it was ready (${signal ?? String(code)}):\n${output}`));
    });
  });
}

async function kill(server: Server, signal: 'SIGKILL' | 'SIGTERM') {
  if (server.process.exitCode !== null || server.process.signalCode !== null) return;
  const exited = once(server.process, 'exit');
  server.process.kill(signal);
  await exited;
}

/** A family's browser: keeps its cookies (the session outlives a restart: it is in the database). */
class Family {
  private readonly cookies = new Map<string, string>();
  baseUrl = '';
  token = '';
  childIds: string[] = [];
  readonly email: string;

  constructor(email: string) {
    this.email = email;
  }

  async request(path: string, form?: Record<string, string>) {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : null,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const [name = '', ...value] = pair.split('=');
      this.cookies.set(name, value.join('='));
    }
    return { status: response.status, location: response.headers.get('location') ?? '', body: await response.text() };
  }

  /** Opens the ask-for-help form (signing in first if the session is gone) and keeps its token and children. */
  async openForm(baseUrl: string) {
    this.baseUrl = baseUrl;
    let page = await this.request('/ask-for-help');
    if (page.status !== 200) {
      const signIn = await this.request('/sign-in');
      const response = await this.request('/sign-in', {
        _csrf: tokenIn(signIn.body),
        email: this.email,
        password: DEMO_PASSWORD,
      });
      if (response.status !== 303) throw new Error(`Signing in as ${this.email} failed with ${response.status}`);
      page = await this.request('/ask-for-help');
    }
    if (page.status !== 200) throw new Error(`The ask-for-help form answered ${page.status}`);
    this.token = tokenIn(page.body);
    this.childIds = [...page.body.matchAll(/<input[^>]*name="childId"[^>]*>/g)]
      .map((input) => /value="([0-9a-f-]{36})"/.exec(input[0])?.[1])
      .filter((id): id is string => id !== undefined);
    if (this.childIds.length === 0) throw new Error(`${this.email} has no child to ask for help for`);
  }
}

function tokenIn(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('No CSRF token on the page');
  return token;
}

interface Tally {
  confirmed: Map<string, string>; // needs text → reference
  unconfirmed: string[]; // sent, and the connection dropped before an answer
  refused: Record<string, number>; // any other answer, by status
}

/** One client sending forms one after another until the server stops answering (or the deadline passes). */
async function sendUntilKilled(family: Family, label: string, tally: Tally, deadline: number) {
  for (let n = 1; Date.now() < deadline; n++) {
    const needs = `${NEEDS_PREFIX} ${label} ${n}`;
    const childId = family.childIds[n % family.childIds.length]!;
    let answer;
    try {
      answer = await family.request('/ask-for-help', {
        _csrf: family.token,
        childId,
        needs,
        tried: 'Asked at school',
        safeguarding: 'no',
        safeguardingDetails: '',
      });
    } catch (error) {
      // Refused outright, the form never reached the server: not a write in flight.
      const cause = (error as { cause?: { code?: string } }).cause;
      if (cause?.code !== 'ECONNREFUSED') tally.unconfirmed.push(needs);
      return;
    }
    const reference = /reference=(RF-[0-9A-F]{8})/.exec(answer.location)?.[1];
    if (answer.status === 303 && reference) tally.confirmed.set(needs, reference);
    else tally.refused[String(answer.status)] = (tally.refused[String(answer.status)] ?? 0) + 1;
  }
}

interface KillRounds {
  rounds: number;
  writers: number;
  kill_after_ms: number[];
  restart_ms: number[];
  first_start_ms: number;
  confirmed: number;
  in_flight_at_kill: number;
  refused: Record<string, number>;
}

/**
 * ROUNDS rounds of: start (a restart after the previous round's kill), load from WRITERS clients, kill -9 at a
 * random moment. Then one more restart (timed too), a check that it answers, and a graceful stop.
 */
async function killRounds(env: Record<string, string>, tally: Tally): Promise<KillRounds> {
  const families = Array.from({ length: WRITERS }, (_, index) => new Family(FAMILIES[index % FAMILIES.length]!));
  const killAfter: number[] = [];
  const restarts: number[] = [];
  let firstStart = 0;
  for (let round = 1; round <= ROUNDS + 1; round++) {
    const server = await startServer(env);
    if (round === 1) firstStart = server.readyMs;
    else restarts.push(server.readyMs);
    if (round > ROUNDS) {
      const ready = await fetch(`${server.baseUrl}/health/ready`);
      if (ready.status !== 200) throw new Error(`After the last kill, /health/ready answered ${ready.status}`);
      await kill(server, 'SIGTERM');
      break;
    }
    try {
      for (const family of families) await family.openForm(server.baseUrl);
    } catch (error) {
      await kill(server, 'SIGKILL');
      throw error;
    }
    const delay = KILL_AFTER_MS[0] + Math.random() * (KILL_AFTER_MS[1] - KILL_AFTER_MS[0]);
    killAfter.push(Math.round(delay));
    const deadline = Date.now() + delay + REQUEST_TIMEOUT_MS;
    const load = families.map((family, index) => sendUntilKilled(family, `r${round} w${index + 1}`, tally, deadline));
    await new Promise((resolve) => setTimeout(resolve, delay));
    await kill(server, 'SIGKILL');
    await Promise.all(load);
  }
  return {
    rounds: ROUNDS,
    writers: WRITERS,
    kill_after_ms: killAfter,
    restart_ms: restarts.map(Math.round),
    first_start_ms: Math.round(firstStart),
    confirmed: tally.confirmed.size,
    in_flight_at_kill: tally.unconfirmed.length,
    refused: tally.refused,
  };
}

/**
 * What the database holds of the load: confirmed writes missing (lost), referrals missing a part (half-written),
 * parts whose referral is missing, and what became of the writes in flight at each kill.
 */
async function inspect(database: Database, tally: Tally) {
  const { rows } = await sql<{
    needs: string;
    reference: string;
    has_event: boolean;
    has_audit: boolean;
    has_email: boolean;
  }>`
    select r.details->>'needs' as needs, r.reference,
           -- Each an uncorrelated IN, so each table is read once, not once a referral (500,000 timeline events).
           r.id in (select t.referral_id from timeline_events t where t.referral_id is not null) as has_event,
           r.id::text in (select a.subject_id from audit_events a where a.action = 'family-ask-for-help') as has_audit,
           r.reference in (select substring(o.subject from 'RF-[0-9A-F]{8}') from notifications_outbox o
                            where o.template = 'referral-received') as has_email
      from referrals r
     where r.details->>'needs' like ${`${NEEDS_PREFIX} %`}`.execute(database.db);
  const stored = new Map(rows.map((row) => [row.needs, row]));
  const lost = [...tally.confirmed].filter(([needs, reference]) => stored.get(needs)?.reference !== reference);
  const halfWritten = rows.filter((row) => !row.has_event || !row.has_audit || !row.has_email);
  const orphans = await sql<{ parts: string }>`
    select (select count(*) from audit_events a
             where a.action = 'family-ask-for-help'
               and not exists (select 1 from referrals r where r.id::text = a.subject_id)) +
           (select count(*) from timeline_events t
             where t.kind = 'referral' and t.summary like 'The family asked for help%' and t.referral_id is null)
           as parts`.execute(database.db);
  const keptInFlight = tally.unconfirmed.filter((needs) => stored.has(needs)).length;
  // Whether commits are forced to the disk: a kill -9 spares what the kernel holds, a power cut may not.
  const settings = await sql<{ fsync: string; synchronous_commit: string }>`
    select current_setting('fsync') as fsync, current_setting('synchronous_commit') as synchronous_commit`.execute(
    database.db,
  );
  return {
    fsync: settings.rows[0]?.fsync,
    synchronous_commit: settings.rows[0]?.synchronous_commit,
    stored: rows.length,
    lost: lost.length,
    lost_examples: lost.slice(0, 5).map(([needs, reference]) => `${reference} (${needs})`),
    half_written: halfWritten.length,
    half_written_examples: halfWritten.slice(0, 5).map((row) => row.reference),
    parts_without_referral: Number(orphans.rows[0]?.parts ?? 0),
    in_flight_kept: keptInFlight,
    in_flight_not_kept: tally.unconfirmed.length - keptInFlight,
  };
}

const newTally = (): Tally => ({ confirmed: new Map(), unconfirmed: [], refused: {} });

function folderBytes(path: string): number {
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((total, entry) => total + statSync(join(entry.parentPath, entry.name)).size, 0);
}

/** A command of Pathway's (`node dist/cli.js …`), timed in milliseconds; throws with its output if it fails. */
async function timedCommand(args: string[], env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...PRODUCTION, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 15 * 60_000,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${args.join(' ')} failed:\n${output}`);
  return Math.round(performance.now() - started);
}

/**
 * While a backup is written, how long the server takes to answer `/health/ready` (a `select 1`): the dump holds
 * the embedded database's one connection, so requests wait for it. Asked every 100 ms until `done` settles.
 */
async function readinessDuring(baseUrl: string, done: Promise<unknown>) {
  let finished = false;
  const finish = () => {
    finished = true;
  };
  done.then(finish, finish);
  const waits: number[] = [];
  while (!finished) {
    const asked = performance.now();
    const answer = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    await answer.text();
    waits.push(performance.now() - asked);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  waits.sort((a, b) => a - b);
  return {
    asked: waits.length,
    longest_ms: Math.round(waits.at(-1) ?? 0),
    median_ms: Math.round(waits[waits.length >> 1] ?? 0),
  };
}

async function counts(dataDir: string) {
  const database = await openDatabase({ dataDir, say: () => undefined });
  try {
    const { rows } = await sql<{ children: string; timeline_events: string; referrals: string }>`
      select (select count(*) from children) as children, (select count(*) from timeline_events) as timeline_events,
             (select count(*) from referrals) as referrals`.execute(database.db);
    return {
      children: Number(rows[0]?.children),
      timeline_events: Number(rows[0]?.timeline_events),
      referrals: Number(rows[0]?.referrals),
    };
  } finally {
    await database.close();
  }
}

/** A migrated data folder with the demo council, and the casework data when asked. */
async function makeDataFolder(dataDir: string, casework: boolean) {
  const database = await openDatabase({ dataDir, say: () => undefined });
  try {
    await migrate(database);
    await seedDemoCouncil(database.db, 'development');
    return casework ? await loadCasework(database) : 0;
  } finally {
    await database.close();
  }
}

async function embeddedFigures(workFolder: string) {
  // The reference: restart after a kill with only the demo council in the folder, no load.
  const emptyDir = join(workFolder, 'demo-only');
  await makeDataFolder(emptyDir, false);
  const referenceRestarts: number[] = [];
  let server = await startServer({ DATA_DIR: emptyDir });
  for (let attempt = 0; attempt < 3; attempt++) {
    await kill(server, 'SIGKILL');
    server = await startServer({ DATA_DIR: emptyDir });
    referenceRestarts.push(Math.round(server.readyMs));
  }
  await kill(server, 'SIGTERM');

  const dataDir = join(workFolder, 'casework');
  const loadStarted = performance.now();
  await makeDataFolder(dataDir, true);
  const buildSeconds = (performance.now() - loadStarted) / 1000;
  const before = await counts(dataDir);

  const tally = newTally();
  const rounds = await killRounds({ DATA_DIR: dataDir }, tally);
  const database = await openDatabase({ dataDir, say: () => undefined });
  let found;
  try {
    found = await inspect(database, tally);
  } finally {
    await database.close();
  }

  // Backups of the same folder: asked of the running server (SIGUSR2), then with it stopped; then a restore.
  const running = await startServer({ DATA_DIR: dataDir });
  const whileRunning = join(workFolder, 'while-running.tar.gz');
  let readiness, backupRunningMs;
  try {
    const backingUp = timedCommand(['backup', whileRunning], { DATA_DIR: dataDir });
    readiness = await readinessDuring(running.baseUrl, backingUp);
    backupRunningMs = await backingUp;
  } finally {
    await kill(running, 'SIGTERM');
  }
  const stopped = join(workFolder, 'stopped.tar.gz');
  const backupStoppedMs = await timedCommand(['backup', stopped], { DATA_DIR: dataDir });
  const restoredDir = join(workFolder, 'restored');
  const restoreMs = await timedCommand(['restore', whileRunning], { DATA_DIR: restoredDir });
  const original = await counts(dataDir);
  const restored = await counts(restoredDir);
  const restoredServer = await startServer({ DATA_DIR: restoredDir });
  await kill(restoredServer, 'SIGTERM');

  return {
    database: 'pglite',
    children: before.children,
    timeline_events: before.timeline_events,
    build_seconds: Math.round(buildSeconds * 10) / 10,
    ...rounds,
    ...found,
    reference_restart_ms_demo_only: referenceRestarts,
    data_folder_mb: Math.round(folderBytes(dataDir) / 1_048_576),
    backup_mb: Math.round((statSync(whileRunning).size / 1_048_576) * 10) / 10,
    backup_while_running_s: seconds(backupRunningMs),
    health_ready_during_backup: readiness,
    backup_stopped_s: seconds(backupStoppedMs),
    restore_s: seconds(restoreMs),
    restored_server_ready_ms: Math.round(restoredServer.readyMs),
    restore_matches: JSON.stringify(original) === JSON.stringify(restored),
  };
}

async function postgresqlFigures(serverUrl: string) {
  const name = `pathway_bench_reliability_${randomBytes(4).toString('hex')}`;
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    const database = await openDatabase({ url: url.href, poolSize: 2 });
    const tally = newTally();
    try {
      await migrate(database);
      await seedDemoCouncil(database.db, 'development');
      const rounds = await killRounds({ DATABASE_URL: url.href, IN_PROCESS_WORKER: 'false' }, tally);
      return { database: 'postgresql', data: 'the demo council only', ...rounds, ...(await inspect(database, tally)) };
    } finally {
      await database.close();
    }
  } finally {
    await admin(`drop database if exists ${name} with (force)`);
  }
}

export async function reliabilityBenchmark(): Promise<Record<string, unknown>> {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--when-stale'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('The build failed');
  const workFolder = mkdtempSync(join(tmpdir(), 'pathway-reliability-'));
  try {
    const embedded = await embeddedFigures(workFolder);
    const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
    const postgresql = serverUrl
      ? await postgresqlFigures(serverUrl)
      : 'not measured: set BENCH_DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL server';
    return {
      benchmark: 'reliability',
      form: 'POST /ask-for-help (a family asks the front door for help)',
      kill: 'SIGKILL at a random moment under load, then restart',
      embedded,
      postgresql,
    };
  } finally {
    rmSync(workFolder, { recursive: true, force: true });
  }
}
