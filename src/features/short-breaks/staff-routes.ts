// Staff pages for short-breaks applications: the queue, an application, the officer's evidence check and the
// manager's decision.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../db/schema.ts';
import type { Outcome } from '../../domain/scoring/model.ts';
import { scoreApplication } from '../../domain/scoring/score.ts';
import { signedInUser } from '../../web/context.ts';
import { errorFor, errorSummary, type FieldError } from '../../web/errors.ts';
import { modelInUse } from '../scoring/service.ts';
import {
  EVIDENCE_CHECKS,
  SERVICE_STANDARD_WORKING_DAYS,
  decideApplication,
  staffQueue,
  verifyApplication,
  viewApplication,
} from './staff.ts';
import { isUuid } from '../../web/ids.ts';

const OFFICERS: readonly Role[] = ['short_breaks_officer'];
const MANAGERS: readonly Role[] = ['team_manager'];
const STAFF: readonly Role[] = [...OFFICERS, ...MANAGERS];
const MAX_REASON = 2000;

function field(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim() : '';
}

function listField(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

export async function shortBreaksStaffRoutes(app: FastifyInstance) {
  const { db } = app.deps.database;

  /** The outcomes a manager can choose: each distinct outcome of the model in use. */
  async function outcomesFor(laCode: string): Promise<Outcome[]> {
    const { model } = await modelInUse(db, laCode);
    const unique = new Map(model.rules.map((rule) => [rule.outcome.label, rule.outcome]));
    return [...unique.values()];
  }

  app.get('/short-breaks/queue', { config: { access: STAFF } }, async (request, reply) => {
    const queue = await staffQueue(db, signedInUser(request).laCode);
    return reply.render('short-breaks/views/queue.njk', {
      standard: SERVICE_STANDARD_WORKING_DAYS,
      applications: queue.map((item) => ({
        ...item,
        statusText: request.t(`shortBreaksStaff.statuses.${item.status}`),
        proposed: typeof item.outcome?.label === 'string' ? item.outcome.label : '',
      })),
    });
  });

  async function render(request: FastifyRequest, reply: FastifyReply, message: string | null, errors: FieldError[]) {
    const user = signedInUser(request);
    const id = (request.params as { id: string }).id;
    const application = isUuid(id) ? await viewApplication(db, user, id, request.id) : undefined;
    if (!application) {
      reply.callNotFound();
      return reply;
    }
    const { model } = await modelInUse(db, user.laCode);
    // The answers are explained with the model they were scored under, while it is still the one in use.
    const explained =
      model.version === application.model_version && application.child_age !== null
        ? scoreApplication(model, { answers: application.answers, childAge: application.child_age })
        : null;
    const outcomes = await outcomesFor(user.laCode);
    return reply.render('short-breaks/views/application.njk', {
      application,
      message,
      errors: errorSummary(errors),
      reasonError: errorFor(errors, 'overrideReason'),
      proposed: application.outcome as Outcome | null,
      explained,
      checks: EVIDENCE_CHECKS.map((check) => ({
        value: check,
        text: request.t(`shortBreaksStaff.checks.${check}`),
        checked: application.verification?.[check] === true,
      })),
      outcomes: outcomes.map((outcome) => ({ value: outcome.label, text: outcome.label })),
      canVerify:
        user.roles.includes('short_breaks_officer') &&
        (application.status === 'submitted' || application.status === 'more_information_requested'),
      canDecide: user.roles.includes('team_manager') && application.status === 'verified',
    });
  }

  app.get('/short-breaks/queue/:id', { config: { access: STAFF } }, async (request, reply) =>
    render(request, reply, null, []),
  );

  app.post('/short-breaks/queue/:id/verify', { config: { access: OFFICERS } }, async (request, reply) => {
    const id = (request.params as { id: string }).id;
    const checked = listField(request.body, 'checks');
    const seenVersion = Number(field(request.body, 'version'));
    if (!isUuid(id) || !Number.isInteger(seenVersion)) {
      return reply.status(400).render('error.njk', { messageKey: 'errors.badRequest', status: 400 });
    }
    if (EVIDENCE_CHECKS.some((check) => !checked.includes(check))) {
      reply.status(400);
      return render(request, reply, null, [{ field: 'checks', text: request.t('shortBreaksStaff.errors.checks') }]);
    }
    const outcome = await verifyApplication(db, signedInUser(request), {
      id,
      seenVersion,
      checks: Object.fromEntries(EVIDENCE_CHECKS.map((check) => [check, true])),
      requestId: request.id,
    });
    if (outcome === 'changed-since') {
      reply.status(409);
      return render(request, reply, request.t('shortBreaksStaff.changedSince'), []);
    }
    return reply.redirect(`/short-breaks/queue/${id}`, 303);
  });

  app.post('/short-breaks/queue/:id/decide', { config: { access: MANAGERS } }, async (request, reply) => {
    const user = signedInUser(request);
    const id = (request.params as { id: string }).id;
    const seenVersion = Number(field(request.body, 'version'));
    const decision = field(request.body, 'decision');
    if (!isUuid(id) || !Number.isInteger(seenVersion) || (decision !== 'ratify' && decision !== 'override')) {
      return reply.status(400).render('error.njk', { messageKey: 'errors.badRequest', status: 400 });
    }
    const current = await db
      .selectFrom('short_break_applications')
      .select('outcome')
      .where('id', '=', id)
      .where('la_code', '=', user.laCode)
      .executeTakeFirst();
    if (!current?.outcome) {
      reply.callNotFound();
      return reply;
    }
    let outcome = current.outcome as unknown as Outcome;
    let overrideReason: string | null = null;
    if (decision === 'override') {
      const chosen = (await outcomesFor(user.laCode)).find(
        (candidate) => candidate.label === field(request.body, 'outcome'),
      );
      overrideReason = field(request.body, 'overrideReason');
      const errors: FieldError[] = [];
      if (!chosen) errors.push({ field: 'outcome', text: request.t('shortBreaksStaff.errors.outcome') });
      if (overrideReason === '' || overrideReason.length > MAX_REASON)
        errors.push({ field: 'overrideReason', text: request.t('shortBreaksStaff.errors.reason') });
      if (errors.length > 0 || !chosen) {
        reply.status(400);
        return render(request, reply, null, errors);
      }
      outcome = chosen;
    }
    const result = await decideApplication(db, user, {
      id,
      seenVersion,
      outcome,
      overrideReason,
      requestId: request.id,
      link: `${app.config.publicUrl}/short-breaks`,
    });
    if (result === 'changed-since') {
      reply.status(409);
      return render(request, reply, request.t('shortBreaksStaff.alreadyDecided'), []);
    }
    return reply.redirect(`/short-breaks/queue/${id}`, 303);
  });
}
