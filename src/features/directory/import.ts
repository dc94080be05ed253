// Imports an Open Referral feed (3.0, or 1.0 and Outpost) into a council's directory and reports what it took.
import { basename } from 'node:path';
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { readFeed, type FeedItem } from './feeds.ts';
import { normaliseV1Service } from './normalise-v1.ts';
import { normaliseV3Service } from './normalise-v3.ts';
import type { RejectedRecord, ServiceRecord } from './records.ts';
import { directoryChanged } from './understanding.ts';
import { writeServices } from './writes.ts';

export interface ImportReport {
  accepted: number;
  rejected: (RejectedRecord & { origin: string })[];
  editions: { v3: number; v1: number };
  seconds: number;
}

/** The name ids are derived from when a feed's own ids are not UUIDs: the same feed always gets the same name. */
export function sourceNameOf(input: string): string {
  if (/^https?:\/\//.test(input)) return new URL(input).host;
  return basename(input.replace(/\/+$/, ''))
    .replace(/\.json$/, '')
    .replace(/[-_]?page[-_]?\d+$/i, '');
}

export async function importItems(
  db: Kysely<Schema>,
  laCode: string,
  items: FeedItem[],
  options: { source: string; batchSize?: number },
): Promise<ImportReport> {
  const started = performance.now();
  const report: ImportReport = { accepted: 0, rejected: [], editions: { v3: 0, v1: 0 }, seconds: 0 };
  const batchSize = options.batchSize ?? 500;
  let batch: ServiceRecord[] = [];
  // One batch is written while the next is read, so the database and this process work at the same time.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    // A feed may list a service twice; the last listing wins, as it would on a second import.
    const unique = [...new Map(batch.map((service) => [service.id, service])).values()];
    batch = [];
    await writing;
    writing = writeServices(db, laCode, unique, options.source);
    // Its failure is reported at the next flush; this only stops Node calling it unhandled in the meantime.
    writing.catch(() => undefined);
  };
  for (const item of items) {
    const result =
      item.edition === 'v3'
        ? normaliseV3Service(options.source, item.raw)
        : normaliseV1Service(options.source, item.raw);
    if ('rejected' in result) {
      report.rejected.push({ ...result.rejected, origin: item.origin });
      continue;
    }
    report.accepted += 1;
    report.editions[item.edition] += 1;
    batch.push(result.accepted);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  await writing;
  directoryChanged(laCode);
  report.seconds = Math.round((performance.now() - started) / 10) / 100;
  return report;
}

export async function importFeed(
  db: Kysely<Schema>,
  laCode: string,
  input: string,
  source = sourceNameOf(input),
): Promise<ImportReport> {
  return importItems(db, laCode, await readFeed(input), { source });
}

export function describeReport(report: ImportReport): string {
  const lines = [
    `Accepted ${report.accepted} service${report.accepted === 1 ? '' : 's'} (Open Referral UK 3.0: ${report.editions.v3}, 1.0: ${report.editions.v1}) in ${report.seconds} s.`,
    `Rejected ${report.rejected.length}.`,
    ...report.rejected.map(
      (rejected) => `  - ${rejected.reference} (${rejected.origin}): ${rejected.reasons.join('; ')}`,
    ),
  ];
  return lines.join('\n');
}
