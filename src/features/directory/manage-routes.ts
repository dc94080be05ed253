// Staff pages for keeping the directory right: a provider's and an editor's list of services, editing with
// approval and a diff, version history with restore, public reports with a status, and the sufficiency view.
import type { Role } from '../../domain/people.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ACCESS_ROUTES, SEND_NEEDS, WEEKDAYS, type SendNeed } from '../../domain/local-offer.ts';
import { signedInUser } from '../../web/context.ts';
import { errorFor, errorSummary } from '../../web/errors.ts';
import type { Translate } from '../../web/i18n.ts';
import {
  COST_KINDS,
  DETAIL_FIELDS,
  STATUSES,
  describeDetail,
  detailsOf,
  diffDetails,
  formOf,
  readDetailsForm,
  storedDetails,
  validateDetailsForm,
  type DetailsForm,
} from './details.ts';
import { FEEDBACK_STATUSES, feedbackFor, respondToFeedback } from './feedback.ts';
import { isStale } from './service-page.ts';
import { AGE_BANDS } from '../../domain/age-bands.ts';
import { heatMapCells, sufficiencyCounts, sufficiencyCsv, sufficiencyTable } from './sufficiency.ts';
import {
  confirmStillRight,
  decideChange,
  isEditor,
  manageableService,
  proposeChange,
  restoreVersion,
  serviceHistory,
  waitingChangeFor,
  waitingChanges,
  type ManageableService,
} from './upkeep.ts';
import { isUuid } from '../../web/ids.ts';

const UPKEEP: readonly Role[] = ['provider', 'directory_editor'];
const EDITORS: readonly Role[] = ['directory_editor'];
const SUFFICIENCY: readonly Role[] = ['directory_editor', 'analyst', 'dsco', 'team_manager', 'administrator'];
const PAGE_SIZE = 50;
const MAX_NOTE = 2000;

function uuidParam(request: FastifyRequest, name: string): string | undefined {
  const value = (request.params as Record<string, unknown>)[name];
  return isUuid(value) ? value.toLowerCase() : undefined;
}

function bodyText(request: FastifyRequest, name: string): string {
  const value = ((request.body ?? {}) as Record<string, unknown>)[name];
  return typeof value === 'string' ? value.trim() : '';
}

function choices(t: Translate) {
  return {
    statuses: STATUSES.map((status) => ({ value: status, text: t(`manage.statuses.${status.replace(' ', '_')}`) })),
    needs: SEND_NEEDS.map((need) => ({ value: need, text: t(`directory.needs.${need}`) })),
    accessRoutes: ACCESS_ROUTES.map((route) => ({ value: route, text: t(`directory.accessRoutes.${route}`) })),
    weekdays: WEEKDAYS.map((day) => ({ value: day, text: t(`directory.weekdays.${day}`) })),
    costKinds: COST_KINDS.map((kind) => ({ value: kind, text: t(`manage.costKinds.${kind}`) })),
  };
}

export async function manageRoutes(app: FastifyInstance) {
  const { db } = app.deps.database;

  async function serviceOr404(request: FastifyRequest, reply: FastifyReply): Promise<ManageableService | undefined> {
    const id = uuidParam(request, 'id');
    const service = id ? await manageableService(db, signedInUser(request), id) : undefined;
    if (!service) reply.callNotFound();
    return service;
  }

  app.get('/manage/services', { config: { access: UPKEEP } }, async (request, reply) => {
    const user = signedInUser(request);
    const query = request.query as Record<string, unknown>;
    const show = query.show === 'stale' ? 'stale' : 'all';
    const name = typeof query.name === 'string' ? query.name.trim().slice(0, 100) : '';
    const page = typeof query.page === 'string' && /^\d{1,4}$/.test(query.page) ? Math.max(1, Number(query.page)) : 1;
    let services = db
      .selectFrom('services as s')
      .leftJoin('organizations as o', 'o.id', 's.organization_id')
      .where('s.la_code', '=', user.laCode);
    if (!isEditor(user)) {
      services = services.where('s.organization_id', 'in', (eb) =>
        eb.selectFrom('organization_members').select('organization_id').where('user_id', '=', user.id),
      );
    }
    if (name) services = services.where('s.name', 'ilike', `%${name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (show === 'stale') services = services.where('s.stale_flagged_at', 'is not', null);
    const [rows, total, waiting] = await Promise.all([
      services
        .select([
          's.id',
          's.name',
          's.status',
          's.review_by',
          's.assured_date',
          's.last_modified',
          'o.name as organization_name',
        ])
        .orderBy('s.name')
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
        .execute(),
      services.select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow(),
      db
        .selectFrom('service_changes')
        .select('service_id')
        .where('la_code', '=', user.laCode)
        .where('status', '=', 'pending')
        .execute(),
    ]);
    const waitingIds = new Set(waiting.map((change) => change.service_id));
    const count = Number(total.count);
    return reply.render('directory/views/manage-services.njk', {
      show,
      name,
      page,
      pages: Math.max(1, Math.ceil(count / PAGE_SIZE)),
      count,
      editor: isEditor(user),
      services: rows.map((row) => ({
        ...row,
        stale: isStale(row),
        waiting: waitingIds.has(row.id),
      })),
    });
  });

  app.get('/manage/services/:id', { config: { access: UPKEEP } }, async (request, reply) => {
    const service = await serviceOr404(request, reply);
    if (!service) return reply;
    const user = signedInUser(request);
    const [history, waiting] = await Promise.all([
      serviceHistory(db, user.laCode, service.id),
      waitingChangeFor(db, service.id),
    ]);
    const details = detailsOf(service);
    const query = request.query as Record<string, unknown>;
    return reply.render('directory/views/manage-service.njk', {
      service,
      editor: isEditor(user),
      notice: typeof query.notice === 'string' ? query.notice : null,
      rows: DETAIL_FIELDS.map((field) => ({
        key: { text: request.t(`manage.fields.${field}`) },
        value: { text: describeDetail(field, details, request.t) || request.t('directory.notKnown') },
      })),
      stale: isStale(service),
      waiting: waiting
        ? { id: waiting.id, changes: diffDetails(details, storedDetails(waiting.details), request.t) }
        : null,
      history: history.map((version) => ({
        version: version.version,
        summary: version.summary,
        changedBy: version.changed_by,
        createdAt: version.created_at.toISOString().slice(0, 16).replace('T', ' '),
        current: version.version === service.version,
      })),
    });
  });

  function renderEdit(
    reply: FastifyReply,
    t: Translate,
    service: ManageableService,
    form: DetailsForm,
    errors: { field: string; text: string }[],
    editor: boolean,
  ) {
    return reply.render('directory/views/manage-edit.njk', {
      service,
      form,
      editor,
      errors: errorSummary(errors),
      fieldError: Object.fromEntries(DETAIL_FIELDS.map((field) => [field, errorFor(errors, field)])),
      ...choices(t),
    });
  }

  app.get('/manage/services/:id/edit', { config: { access: UPKEEP } }, async (request, reply) => {
    const service = await serviceOr404(request, reply);
    if (!service) return reply;
    const waiting = await waitingChangeFor(db, service.id);
    // A provider carries on from the change they already sent, rather than starting again.
    const details = waiting ? storedDetails(waiting.details) : detailsOf(service);
    return renderEdit(reply, request.t, service, formOf(details), [], isEditor(signedInUser(request)));
  });

  app.post('/manage/services/:id/edit', { config: { access: UPKEEP } }, async (request, reply) => {
    const service = await serviceOr404(request, reply);
    if (!service) return reply;
    const user = signedInUser(request);
    const form = readDetailsForm(request.body);
    const result = validateDetailsForm(form, request.t);
    if (result.errors.length > 0 || !('details' in result)) {
      reply.status(400);
      return renderEdit(reply, request.t, service, form, result.errors, isEditor(user));
    }
    const outcome = await proposeChange(db, user, service, result.details, {
      requestId: request.id,
      link: `${app.config.publicUrl}/manage/changes`,
    });
    return reply.redirect(
      `/manage/services/${service.id}?notice=${'published' in outcome ? 'published' : 'waiting'}`,
      303,
    );
  });

  app.post('/manage/services/:id/confirm', { config: { access: UPKEEP } }, async (request, reply) => {
    const service = await serviceOr404(request, reply);
    if (!service) return reply;
    await confirmStillRight(db, signedInUser(request), { serviceId: service.id, requestId: request.id });
    return reply.redirect(`/manage/services/${service.id}?notice=confirmed`, 303);
  });

  app.post(
    '/manage/services/:id/versions/:version/restore',
    { config: { access: EDITORS } },
    async (request, reply) => {
      const service = await serviceOr404(request, reply);
      if (!service) return reply;
      const version = Number((request.params as { version: string }).version);
      const restored = Number.isInteger(version)
        ? await restoreVersion(db, signedInUser(request), { serviceId: service.id, version, requestId: request.id })
        : undefined;
      if (restored === undefined) {
        reply.callNotFound();
        return reply;
      }
      return reply.redirect(`/manage/services/${service.id}?notice=restored`, 303);
    },
  );

  app.get('/manage/changes', { config: { access: EDITORS } }, async (request, reply) => {
    const changes = await waitingChanges(db, signedInUser(request).laCode);
    const decided = (request.query as Record<string, unknown>).decided;
    return reply.render('directory/views/manage-changes.njk', {
      decided: decided === 'approved' || decided === 'rejected' ? decided : null,
      changes: changes.map((change) => ({
        ...change,
        proposedAt: change.proposed_at.toISOString().slice(0, 16).replace('T', ' '),
      })),
    });
  });

  async function renderChange(
    request: FastifyRequest,
    reply: FastifyReply,
    message: string | null,
    errors: { field: string; text: string }[] = [],
  ) {
    const user = signedInUser(request);
    const id = uuidParam(request, 'id');
    const change = id
      ? await db
          .selectFrom('service_changes as c')
          .innerJoin('users as u', 'u.id', 'c.proposed_by')
          .selectAll('c')
          .select('u.display_name as proposed_by_name')
          .where('c.id', '=', id)
          .where('c.la_code', '=', user.laCode)
          .executeTakeFirst()
      : undefined;
    const service = change ? await manageableService(db, user, change.service_id) : undefined;
    if (!change || !service) {
      reply.callNotFound();
      return reply;
    }
    return reply.render('directory/views/manage-change.njk', {
      change: { id: change.id, status: change.status, proposedBy: change.proposed_by_name, note: change.decision_note },
      service,
      message,
      errors: errorSummary(errors),
      noteError: errorFor(errors, 'note'),
      changes: diffDetails(detailsOf(service), storedDetails(change.details), request.t),
    });
  }

  app.get('/manage/changes/:id', { config: { access: EDITORS } }, async (request, reply) =>
    renderChange(request, reply, null),
  );

  app.post('/manage/changes/:id', { config: { access: EDITORS } }, async (request, reply) => {
    const changeId = uuidParam(request, 'id');
    const decision = bodyText(request, 'decision');
    const note = bodyText(request, 'note');
    const seenVersion = Number(bodyText(request, 'version'));
    if (!changeId || (decision !== 'approve' && decision !== 'reject') || !Number.isInteger(seenVersion)) {
      return reply.status(400).render('error.njk', { messageKey: 'errors.badRequest', status: 400 });
    }
    if (note.length > MAX_NOTE || (decision === 'reject' && note === '')) {
      reply.status(400);
      return renderChange(request, reply, null, [
        { field: 'note', text: request.t(note === '' ? 'manage.errors.reasonMissing' : 'manage.errors.noteTooLong') },
      ]);
    }
    const outcome = await decideChange(db, signedInUser(request), {
      changeId,
      decision,
      note,
      seenVersion,
      requestId: request.id,
      link: `${app.config.publicUrl}/manage/services`,
    });
    if (outcome === 'not-found') {
      reply.callNotFound();
      return reply;
    }
    if (outcome === 'already-decided' || outcome === 'changed-since') {
      reply.status(409);
      return renderChange(request, reply, request.t(`manage.change.${outcome}`));
    }
    return reply.redirect(`/manage/changes?decided=${outcome}`, 303);
  });

  app.get('/manage/feedback', { config: { access: UPKEEP } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const status = FEEDBACK_STATUSES.find((candidate) => candidate === query.status);
    const reports = await feedbackFor(db, signedInUser(request), status);
    return reply.render('directory/views/manage-feedback.njk', {
      status: status ?? '',
      statuses: FEEDBACK_STATUSES.map((value) => ({ value, text: request.t(`manage.feedbackStatuses.${value}`) })),
      reports: reports.map((report) => ({
        ...report,
        createdAt: report.created_at.toISOString().slice(0, 10),
        statusText: request.t(`manage.feedbackStatuses.${report.status}`),
      })),
    });
  });

  app.post('/manage/feedback/:id', { config: { access: UPKEEP } }, async (request, reply) => {
    const feedbackId = uuidParam(request, 'id');
    const status = FEEDBACK_STATUSES.find((candidate) => candidate === bodyText(request, 'status'));
    const response = bodyText(request, 'response');
    if (!feedbackId || !status || response.length > MAX_NOTE) {
      return reply.status(400).render('error.njk', { messageKey: 'errors.badRequest', status: 400 });
    }
    const updated = await respondToFeedback(db, signedInUser(request), {
      feedbackId,
      status,
      response,
      requestId: request.id,
    });
    if (!updated) {
      reply.callNotFound();
      return reply;
    }
    return reply.redirect('/manage/feedback', 303);
  });

  async function sufficiency(request: FastifyRequest) {
    const user = signedInUser(request);
    const query = request.query as Record<string, unknown>;
    const categories = await db
      .selectFrom('taxonomy_terms as t')
      .innerJoin('taxonomies as x', 'x.id', 't.taxonomy_id')
      .select(['t.id', 't.name'])
      .where('t.la_code', '=', user.laCode)
      .where('x.name', '~*', 'categor|type|service')
      .orderBy('t.name')
      .execute();
    const category = categories.find((candidate) => candidate.id === query.category);
    const need: SendNeed | 'any' = SEND_NEEDS.find((candidate) => candidate === query.need) ?? 'any';
    const { localities, counts } = await sufficiencyCounts(db, user.laCode, category?.id);
    return { categories, category, need, localities, counts };
  }

  app.get('/manage/sufficiency', { config: { access: SUFFICIENCY } }, async (request, reply) => {
    const { categories, category, need, localities, counts } = await sufficiency(request);
    const table = sufficiencyTable(localities, counts, need);
    const csvQuery = new URLSearchParams({ ...(category ? { category: category.id } : {}) }).toString();
    return reply.render('directory/views/sufficiency.njk', {
      bands: AGE_BANDS.map((band) => band.label),
      table,
      cells: heatMapCells(table),
      need,
      needName: need === 'any' ? request.t('manage.sufficiency.anyNeed') : request.t(`directory.needs.${need}`),
      category: category ?? null,
      categories: categories.map((term) => ({ value: term.id, text: term.name, selected: term.id === category?.id })),
      needs: SEND_NEEDS.filter((value) => value !== 'all_send').map((value) => ({
        value,
        text: request.t(`directory.needs.${value}`),
        selected: value === need,
      })),
      csvLink: `/manage/sufficiency.csv${csvQuery ? `?${csvQuery}` : ''}`,
    });
  });

  app.get('/manage/sufficiency.csv', { config: { access: SUFFICIENCY } }, async (request, reply) => {
    const { localities, counts } = await sufficiency(request);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="local-offer-sufficiency.csv"')
      .send(sufficiencyCsv(localities, counts));
  });
}
