// The family's short-breaks application, GOV.UK style: a start page, a task list, the gateway, one question per
// page, check your answers with a declaration, and a confirmation with a reference. Drafts are saved as the
// family goes, so they can stop and come back.
import { primaryRole } from '../../domain/people.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Outcome, ScoringModel } from '../../domain/scoring/model.ts';
import { EVIDENCE, ageOn, ineligibleReasons, type Gateway } from '../../domain/short-breaks/eligibility.ts';
import {
  ABOUT_FIELDS,
  ETHNICITY_CODES,
  MAX_CONDITION,
  PARENT_CARERS,
  YOUNG_CARERS,
  aboutDone,
  aboutProblems,
  type AboutSection,
} from '../../domain/short-breaks/about.ts';
import { FAMILY_ROLES } from '../../web/access.ts';
import { signedInUser } from '../../web/context.ts';
import { recordAudit } from '../audit/service.ts';
import { errorFor, errorSummary, type FieldError } from '../../web/errors.ts';
import { modelInUse } from '../scoring/service.ts';
import { evidenceList } from './evidence.ts';
import { reviewDue, startReview } from './reviews.ts';
import {
  familyApplication,
  familyApplications,
  mayWithdraw,
  withdrawApplication,
  saveDraft,
  startApplication,
  submitApplication,
  type FamilyApplication,
} from './service.ts';
import { formText } from '../../web/form.ts';

const ACCESS = { access: FAMILY_ROLES };
const MAX_NOTE = 2000;

function gatewayOf(application: FamilyApplication): Gateway | undefined {
  const { livesInArea, evidence } = application.eligibility;
  const evidenceChoice = EVIDENCE.find((choice) => choice === evidence);
  return (livesInArea === 'yes' || livesInArea === 'no') && evidenceChoice
    ? { livesInArea, evidence: evidenceChoice }
    : undefined;
}

export async function shortBreaksRoutes(app: FastifyInstance) {
  const { db } = app.deps.database;
  const ages = app.config.shortBreaks.ages;

  async function load(request: FastifyRequest, reply: FastifyReply) {
    const id = (request.params as { id: string }).id;
    const application = await familyApplication(db, signedInUser(request), id);
    if (!application) reply.callNotFound();
    return application;
  }

  /** A draft to change; a sent application goes to its confirmation instead, unchanged. */
  async function loadDraft(request: FastifyRequest, reply: FastifyReply) {
    const application = await load(request, reply);
    if (application && application.status !== 'draft') {
      await reply.redirect(`/short-breaks/applications/${application.id}/confirmation`, 303);
      return undefined;
    }
    return application;
  }

  const isEligible = (application: FamilyApplication) => {
    const gateway = gatewayOf(application);
    return (
      gateway !== undefined &&
      ineligibleReasons(gateway, ageOn(application.date_of_birth, new Date()), ages).length === 0
    );
  };

  const councilNames = new Map<string, string>();
  async function councilName(laCode: string): Promise<string> {
    let name = councilNames.get(laCode);
    if (!name) {
      const row = await db
        .selectFrom('councils')
        .select('name')
        .where('la_code', '=', laCode)
        .executeTakeFirstOrThrow();
      name = row.name;
      councilNames.set(laCode, name);
    }
    return name;
  }

  const link = (application: FamilyApplication, page = '') => `/short-breaks/applications/${application.id}${page}`;

  app.get('/short-breaks', { config: ACCESS }, async (request, reply) => {
    const children = await familyApplications(db, signedInUser(request));
    return reply.render('short-breaks/views/start.njk', {
      children: children.map((child) => ({
        ...child,
        reviewDue: reviewDue({ status: child.status ?? '', decided_at: child.decided_at }),
      })),
    });
  });

  app.post('/short-breaks/start', { config: ACCESS }, async (request, reply) => {
    const id = await startApplication(db, signedInUser(request), formText(request.body, 'childId'), request.id);
    if (!id) {
      reply.callNotFound();
      return reply;
    }
    return reply.redirect(`/short-breaks/applications/${id}`, 303);
  });

  app.post('/short-breaks/applications/:id/review', { config: ACCESS }, async (request, reply) => {
    const application = await load(request, reply);
    if (!application) return reply;
    const id = await startReview(db, signedInUser(request), application, request.id);
    return reply.redirect(id ? `/short-breaks/applications/${id}` : '/short-breaks', 303);
  });

  app.get('/short-breaks/applications/:id', { config: ACCESS }, async (request, reply) => {
    const application = await load(request, reply);
    if (!application) return reply;
    if (application.status !== 'draft') return reply.redirect(link(application, '/confirmation'), 303);
    const { model } = await modelInUse(db, signedInUser(request).laCode);
    const answered = model.questions.filter((question) => application.answers[question.id] !== undefined).length;
    const eligible = isEligible(application);
    const childDone = aboutDone('child', application.about);
    const familyDone = aboutDone('family', application.about);
    return reply.render('short-breaks/views/task-list.njk', {
      application,
      evidenceCount: (await evidenceList(db, application.id)).length,
      gatewayDone: gatewayOf(application) !== undefined,
      eligible,
      childDone,
      familyDone,
      answered,
      questions: model.questions.length,
      firstQuestion:
        model.questions.find((question) => application.answers[question.id] === undefined) ?? model.questions[0],
      ready: eligible && childDone && familyDone && answered === model.questions.length,
    });
  });

  async function renderGateway(
    request: FastifyRequest,
    reply: FastifyReply,
    application: FamilyApplication,
    errors: FieldError[],
  ) {
    return reply.render('short-breaks/views/eligibility.njk', {
      application,
      council: await councilName(signedInUser(request).laCode),
      livesInArea: application.eligibility.livesInArea ?? '',
      evidence: application.eligibility.evidence ?? '',
      errors: errorSummary(errors),
      livesInAreaError: errorFor(errors, 'livesInArea'),
      evidenceError: errorFor(errors, 'evidence'),
    });
  }

  app.get('/short-breaks/applications/:id/eligibility', { config: ACCESS }, async (request, reply) => {
    const application = await loadDraft(request, reply);
    if (!application) return reply;
    return renderGateway(request, reply, application, []);
  });

  app.post('/short-breaks/applications/:id/eligibility', { config: ACCESS }, async (request, reply) => {
    const application = await loadDraft(request, reply);
    if (!application) return reply;
    const livesInArea = formText(request.body, 'livesInArea');
    const evidence = EVIDENCE.find((choice) => choice === formText(request.body, 'evidence'));
    const errors: FieldError[] = [];
    if (livesInArea !== 'yes' && livesInArea !== 'no')
      errors.push({
        field: 'livesInArea',
        text: request.t('shortBreaks.errors.livesInArea', { council: await councilName(signedInUser(request).laCode) }),
      });
    if (!evidence) errors.push({ field: 'evidence', text: request.t('shortBreaks.errors.evidence') });
    if (errors.length > 0 || !evidence || (livesInArea !== 'yes' && livesInArea !== 'no')) {
      reply.status(400);
      return renderGateway(
        request,
        reply,
        { ...application, eligibility: { livesInArea, evidence: evidence ?? '' } },
        errors,
      );
    }
    await saveDraft(db, application, { eligibility: { livesInArea, evidence } });
    const reasons = ineligibleReasons({ livesInArea, evidence }, ageOn(application.date_of_birth, new Date()), ages);
    return reply.redirect(link(application, reasons.length > 0 ? '/not-eligible' : ''), 303);
  });

  app.get('/short-breaks/applications/:id/not-eligible', { config: ACCESS }, async (request, reply) => {
    const application = await load(request, reply);
    if (!application) return reply;
    const gateway = gatewayOf(application);
    if (!gateway) return reply.redirect(link(application, '/eligibility'), 303);
    const reasons = ineligibleReasons(gateway, ageOn(application.date_of_birth, new Date()), ages);
    const council = await councilName(signedInUser(request).laCode);
    return reply.render('short-breaks/views/not-eligible.njk', {
      application,
      reasons: reasons.map((reason) => request.t(`shortBreaks.notEligible.${reason}`, { max: ages.max, council })),
    });
  });

  function sectionOf(request: FastifyRequest): AboutSection | undefined {
    const section = (request.params as { section: string }).section;
    return section === 'child' || section === 'family' ? section : undefined;
  }

  function renderAbout(
    request: FastifyRequest,
    reply: FastifyReply,
    application: FamilyApplication,
    section: AboutSection,
    values: Record<string, string>,
    errors: FieldError[],
  ) {
    const choices = (name: string, codes: readonly string[]) =>
      codes.map((code) => ({
        value: code,
        text: request.t(`shortBreaks.about.${name}.options.${code}`, { name: application.given_name }),
        checked: values[name] === code,
      }));
    const returnTo =
      (request.query as Record<string, unknown>).return === 'check' || formText(request.body, 'returnTo') === 'check'
        ? 'check'
        : '';
    return reply.render('short-breaks/views/about.njk', {
      application,
      section,
      values,
      returnTo,
      ethnicities: [
        { value: '', text: request.t('shortBreaks.about.ethnicity.choose') },
        ...choices('ethnicity', ETHNICITY_CODES).map((item) => ({ ...item, selected: item.checked })),
      ],
      parentCarers: choices('parentCarers', PARENT_CARERS),
      youngCarers: choices('youngCarers', YOUNG_CARERS),
      errors: errorSummary(errors),
      fieldErrors: Object.fromEntries(ABOUT_FIELDS[section].map((name) => [name, errorFor(errors, name)])),
    });
  }

  app.get('/short-breaks/applications/:id/about/:section', { config: ACCESS }, async (request, reply) => {
    const application = await loadDraft(request, reply);
    if (!application) return reply;
    const section = sectionOf(request);
    if (!section) {
      reply.callNotFound();
      return reply;
    }
    if (!isEligible(application)) return reply.redirect(link(application, '/eligibility'), 303);
    return renderAbout(request, reply, application, section, application.about, []);
  });

  app.post('/short-breaks/applications/:id/about/:section', { config: ACCESS }, async (request, reply) => {
    const application = await loadDraft(request, reply);
    if (!application) return reply;
    const section = sectionOf(request);
    if (!section || !isEligible(application)) {
      reply.callNotFound();
      return reply;
    }
    const values = Object.fromEntries(ABOUT_FIELDS[section].map((name) => [name, formText(request.body, name).trim()]));
    const problems = aboutProblems(section, values);
    const errors = Object.entries(problems).map(([name, problem]) => ({
      field: name,
      text: request.t(`shortBreaks.about.${name}.errors.${problem}`, {
        name: application.given_name,
        max: MAX_CONDITION,
      }),
    }));
    if (errors.length > 0) {
      reply.status(400);
      return renderAbout(request, reply, application, section, values, errors);
    }
    await saveDraft(db, application, { about: values });
    const returnTo = formText(request.body, 'returnTo') === 'check';
    return reply.redirect(link(application, returnTo ? '/check' : ''), 303);
  });

  function questionOf(model: ScoringModel, request: FastifyRequest) {
    const questionId = (request.params as { questionId: string }).questionId;
    return model.questions.find((question) => question.id === questionId);
  }

  function renderQuestion(
    reply: FastifyReply,
    application: FamilyApplication,
    question: ScoringModel['questions'][number],
    chosen: { answer: string; note: string },
    errors: FieldError[],
    returnTo: string,
  ) {
    return reply.render('short-breaks/views/question.njk', {
      application,
      question,
      note: chosen.note,
      noteError: errorFor(errors, 'note'),
      items: question.options.map((option) => ({
        value: option.id,
        text: option.label,
        checked: option.id === chosen.answer,
      })),
      errors: errorSummary(errors),
      answerError: errorFor(errors, 'answer'),
      returnTo,
    });
  }

  app.get('/short-breaks/applications/:id/questions/:questionId', { config: ACCESS }, async (request, reply) => {
    const application = await loadDraft(request, reply);
    if (!application) return reply;
    if (!isEligible(application)) return reply.redirect(link(application, '/eligibility'), 303);
    const { model } = await modelInUse(db, signedInUser(request).laCode);
    const question = questionOf(model, request);
    if (!question) {
      reply.callNotFound();
      return reply;
    }
    const returnTo = (request.query as Record<string, unknown>).return === 'check' ? 'check' : '';
    const chosen = { answer: application.answers[question.id] ?? '', note: application.notes[question.id] ?? '' };
    return renderQuestion(reply, application, question, chosen, [], returnTo);
  });

  app.post('/short-breaks/applications/:id/questions/:questionId', { config: ACCESS }, async (request, reply) => {
    const application = await loadDraft(request, reply);
    if (!application) return reply;
    const { model } = await modelInUse(db, signedInUser(request).laCode);
    const question = questionOf(model, request);
    if (!question || !isEligible(application)) {
      reply.callNotFound();
      return reply;
    }
    const answer = formText(request.body, 'answer');
    const note = formText(request.body, 'note').trim();
    const returnTo = formText(request.body, 'returnTo') === 'check' ? 'check' : '';
    const errors: FieldError[] = [];
    if (!question.options.some((option) => option.id === answer))
      errors.push({ field: 'answer', text: request.t('shortBreaks.errors.answer') });
    if (note.length > MAX_NOTE)
      errors.push({ field: 'note', text: request.t('shortBreaks.errors.note', { max: MAX_NOTE }) });
    if (errors.length > 0) {
      reply.status(400);
      return renderQuestion(reply, application, question, { answer, note }, errors, returnTo);
    }
    await saveDraft(db, application, { questionId: question.id, optionId: answer, note });
    const next = model.questions[model.questions.indexOf(question) + 1];
    return reply.redirect(link(application, returnTo === 'check' || !next ? '/check' : `/questions/${next.id}`), 303);
  });

  async function renderCheck(
    request: FastifyRequest,
    reply: FastifyReply,
    application: FamilyApplication,
    errors: FieldError[],
  ) {
    const { model } = await modelInUse(db, signedInUser(request).laCode);
    const gateway = gatewayOf(application);
    return reply.render('short-breaks/views/check.njk', {
      application,
      gatewayRows: gateway
        ? [
            {
              key: request.t('shortBreaks.eligibility.livesInArea', {
                council: await councilName(signedInUser(request).laCode),
              }),
              value: request.t(`shortBreaks.${gateway.livesInArea}`),
              href: link(application, '/eligibility'),
            },
            {
              key: request.t('shortBreaks.eligibility.evidence'),
              value: request.t(`shortBreaks.evidence.${gateway.evidence}`),
              href: link(application, '/eligibility'),
            },
          ]
        : [],
      aboutRows: (['child', 'family'] as const).flatMap((section) =>
        ABOUT_FIELDS[section].map((name) => {
          const value = application.about[name] ?? '';
          return {
            key: request.t(`shortBreaks.about.${name}.label`, { name: application.given_name }),
            value:
              name === 'condition' || name === 'siblings' || value === ''
                ? value || request.t('shortBreaks.notAnswered')
                : request.t(`shortBreaks.about.${name}.options.${value}`, { name: application.given_name }),
            href: link(application, `/about/${section}?return=check`),
          };
        }),
      ),
      answerRows: model.questions.map((question) => ({
        key: question.text,
        value:
          question.options.find((option) => option.id === application.answers[question.id])?.label ??
          request.t('shortBreaks.notAnswered'),
        href: link(application, `/questions/${question.id}?return=check`),
      })),
      errors: errorSummary(errors),
      declarationError: errorFor(errors, 'declaration'),
    });
  }

  app.get('/short-breaks/applications/:id/check', { config: ACCESS }, async (request, reply) => {
    const application = await load(request, reply);
    if (!application) return reply;
    if (application.status !== 'draft') return reply.redirect(link(application, '/confirmation'), 303);
    return renderCheck(request, reply, application, []);
  });

  app.post('/short-breaks/applications/:id/submit', { config: ACCESS }, async (request, reply) => {
    const application = await load(request, reply);
    if (!application) return reply;
    if (application.status !== 'draft') return reply.redirect(link(application, '/confirmation'), 303);
    const { model } = await modelInUse(db, signedInUser(request).laCode);
    const errors: FieldError[] = [];
    if (!isEligible(application)) errors.push({ field: 'declaration', text: request.t('shortBreaks.errors.gateway') });
    else if (
      model.questions.some((question) => application.answers[question.id] === undefined) ||
      !aboutDone('child', application.about) ||
      !aboutDone('family', application.about)
    )
      errors.push({ field: 'declaration', text: request.t('shortBreaks.errors.unanswered') });
    else if (formText(request.body, 'declaration') !== 'yes')
      errors.push({ field: 'declaration', text: request.t('shortBreaks.errors.declaration') });
    if (errors.length > 0) {
      reply.status(400);
      return renderCheck(request, reply, application, errors);
    }
    await submitApplication(db, signedInUser(request), application, {
      requestId: request.id,
      serviceStandardDays: app.config.shortBreaks.serviceStandardDays,
      baseUrl: app.config.publicUrl,
    });
    return reply.redirect(link(application, '/confirmation'), 303);
  });

  app.get('/short-breaks/applications/:id/decision', { config: ACCESS }, async (request, reply) => {
    const application = await load(request, reply);
    if (!application) return reply;
    const decision = application.decision as (Outcome & { reason?: string; explanations?: string[] }) | null;
    if (application.status !== 'decided' || !decision || !application.decided_at) {
      return reply.redirect(link(application, '/confirmation'), 303);
    }
    const user = signedInUser(request);
    // The decision is part of the child's record, so reading it is audited, as every view of the record is.
    await recordAudit(db, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'view-short-breaks-decision',
      requestId: request.id,
      subjectChildId: application.child_id,
      subjectType: 'short_break_application',
      subjectId: application.id,
    });
    const proposal = application.outcome as { reason?: string; explanations?: string[] } | null;
    // Whoever last changed the outcome the answers suggested says why: the resource panel, or a manager.
    const changedBecause = application.panel_changed
      ? request.t('shortBreaksLetter.changedByPanel', { reason: application.panel_reason ?? '' })
      : application.override_reason
        ? request.t('shortBreaksLetter.changedByManager', { reason: application.override_reason })
        : undefined;
    // An annual review: the family is invited after eleven months, for support to go on after twelve.
    // Months, formatted in the family's language by the page's monthYear filter.
    const monthsAfter = (months: number) => {
      const date = new Date(application.decided_at!);
      date.setUTCMonth(date.getUTCMonth() + months);
      return date;
    };
    const easyRead = (request.query as Record<string, unknown>).format === 'easy-read';
    return reply.render(`short-breaks/views/${easyRead ? 'decision-easy-read' : 'decision'}.njk`, {
      application,
      decision,
      amount: decision.amountPerYear?.toLocaleString('en-GB') ?? '',
      reason: changedBecause ?? proposal?.reason ?? '',
      answers: changedBecause ? [] : (proposal?.explanations ?? []).map((explanation) => ({ explanation })),
      invite: monthsAfter(11),
      review: monthsAfter(12),
    });
  });

  app.get('/short-breaks/applications/:id/confirmation', { config: ACCESS }, async (request, reply) => {
    const application = await load(request, reply);
    if (!application) return reply;
    if (application.status === 'draft') return reply.redirect(link(application), 303);
    return reply.render('short-breaks/views/confirmation.njk', {
      application,
      canWithdraw: mayWithdraw(application.status),
      standard: app.config.shortBreaks.serviceStandardDays,
    });
  });

  app.get('/short-breaks/applications/:id/withdraw', { config: ACCESS }, async (request, reply) => {
    const application = await load(request, reply);
    if (!application) return reply;
    if (!mayWithdraw(application.status)) return reply.redirect(link(application, '/confirmation'), 303);
    return reply.render('short-breaks/views/withdraw.njk', { application, errors: [] });
  });

  app.post('/short-breaks/applications/:id/withdraw', { config: ACCESS }, async (request, reply) => {
    const application = await load(request, reply);
    if (!application) return reply;
    const answer = formText(request.body, 'withdraw');
    if (answer !== 'yes' && answer !== 'no') {
      reply.status(400);
      return reply.render('short-breaks/views/withdraw.njk', {
        application,
        errors: errorSummary([{ field: 'withdraw', text: request.t('shortBreaks.withdraw.error') }]),
        withdrawError: { text: request.t('shortBreaks.withdraw.error') },
      });
    }
    if (answer === 'yes') await withdrawApplication(db, signedInUser(request), application, request.id);
    return reply.redirect(answer === 'yes' ? '/short-breaks' : link(application, '/confirmation'), 303);
  });
}
