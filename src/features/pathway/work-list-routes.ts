// A team's unallocated work (with allocation by the team's managers and each worker's caseload count) and a worker's
// own cases.
import type { Role } from '../../domain/people.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { signedInUser } from '../../web/context.ts';
import { errorSummary } from '../../web/errors.ts';
import { formBody, Uuid, UuidOrEmpty, WholeNumber, type TypeBoxTypes } from '../../web/form.ts';
import { allocateEpisode, assessmentClock } from './service.ts';
import { myCases, unallocatedWork } from './work-lists.ts';

/** People who work in a team that holds children. */
const TEAM_WORKERS: readonly Role[] = ['short_breaks_officer', 'social_worker', 'team_manager'];

const AllocateBody = formBody({ workerId: UuidOrEmpty }, { episodeId: Uuid, version: WholeNumber });

export async function workListRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;

  async function renderUnallocated(
    request: FastifyRequest,
    reply: FastifyReply,
    message: string | null,
    missingWorker: string | null = null,
  ) {
    const teams = await unallocatedWork(db, signedInUser(request), request.id);
    return reply.render('pathway/views/unallocated.njk', {
      teams,
      message,
      missingWorker,
      errors: missingWorker
        ? errorSummary([{ field: `worker-${missingWorker}`, text: request.t('pathway.errors.worker') }])
        : [],
    });
  }

  app.get('/unallocated', { config: { access: TEAM_WORKERS } }, async (request, reply) =>
    renderUnallocated(request, reply, null),
  );

  const allocateOptions = { config: { access: ['team_manager' as const] }, schema: { body: AllocateBody } };
  app.post('/unallocated/allocate', allocateOptions, async (request, reply) => {
    const { episodeId, version: seenVersion } = request.body;
    const workerId = request.body.workerId ?? '';
    if (workerId === '') {
      reply.status(400);
      return renderUnallocated(request, reply, null, episodeId);
    }
    const result = await allocateEpisode(db, signedInUser(request), {
      episodeId,
      seenVersion,
      workerId,
      requestId: request.id,
      baseUrl: app.config.publicUrl,
    });
    if (result !== 'done') {
      reply.status(result === 'not-allowed' ? 403 : 409);
      return renderUnallocated(request, reply, request.t(`pathway.${result}`));
    }
    return reply.redirect('/unallocated', 303);
  });

  app.get('/my-cases', { config: { access: TEAM_WORKERS } }, async (request, reply) => {
    const cases = await myCases(db, signedInUser(request), request.id);
    return reply.render('pathway/views/my-cases.njk', {
      cases: cases.map((episode) => ({ ...episode, clock: assessmentClock(episode) })),
    });
  });
}
