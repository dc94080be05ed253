// Open Referral feeds a council's directory editors register, so Pathway imports each again every night (and at
// once when an editor asks), keeping each feed's last result: when, how many accepted and rejected, or why the feed
// could not be read. One feed that fails never stops the others.
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { type SignedInUser, primaryRole } from '../../domain/people.ts';
import type { FieldError } from '../../web/errors.ts';
import type { Translate } from '../../web/i18n.ts';
import { recordAudit, type Actor } from '../audit/service.ts';
import { FEED_LIMITS, FeedProblem, feedAddress, readFeedAddress, type FeedLimits } from './feed-reading.ts';
import type { ImportOutcome } from './feed-imports.ts';
import { importItems, sourceNameOf } from './import.ts';

export const MAX_FEED_NAME = 100;
/** Rejected records kept with a feed's last result; a feed rejecting more says how many more. */
export const KEPT_REJECTIONS = 500;

export interface FeedForm {
  name: string;
  url: string;
}

/** The problems with a feed an editor wants to register, each for its field. */
export function validateFeedForm(form: FeedForm, t: Translate): FieldError[] {
  const errors: FieldError[] = [];
  if (form.name === '') errors.push({ field: 'name', text: t('directoryImport.feeds.errors.nameMissing') });
  else if (form.name.length > MAX_FEED_NAME)
    errors.push({ field: 'name', text: t('directoryImport.feeds.errors.nameTooLong', { max: MAX_FEED_NAME }) });
  const address = feedAddress(form.url);
  if (address instanceof FeedProblem) {
    errors.push({ field: 'url', text: t(`directoryImport.problems.${address.code}`) });
  }
  return errors;
}

export async function registeredFeeds(db: Kysely<Schema>, laCode: string) {
  return db
    .selectFrom('registered_feeds')
    .select([
      'id',
      'name',
      'url',
      'added_at',
      'last_refreshed_at',
      'last_accepted',
      'last_rejected',
      'last_problem',
      'last_problem_detail',
    ])
    .where('la_code', '=', laCode)
    .orderBy('name')
    .orderBy('added_at')
    .execute();
}

/** One of the council's feeds with its last result in full, or undefined when it is not the council's. */
export async function registeredFeed(db: Kysely<Schema>, laCode: string, id: string) {
  return db
    .selectFrom('registered_feeds')
    .selectAll()
    .where('la_code', '=', laCode)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Registers a checked feed; false when the council has registered that address already. */
export async function registerFeed(
  db: Kysely<Schema>,
  user: SignedInUser,
  form: FeedForm,
  requestId: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const added = await trx
      .insertInto('registered_feeds')
      .values({ la_code: user.laCode, name: form.name, url: form.url, added_by: user.id })
      .onConflict((conflict) => conflict.columns(['la_code', 'url']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!added) return false;
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'register-directory-feed',
      requestId,
      subjectType: 'registered_feed',
      subjectId: added.id,
      details: { name: form.name },
    });
    return true;
  });
}

/** Removes a feed from the nightly refresh; the services it brought stay in the directory. */
export async function removeFeed(
  db: Kysely<Schema>,
  user: SignedInUser,
  id: string,
  requestId: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('registered_feeds')
      .where('la_code', '=', user.laCode)
      .where('id', '=', id)
      .returning('name')
      .executeTakeFirst();
    if (!removed) return false;
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'remove-directory-feed',
      requestId,
      subjectType: 'registered_feed',
      subjectId: id,
      details: { name: removed.name },
    });
    return true;
  });
}

type RegisteredFeed = { id: string; la_code: string; url: string };

/** Records a refresh's result on the feed and in the audit trail, in one transaction. */
async function recordResult(db: Kysely<Schema>, feed: RegisteredFeed, actor: Actor, outcome: ImportOutcome) {
  const values =
    'report' in outcome
      ? {
          last_accepted: outcome.report.accepted,
          last_rejected: outcome.report.rejected.length,
          last_rejected_records: JSON.stringify(
            outcome.report.rejected
              .slice(0, KEPT_REJECTIONS)
              .map(({ reference, origin, reasons }) => ({ reference, origin, reasons })),
          ),
          last_problem: null,
          last_problem_detail: null,
        }
      : {
          last_accepted: null,
          last_rejected: null,
          last_rejected_records: '[]',
          last_problem: outcome.problem.code,
          last_problem_detail: outcome.problem.detail,
        };
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('registered_feeds')
      .set({ ...values, last_refreshed_at: new Date() })
      .where('id', '=', feed.id)
      .execute();
    await recordAudit(trx, {
      laCode: feed.la_code,
      actorUserId: actor.userId,
      actorRole: actor.role,
      action: 'refresh-directory-feed',
      requestId: actor.requestId,
      subjectType: 'registered_feed',
      subjectId: feed.id,
      details:
        'report' in outcome
          ? { accepted: outcome.report.accepted, rejected: outcome.report.rejected.length }
          : { problem: outcome.problem.code },
    });
  });
}

/**
 * Imports a registered feed again and records the result. A feed that cannot be read is a result like any other;
 * anything else that goes wrong (the database) is recorded as a failure and thrown on.
 */
export async function refreshFeed(
  db: Kysely<Schema>,
  feed: RegisteredFeed,
  actor: Actor,
  limits: FeedLimits = FEED_LIMITS,
): Promise<ImportOutcome> {
  let outcome: ImportOutcome;
  try {
    const items = await readFeedAddress(feed.url, limits);
    // The same source name as `npm run import:oruk <url>`, so either way a service keeps its id.
    outcome = { report: await importItems(db, feed.la_code, items, { source: sourceNameOf(feed.url) }) };
  } catch (error) {
    const problem = error instanceof FeedProblem ? error : new FeedProblem('failed');
    await recordResult(db, feed, actor, { problem });
    if (error instanceof FeedProblem) return { problem };
    throw error;
  }
  await recordResult(db, feed, actor, outcome);
  return outcome;
}

/** An editor's "Refresh now": the feed must be one of their council's. */
export async function refreshFeedNow(
  db: Kysely<Schema>,
  user: SignedInUser,
  id: string,
  requestId: string,
): Promise<ImportOutcome | undefined> {
  const feed = await registeredFeed(db, user.laCode, id);
  if (!feed) return undefined;
  return refreshFeed(db, feed, { userId: user.id, role: primaryRole(user), requestId });
}

/** The scheduled job has no person and no request. */
const NIGHTLY: Actor = { userId: null, role: 'system', requestId: null };

/**
 * The nightly refresh: every council's registered feeds, one after another, each result recorded. A feed that
 * fails does not stop the rest; failures other than an unreadable feed are thrown together at the end, so the job
 * queue reports the run as failed.
 */
export async function refreshRegisteredFeeds(
  db: Kysely<Schema>,
  limits: FeedLimits = FEED_LIMITS,
): Promise<{ refreshed: number; unreadable: number }> {
  const feeds = await db
    .selectFrom('registered_feeds')
    .select(['id', 'la_code', 'url'])
    .orderBy('la_code')
    .orderBy('added_at')
    .execute();
  const unexpected: unknown[] = [];
  let refreshed = 0;
  let unreadable = 0;
  for (const feed of feeds) {
    try {
      const outcome = await refreshFeed(db, feed, NIGHTLY, limits);
      if ('report' in outcome) refreshed += 1;
      else unreadable += 1;
    } catch (error) {
      unexpected.push(error);
    }
  }
  if (unexpected.length > 0) {
    throw new AggregateError(unexpected, `${unexpected.length} registered feeds could not be refreshed`);
  }
  return { refreshed, unreadable };
}
