// A family asks for their child to be added to their account (/children/add); the front door decides each request
// (/child-requests).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FAMILY_ROLES } from '../../web/access.ts';
import { signedInUser } from '../../web/context.ts';
import { errorFor, errorSummary, type FieldError } from '../../web/errors.ts';
import {
  formBody,
  IdParams,
  queryOf,
  Text,
  textFields,
  textValues,
  WholeNumber,
  type TypeBoxTypes,
} from '../../web/form.ts';
import { isUuid } from '../../web/ids.ts';
import { councilContact } from '../administration/service.ts';
import { ADD_CHILD_FIELDS, readDescribedChild, type AddChildAnswers } from './link-request-validation.ts';
import {
  askToAddChild,
  decideLinkRequest,
  LINK_DECIDERS,
  linkRequestForDecision,
  MAX_DECLINE_REASON,
  waitingLinkRequests,
  type LinkDecision,
} from './link-requests.ts';

const AddChildBody = formBody(textFields(ADD_CHILD_FIELDS));
const DecideBody = formBody({ decision: Text(), reason: Text() }, { version: WholeNumber });
// The staff pages are in English, as the date filter gives dates on them.
const BIRTH_DATE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'Europe/London' });
/** What the list says was done, by the decision made. */
const DONE = { link: 'linked', create: 'created', decline: 'declined' } as const;
const NO_ANSWERS = Object.fromEntries(ADD_CHILD_FIELDS.map((name) => [name, ''])) as AddChildAnswers;

export async function childLinkRequestRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;

  function renderAdd(request: FastifyRequest, reply: FastifyReply, answers: AddChildAnswers, errors: FieldError[]) {
    return reply.render('children/views/add.njk', {
      answers,
      relationships: ['parent', 'carer'].map((value) => ({
        value,
        text: request.t(`children.add.relationships.${value}`),
        checked: answers.relationship === value,
      })),
      errors: errorSummary(errors),
      fieldErrors: Object.fromEntries(errors.map((error) => [error.field, { text: error.text }])),
    });
  }

  app.get('/children/add', { config: { access: FAMILY_ROLES } }, async (request, reply) =>
    renderAdd(request, reply, NO_ANSWERS, []),
  );

  app.post(
    '/children/add',
    { config: { access: FAMILY_ROLES }, schema: { body: AddChildBody } },
    async (request, reply) => {
      const answers = textValues(request.body, ADD_CHILD_FIELDS);
      const { child, errors } = readDescribedChild(answers, request.t);
      if (!child) {
        reply.status(400);
        return renderAdd(request, reply, answers, errors);
      }
      const asked = await askToAddChild(db, signedInUser(request), child, {
        publicUrl: app.config.publicUrl,
        requestId: request.id,
      });
      if (asked.outcome === 'already-on-account') {
        reply.status(400);
        return renderAdd(request, reply, answers, [
          { field: 'givenName', text: request.t('children.add.errors.alreadyOnAccount', { child: child.givenName }) },
        ]);
      }
      return reply.redirect('/children/add/sent', 303);
    },
  );

  app.get('/children/add/sent', { config: { access: FAMILY_ROLES } }, async (request, reply) =>
    reply.render('children/views/add-sent.njk', {
      contact: await councilContact(db, signedInUser(request).laCode),
    }),
  );

  const DECIDE = { config: { access: LINK_DECIDERS } };

  const listQuery = { querystring: queryOf({ done: Text() }) };
  app.get('/child-requests', { ...DECIDE, schema: listQuery }, async (request, reply) => {
    const requests = await waitingLinkRequests(db, signedInUser(request), request.id);
    const done = ['linked', 'created', 'declined'].includes(request.query.done ?? '') ? request.query.done : undefined;
    return reply.render('children/views/link-requests.njk', { requests, done });
  });

  async function renderRequest(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    answers: { decision: string; reason: string },
    errors: FieldError[],
    message?: string,
  ) {
    const found = await linkRequestForDecision(db, signedInUser(request), id, request.id);
    if (!found) {
      reply.callNotFound();
      return reply;
    }
    const { request: asked, matches } = found;
    const { t } = request;
    // Each record that may be the child, saying why and whom else the person would see there; then the other answers.
    const linkItems = matches.map(({ child, reasons, others }) => ({
      value: child.id,
      text: t('childRequests.linkTo', {
        child: `${child.given_name} ${child.family_name}`,
        date: BIRTH_DATE.format(new Date(`${child.date_of_birth}T12:00:00Z`)),
      }),
      hint: {
        text: [
          t('childRequests.alike', {
            reasons: reasons.map((reason) => t(`frontDoor.matching.reasons.${reason}`)).join(', '),
          }),
          others.length > 0
            ? t('childRequests.othersInFamily', {
                children: others.map((other) => `${other.given_name} ${other.family_name}`).join(', '),
              })
            : t('childRequests.noOthers'),
        ].join(' '),
      },
    }));
    const items = [
      ...linkItems,
      ...(linkItems.length > 0 ? [{ divider: t('childRequests.or') }] : []),
      { value: 'create', text: t('childRequests.create'), hint: { text: t('childRequests.createHint') } },
      { value: 'decline', text: t('childRequests.decline'), hint: { text: t('childRequests.declineHint') } },
    ].map((item) => ('value' in item ? { ...item, checked: item.value === answers.decision } : item));
    return reply.render('children/views/link-request.njk', {
      asked,
      message,
      hasMatches: linkItems.length > 0,
      items,
      answers,
      maxReason: MAX_DECLINE_REASON,
      errors: errorSummary(errors),
      decisionError: errorFor(errors, 'decision'),
      reasonError: errorFor(errors, 'reason'),
    });
  }

  app.get('/child-requests/:id', { ...DECIDE, schema: { params: IdParams } }, async (request, reply) =>
    renderRequest(request, reply, request.params.id, { decision: '', reason: '' }, []),
  );

  app.post(
    '/child-requests/:id',
    { ...DECIDE, schema: { params: IdParams, body: DecideBody } },
    async (request, reply) => {
      const answers = { decision: (request.body.decision ?? '').trim(), reason: (request.body.reason ?? '').trim() };
      const errors: FieldError[] = [];
      let decision: LinkDecision | undefined;
      if (isUuid(answers.decision)) decision = { kind: 'link', childId: answers.decision };
      else if (answers.decision === 'create') decision = { kind: 'create' };
      else if (answers.decision === 'decline') {
        if (answers.reason === '') errors.push({ field: 'reason', text: request.t('childRequests.errors.reason') });
        else if (answers.reason.length > MAX_DECLINE_REASON)
          errors.push({
            field: 'reason',
            text: request.t('childRequests.errors.reasonTooLong', { max: MAX_DECLINE_REASON }),
          });
        else decision = { kind: 'decline', reason: answers.reason };
      } else errors.push({ field: 'decision', text: request.t('childRequests.errors.decision') });
      if (!decision) {
        reply.status(400);
        return renderRequest(request, reply, request.params.id, answers, errors);
      }
      const result = await decideLinkRequest(db, signedInUser(request), {
        id: request.params.id,
        seenVersion: request.body.version,
        decision,
        publicUrl: app.config.publicUrl,
        requestId: request.id,
      });
      if (result === 'done') return reply.redirect(`/child-requests?done=${DONE[decision.kind]}`, 303);
      reply.status(409);
      return renderRequest(request, reply, request.params.id, answers, [], request.t(`childRequests.${result}`));
    },
  );
}
