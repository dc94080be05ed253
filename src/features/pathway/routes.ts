// The pathway's caseload page: the open episodes of the person's teams, by team, with who holds each.
import type { FastifyInstance } from 'fastify';
import { CASEWORK_ROLES } from '../../web/access.ts';
import { signedInUser } from '../../web/context.ts';
import { assessmentClock, caseload } from './service.ts';

export async function pathwayRoutes(app: FastifyInstance) {
  const { db } = app.deps.database;

  app.get('/caseload', { config: { access: CASEWORK_ROLES } }, async (request, reply) => {
    const user = signedInUser(request);
    const episodes = await caseload(db, user);
    const teams = [...new Set(episodes.map((episode) => episode.team_name))].map((team) => ({
      name: team,
      episodes: episodes
        .filter((episode) => episode.team_name === team)
        .map((episode) => ({ ...episode, clock: assessmentClock(episode) })),
    }));
    return reply.render('pathway/views/caseload.njk', { teams, total: episodes.length, userId: user.id });
  });
}
