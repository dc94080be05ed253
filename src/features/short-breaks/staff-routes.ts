// Staff pages for short-breaks applications: the queue, an application with its evidence files and questions to
// the family, the officer's evidence check or question, the manager's decision and the resource panel's.
import type { Role } from '../../domain/people.ts';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Outcome } from '../../domain/scoring/model.ts';
import { scoreApplication } from '../../domain/scoring/score.ts';
import { assessmentReferralOf } from '../referrals/service.ts';
import { shortBreaksPolicy } from '../administration/settings.ts';
import { signedInUser } from '../../web/context.ts';
import { toIsoDate, workingDaysBetween } from '../../domain/working-days.ts';
import { errorFor, errorSummary, type FieldError } from '../../web/errors.ts';
import { modelInUse } from '../scoring/service.ts';
import {
  EVIDENCE_CHECKS,
  decideApplication,
  needsPanel,
  proposedOutcome,
  recordPanelDecision,
  staffQueue,
  verifyApplication,
  viewApplication,
  type StaffOutcome,
} from './staff.ts';
import { downloadSentEvidence, evidenceList } from './evidence.ts';
import { MAX_QUESTION, askFamily, informationRequests } from './information-requests.ts';
import { sendFile } from './family-follow-up-routes.ts';
import { OUTCOME_KINDS, fairnessGroups, scoredApplications } from './fairness.ts';
import { formBody, IdParams, OneOrMany, Text, text, Uuid, WholeNumber, type TypeBoxTypes } from '../../web/form.ts';
import { ABOUT_FIELDS, ETHNICITY_CODES, PARENT_CARERS, YOUNG_CARERS } from '../../domain/short-breaks/about.ts';
import type { Translate } from '../../web/i18n.ts';

const OFFICERS: readonly Role[] = ['short_breaks_officer'];
const MANAGERS: readonly Role[] = ['team_manager'];
const PANEL: readonly Role[] = ['panel_member'];
const STAFF: readonly Role[] = [...OFFICERS, ...MANAGERS, ...PANEL];
const FAIRNESS_READERS: readonly Role[] = ['analyst', 'team_manager', 'dsco'];
const MAX_REASON = 2000;

/** Every form on an application's page carries the version the person saw. */
const SEEN = { version: WholeNumber };
const VerifyBody = formBody({ checks: OneOrMany() }, SEEN);
const AskBody = formBody({ question: Text() }, SEEN);
// Which button was pressed is the page's own choice, so anything else is a bad request.
const DecideBody = formBody(
  { outcome: Text(), overrideReason: Text() },
  { ...SEEN, decision: Type.Union([Type.Literal('ratify'), Type.Literal('override')]) },
);
const PanelBody = formBody(
  { outcome: Text(), panelReason: Text() },
  { ...SEEN, decision: Type.Union([Type.Literal('agree'), Type.Literal('change')]) },
);

/** What an officer, manager or panel member ticked or typed, given back to the form when it shows an error. */
interface StaffAnswers {
  checks?: string[];
  question?: string;
  overrideReason?: string;
  panelReason?: string;
}

/** An outcome's words as stored with an application, or nothing. */
function labelOf(outcome: Record<string, unknown> | null): string {
  return typeof outcome?.label === 'string' ? outcome.label : '';
}

/** The answers about the child and family that are chosen from a list, by their stored codes. */
const ABOUT_CHOICES: Record<string, readonly string[]> = {
  ethnicity: ETHNICITY_CODES,
  parentCarers: PARENT_CARERS,
  youngCarers: YOUNG_CARERS,
};

/**
 * What the family told us about the child and family, as they read it: each question with the child's name, and a
 * chosen answer in words ("Two", not "two"). A code no list knows is shown as stored rather than failing the page.
 */
function aboutRows(t: Translate, about: Record<string, string>, childName: string) {
  return [...ABOUT_FIELDS.child, ...ABOUT_FIELDS.family]
    .filter((field) => (about[field] ?? '') !== '')
    .map((field) => {
      const value = about[field]!;
      const chosen = ABOUT_CHOICES[field]?.includes(value) === true;
      return {
        key: { text: t(`shortBreaks.about.${field}.label`, { name: childName }) },
        value: { text: chosen ? t(`shortBreaks.about.${field}.options.${value}`, { name: childName }) : value },
      };
    });
}

export async function shortBreaksStaffRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;

  /** The outcomes a manager can choose: each distinct outcome of the model in use. */
  async function outcomesFor(laCode: string): Promise<Outcome[]> {
    const { model } = await modelInUse(db, laCode);
    const unique = new Map(model.rules.map((rule) => [rule.outcome.label, rule.outcome]));
    return [...unique.values()];
  }

  /** The outcome of the model in use that a manager or the panel chose by its words, if it is one. */
  async function chosenOutcome(laCode: string, label: string | undefined): Promise<Outcome | undefined> {
    return (await outcomesFor(laCode)).find((candidate) => candidate.label === text(label));
  }

  async function renderQueue(request: FastifyRequest, reply: FastifyReply, panelOnly: boolean) {
    const settings = await shortBreaksPolicy(db, signedInUser(request).laCode);
    const queue = await staffQueue(db, signedInUser(request), {
      standardDays: settings.serviceStandardDays,
      requestId: request.id,
    });
    return reply.render('short-breaks/views/queue.njk', {
      panelOnly,
      standard: settings.serviceStandardDays,
      applications: queue
        .filter((item) => !panelOnly || item.status === 'awaiting_panel')
        .map((item) => {
          const proposed = labelOf(item.outcome);
          // Once a manager has decided (an outcome waiting for the panel), theirs is the outcome the panel is asked
          // to agree, so it is the one shown, with the proposal it replaced when the manager changed it.
          const decided = labelOf(item.decision);
          return {
            ...item,
            statusText: request.t(`shortBreaksStaff.statuses.${item.status}`),
            outcomeText: decided || proposed,
            outcomeNote:
              decided === ''
                ? request.t('shortBreaksStaff.outcomeProposed')
                : decided === proposed
                  ? request.t('shortBreaksStaff.outcomeAgreed')
                  : request.t('shortBreaksStaff.outcomeChanged', { proposed }),
          };
        }),
    });
  }

  app.get('/short-breaks/queue', { config: { access: STAFF } }, async (request, reply) =>
    renderQueue(request, reply, false),
  );

  app.get('/short-breaks/panel', { config: { access: PANEL } }, async (request, reply) =>
    renderQueue(request, reply, true),
  );

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    message: string | null,
    errors: FieldError[],
    answers: StaffAnswers = {},
  ) {
    const user = signedInUser(request);
    const settings = await shortBreaksPolicy(db, user.laCode);
    const application = await viewApplication(db, user, id, request.id);
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
    const decision = application.decision as Outcome | null;
    return reply.render('short-breaks/views/application.njk', {
      application,
      message,
      files: await evidenceList(db, application.id),
      assessmentReferral: await assessmentReferralOf(db, application.id),
      requests: await informationRequests(db, application.id),
      aboutRows: aboutRows(request.t, application.about, application.given_name),
      notes: Object.entries(application.notes).map(([questionId, text]) => ({
        // Questions keep their ids from version to version, so a note on an application scored under an earlier
        // version is still shown under its question's words rather than its id.
        question: model.questions.find((question) => question.id === questionId)?.text ?? questionId,
        text,
      })),
      panelAmount: settings.panelAmount.toLocaleString('en-GB'),
      // Working days from sending to the decision, or to today while it waits.
      workingDays: application.submitted_at
        ? workingDaysBetween(toIsoDate(application.submitted_at), toIsoDate(application.decided_at ?? new Date()))
        : 0,
      standard: settings.serviceStandardDays,
      answers,
      errors: errorSummary(errors),
      checksError: errorFor(errors, 'checks'),
      reasonError: errorFor(errors, 'overrideReason'),
      questionError: errorFor(errors, 'question'),
      panelReasonError: errorFor(errors, 'panelReason'),
      proposed: application.outcome as Outcome | null,
      explained,
      checks: EVIDENCE_CHECKS.map((check) => ({
        value: check,
        text: request.t(`shortBreaksStaff.checks.${check}`),
        checked: answers.checks ? answers.checks.includes(check) : application.verification?.[check] === true,
      })),
      outcomes: outcomes.map((outcome) => ({ value: outcome.label, text: outcome.label })),
      canVerify:
        user.roles.includes('short_breaks_officer') &&
        (application.status === 'submitted' || application.status === 'more_information_requested'),
      canAsk:
        user.roles.includes('short_breaks_officer') &&
        (application.status === 'submitted' || application.status === 'more_information_requested'),
      canDecide: user.roles.includes('team_manager') && application.status === 'verified',
      goesToPanel: (proposed: Outcome | null) => proposed !== null && needsPanel(proposed, settings.panelAmount),
      canRecordPanel: user.roles.includes('panel_member') && application.status === 'awaiting_panel',
      decision,
    });
  }

  /**
   * After a change to an application: back to it, or, when someone changed it first, the page as it is now with
   * what happened (`changedSince`, a translation key).
   */
  async function afterChange(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    result: StaffOutcome,
    changedSince: string,
  ) {
    if (result === 'done') return reply.redirect(`/short-breaks/queue/${id}`, 303);
    reply.status(409);
    return render(request, reply, id, request.t(changedSince), []);
  }

  /** A form's problems: the page again, with status 400 and the GOV.UK error summary. */
  async function refuse(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    errors: FieldError[],
    answers: StaffAnswers,
  ) {
    reply.status(400);
    return render(request, reply, id, null, errors, answers);
  }

  app.get(
    '/short-breaks/queue/:id',
    { config: { access: STAFF }, schema: { params: IdParams } },
    async (request, reply) => render(request, reply, request.params.id, null, []),
  );

  const verifySchema = { params: IdParams, body: VerifyBody };
  app.post(
    '/short-breaks/queue/:id/verify',
    { config: { access: OFFICERS }, schema: verifySchema },
    async (request, reply) => {
      const { id } = request.params;
      const checked = request.body.checks ?? [];
      if (EVIDENCE_CHECKS.some((check) => !checked.includes(check))) {
        return refuse(request, reply, id, [{ field: 'checks', text: request.t('shortBreaksStaff.errors.checks') }], {
          checks: checked,
        });
      }
      const result = await verifyApplication(db, signedInUser(request), {
        id,
        seenVersion: request.body.version,
        checks: Object.fromEntries(EVIDENCE_CHECKS.map((check) => [check, true])),
        requestId: request.id,
      });
      return afterChange(request, reply, id, result, 'shortBreaksStaff.changedSince');
    },
  );

  const decideSchema = { params: IdParams, body: DecideBody };
  app.post(
    '/short-breaks/queue/:id/decide',
    { config: { access: MANAGERS }, schema: decideSchema },
    async (request, reply) => {
      const user = signedInUser(request);
      const { id } = request.params;
      const proposed = await proposedOutcome(db, user.laCode, id);
      if (!proposed) {
        reply.callNotFound();
        return reply;
      }
      let outcome = proposed;
      let overrideReason: string | null = null;
      if (request.body.decision === 'override') {
        const chosen = await chosenOutcome(user.laCode, request.body.outcome);
        overrideReason = text(request.body.overrideReason);
        const errors: FieldError[] = [];
        if (!chosen) errors.push({ field: 'outcome', text: request.t('shortBreaksStaff.errors.outcome') });
        if (overrideReason === '' || overrideReason.length > MAX_REASON)
          errors.push({ field: 'overrideReason', text: request.t('shortBreaksStaff.errors.reason') });
        if (errors.length > 0 || !chosen) return refuse(request, reply, id, errors, { overrideReason });
        outcome = chosen;
      }
      const result = await decideApplication(db, user, {
        id,
        seenVersion: request.body.version,
        outcome,
        overrideReason,
        panelAmount: (await shortBreaksPolicy(db, user.laCode)).panelAmount,
        requestId: request.id,
        baseUrl: app.config.publicUrl,
      });
      return afterChange(request, reply, id, result, 'shortBreaksStaff.alreadyDecided');
    },
  );

  const askSchema = { params: IdParams, body: AskBody };
  app.post(
    '/short-breaks/queue/:id/ask',
    { config: { access: OFFICERS }, schema: askSchema },
    async (request, reply) => {
      const { id } = request.params;
      const question = text(request.body.question);
      if (question === '' || question.length > MAX_QUESTION) {
        return refuse(
          request,
          reply,
          id,
          [{ field: 'question', text: request.t('shortBreaksStaff.errors.question', { max: MAX_QUESTION }) }],
          { question },
        );
      }
      const result = await askFamily(db, signedInUser(request), {
        id,
        seenVersion: request.body.version,
        question,
        requestId: request.id,
        baseUrl: app.config.publicUrl,
      });
      return afterChange(request, reply, id, result, 'shortBreaksStaff.changedSince');
    },
  );

  const panelSchema = { params: IdParams, body: PanelBody };
  app.post(
    '/short-breaks/queue/:id/panel',
    { config: { access: PANEL }, schema: panelSchema },
    async (request, reply) => {
      const user = signedInUser(request);
      const { id } = request.params;
      const reason = text(request.body.panelReason);
      const chosen = request.body.decision === 'change' ? await chosenOutcome(user.laCode, request.body.outcome) : null;
      const errors: FieldError[] = [];
      if (chosen === undefined) errors.push({ field: 'outcome', text: request.t('shortBreaksStaff.errors.outcome') });
      if (reason === '' || reason.length > MAX_REASON)
        errors.push({ field: 'panelReason', text: request.t('shortBreaksStaff.errors.panelReason') });
      if (errors.length > 0 || chosen === undefined) return refuse(request, reply, id, errors, { panelReason: reason });
      const result = await recordPanelDecision(db, user, {
        id,
        seenVersion: request.body.version,
        outcome: chosen,
        reason,
        requestId: request.id,
        baseUrl: app.config.publicUrl,
      });
      return afterChange(request, reply, id, result, 'shortBreaksStaff.alreadyDecided');
    },
  );

  const evidenceParams = { params: Type.Object({ id: Uuid, evidenceId: Uuid }) };
  app.get(
    '/short-breaks/queue/:id/evidence/:evidenceId',
    { config: { access: STAFF }, schema: evidenceParams },
    async (request, reply) => {
      const file = await downloadSentEvidence(db, signedInUser(request), {
        applicationId: request.params.id,
        evidenceId: request.params.evidenceId,
        requestId: request.id,
      });
      if (!file) {
        reply.callNotFound();
        return reply;
      }
      return sendFile(reply, file);
    },
  );

  app.get('/short-breaks/fairness', { config: { access: FAIRNESS_READERS } }, async (request, reply) => {
    const applications = await scoredApplications(db, signedInUser(request).laCode);
    const named = (dimension: 'ethnicity' | 'locality' | 'ageBand', group: string) => {
      if (group === '') return request.t('shortBreaksStaff.fairness.unknown');
      return dimension === 'ethnicity' ? request.t(`shortBreaks.about.ethnicity.options.${group}`) : group;
    };
    return reply.render('short-breaks/views/fairness.njk', {
      total: applications.length,
      kinds: OUTCOME_KINDS.map((kind) => ({ kind, text: request.t(`shortBreaksStaff.fairness.kinds.${kind}`) })),
      tables: (['ethnicity', 'locality', 'ageBand'] as const).map((dimension) => ({
        dimension,
        title: request.t(`shortBreaksStaff.fairness.by.${dimension}`),
        groups: fairnessGroups(applications, dimension).map((group) => ({
          ...group,
          name: named(dimension, group.group),
        })),
      })),
    });
  });
}
