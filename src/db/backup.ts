// Backup and restore of the embedded database (issue 17). A backup is PGlite's own archive of the data folder,
// gzipped (dumpDataDir): every table, evidence files included, since they are kept in the database. It is taken
// between transactions after a checkpoint, so it is consistent and needs no recovery when restored.
//
// Only one process may open a data folder (data-folder-lock.ts), so while Pathway runs the backup command cannot
// open the folder itself. It asks the running process instead: it leaves a request file in the data folder and
// sends the process SIGUSR2; the process writes the backup where asked and leaves an answer file. Only someone who
// can signal the process and write in its data folder (its own user, or root) can ask, and they could read the
// folder anyway. No new web page or port is involved.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Database } from './database.ts';
import { dataFolderHolder, DataFolderInUseError, LOCK_FILE_NAME, markAnswersBackups } from './data-folder-lock.ts';

const REQUEST_FILE = 'backup-request.json';
const answerFile = (id: string) => `backup-answer-${id}.json`;

/** How long the backup command waits for the running process: a large council's database takes a while to copy. */
const ANSWER_TIMEOUT_MS = 10 * 60_000;

export class BackupError extends Error {}

interface BackupRequest {
  id: string;
  file: string;
}

type BackupAnswer = { ok: true; bytes: number } | { ok: false; error: string };

/** Whether a folder holds a PGlite database (PostgreSQL writes PG_VERSION first). */
export function holdsDatabase(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION'));
}

/** Writes the database to a file: to a temporary name first, so a backup cut short never looks finished. */
export async function writeBackup(database: Database, file: string): Promise<number> {
  if (!database.dumpDataDir) throw new BackupError('Only the embedded database is backed up this way.');
  const archive = Buffer.from(await (await database.dumpDataDir('gzip')).arrayBuffer());
  const partial = `${file}.partial`;
  writeFileSync(partial, archive, { mode: 0o600 });
  renameSync(partial, file);
  return archive.length;
}

/**
 * In the process that holds the data folder: answers the backup command's requests (SIGUSR2). One at a time; a
 * failure is reported to the command, never crashes the service.
 */
export function answerBackupRequests(database: Database, dataDir: string, say: (message: string) => void) {
  let busy = Promise.resolve();
  process.on('SIGUSR2', () => {
    busy = busy.then(async () => {
      const requestPath = join(dataDir, REQUEST_FILE);
      let request: BackupRequest;
      try {
        request = JSON.parse(readFileSync(requestPath, 'utf8')) as BackupRequest;
      } catch {
        return; // a stray signal, or a request already answered
      }
      // Removed before the dump, so the request is not in the backup.
      rmSync(requestPath, { force: true });
      let answer: BackupAnswer;
      try {
        answer = { ok: true, bytes: await writeBackup(database, request.file) };
        say(`Wrote a backup to ${request.file} (${answer.bytes} bytes), as the backup command asked.`);
      } catch (error) {
        answer = { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
      writeFileSync(join(dataDir, answerFile(request.id)), JSON.stringify(answer));
    });
  });
  markAnswersBackups(dataDir);
}

/** Asks the running process that holds the data folder for a backup, and waits for its answer. */
export async function askRunningProcessForBackup(dataDir: string, pid: number, file: string): Promise<number> {
  const request: BackupRequest = { id: randomUUID(), file: resolve(file) };
  const requestPath = join(dataDir, REQUEST_FILE);
  try {
    writeFileSync(requestPath, JSON.stringify(request), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw new BackupError(
      `Another backup is being taken (${requestPath} exists). Wait for it; if none is running, delete that file.`,
    );
  }
  const answerPath = join(dataDir, answerFile(request.id));
  try {
    process.kill(pid, 'SIGUSR2');
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    while (!existsSync(answerPath)) {
      if (Date.now() > deadline) {
        throw new BackupError(`Pathway (process ${pid}) did not answer the backup request within 10 minutes.`);
      }
      await new Promise((wake) => setTimeout(wake, 200));
    }
    const answer = JSON.parse(readFileSync(answerPath, 'utf8')) as BackupAnswer;
    if (!answer.ok) throw new BackupError(`Pathway (process ${pid}) could not write the backup: ${answer.error}`);
    return answer.bytes;
  } finally {
    rmSync(requestPath, { force: true });
    rmSync(answerPath, { force: true });
  }
}

/**
 * Makes a data folder ready for a restore: refused while a process holds it; a folder that holds anything is kept
 * beside it under a new name, only when the operator said --replace. Returns where the old folder went.
 */
export function clearForRestore(dataDir: string, replace: boolean, now = new Date()): string | undefined {
  const holder = dataFolderHolder(dataDir);
  if (holder) throw new DataFolderInUseError(dataDir, holder);
  if (!existsSync(dataDir)) return undefined;
  if (!statSync(dataDir).isDirectory()) throw new BackupError(`${dataDir} is not a folder.`);
  const entries = readdirSync(dataDir).filter((name) => name !== LOCK_FILE_NAME);
  if (entries.length === 0) return undefined;
  if (!replace) {
    throw new BackupError(
      `${dataDir} already holds ${holdsDatabase(dataDir) ? 'a database' : 'files'}. Restoring would replace it: ` +
        'run the command again with --replace, and the folder as it is now will be kept beside it.',
    );
  }
  const aside = `${dataDir}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
  renameSync(dataDir, aside);
  return aside;
}
