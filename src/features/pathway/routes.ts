// The pathway's caseload page: the open episodes of the person's teams, by team, with who holds each.
import type { FastifyInstance } from 'fastify';
import { CASEWORK_ROLES } from '../../web/access.ts';
import { signedInUser } from '../../web/context.ts';
import { queryOf, Text, type TypeBoxTypes } from '../../web/form.ts';
import { CASELOAD_PAGE_SIZE, assessmentClock, caseload } from './service.ts';

// The page number stays text: a mistyped one shows the first page rather than an error.
const CaseloadQuery = queryOf({ page: Text() });

export async function pathwayRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;

  app.get(
    '/caseload',
    { config: { access: CASEWORK_ROLES }, schema: { querystring: CaseloadQuery } },
    async (request, reply) => {
      const user = signedInUser(request);
      const requested = Number(request.query.page ?? 1);
      const page = Number.isInteger(requested) && requested >= 1 && requested <= 100_000 ? requested : 1;
      const { total, episodes } = await caseload(db, user, { page, requestId: request.id });
      const pages = Math.max(1, Math.ceil(total / CASELOAD_PAGE_SIZE));
      const teams = [...new Set(episodes.map((episode) => episode.team_name))].map((team) => ({
        name: team,
        episodes: episodes
          .filter((episode) => episode.team_name === team)
          .map((episode) => ({ ...episode, clock: assessmentClock(episode) })),
      }));
      return reply.render('pathway/views/caseload.njk', {
        teams,
        total,
        userId: user.id,
        pagination: {
          ...(page > 1 ? { previous: { href: `/caseload?page=${page - 1}` } } : {}),
          ...(page < pages ? { next: { href: `/caseload?page=${page + 1}` } } : {}),
        },
        pageText: request.t('pathway.caseload.page', { page, pages }),
      });
    },
  );
}
