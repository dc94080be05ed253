// One process per embedded database. PGlite keeps its database in this process's memory and writes it to the data
// folder; a second process opening the same folder works on its own copy, and whichever writes last silently wins
// (issue 17: an import "accepted" while `npm start` ran was gone after a restart). So the first process to open a
// data folder leaves a lock file in it, and any other process refuses to open the folder while that one lives.
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE_NAME = 'pathway.lock';

export interface LockHolder {
  pid: number;
  command: string;
  startedAt: string;
  /** Whether the process writes a backup when asked (backup.ts): `serve` does, the other commands do not. */
  answersBackups?: boolean;
}

export class DataFolderInUseError extends Error {
  readonly dataDir: string;
  readonly holder: LockHolder;

  constructor(dataDir: string, holder: LockHolder) {
    super(
      [
        `The embedded database in ${dataDir} is in use by another Pathway process:`,
        `  process ${holder.pid}, "${holder.command}", started ${holder.startedAt}.`,
        'Two processes on one embedded database would lose each other’s changes, so this one stops here.',
        'Instead:',
        `  - stop that process first (Ctrl-C where it runs, or kill ${holder.pid}) and run this again;`,
        '  - or do the work in the browser while it runs (administration, imports);',
        '  - or run Pathway on a PostgreSQL server (DATABASE_URL), which many processes can share.',
        `If you are sure no Pathway process uses this folder, delete ${join(dataDir, LOCK_FILE_NAME)}.`,
      ].join('\n'),
    );
    this.dataDir = dataDir;
    this.holder = holder;
  }
}

/** Folders this process holds, so a lock naming this process's id is told apart from one left by a past process. */
const held = new Set<string>();

export interface DataFolderLock {
  /** Writes this process's details into the lock again (a restore's archive may have brought an old lock file). */
  reassert(): void;
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(lockPath: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number') return undefined;
    return {
      pid: parsed.pid,
      command: String(parsed.command),
      startedAt: String(parsed.startedAt),
      answersBackups: parsed.answersBackups === true,
    };
  } catch {
    return undefined;
  }
}

/** Says in this process's lock that it writes backups when asked, so the backup command knows it may ask. */
export function markAnswersBackups(dataDir: string) {
  const lockPath = join(dataDir, LOCK_FILE_NAME);
  const holder = readHolder(lockPath);
  if (holder?.pid !== process.pid || !held.has(dataDir)) return;
  writeFileSync(lockPath, `${JSON.stringify({ ...holder, answersBackups: true }, null, 2)}\n`);
}

/** The running process that holds a data folder, if one does. */
export function dataFolderHolder(dataDir: string): LockHolder | undefined {
  const holder = readHolder(join(dataDir, LOCK_FILE_NAME));
  if (!holder) return undefined;
  if (holder.pid === process.pid) return held.has(dataDir) ? holder : undefined;
  return isAlive(holder.pid) ? holder : undefined;
}

/**
 * Takes the data folder for this process, or throws DataFolderInUseError naming the process that has it. The lock
 * file is created atomically (open with 'wx'), so of two processes starting at once exactly one gets it. A lock left
 * by a process that is no longer running (killed, or the machine stopped) is taken over with a note.
 */
export function lockDataFolder(dataDir: string, command: string, say: (note: string) => void): DataFolderLock {
  const lockPath = join(dataDir, LOCK_FILE_NAME);
  const me: LockHolder = { pid: process.pid, command, startedAt: new Date().toISOString() };
  const contents = `${JSON.stringify(me, null, 2)}\n`;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const descriptor = openSync(lockPath, 'wx');
      try {
        writeFileSync(descriptor, contents);
      } finally {
        closeSync(descriptor);
      }
      held.add(dataDir);
      const release = () => {
        process.off('exit', release);
        if (!held.delete(dataDir)) return;
        // Only our own lock: never remove one another process has taken since.
        if (readHolder(lockPath)?.pid === process.pid) rmSync(lockPath, { force: true });
      };
      // process.exit() skips the close that normally releases the lock (an error in a command, for example).
      process.on('exit', release);
      return {
        reassert: () => writeFileSync(lockPath, contents),
        release,
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(lockPath);
    if (holder && dataFolderHolder(dataDir)) throw new DataFolderInUseError(dataDir, holder);
    // Moved aside rather than deleted, so that of two processes taking over at once only one moves it.
    try {
      renameSync(lockPath, `${lockPath}.stale`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      continue;
    }
    // Another process may have taken over the stale lock between our reading and moving it: give that one back.
    const moved = readHolder(`${lockPath}.stale`);
    if (moved && moved.pid !== holder?.pid && isAlive(moved.pid)) {
      renameSync(`${lockPath}.stale`, lockPath);
      throw new DataFolderInUseError(dataDir, moved);
    }
    rmSync(`${lockPath}.stale`, { force: true });
    say(
      holder
        ? `Took over the lock on ${dataDir} left by process ${holder.pid} ("${holder.command}", started ${holder.startedAt}), which is no longer running.`
        : `Took over an unreadable lock file on ${dataDir}.`,
    );
  }
  throw new Error(`Could not lock ${dataDir}: its lock file kept changing. Try again.`);
}
