// Families' own routes into the front door: "Ask for help" for one of their children, and "I would like a social
// work assessment instead", linked from every page of the short-breaks journey.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FAMILY_ROLES } from '../../web/access.ts';
import { signedInUser } from '../../web/context.ts';
import { errorFor, errorSummary, type FieldError } from '../../web/errors.ts';
import { isUuid } from '../../web/ids.ts';
import { councilContact } from '../administration/service.ts';
import { childrenOfFamilyMember } from '../children/service.ts';
import { familyApplication } from '../short-breaks/service.ts';
import { MAX_REFERRAL_REASON, askForHelp, familyRequests, requestSocialWorkAssessment } from './service.ts';
import { formBody, queryOf, Text, text, textFields, textValues, type TypeBoxTypes } from '../../web/form.ts';

const ASK_FIELDS = ['childId', 'needs', 'tried', 'safeguarding', 'safeguardingDetails'] as const;
const AskForHelpBody = formBody(textFields(ASK_FIELDS));
// The child and the application are chosen on the page, so a wrong one is the person's error to put right.
const AssessmentBody = formBody({ childId: Text(), applicationId: Text(), reason: Text() });

export async function referralRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;

  async function renderRequest(
    request: FastifyRequest,
    reply: FastifyReply,
    chosen: { childId: string; applicationId: string; reason: string },
    errors: FieldError[],
  ) {
    const children = await childrenOfFamilyMember(db, signedInUser(request));
    return reply.render('referrals/views/request.njk', {
      children: children.map((child) => ({
        value: child.id,
        text: `${child.given_name} ${child.family_name}`,
        checked: child.id === chosen.childId || children.length === 1,
      })),
      ...chosen,
      errors: errorSummary(errors),
      childError: errorFor(errors, 'childId'),
      reasonError: errorFor(errors, 'reason'),
    });
  }

  const assessmentQuery = { querystring: queryOf({ application: Text() }) };
  app.get(
    '/social-work-assessment',
    { config: { access: FAMILY_ROLES }, schema: assessmentQuery },
    async (request, reply) => {
      const applicationId = text(request.query.application);
      // Coming from an application, the child is the application's child (only if the application is theirs).
      const application = await familyApplication(db, signedInUser(request), applicationId);
      return renderRequest(
        request,
        reply,
        {
          childId: application ? application.child_id : '',
          applicationId: application ? application.id : '',
          reason: '',
        },
        [],
      );
    },
  );

  const assessmentBody = { body: AssessmentBody };
  app.post(
    '/social-work-assessment',
    { config: { access: FAMILY_ROLES }, schema: assessmentBody },
    async (request, reply) => {
      const chosen = {
        childId: text(request.body.childId),
        applicationId: text(request.body.applicationId),
        reason: text(request.body.reason),
      };
      const errors: FieldError[] = [];
      if (!isUuid(chosen.childId)) errors.push({ field: 'childId', text: request.t('referrals.errors.child') });
      if (chosen.reason.length > MAX_REFERRAL_REASON)
        errors.push({ field: 'reason', text: request.t('referrals.errors.reason', { max: MAX_REFERRAL_REASON }) });
      const id =
        errors.length === 0
          ? await requestSocialWorkAssessment(db, signedInUser(request), {
              childId: chosen.childId,
              applicationId: isUuid(chosen.applicationId) ? chosen.applicationId : null,
              reason: chosen.reason,
              requestId: request.id,
              baseUrl: app.config.publicUrl,
            })
          : undefined;
      if (!id) {
        if (errors.length === 0) errors.push({ field: 'childId', text: request.t('referrals.errors.child') });
        reply.status(400);
        return renderRequest(request, reply, chosen, errors);
      }
      return reply.redirect('/social-work-assessment/sent', 303);
    },
  );

  app.get('/social-work-assessment/sent', { config: { access: FAMILY_ROLES } }, async (_request, reply) =>
    reply.render('referrals/views/sent.njk'),
  );

  async function renderAskForHelp(
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string>,
    errors: FieldError[],
  ) {
    const children = await childrenOfFamilyMember(db, signedInUser(request));
    const requests = await familyRequests(db, signedInUser(request));
    return reply.render('referrals/views/ask-for-help.njk', {
      requests: requests.map((item) => ({
        ...item,
        kindText: request.t(`referrals.kinds.${item.kind}`),
        statusText: request.t(`frontDoor.statuses.${item.outcome ?? item.status}`),
      })),
      children: children.map((child) => ({
        value: child.id,
        text: `${child.given_name} ${child.family_name}`,
        checked: child.id === values.childId || children.length === 1,
      })),
      values,
      errors: errorSummary(errors),
      fieldErrors: Object.fromEntries(errors.map((error) => [error.field, { text: error.text }])),
    });
  }

  app.get('/ask-for-help', { config: { access: FAMILY_ROLES } }, async (request, reply) =>
    renderAskForHelp(request, reply, {}, []),
  );

  app.post(
    '/ask-for-help',
    { config: { access: FAMILY_ROLES }, schema: { body: AskForHelpBody } },
    async (request, reply) => {
      const values: Record<string, string> = textValues(request.body, ASK_FIELDS);
      const errors: FieldError[] = [];
      if (!isUuid(values.childId ?? ''))
        errors.push({ field: 'childId', text: request.t('referrals.ask.errors.child') });
      for (const name of ['needs', 'tried', 'safeguardingDetails'])
        if ((values[name] ?? '').length > MAX_REFERRAL_REASON)
          errors.push({ field: name, text: request.t('referrals.ask.errors.tooLong', { max: MAX_REFERRAL_REASON }) });
      if ((values.needs ?? '') === '') errors.push({ field: 'needs', text: request.t('referrals.ask.errors.needs') });
      if (values.safeguarding !== 'yes' && values.safeguarding !== 'no')
        errors.push({ field: 'safeguarding', text: request.t('referrals.ask.errors.safeguarding') });
      if (values.safeguarding === 'yes' && (values.safeguardingDetails ?? '') === '')
        errors.push({ field: 'safeguardingDetails', text: request.t('referrals.ask.errors.details') });
      const reference =
        errors.length === 0
          ? await askForHelp(db, signedInUser(request), {
              childId: values.childId ?? '',
              needs: values.needs ?? '',
              tried: values.tried ?? '',
              safeguarding: values.safeguarding === 'yes',
              safeguardingDetails: values.safeguardingDetails ?? '',
              requestId: request.id,
              baseUrl: app.config.publicUrl,
            })
          : undefined;
      if (!reference) {
        if (errors.length === 0) errors.push({ field: 'childId', text: request.t('referrals.ask.errors.child') });
        reply.status(400);
        return renderAskForHelp(request, reply, values, errors);
      }
      return reply.redirect(`/ask-for-help/sent?reference=${reference}`, 303);
    },
  );

  const sentQuery = { querystring: queryOf({ reference: Text() }) };
  app.get('/ask-for-help/sent', { config: { access: FAMILY_ROLES }, schema: sentQuery }, async (request, reply) => {
    const reference = text(request.query.reference);
    return reply.render('referrals/views/ask-for-help-sent.njk', {
      reference: /^RF-[0-9A-F]{8}$/.test(reference) ? reference : '',
      contact: await councilContact(db, signedInUser(request).laCode),
    });
  });
}
