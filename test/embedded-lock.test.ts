// One process per embedded database (issue 17): while Pathway runs on a data folder, a second `serve` or any command
// on the same folder refuses with a message naming the running process, and the first goes on serving; a lock left
// by a process killed outright is taken over by the next start.
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { startPathway, type RunningPathway } from './helpers/pathway-process.ts';
import { RUN_TYPESCRIPT } from './helpers/typescript.ts';

const ENV = { NODE_ENV: 'development', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: '0', DEMO_DATA: 'false' };

function startServe(dataDir: string): Promise<RunningPathway> {
  return startPathway('serve', { ...ENV, DATA_DIR: dataDir }, { timeoutMs: 90_000 });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.on('exit', () => resolve());
  });
}

function command(dataDir: string, ...args: string[]) {
  return spawnSync(process.execPath, [...RUN_TYPESCRIPT, 'src/cli.ts', ...args], {
    env: { ...process.env, ...ENV, DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describe('one process per embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pathway-lock-'));
  const running: ChildProcess[] = [];
  after(() => {
    for (const child of running) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a second process refuses while the first serves; a lock left by a killed process is taken over', async () => {
    const first = await startServe(dataDir);
    running.push(first.process);
    const pid = String(first.process.pid);

    const migrateAlongside = command(dataDir, 'migrate');
    assert.equal(migrateAlongside.status, 1);
    assert.match(migrateAlongside.stderr, /is in use by another Pathway process/);
    assert.match(migrateAlongside.stderr, new RegExp(`process ${pid}, "[^"]*src/cli\\.ts serve", started \\d{4}-`));
    assert.match(migrateAlongside.stderr, /stop that process first/);
    assert.match(migrateAlongside.stderr, /DATABASE_URL/);

    const secondServe = command(dataDir, 'serve');
    assert.equal(secondServe.status, 1);
    assert.match(secondServe.stderr, new RegExp(`process ${pid}`));
    assert.doesNotMatch(secondServe.stdout, /Pathway is ready/);

    const stillServing = await fetch(`${first.url}/health/ready`);
    assert.equal(stillServing.status, 200);

    // Killed outright: no chance to remove its lock.
    first.process.kill('SIGKILL');
    await exited(first.process);
    assert.ok(existsSync(join(dataDir, 'pathway.lock')));

    const next = await startServe(dataDir);
    running.push(next.process);
    assert.match(next.output(), new RegExp(`Took over the lock on .* left by process ${pid} .* no longer running`));
    const lock = JSON.parse(readFileSync(join(dataDir, 'pathway.lock'), 'utf8')) as { pid: number };
    assert.equal(lock.pid, next.process.pid);
    assert.equal((await fetch(`${next.url}/health/ready`)).status, 200);

    // A clean stop removes the lock, and the folder opens again without a note.
    next.process.kill('SIGTERM');
    await exited(next.process);
    assert.equal(existsSync(join(dataDir, 'pathway.lock')), false);
    const afterwards = command(dataDir, 'migrate');
    assert.equal(afterwards.status, 0, afterwards.stderr);
    assert.doesNotMatch(afterwards.stdout + afterwards.stderr, /Took over/);
  });
});
