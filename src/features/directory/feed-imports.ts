// Imports an Open Referral feed while Pathway runs, for a directory editor in the browser: an uploaded file or an
// address. It goes through the same importer as `npm run import:oruk`, so search hears of it the same way, and each
// import is audited with what it took (counts and where from, never the feed's content).
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { type SignedInUser, primaryRole } from '../../domain/people.ts';
import { recordAudit } from '../audit/service.ts';
import { FEED_LIMITS, FeedProblem, readFeedAddress, readUploadedFeed, type FeedLimits } from './feed-reading.ts';
import type { FeedItem } from './feeds.ts';
import { importItems, sourceNameOf, type ImportReport } from './import.ts';

export type ImportOutcome = { report: ImportReport } | { problem: FeedProblem };
/** A browser import's outcome, saying what it was read from. */
export type BrowserImport = { report: ImportReport; from: ImportedFrom } | { problem: FeedProblem };

/** The largest file an editor may upload (a feed read from an address has the same limit over all its pages). */
export const MAX_UPLOAD_BYTES = FEED_LIMITS.bytes;

/** What a browser import was read from, for its report. */
export interface ImportedFrom {
  kind: 'file' | 'address';
  /** The file's name, or the address's host (an address may carry a key in its query). */
  name: string;
}

async function importAndAudit(
  db: Kysely<Schema>,
  user: SignedInUser,
  items: FeedItem[],
  from: ImportedFrom & { source: string },
  requestId: string,
): Promise<ImportReport> {
  const report = await importItems(db, user.laCode, items, { source: from.source });
  // The import is many transactions of its own; its audit row follows once every one has committed.
  await recordAudit(db, {
    laCode: user.laCode,
    actorUserId: user.id,
    actorRole: primaryRole(user),
    action: 'import-directory-feed',
    requestId,
    details: { from: from.kind, source: from.name, accepted: report.accepted, rejected: report.rejected.length },
  });
  return report;
}

/** A file name safe to name a source and show: its last part, printable characters only. */
function uploadedName(name: string): string {
  return (name.split(/[\\/]/).pop() ?? '').replace(/[^\p{L}\p{N} ._()-]/gu, '_').slice(-200);
}

/**
 * Imports an uploaded Open Referral file into the editor's council. Ids that are not UUIDs are derived from the
 * file's name, as the command line derives them from a file's path, so uploading the same file again updates.
 */
export async function importUploadedFeed(
  db: Kysely<Schema>,
  user: SignedInUser,
  file: { name: string; content: Buffer; truncated: boolean },
  requestId: string,
): Promise<BrowserImport> {
  const name = uploadedName(file.name);
  let items: FeedItem[];
  try {
    items = readUploadedFeed({ ...file, name });
  } catch (error) {
    if (error instanceof FeedProblem) return { problem: error };
    throw error;
  }
  const source = sourceNameOf(name) || 'upload';
  const from: ImportedFrom = { kind: 'file', name };
  return { report: await importAndAudit(db, user, items, { ...from, source }, requestId), from };
}

/** Imports the feed at an address into the editor's council; ids are derived from its host, as on the command line. */
export async function importFeedAtAddress(
  db: Kysely<Schema>,
  user: SignedInUser,
  address: string,
  requestId: string,
  limits: FeedLimits = FEED_LIMITS,
): Promise<BrowserImport> {
  let items: FeedItem[];
  try {
    items = await readFeedAddress(address, limits);
  } catch (error) {
    if (error instanceof FeedProblem) return { problem: error };
    throw error;
  }
  const source = sourceNameOf(address);
  const from: ImportedFrom = { kind: 'address', name: source };
  return { report: await importAndAudit(db, user, items, { ...from, source }, requestId), from };
}
