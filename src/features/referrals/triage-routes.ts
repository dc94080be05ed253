// The front door's pages: new referrals with the clock to the one-working-day decision, and one referral with the
// triage decision (and, for no further action, Local Offer services to suggest to the family).
import type { Role } from '../../domain/people.ts';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ReferralOutcome } from '../../db/schema.ts';
import { TRIAGE_OUTCOMES } from '../../domain/front-door/referral.ts';
import { signedInUser } from '../../web/context.ts';
import { errorFor, errorSummary, type FieldError } from '../../web/errors.ts';
import { isUuid } from '../../web/ids.ts';
import { formBody, IdParams, OneOrMany, Text, text, Uuid, WholeNumber, type TypeBoxTypes } from '../../web/form.ts';
import { createChildFromReferral, linkToChild, referredChild } from './linking.ts';
import { possibleMatches } from '../children/service.ts';
import { DECISION_WORKING_DAYS, decideReferral, suggestedServices, triageQueue, viewReferral } from './triage.ts';
import { tierRank } from '../../domain/pathway/tiers.ts';
import { currentEpisode } from '../pathway/service.ts';
import { referralWithOutcome } from './outcomes.ts';
import type { DirectorySearch } from '../directory/search/directory-search.ts';

const READERS: readonly Role[] = ['triage_worker', 'social_worker', 'team_manager'];
const DECIDERS: readonly Role[] = ['triage_worker', 'team_manager'];
const MAX_REASON = 2000;

const DecideBody = formBody({ outcome: Text(), reason: Text(), signposted: OneOrMany() }, { version: WholeNumber });
const CreateChildBody = formBody({}, { version: WholeNumber });
const LinkBody = formBody({}, { version: WholeNumber, childId: Uuid });

/** What the front door chose and typed, given back to the form when it shows an error so nothing is lost. */
interface DecideAnswers {
  outcome: string;
  reason: string;
  signposted: string[];
}
const NO_ANSWERS: DecideAnswers = { outcome: '', reason: '', signposted: [] };

/** The front door's pages; the services it suggests are found through the app's one DirectorySearch. */
export function triageRoutes(search: DirectorySearch): FastifyPluginAsync {
  return (app) => triagePages(app, search);
}

async function triagePages(instance: FastifyInstance, search: DirectorySearch) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;

  app.get('/referrals', { config: { access: READERS } }, async (request, reply) => {
    const referrals = await triageQueue(db, signedInUser(request), request.id);
    return reply.render('referrals/views/list.njk', { referrals, days: DECISION_WORKING_DAYS });
  });

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    message: string | null,
    errors: FieldError[],
    answers: DecideAnswers = NO_ANSWERS,
  ) {
    const user = signedInUser(request);
    const referral = await viewReferral(db, user, id, request.id);
    if (!referral) {
      reply.callNotFound();
      return reply;
    }
    const suggestions =
      referral.status === 'new' && referral.allowed.includes('no_further_action')
        ? await suggestedServices(db, search, user.laCode, referral)
        : [];
    const referred = referral.child_id ? undefined : referredChild(referral.details);
    const matches = referred ? await possibleMatches(db, user.laCode, referred) : [];
    // Who already holds the child, so the front door sees what each decision will do before making it.
    const holder = referral.child_id ? await currentEpisode(db, referral.child_id) : undefined;
    const decided =
      referral.status === 'decided' ? await referralWithOutcome(db, user.laCode, { id: referral.id }) : undefined;
    const effectOf = (outcome: ReferralOutcome) => {
      if (!holder) return request.t(`frontDoor.outcomes.${outcome}.hint`);
      const team = holder.team_name;
      return outcome !== 'no_further_action' && tierRank(outcome) > tierRank(holder.tier)
        ? request.t('frontDoor.holder.stepsUp', { team })
        : request.t('frontDoor.holder.passedOn', { team });
    };
    return reply.render('referrals/views/triage.njk', {
      referral,
      message,
      holder,
      decided,
      canLink: referred !== undefined && user.roles.some((role) => DECIDERS.includes(role)),
      matches: matches.map(({ child, reasons }) => ({
        ...child,
        reasons: reasons.map((reason) => request.t(`frontDoor.matching.reasons.${reason}`)).join(', '),
      })),
      canDecide: referral.status === 'new' && user.roles.some((role) => DECIDERS.includes(role)),
      outcomes: referral.allowed.map((outcome) => ({
        value: outcome,
        text: request.t(`frontDoor.outcomes.${outcome}.label`),
        hint: { text: effectOf(outcome) },
      })),
      suggestions: suggestions.map((service) => ({ value: service.id, text: service.name })),
      answers,
      errors: errorSummary(errors),
      outcomeError: errorFor(errors, 'outcome'),
      reasonError: errorFor(errors, 'reason'),
    });
  }

  app.get('/referrals/:id', { config: { access: READERS }, schema: { params: IdParams } }, async (request, reply) =>
    render(request, reply, request.params.id, null, []),
  );

  const decideSchema = { params: IdParams, body: DecideBody };
  app.post('/referrals/:id/decide', { config: { access: DECIDERS }, schema: decideSchema }, async (request, reply) => {
    const user = signedInUser(request);
    const { id } = request.params;
    const seenVersion = request.body.version;
    const referral = await viewReferral(db, user, id, request.id);
    if (!referral) {
      reply.callNotFound();
      return reply;
    }
    const outcome = TRIAGE_OUTCOMES.find((candidate) => candidate === text(request.body.outcome));
    const reason = text(request.body.reason);
    const answers: DecideAnswers = {
      outcome: outcome ?? '',
      reason,
      signposted: (request.body.signposted ?? []).filter(isUuid),
    };
    const errors: FieldError[] = [];
    if (!outcome) errors.push({ field: 'outcome', text: request.t('frontDoor.errors.outcome') });
    if (reason === '' || reason.length > MAX_REASON)
      errors.push({ field: 'reason', text: request.t('frontDoor.errors.reason', { max: MAX_REASON }) });
    if (errors.length > 0 || !outcome) {
      reply.status(400);
      return render(request, reply, id, null, errors, answers);
    }
    const signposted = outcome === 'no_further_action' ? answers.signposted : [];
    const result = await decideReferral(db, user, {
      referral,
      seenVersion,
      outcome: outcome satisfies ReferralOutcome,
      reason,
      signposted,
      outcomeText: request.t(`frontDoor.outcomes.${outcome}.label`),
      requestId: request.id,
      baseUrl: app.config.publicUrl,
    });
    if (result === 'not-allowed') {
      reply.status(400);
      return render(
        request,
        reply,
        id,
        null,
        [{ field: 'outcome', text: request.t('frontDoor.errors.specialistOnly') }],
        answers,
      );
    }
    if (result === 'needs-record') {
      reply.status(400);
      return render(
        request,
        reply,
        id,
        null,
        [{ field: 'outcome', text: request.t('frontDoor.errors.needsRecord') }],
        answers,
      );
    }
    if (result === 'changed-since') {
      reply.status(409);
      return render(request, reply, id, request.t('frontDoor.alreadyDecided'), []);
    }
    return reply.redirect(`/referrals/${id}`, 303);
  });

  async function afterLinking(request: FastifyRequest, reply: FastifyReply, id: string, result: string) {
    if (result === 'done') return reply.redirect(`/referrals/${id}`, 303);
    reply.status(409);
    const messages: Record<string, string> = {
      'nhs-number-in-use': 'frontDoor.matching.nhsInUse',
      'upn-in-use': 'frontDoor.matching.upnInUse',
    };
    return render(request, reply, id, request.t(messages[result] ?? 'frontDoor.matching.changedSince'), []);
  }

  const linkSchema = { params: IdParams, body: LinkBody };
  app.post('/referrals/:id/link', { config: { access: DECIDERS }, schema: linkSchema }, async (request, reply) => {
    const { id } = request.params;
    const result = await linkToChild(db, signedInUser(request), {
      referralId: id,
      seenVersion: request.body.version,
      childId: request.body.childId,
      requestId: request.id,
      baseUrl: app.config.publicUrl,
    });
    return afterLinking(request, reply, id, result);
  });

  const createSchema = { params: IdParams, body: CreateChildBody };
  app.post(
    '/referrals/:id/create-child',
    { config: { access: DECIDERS }, schema: createSchema },
    async (request, reply) => {
      const { id } = request.params;
      const referral = await viewReferral(db, signedInUser(request), id, request.id);
      const referred = referral && !referral.child_id ? referredChild(referral.details) : undefined;
      if (!referred) {
        reply.callNotFound();
        return reply;
      }
      const result = await createChildFromReferral(db, signedInUser(request), {
        referralId: id,
        seenVersion: request.body.version,
        referred,
        requestId: request.id,
        baseUrl: app.config.publicUrl,
      });
      return afterLinking(request, reply, id, result);
    },
  );
}
