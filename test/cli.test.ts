// The README's first command: `npm start` creates, migrates and seeds an embedded database on first run,
// keeps the data across a restart, and stops cleanly on SIGTERM.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { databaseTargets } from './helpers/databases.ts';
import { startPathway, type RunningPathway } from './helpers/pathway-process.ts';

function start(
  env: Record<string, string>,
  command = 'serve',
  readyLine = /Pathway is ready at (http:\/\/\S+)/,
): Promise<RunningPathway> {
  return startPathway(command, env, { readyLine });
}

function stop(running: RunningPathway): Promise<number | null> {
  return new Promise((resolve) => {
    running.process.removeAllListeners('exit');
    running.process.on('exit', (code) => resolve(code));
    running.process.kill('SIGTERM');
  });
}

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pathway-start-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('first run migrates and seeds the demo council; a restart keeps the data; SIGTERM stops it cleanly', async () => {
    const first = await start({ DATA_DIR: dataDir });
    try {
      assert.match(first.output(), /Applied migrations: 0001_platform/);
      assert.match(first.output(), /Seeded the demo council/);
      const ready = await fetch(`${first.url}/health/ready`);
      assert.equal(ready.status, 200);
      const home = await fetch(first.url);
      assert.match(await home.text(), /Support for disabled children and their families/);
    } finally {
      assert.equal(await stop(first), 0);
    }

    const second = await start({ DATA_DIR: dataDir });
    try {
      assert.doesNotMatch(second.output(), /Applied migrations/);
      assert.doesNotMatch(second.output(), /Seeded/);
      const signIn = await fetch(`${second.url}/sign-in`);
      assert.equal(signIn.status, 200);
    } finally {
      assert.equal(await stop(second), 0);
    }
  });

  test('DEMO_DATA=false starts without the demo council', async () => {
    const emptyDir = mkdtempSync(join(tmpdir(), 'pathway-empty-'));
    const running = await start({ DATA_DIR: emptyDir, DEMO_DATA: 'false' });
    try {
      assert.match(running.output(), /Applied migrations/);
      assert.doesNotMatch(running.output(), /Seeded/);
    } finally {
      await stop(running);
      rmSync(emptyDir, { recursive: true, force: true });
    }
  });
});

/** The processes a process started, read from Linux's /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        // The parent's id is the fourth field, after the name in parentheses.
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false; // the process ended while we looked
      }
    })
    .map(Number);
}

async function waitFor(condition: () => boolean, what: string) {
  const deadline = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Waited a minute for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const serverUrl = process.env.TEST_DATABASE_URL;
describe('npm start with DATABASE_URL', { skip: serverUrl ? false : 'TEST_DATABASE_URL is not set' }, () => {
  test('serves from the PostgreSQL server, and npm run worker runs beside it', async () => {
    const target = databaseTargets().find((candidate) => candidate.name === 'postgresql')!;
    const database = await target.open();
    try {
      const env = { DATABASE_URL: database.url! };
      const web = await start(env);
      try {
        assert.match(web.output(), /Seeded the demo council/);
        assert.equal((await fetch(`${web.url}/health/ready`)).status, 200);
        const worker = await start(env, 'worker', /Pathway worker is running/);
        assert.equal(await stop(worker), 0);
      } finally {
        assert.equal(await stop(web), 0);
      }
      const councils = await database.db.selectFrom('councils').select('name').execute();
      assert.deepEqual(
        councils.map((council) => council.name),
        ['Northmoor Borough Council'],
      );
    } finally {
      await database.dispose();
    }
  });

  test('WEB_PROCESSES=2 serves from two processes on one port, replaces one that dies, and stops them all', async () => {
    const target = databaseTargets().find((candidate) => candidate.name === 'postgresql')!;
    const database = await target.open();
    try {
      const web = await start({ DATABASE_URL: database.url!, WEB_PROCESSES: '2' });
      const primary = web.process.pid!;
      let webProcesses: number[] = [];
      try {
        assert.match(web.output(), /Seeded the demo council/);
        assert.match(web.output(), /\(2 web processes\)/);
        webProcesses = childrenOf(primary);
        assert.equal(webProcesses.length, 2);
        const pages = await Promise.all(Array.from({ length: 6 }, () => fetch(`${web.url}/sign-in`)));
        assert.deepEqual(
          pages.map((page) => page.status),
          [200, 200, 200, 200, 200, 200],
        );

        process.kill(webProcesses[0]!, 'SIGKILL');
        await waitFor(() => /A web process stopped \(SIGKILL\); starting another/.test(web.output()), 'the notice');
        await waitFor(() => childrenOf(primary).filter((pid) => pid !== webProcesses[0]).length === 2, 'a new one');
        webProcesses = childrenOf(primary);
        assert.equal((await fetch(`${web.url}/health/ready`)).status, 200);
      } finally {
        assert.equal(await stop(web), 0);
      }
      assert.deepEqual(
        webProcesses.filter((pid) => {
          try {
            process.kill(pid, 0);
            return true;
          } catch {
            return false;
          }
        }),
        [],
        'every web process stopped with the first',
      );
    } finally {
      await database.dispose();
    }
  });
});
