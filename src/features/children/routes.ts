// A family's list of their children, and a child's record: who they are, where they are on the pathway (tier,
// episode, team, worker), their timeline, and for staff the forms that step them up or down and allocate a worker.
import type { Role } from '../../domain/people.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CLOSURE_REASONS, TIERS, mayTransition, type Tier } from '../../domain/pathway/tiers.ts';
import { CASEWORK_ROLES, FAMILY_ROLES } from '../../web/access.ts';
import { signedInUser } from '../../web/context.ts';
import { errorFor, errorSummary, type FieldError } from '../../web/errors.ts';
import {
  allocateEpisode,
  assessmentClock,
  authoriseAssessment,
  childTimeline,
  currentEpisode,
  recordAssessment,
  teamWorkers,
  type TransitionResult,
} from '../pathway/service.ts';
import { ASSESSMENT_FACTORS, DISABILITY_CODES } from '../../domain/census/codes.ts';
import { decideStepDown, moveChild, waitingProposal } from '../pathway/moves.ts';
import { closeSafetyWorry, mayCloseWorries, openSafetyWorries } from '../pathway/worries.ts';
import { RECORD_KEEPERS } from './identity.ts';
import { householdOf, recordDisabilities, staffMaySeeChild, viewChildRecord } from './service.ts';
import { formBody, OneOrMany, Text, Uuid, UuidOrEmpty, WholeNumber, text, type TypeBoxTypes } from '../../web/form.ts';
import { Type } from '@sinclair/typebox';

const MOVERS: readonly Role[] = ['team_manager', 'social_worker', 'short_breaks_officer'];
const MANAGERS: readonly Role[] = ['team_manager'];
const DISABILITY_RECORDERS: readonly Role[] = [
  'triage_worker',
  'short_breaks_officer',
  'social_worker',
  'team_manager',
];
const ASSESSORS: readonly Role[] = ['social_worker', 'team_manager'];
/** The census code for "no factors identified", which cannot go with any other. */
const NO_FACTORS = '21';
const MAX_REASON = 2000;

const ChildParams = Type.Object({ childId: Uuid });

/** What was chosen and typed in the move form, given back to it when it shows an error so nothing is lost. */
interface MoveAnswers {
  to: string;
  reason: string;
  closureReason: string;
}
const NO_MOVE_ANSWERS: MoveAnswers = { to: '', reason: '', closureReason: '' };
/** What the record's forms about the current episode carry in hidden fields. */
const EPISODE = { episodeId: Uuid, version: WholeNumber };

export async function childrenRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;

  async function renderRecord(
    request: FastifyRequest,
    reply: FastifyReply,
    childId: string,
    message: string | null,
    errors: FieldError[],
    moveAnswers: MoveAnswers = NO_MOVE_ANSWERS,
  ) {
    const user = signedInUser(request);
    const child = await viewChildRecord(db, user, childId, request.id);
    if (!child) {
      reply.callNotFound();
      return reply;
    }
    const staff = user.roles.some((role) => (CASEWORK_ROLES as readonly string[]).includes(role));
    // Only the manager of the team the child is open to allocates a worker.
    const allocatingTeam =
      child.open_team_id !== null && user.roles.includes('team_manager') && user.teamIds.includes(child.open_team_id)
        ? child.open_team_id
        : null;
    // Independent reads, so they go to the database together rather than one after another.
    const [episode, { carers, siblings, members }, timeline, teamMembers, worries] = await Promise.all([
      staff ? currentEpisode(db, child.id) : undefined,
      householdOf(db, user, child),
      staff ? childTimeline(db, child.id) : [],
      allocatingTeam ? teamWorkers(db, allocatingTeam) : [],
      staff ? openSafetyWorries(db, child.id) : [],
    ]);
    const proposal = episode ? await waitingProposal(db, episode.id) : undefined;
    const tier: Tier = episode?.tier ?? 'universal';
    const canAllocate = episode !== undefined && allocatingTeam === episode.team_id;
    const clock = episode ? assessmentClock(episode) : undefined;
    const people = members.map((member) => ({
      id: member.id,
      name: member.name,
      relationship: request.t(`children.relationships.${member.relationship}`),
      born: member.date_of_birth,
      parentalResponsibility: member.parental_responsibility,
      livesWithChild: member.lives_with_child,
    }));
    return reply.render('children/views/record.njk', {
      child,
      staff,
      episode,
      tier,
      clock,
      carers: carers.map((carer) => ({
        name: carer.display_name,
        relationship: request.t(`children.relationships.${carer.relationship}`),
      })),
      siblings,
      livesWith: people.filter((person) => person.livesWithChild),
      livesElsewhere: people.filter((person) => !person.livesWithChild),
      canKeepRecord: staff && user.roles.some((role) => RECORD_KEEPERS.includes(role)),
      canAuthorise: canAllocate && clock !== undefined && !clock.stopped,
      canRecordDisabilities: staff && user.roles.some((role) => DISABILITY_RECORDERS.includes(role)),
      disabilities: DISABILITY_CODES.map((code) => ({
        value: code,
        text: request.t(`census.disabilities.${code}`),
        checked: child.disability_codes.includes(code),
      })),
      canRecordAssessment:
        episode !== undefined &&
        clock?.stopped === true &&
        !episode.assessment_completed_at &&
        user.teamIds.includes(episode.team_id) &&
        user.roles.some((role) => ASSESSORS.includes(role)),
      factors: ASSESSMENT_FACTORS.map((code) => ({ value: code, text: request.t(`census.assessmentFactors.${code}`) })),
      recordedFactors: (episode?.assessment_factors ?? []).map((code) => request.t(`census.assessmentFactors.${code}`)),
      message,
      errors: errorSummary(errors),
      workerError: errorFor(errors, 'workerId'),
      moveAnswers,
      toError: errorFor(errors, 'to'),
      reasonError: errorFor(errors, 'reason'),
      closureReasonError: errorFor(errors, 'closureReason'),
      // While a step-down waits for a manager, the child is moved by deciding it, not by another move.
      moves: (proposal ? [] : TIERS.filter((to) => mayTransition(user.roles, tier, to))).map((to) => ({
        value: to,
        text: request.t(`pathway.moveTo.${to}`),
      })),
      closureReasons: [
        { value: '', text: request.t('pathway.closure.choose') },
        ...CLOSURE_REASONS.map((code) => ({
          value: code,
          text: request.t(`pathway.closure.${code}`),
          selected: code === moveAnswers.closureReason,
        })),
      ],
      // Nobody is chosen for the manager until they choose, unless the child already has a worker.
      workers: canAllocate
        ? [
            ...(episode.worker_id ? [] : [{ value: '', text: request.t('pathway.unallocated.choose') }]),
            ...teamMembers.map((worker) => ({
              value: worker.id,
              text: worker.display_name,
              selected: worker.id === episode.worker_id,
            })),
          ]
        : [],
      timeline,
      worries,
      canCloseWorries: mayCloseWorries(user, child.open_team_id),
      proposal: proposal
        ? {
            ...proposal,
            closure: proposal.closure_reason_code ? request.t(`pathway.closure.${proposal.closure_reason_code}`) : null,
          }
        : undefined,
      canDecideProposal: proposal !== undefined && canAllocate,
      movesNeedAgreement: !user.roles.includes('team_manager'),
    });
  }

  /** After a change on the record: back to the record, or the record again saying why nothing changed. */
  async function afterChange(request: FastifyRequest, reply: FastifyReply, childId: string, result: TransitionResult) {
    if (result === 'done') return reply.redirect(`/children/${childId}`, 303);
    reply.status(result === 'not-allowed' ? 403 : 409);
    return renderRecord(request, reply, childId, request.t(`pathway.${result}`), []);
  }

  app.get(
    '/children/:childId',
    { config: { access: [...FAMILY_ROLES, ...CASEWORK_ROLES] }, schema: { params: ChildParams } },
    async (request, reply) => renderRecord(request, reply, request.params.childId, null, []),
  );

  const MoveBody = formBody({ to: Text(), episodeId: UuidOrEmpty, reason: Text(), closureReason: Text() });
  app.post(
    '/children/:childId/move',
    { config: { access: MOVERS }, schema: { params: ChildParams, body: MoveBody } },
    async (request, reply) => {
      const { childId } = request.params;
      const to = TIERS.find((tier) => tier === text(request.body.to));
      const seenEpisodeId = text(request.body.episodeId);
      const reason = text(request.body.reason);
      const closure = CLOSURE_REASONS.find((code) => code === text(request.body.closureReason)) ?? null;
      const errors: FieldError[] = [];
      if (!to) errors.push({ field: 'to', text: request.t('pathway.errors.to') });
      if (reason === '' || reason.length > MAX_REASON)
        errors.push({ field: 'reason', text: request.t('pathway.errors.reason', { max: MAX_REASON }) });
      if (to === 'universal' && !closure)
        errors.push({ field: 'closureReason', text: request.t('pathway.errors.closure') });
      const answers: MoveAnswers = { to: to ?? '', reason, closureReason: closure ?? '' };
      if (errors.length > 0 || !to) {
        reply.status(400);
        return renderRecord(request, reply, request.params.childId, null, errors, answers);
      }
      const result = await moveChild(db, signedInUser(request), {
        childId,
        seenEpisodeId: seenEpisodeId === '' ? null : seenEpisodeId,
        to,
        reason,
        closureReasonCode: to === 'universal' ? closure : null,
        requestId: request.id,
        baseUrl: app.config.publicUrl,
      });
      if (result === 'closure-does-not-fit') {
        reply.status(400);
        return renderRecord(
          request,
          reply,
          request.params.childId,
          null,
          [{ field: 'closureReason', text: request.t('pathway.errors.closureNeedsAssessment') }],
          answers,
        );
      }
      if (result !== 'done' && result !== 'proposed') {
        reply.status(result === 'not-allowed' ? 403 : 409);
        return renderRecord(request, reply, request.params.childId, request.t(`pathway.${result}`), []);
      }
      return reply.redirect(`/children/${childId}`, 303);
    },
  );

  const AllocateBody = formBody({ workerId: UuidOrEmpty }, EPISODE);
  app.post(
    '/children/:childId/allocate',
    { config: { access: MANAGERS }, schema: { params: ChildParams, body: AllocateBody } },
    async (request, reply) => {
      const { episodeId, version: seenVersion } = request.body;
      const workerId = request.body.workerId ?? '';
      if (workerId === '') {
        reply.status(400);
        return renderRecord(request, reply, request.params.childId, null, [
          { field: 'workerId', text: request.t('pathway.errors.worker') },
        ]);
      }
      const result = await allocateEpisode(db, signedInUser(request), {
        episodeId,
        seenVersion,
        workerId,
        requestId: request.id,
        baseUrl: app.config.publicUrl,
      });
      return afterChange(request, reply, request.params.childId, result);
    },
  );

  app.post(
    '/children/:childId/authorise-assessment',
    { config: { access: MANAGERS }, schema: { params: ChildParams, body: formBody({}, EPISODE) } },
    async (request, reply) => {
      const { episodeId, version: seenVersion } = request.body;
      const result = await authoriseAssessment(db, signedInUser(request), {
        episodeId,
        seenVersion,
        requestId: request.id,
      });
      return afterChange(request, reply, request.params.childId, result);
    },
  );

  app.post(
    '/children/:childId/disabilities',
    {
      config: { access: DISABILITY_RECORDERS },
      schema: { params: ChildParams, body: formBody({ disabilities: OneOrMany() }) },
    },
    async (request, reply) => {
      const user = signedInUser(request);
      const { childId } = request.params;
      if (!(await staffMaySeeChild(db, user, childId))) {
        reply.callNotFound();
        return reply;
      }
      const codes = (request.body.disabilities ?? []).filter((code) =>
        (DISABILITY_CODES as readonly string[]).includes(code),
      );
      if (codes.length === 0 || (codes.includes('NONE') && codes.length > 1)) {
        reply.status(400);
        return renderRecord(request, reply, request.params.childId, null, [
          { field: 'disabilities', text: request.t('pathway.errors.disabilities') },
        ]);
      }
      if (!(await recordDisabilities(db, user, { childId, codes, requestId: request.id }))) {
        reply.callNotFound();
        return reply;
      }
      return reply.redirect(`/children/${childId}`, 303);
    },
  );

  app.post(
    '/children/:childId/assessment',
    {
      config: { access: ASSESSORS },
      schema: { params: ChildParams, body: formBody({ factors: OneOrMany() }, EPISODE) },
    },
    async (request, reply) => {
      const { episodeId, version: seenVersion } = request.body;
      const factors = (request.body.factors ?? []).filter((code) =>
        (ASSESSMENT_FACTORS as readonly string[]).includes(code),
      );
      if (factors.length === 0 || (factors.includes(NO_FACTORS) && factors.length > 1)) {
        reply.status(400);
        return renderRecord(request, reply, request.params.childId, null, [
          { field: 'factors', text: request.t('pathway.errors.factors') },
        ]);
      }
      const result = await recordAssessment(db, signedInUser(request), {
        episodeId,
        seenVersion,
        factors,
        requestId: request.id,
      });
      return afterChange(request, reply, request.params.childId, result);
    },
  );

  app.post(
    '/children/:childId/worries/:referralId/close',
    {
      config: { access: MANAGERS },
      schema: { params: Type.Object({ childId: Uuid, referralId: Uuid }), body: formBody({ reason: Text() }) },
    },
    async (request, reply) => {
      const { childId, referralId } = request.params;
      const reason = text(request.body.reason);
      if (reason === '' || reason.length > MAX_REASON) {
        reply.status(400);
        return renderRecord(request, reply, request.params.childId, null, [
          { field: `worry-${referralId}`, text: request.t('pathway.errors.worryReason', { max: MAX_REASON }) },
        ]);
      }
      const result = await closeSafetyWorry(db, signedInUser(request), {
        childId,
        referralId,
        reason,
        requestId: request.id,
        baseUrl: app.config.publicUrl,
      });
      return afterChange(request, reply, request.params.childId, result);
    },
  );

  app.post(
    '/children/:childId/step-down/:proposalId',
    {
      config: { access: MANAGERS },
      schema: {
        params: Type.Object({ childId: Uuid, proposalId: Uuid }),
        body: formBody({ decision: Text(), reason: Text() }),
      },
    },
    async (request, reply) => {
      const { proposalId } = request.params;
      const decision = text(request.body.decision);
      const reason = text(request.body.reason);
      const errors: FieldError[] = [];
      if (decision !== 'agree' && decision !== 'refuse')
        errors.push({ field: 'decision', text: request.t('pathway.errors.proposalDecision') });
      if (reason === '' || reason.length > MAX_REASON)
        errors.push({ field: 'proposalReason', text: request.t('pathway.errors.reason', { max: MAX_REASON }) });
      if (errors.length > 0) {
        reply.status(400);
        return renderRecord(request, reply, request.params.childId, null, errors);
      }
      const result = await decideStepDown(db, signedInUser(request), {
        proposalId,
        agree: decision === 'agree',
        reason,
        requestId: request.id,
        baseUrl: app.config.publicUrl,
      });
      return afterChange(request, reply, request.params.childId, result);
    },
  );
}
