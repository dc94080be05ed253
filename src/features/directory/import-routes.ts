// Directory editors' pages for importing Open Referral feeds while Pathway runs: upload a file or give an address and
// read the report, and register feeds that are imported again every night (with "Refresh now" and each last result).
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Role } from '../../domain/people.ts';
import { signedInUser } from '../../web/context.ts';
import { errorFor, errorSummary, type FieldError } from '../../web/errors.ts';
import { fieldOf, formBody, IdParams, isUploadedFile, queryOf, Text, text, type TypeBoxTypes } from '../../web/form.ts';
import type { Translate } from '../../web/i18n.ts';
import { FEED_LIMITS } from './feed-reading.ts';
import { importFeedAtAddress, importUploadedFeed, MAX_UPLOAD_BYTES, type BrowserImport } from './feed-imports.ts';
import type { ImportReport } from './import.ts';
import {
  KEPT_REJECTIONS,
  refreshFeedNow,
  registerFeed,
  registeredFeed,
  registeredFeeds,
  removeFeed,
  validateFeedForm,
  type FeedForm,
} from './registered-feeds.ts';

const EDITORS: readonly Role[] = ['directory_editor'];
const ACCESS = { access: EDITORS };
const MEGABYTES = Math.round(MAX_UPLOAD_BYTES / (1024 * 1024));

const AddressBody = formBody({ url: Text() });
const FeedBody = formBody({ name: Text(), url: Text() });
const FeedsQuery = queryOf({ notice: Text() });

/** What went wrong, in words, with the numbers its message may name. */
export function problemText(t: Translate, problem: { code: string; detail: string | null }): string {
  return t(`directoryImport.problems.${problem.code}`, {
    status: problem.detail ?? '',
    size: MEGABYTES,
    pages: FEED_LIMITS.pages,
  });
}

interface Rejection {
  reference: string;
  origin: string;
  reasons: string[];
}

/** The rejected records a report lists, and whether to say where each was found (a feed of several pages). */
function rejectionsShown(rejected: Rejection[], total: number) {
  const shown = rejected.slice(0, KEPT_REJECTIONS);
  return {
    rejected: shown,
    moreRejected: Math.max(0, total - shown.length),
    showOrigin: new Set(shown.map((rejection) => rejection.origin)).size > 1,
  };
}

export async function importRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;

  function renderImport(reply: FastifyReply, url: string, errors: FieldError[]) {
    return reply.render('directory/views/import.njk', {
      url,
      megabytes: MEGABYTES,
      errors: errorSummary(errors),
      fileError: errorFor(errors, 'feed-file'),
      urlError: errorFor(errors, 'url'),
    });
  }

  /** The report, or the import page again with what went wrong on the field it came from. */
  function renderOutcome(reply: FastifyReply, t: Translate, outcome: BrowserImport, field: string, url = '') {
    if ('problem' in outcome) {
      reply.status(400);
      return renderImport(reply, url, [{ field, text: problemText(t, outcome.problem) }]);
    }
    const report: ImportReport = outcome.report;
    return reply.render('directory/views/import-report.njk', {
      from: outcome.from,
      accepted: report.accepted,
      rejectedCount: report.rejected.length,
      editions: report.editions,
      seconds: report.seconds,
      ...rejectionsShown(report.rejected, report.rejected.length),
    });
  }

  app.get('/manage/import', { config: ACCESS }, async (_request, reply) => renderImport(reply, '', []));

  app.post('/manage/import/address', { config: ACCESS, schema: { body: AddressBody } }, async (request, reply) => {
    const url = text(request.body.url);
    const outcome = await importFeedAtAddress(db, signedInUser(request), url, request.id);
    return renderOutcome(reply, request.t, outcome, 'url', url);
  });

  // Uploads are parsed only here, with the limits of a feed file.
  await app.register(async (uploads) => {
    await uploads.register(fastifyMultipart, {
      attachFieldsToBody: true,
      throwFileSizeLimit: false,
      limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5, fieldSize: 1000, parts: 6 },
    });
    // The body is multipart, checked here part by part rather than by a schema.
    uploads.post('/manage/import/file', { config: ACCESS }, async (request, reply) => {
      const part = fieldOf(request.body, 'feed-file');
      const file = isUploadedFile(part)
        ? { name: part.filename ?? '', content: await part.toBuffer(), truncated: part.file?.truncated === true }
        : { name: '', content: Buffer.alloc(0), truncated: false };
      const outcome = await importUploadedFeed(db, signedInUser(request), file, request.id);
      return renderOutcome(reply, request.t, outcome, 'feed-file');
    });
  });

  async function renderFeeds(
    reply: FastifyReply,
    t: Translate,
    laCode: string,
    form: FeedForm,
    errors: FieldError[],
    notice: string | null,
  ) {
    const feeds = await registeredFeeds(db, laCode);
    return reply.render('directory/views/feeds.njk', {
      feeds: feeds.map((feed) => ({
        ...feed,
        problem: feed.last_problem
          ? problemText(t, { code: feed.last_problem, detail: feed.last_problem_detail })
          : null,
      })),
      form,
      notice,
      errors: errorSummary(errors),
      nameError: errorFor(errors, 'name'),
      urlError: errorFor(errors, 'url'),
    });
  }

  app.get('/manage/feeds', { config: ACCESS, schema: { querystring: FeedsQuery } }, async (request, reply) => {
    const notice = request.query.notice === 'added' || request.query.notice === 'removed' ? request.query.notice : null;
    return renderFeeds(reply, request.t, signedInUser(request).laCode, { name: '', url: '' }, [], notice);
  });

  app.post('/manage/feeds', { config: ACCESS, schema: { body: FeedBody } }, async (request, reply) => {
    const user = signedInUser(request);
    const form = { name: text(request.body.name), url: text(request.body.url) };
    const errors = validateFeedForm(form, request.t);
    if (errors.length === 0 && !(await registerFeed(db, user, form, request.id))) {
      errors.push({ field: 'url', text: request.t('directoryImport.feeds.errors.duplicate') });
    }
    if (errors.length > 0) {
      reply.status(400);
      return renderFeeds(reply, request.t, user.laCode, form, errors, null);
    }
    return reply.redirect('/manage/feeds?notice=added', 303);
  });

  const feedAction = { config: ACCESS, schema: { params: IdParams } };

  app.get('/manage/feeds/:id', feedAction, async (request, reply) => {
    const feed = await registeredFeed(db, signedInUser(request).laCode, request.params.id.toLowerCase());
    if (!feed) {
      reply.callNotFound();
      return reply;
    }
    return reply.render('directory/views/import-report.njk', {
      feed,
      problem: feed.last_problem
        ? problemText(request.t, { code: feed.last_problem, detail: feed.last_problem_detail })
        : null,
      accepted: feed.last_accepted ?? 0,
      rejectedCount: feed.last_rejected ?? 0,
      ...rejectionsShown(feed.last_rejected_records, feed.last_rejected ?? 0),
    });
  });

  app.post('/manage/feeds/:id/refresh', feedAction, async (request, reply) => {
    const id = request.params.id.toLowerCase();
    const outcome = await refreshFeedNow(db, signedInUser(request), id, request.id);
    if (!outcome) {
      reply.callNotFound();
      return reply;
    }
    return reply.redirect(`/manage/feeds/${id}`, 303);
  });

  app.post('/manage/feeds/:id/remove', feedAction, async (request, reply) => {
    const removed = await removeFeed(db, signedInUser(request), request.params.id.toLowerCase(), request.id);
    if (!removed) {
      reply.callNotFound();
      return reply;
    }
    return reply.redirect('/manage/feeds?notice=removed', 303);
  });
}
