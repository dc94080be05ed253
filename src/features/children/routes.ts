// A family's list of their children, and a child's record.
import type { FastifyInstance } from 'fastify';
import { CASEWORK_ROLES, FAMILY_ROLES } from '../../web/access.ts';
import { signedInUser } from '../../web/context.ts';
import { childrenOfFamilyMember, viewChildRecord } from './service.ts';

export async function childrenRoutes(app: FastifyInstance) {
  const { db } = app.deps.database;

  app.get('/children', { config: { access: FAMILY_ROLES } }, async (request, reply) => {
    const children = await childrenOfFamilyMember(db, signedInUser(request));
    return reply.render('children/views/list.njk', { children });
  });

  app.get<{ Params: { childId: string } }>(
    '/children/:childId',
    { config: { access: [...FAMILY_ROLES, ...CASEWORK_ROLES] } },
    async (request, reply) => {
      const child = await viewChildRecord(db, signedInUser(request), request.params.childId, request.id);
      if (!child) {
        reply.callNotFound();
        return reply;
      }
      return reply.render('children/views/record.njk', { child });
    },
  );
}
