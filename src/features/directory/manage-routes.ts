// Staff pages for keeping the directory right: a provider's and an editor's list of services, editing with
// approval and a diff, version history with restore, public reports with a status, and the sufficiency view.
import type { Role } from '../../domain/people.ts';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ACCESS_ROUTES, SEND_NEEDS, WEEKDAYS, type SendNeed } from '../../domain/local-offer.ts';
import { signedInUser } from '../../web/context.ts';
import { errorFor, errorSummary } from '../../web/errors.ts';
import {
  formBody,
  IdParams,
  OneOrMany,
  queryOf,
  Text,
  text,
  textFields,
  Uuid,
  WholeNumber,
  type TypeBoxTypes,
} from '../../web/form.ts';
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
import { changeToDecide, managedServices, serviceCategories } from './service.ts';
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

const UPKEEP: readonly Role[] = ['provider', 'directory_editor'];
const EDITORS: readonly Role[] = ['directory_editor'];
const SUFFICIENCY: readonly Role[] = ['directory_editor', 'analyst', 'dsco', 'team_manager', 'administrator'];
const PAGE_SIZE = 50;
const MAX_NOTE = 2000;

const SERVICE = { params: IdParams };
const ServicesQuery = queryOf({ show: Text(), name: Text(), page: Text() });
/** The edit form: text fields, and the ticked boxes of the three lists. */
const DetailsBody = formBody({
  ...textFields([
    'name',
    'description',
    'status',
    'minimumAge',
    'maximumAge',
    'hours',
    'costKind',
    'cost',
    'url',
    'email',
  ]),
  sendNeeds: OneOrMany(),
  accessRoutes: OneOrMany(),
  days: OneOrMany(),
});
const DecisionBody = formBody(
  { note: Text() },
  { decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]), version: WholeNumber },
);
// `filter` is the status the list was showing, so the editor comes back to the same list after an update.
const FeedbackBody = formBody({ status: Text(), response: Text(), filter: Text() });

/** A report's update that could not be saved, given back to its form with the error so nothing typed is lost. */
interface FeedbackAnswers {
  id: string;
  status: string;
  response: string;
  error: string;
}
const SufficiencyQuery = queryOf({ category: Text(), need: Text() });

function choices(t: Translate) {
  return {
    statuses: STATUSES.map((status) => ({ value: status, text: t(`manage.statuses.${status.replace(' ', '_')}`) })),
    needs: SEND_NEEDS.map((need) => ({ value: need, text: t(`directory.needs.${need}`) })),
    accessRoutes: ACCESS_ROUTES.map((route) => ({ value: route, text: t(`directory.accessRoutes.${route}`) })),
    weekdays: WEEKDAYS.map((day) => ({ value: day, text: t(`directory.weekdays.${day}`) })),
    costKinds: COST_KINDS.map((kind) => ({ value: kind, text: t(`manage.costKinds.${kind}`) })),
  };
}

export async function manageRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;

  async function serviceOr404(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
  ): Promise<ManageableService | undefined> {
    const service = await manageableService(db, signedInUser(request), id.toLowerCase());
    if (!service) reply.callNotFound();
    return service;
  }

  app.get(
    '/manage/services',
    { config: { access: UPKEEP }, schema: { querystring: ServicesQuery } },
    async (request, reply) => {
      const user = signedInUser(request);
      const query = request.query;
      const show = query.show === 'stale' ? 'stale' : 'all';
      const name = text(query.name).slice(0, 100);
      const page = query.page !== undefined && /^\d{1,4}$/.test(query.page) ? Math.max(1, Number(query.page)) : 1;
      const { rows, count, waitingIds } = await managedServices(db, user, {
        name,
        staleOnly: show === 'stale',
        page,
        pageSize: PAGE_SIZE,
      });
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
    },
  );

  const servicePage = { params: IdParams, querystring: queryOf({ notice: Text() }) };
  app.get('/manage/services/:id', { config: { access: UPKEEP }, schema: servicePage }, async (request, reply) => {
    const service = await serviceOr404(request, reply, request.params.id);
    if (!service) return reply;
    const user = signedInUser(request);
    const [history, waiting] = await Promise.all([
      serviceHistory(db, user.laCode, service.id),
      waitingChangeFor(db, service.id),
    ]);
    const details = detailsOf(service);
    return reply.render('directory/views/manage-service.njk', {
      service,
      editor: isEditor(user),
      notice: request.query.notice ?? null,
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

  app.get('/manage/services/:id/edit', { config: { access: UPKEEP }, schema: SERVICE }, async (request, reply) => {
    const service = await serviceOr404(request, reply, request.params.id);
    if (!service) return reply;
    const waiting = await waitingChangeFor(db, service.id);
    // A provider carries on from the change they already sent, rather than starting again.
    const details = waiting ? storedDetails(waiting.details) : detailsOf(service);
    return renderEdit(reply, request.t, service, formOf(details), [], isEditor(signedInUser(request)));
  });

  const editForm = { params: IdParams, body: DetailsBody };
  app.post('/manage/services/:id/edit', { config: { access: UPKEEP }, schema: editForm }, async (request, reply) => {
    const service = await serviceOr404(request, reply, request.params.id);
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

  app.post('/manage/services/:id/confirm', { config: { access: UPKEEP }, schema: SERVICE }, async (request, reply) => {
    const service = await serviceOr404(request, reply, request.params.id);
    if (!service) return reply;
    await confirmStillRight(db, signedInUser(request), { serviceId: service.id, requestId: request.id });
    return reply.redirect(`/manage/services/${service.id}?notice=confirmed`, 303);
  });

  app.post(
    '/manage/services/:id/versions/:version/restore',
    { config: { access: EDITORS }, schema: { params: Type.Object({ id: Uuid, version: WholeNumber }) } },
    async (request, reply) => {
      const service = await serviceOr404(request, reply, request.params.id);
      if (!service) return reply;
      const restored = await restoreVersion(db, signedInUser(request), {
        serviceId: service.id,
        version: request.params.version,
        requestId: request.id,
      });
      if (restored === undefined) {
        reply.callNotFound();
        return reply;
      }
      return reply.redirect(`/manage/services/${service.id}?notice=restored`, 303);
    },
  );

  const changesPage = { querystring: queryOf({ decided: Text() }) };
  app.get('/manage/changes', { config: { access: EDITORS }, schema: changesPage }, async (request, reply) => {
    const changes = await waitingChanges(db, signedInUser(request).laCode);
    const decided = request.query.decided;
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
    changeId: string,
    message: string | null,
    errors: { field: string; text: string }[] = [],
  ) {
    const found = await changeToDecide(db, signedInUser(request), changeId);
    if (!found) {
      reply.callNotFound();
      return reply;
    }
    const { change, service } = found;
    return reply.render('directory/views/manage-change.njk', {
      change: { id: change.id, status: change.status, proposedBy: change.proposed_by_name, note: change.decision_note },
      service,
      message,
      errors: errorSummary(errors),
      noteError: errorFor(errors, 'note'),
      changes: diffDetails(detailsOf(service), storedDetails(change.details), request.t),
    });
  }

  app.get('/manage/changes/:id', { config: { access: EDITORS }, schema: SERVICE }, async (request, reply) =>
    renderChange(request, reply, request.params.id.toLowerCase(), null),
  );

  const decisionForm = { params: IdParams, body: DecisionBody };
  app.post('/manage/changes/:id', { config: { access: EDITORS }, schema: decisionForm }, async (request, reply) => {
    const changeId = request.params.id.toLowerCase();
    const { decision, version: seenVersion } = request.body;
    const note = text(request.body.note);
    if (note.length > MAX_NOTE || (decision === 'reject' && note === '')) {
      reply.status(400);
      return renderChange(request, reply, changeId, null, [
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
      return renderChange(request, reply, changeId, request.t(`manage.change.${outcome}`));
    }
    return reply.redirect(`/manage/changes?decided=${outcome}`, 303);
  });

  /** The reports, filtered by status; `unsaved` is an update to show again with its error. */
  async function renderFeedback(
    request: FastifyRequest,
    reply: FastifyReply,
    filter: string | undefined,
    updated: boolean,
    unsaved?: FeedbackAnswers,
  ) {
    const status = FEEDBACK_STATUSES.find((candidate) => candidate === filter);
    const reports = await feedbackFor(db, signedInUser(request), status);
    const errors = unsaved ? [{ field: `response-${unsaved.id}`, text: unsaved.error }] : [];
    return reply.render('directory/views/manage-feedback.njk', {
      status: status ?? '',
      updated,
      errors: errorSummary(errors),
      statuses: FEEDBACK_STATUSES.map((value) => ({ value, text: request.t(`manage.feedbackStatuses.${value}`) })),
      reports: reports.map((report) => {
        const kept = unsaved?.id === report.id ? unsaved : undefined;
        return {
          ...report,
          status: kept?.status ?? report.status,
          response: kept?.response ?? report.response,
          responseError: kept ? { text: kept.error } : undefined,
          createdAt: report.created_at.toISOString().slice(0, 10),
          statusText: request.t(`manage.feedbackStatuses.${report.status}`),
        };
      }),
    });
  }

  const feedbackPage = { querystring: queryOf({ status: Text(), updated: Text() }) };
  app.get('/manage/feedback', { config: { access: UPKEEP }, schema: feedbackPage }, async (request, reply) =>
    renderFeedback(request, reply, request.query.status, request.query.updated === 'yes'),
  );

  const feedbackForm = { params: IdParams, body: FeedbackBody };
  app.post('/manage/feedback/:id', { config: { access: UPKEEP }, schema: feedbackForm }, async (request, reply) => {
    const feedbackId = request.params.id.toLowerCase();
    const status = FEEDBACK_STATUSES.find((candidate) => candidate === text(request.body.status));
    const response = text(request.body.response);
    const filter = FEEDBACK_STATUSES.find((candidate) => candidate === text(request.body.filter));
    // The status is chosen from the page's own list, so anything else is a bad request.
    if (!status) return reply.status(400).render('error.njk', { messageKey: 'errors.badRequest', status: 400 });
    if (response.length > MAX_NOTE) {
      reply.status(400);
      return renderFeedback(request, reply, filter, false, {
        id: feedbackId,
        status,
        response,
        error: request.t('manage.errors.responseTooLong'),
      });
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
    const back = new URLSearchParams({ ...(filter ? { status: filter } : {}), updated: 'yes' });
    return reply.redirect(`/manage/feedback?${back.toString()}`, 303);
  });

  async function sufficiency(request: FastifyRequest, query: { category?: string; need?: string }) {
    const user = signedInUser(request);
    const categories = await serviceCategories(db, user.laCode);
    const category = categories.find((candidate) => candidate.id === query.category);
    const need: SendNeed | 'any' = SEND_NEEDS.find((candidate) => candidate === query.need) ?? 'any';
    const { localities, counts } = await sufficiencyCounts(db, user.laCode, category?.id);
    return { categories, category, need, localities, counts };
  }

  const sufficiencyOptions = { config: { access: SUFFICIENCY }, schema: { querystring: SufficiencyQuery } };
  app.get('/manage/sufficiency', sufficiencyOptions, async (request, reply) => {
    const { categories, category, need, localities, counts } = await sufficiency(request, request.query);
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

  app.get('/manage/sufficiency.csv', sufficiencyOptions, async (request, reply) => {
    const { localities, counts } = await sufficiency(request, request.query);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="local-offer-sufficiency.csv"')
      .send(sufficiencyCsv(localities, counts));
  });
}
