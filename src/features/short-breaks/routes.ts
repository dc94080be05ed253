// The family's short-breaks application, GOV.UK style: a start page, a task list, the gateway, one question per
// page, check your answers with a declaration, and a confirmation with a reference. Drafts are saved as the
// family goes, so they can stop and come back.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { inLanguage, modelInLanguage, type Outcome, type ScoringModel } from '../../domain/scoring/model.ts';
import { EVIDENCE, ageOn, ineligibleReasons } from '../../domain/short-breaks/eligibility.ts';
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
import { shortBreaksPolicy } from '../administration/settings.ts';
import { signedInUser } from '../../web/context.ts';
import { errorFor, errorSummary, type FieldError } from '../../web/errors.ts';
import { councilName as councilNameOf } from '../administration/service.ts';
import { modelAtVersion, modelInUse } from '../scoring/service.ts';
import { evidenceList } from './evidence.ts';
import { reviewDue, startReview } from './reviews.ts';
import {
  auditDecisionView,
  familyApplication,
  familyApplications,
  gatewayOf,
  isEligible as passesGateway,
  mayWithdraw,
  withdrawApplication,
  saveDraft,
  startApplication,
  submitApplication,
  type FamilyApplication,
} from './service.ts';
import { formBody, IdParams, queryOf, Text, text, textFields, Uuid, type TypeBoxTypes } from '../../web/form.ts';

const ACCESS = { access: FAMILY_ROLES };
const APPLICATION = { config: ACCESS, schema: { params: IdParams } };
const MAX_NOTE = 2000;

const ReturnQuery = queryOf({ return: Text() });
const AboutParams = Type.Object({ id: Uuid, section: Text(50) });
const AboutBody = formBody(textFields([...ABOUT_FIELDS.child, ...ABOUT_FIELDS.family, 'returnTo']));
const QuestionParams = Type.Object({ id: Uuid, questionId: Text(200) });
const QuestionBody = formBody({ answer: Text(), note: Text(), returnTo: Text() });

export async function shortBreaksRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;

  async function load(request: FastifyRequest, reply: FastifyReply, id: string) {
    const application = await familyApplication(db, signedInUser(request), id);
    if (!application) reply.callNotFound();
    return application;
  }

  /** A draft to change; a sent application goes to its confirmation instead, unchanged. */
  async function loadDraft(request: FastifyRequest, reply: FastifyReply, id: string) {
    const application = await load(request, reply, id);
    if (application && application.status !== 'draft') {
      await reply.redirect(`/short-breaks/applications/${application.id}/confirmation`, 303);
      return undefined;
    }
    return application;
  }

  /** The council's short-breaks policy in force today, for the family's council. */
  const policyFor = (request: FastifyRequest) => shortBreaksPolicy(db, signedInUser(request).laCode);
  const isEligible = async (request: FastifyRequest, application: FamilyApplication) =>
    passesGateway(application, (await policyFor(request)).ages);

  // A council's name does not change while the app runs, and the gateway's pages ask for it often.
  const councilNames = new Map<string, string>();
  async function councilName(laCode: string): Promise<string> {
    let name = councilNames.get(laCode);
    if (!name) {
      name = await councilNameOf(db, laCode);
      councilNames.set(laCode, name);
    }
    return name;
  }

  const link = (application: FamilyApplication, page = '') => `/short-breaks/applications/${application.id}${page}`;

  app.get('/short-breaks', { config: ACCESS }, async (request, reply) => {
    const children = await familyApplications(db, signedInUser(request), request.id);
    return reply.render('short-breaks/views/start.njk', {
      children: children.map((child) => ({
        ...child,
        reviewDue: reviewDue({ status: child.status ?? '', decided_at: child.decided_at }),
      })),
    });
  });

  const startSchema = { body: formBody({ childId: Text() }) };
  app.post('/short-breaks/start', { config: ACCESS, schema: startSchema }, async (request, reply) => {
    const id = await startApplication(db, signedInUser(request), text(request.body.childId), request.id);
    if (!id) {
      reply.callNotFound();
      return reply;
    }
    return reply.redirect(`/short-breaks/applications/${id}`, 303);
  });

  app.post('/short-breaks/applications/:id/review', APPLICATION, async (request, reply) => {
    const application = await load(request, reply, request.params.id);
    if (!application) return reply;
    const id = await startReview(db, signedInUser(request), application, request.id);
    return reply.redirect(id ? `/short-breaks/applications/${id}` : '/short-breaks', 303);
  });

  app.get('/short-breaks/applications/:id', APPLICATION, async (request, reply) => {
    const application = await load(request, reply, request.params.id);
    if (!application) return reply;
    if (application.status !== 'draft') return reply.redirect(link(application, '/confirmation'), 303);
    const { model } = await modelInUse(db, signedInUser(request).laCode);
    const answered = model.questions.filter((question) => application.answers[question.id] !== undefined).length;
    const eligible = await isEligible(request, application);
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

  app.get('/short-breaks/applications/:id/eligibility', APPLICATION, async (request, reply) => {
    const application = await loadDraft(request, reply, request.params.id);
    if (!application) return reply;
    return renderGateway(request, reply, application, []);
  });

  const eligibilitySchema = { params: IdParams, body: formBody({ livesInArea: Text(), evidence: Text() }) };
  app.post(
    '/short-breaks/applications/:id/eligibility',
    { config: ACCESS, schema: eligibilitySchema },
    async (request, reply) => {
      const application = await loadDraft(request, reply, request.params.id);
      if (!application) return reply;
      const livesInArea = text(request.body.livesInArea);
      const evidence = EVIDENCE.find((choice) => choice === text(request.body.evidence));
      const errors: FieldError[] = [];
      if (livesInArea !== 'yes' && livesInArea !== 'no')
        errors.push({
          field: 'livesInArea',
          text: request.t('shortBreaks.errors.livesInArea', {
            council: await councilName(signedInUser(request).laCode),
          }),
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
      const { ages } = await policyFor(request);
      const reasons = ineligibleReasons({ livesInArea, evidence }, ageOn(application.date_of_birth, new Date()), ages);
      return reply.redirect(link(application, reasons.length > 0 ? '/not-eligible' : ''), 303);
    },
  );

  app.get('/short-breaks/applications/:id/not-eligible', APPLICATION, async (request, reply) => {
    const application = await load(request, reply, request.params.id);
    if (!application) return reply;
    const gateway = gatewayOf(application);
    if (!gateway) return reply.redirect(link(application, '/eligibility'), 303);
    const { ages } = await policyFor(request);
    const reasons = ineligibleReasons(gateway, ageOn(application.date_of_birth, new Date()), ages);
    const council = await councilName(signedInUser(request).laCode);
    return reply.render('short-breaks/views/not-eligible.njk', {
      application,
      reasons: reasons.map((reason) => request.t(`shortBreaks.notEligible.${reason}`, { max: ages.max, council })),
    });
  });

  function sectionOf(section: string): AboutSection | undefined {
    return section === 'child' || section === 'family' ? section : undefined;
  }

  function renderAbout(
    request: FastifyRequest,
    reply: FastifyReply,
    application: FamilyApplication,
    section: AboutSection,
    values: Record<string, string>,
    errors: FieldError[],
    returnTo: string,
  ) {
    const choices = (name: string, codes: readonly string[]) =>
      codes.map((code) => ({
        value: code,
        text: request.t(`shortBreaks.about.${name}.options.${code}`, { name: application.given_name }),
        checked: values[name] === code,
      }));
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

  const aboutPage = { params: AboutParams, querystring: ReturnQuery };
  app.get(
    '/short-breaks/applications/:id/about/:section',
    { config: ACCESS, schema: aboutPage },
    async (request, reply) => {
      const application = await loadDraft(request, reply, request.params.id);
      if (!application) return reply;
      const section = sectionOf(request.params.section);
      if (!section) {
        reply.callNotFound();
        return reply;
      }
      if (!(await isEligible(request, application))) return reply.redirect(link(application, '/eligibility'), 303);
      const returnTo = request.query.return === 'check' ? 'check' : '';
      return renderAbout(request, reply, application, section, application.about, [], returnTo);
    },
  );

  const aboutForm = { params: AboutParams, querystring: ReturnQuery, body: AboutBody };
  app.post(
    '/short-breaks/applications/:id/about/:section',
    { config: ACCESS, schema: aboutForm },
    async (request, reply) => {
      const application = await loadDraft(request, reply, request.params.id);
      if (!application) return reply;
      const section = sectionOf(request.params.section);
      if (!section || !(await isEligible(request, application))) {
        reply.callNotFound();
        return reply;
      }
      const values = Object.fromEntries(ABOUT_FIELDS[section].map((name) => [name, text(request.body[name])]));
      const returnTo = text(request.body.returnTo) === 'check';
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
        const returnToPage = request.query.return === 'check' || returnTo ? 'check' : '';
        return renderAbout(request, reply, application, section, values, errors, returnToPage);
      }
      await saveDraft(db, application, { about: values });
      return reply.redirect(link(application, returnTo ? '/check' : ''), 303);
    },
  );

  /** The model in use, in the family's language where it is translated. */
  async function familyModel(request: FastifyRequest): Promise<ScoringModel> {
    const { model } = await modelInUse(db, signedInUser(request).laCode);
    return modelInLanguage(model, request.language);
  }

  function questionOf(model: ScoringModel, questionId: string) {
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

  const questionPage = { params: QuestionParams, querystring: ReturnQuery };
  app.get(
    '/short-breaks/applications/:id/questions/:questionId',
    { config: ACCESS, schema: questionPage },
    async (request, reply) => {
      const application = await loadDraft(request, reply, request.params.id);
      if (!application) return reply;
      if (!(await isEligible(request, application))) return reply.redirect(link(application, '/eligibility'), 303);
      const model = await familyModel(request);
      const question = questionOf(model, request.params.questionId);
      if (!question) {
        reply.callNotFound();
        return reply;
      }
      const returnTo = request.query.return === 'check' ? 'check' : '';
      const chosen = { answer: application.answers[question.id] ?? '', note: application.notes[question.id] ?? '' };
      return renderQuestion(reply, application, question, chosen, [], returnTo);
    },
  );

  const questionForm = { params: QuestionParams, body: QuestionBody };
  app.post(
    '/short-breaks/applications/:id/questions/:questionId',
    { config: ACCESS, schema: questionForm },
    async (request, reply) => {
      const application = await loadDraft(request, reply, request.params.id);
      if (!application) return reply;
      const model = await familyModel(request);
      const question = questionOf(model, request.params.questionId);
      if (!question || !(await isEligible(request, application))) {
        reply.callNotFound();
        return reply;
      }
      const answer = text(request.body.answer);
      const note = text(request.body.note);
      const returnTo = text(request.body.returnTo) === 'check' ? 'check' : '';
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
    },
  );

  async function renderCheck(
    request: FastifyRequest,
    reply: FastifyReply,
    application: FamilyApplication,
    errors: FieldError[],
  ) {
    const model = await familyModel(request);
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

  app.get('/short-breaks/applications/:id/check', APPLICATION, async (request, reply) => {
    const application = await load(request, reply, request.params.id);
    if (!application) return reply;
    if (application.status !== 'draft') return reply.redirect(link(application, '/confirmation'), 303);
    return renderCheck(request, reply, application, []);
  });

  /** What the check page says when a draft cannot be sent yet. */
  const NOT_READY = {
    'not-eligible': 'shortBreaks.errors.gateway',
    unanswered: 'shortBreaks.errors.unanswered',
    'not-declared': 'shortBreaks.errors.declaration',
  } as const;

  const submitSchema = { params: IdParams, body: formBody({ declaration: Text() }) };
  app.post(
    '/short-breaks/applications/:id/submit',
    { config: ACCESS, schema: submitSchema },
    async (request, reply) => {
      const application = await load(request, reply, request.params.id);
      if (!application) return reply;
      if (application.status !== 'draft') return reply.redirect(link(application, '/confirmation'), 303);
      const policy = await policyFor(request);
      const result = await submitApplication(db, signedInUser(request), application, {
        requestId: request.id,
        serviceStandardDays: policy.serviceStandardDays,
        baseUrl: app.config.publicUrl,
        ages: policy.ages,
        declared: text(request.body.declaration) === 'yes',
      });
      if (!result.submitted) {
        reply.status(400);
        return renderCheck(request, reply, application, [
          { field: 'declaration', text: request.t(NOT_READY[result.notReady]) },
        ]);
      }
      return reply.redirect(link(application, '/confirmation'), 303);
    },
  );

  const decisionSchema = { params: IdParams, querystring: queryOf({ format: Text() }) };
  app.get(
    '/short-breaks/applications/:id/decision',
    { config: ACCESS, schema: decisionSchema },
    async (request, reply) => {
      const application = await load(request, reply, request.params.id);
      if (!application) return reply;
      const decision = application.decision as (Outcome & { reason?: string; explanations?: string[] }) | null;
      if (application.status !== 'decided' || !decision || !application.decided_at) {
        return reply.redirect(link(application, '/confirmation'), 303);
      }
      await auditDecisionView(db, signedInUser(request), application, request.id);
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
      const easyRead = request.query.format === 'easy-read';
      // The words the decision was made with, in the family's language where that version of the model has them.
      const model = await modelAtVersion(db, signedInUser(request).laCode, application.model_version);
      const say = (english: string) => inLanguage(model, request.language, english);
      return reply.render(`short-breaks/views/${easyRead ? 'decision-easy-read' : 'decision'}.njk`, {
        application,
        decision: { ...decision, label: say(decision.label) },
        amount: decision.amountPerYear?.toLocaleString('en-GB') ?? '',
        reason: changedBecause ?? say(proposal?.reason ?? ''),
        answers: changedBecause
          ? []
          : (proposal?.explanations ?? []).map((explanation) => ({ explanation: say(explanation) })),
        invite: monthsAfter(11),
        review: monthsAfter(12),
      });
    },
  );

  app.get('/short-breaks/applications/:id/confirmation', APPLICATION, async (request, reply) => {
    const application = await load(request, reply, request.params.id);
    if (!application) return reply;
    if (application.status === 'draft') return reply.redirect(link(application), 303);
    return reply.render('short-breaks/views/confirmation.njk', {
      application,
      canWithdraw: mayWithdraw(application.status),
      standard: (await policyFor(request)).serviceStandardDays,
    });
  });

  app.get('/short-breaks/applications/:id/withdraw', APPLICATION, async (request, reply) => {
    const application = await load(request, reply, request.params.id);
    if (!application) return reply;
    if (!mayWithdraw(application.status)) return reply.redirect(link(application, '/confirmation'), 303);
    return reply.render('short-breaks/views/withdraw.njk', { application, errors: [] });
  });

  const withdrawSchema = { params: IdParams, body: formBody({ withdraw: Text() }) };
  app.post(
    '/short-breaks/applications/:id/withdraw',
    { config: ACCESS, schema: withdrawSchema },
    async (request, reply) => {
      const application = await load(request, reply, request.params.id);
      if (!application) return reply;
      const answer = text(request.body.withdraw);
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
    },
  );
}
