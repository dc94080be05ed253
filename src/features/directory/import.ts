// Imports an Open Referral feed (3.0, or 1.0 and Outpost) into a council's directory and reports what it took.
import { basename } from 'node:path';
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { readFeed, type FeedItem } from './feeds.ts';
import { normaliseV1Service } from './normalise-v1.ts';
import { normaliseV3Service } from './normalise-v3.ts';
import type { RejectedRecord, ServiceRecord } from './records.ts';
import { announceDirectoryChange } from './search/changes.ts';
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

/** Batches written at the same time: two keep both of the benchmark machine's cores busy (ADR 0006). */
const CONCURRENT_BATCHES = 2;

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
  // Batches are written while the next is read, two at a time on PostgreSQL: the database's work (search words,
  // index entries and foreign-key checks) is most of an import, and a second connection puts a second core to it.
  // writeServices keeps the rows batches share out of their long transactions, so they do not take turns.
  // PGlite has one connection, so there the batches take turns anyway.
  const writing: { ids: Set<string>; done: Promise<void> }[] = [];
  const flush = async () => {
    // A feed may list a service twice; the last listing wins, as it would on a second import.
    const unique = [...new Map(batch.map((service) => [service.id, service])).values()];
    batch = [];
    // A service listed again waits for the batch holding its earlier listing, so that listing cannot land last.
    while (
      writing.length >= CONCURRENT_BATCHES ||
      writing.some((earlier) => unique.some((service) => earlier.ids.has(service.id)))
    ) {
      await writing.shift()!.done;
    }
    const done = writeServices(db, laCode, unique, options.source);
    // Its failure is reported when it is awaited; this only stops Node calling it unhandled in the meantime.
    done.catch(() => undefined);
    writing.push({ ids: new Set(unique.map((service) => service.id)), done });
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
  for (const { done } of writing) await done;
  // Once every batch has committed: an import is many transactions, and search rebuilds once for all of them.
  await announceDirectoryChange(db, laCode);
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
