// The outbox, for administrators: every message Pathway has rendered, and whether it went out.
import type { FastifyInstance } from 'fastify';
import { signedInUser } from '../../web/context.ts';
import { readOutbox } from './service.ts';

export async function notificationRoutes(app: FastifyInstance) {
  const { db } = app.deps.database;

  app.get('/admin/notifications', { config: { access: ['administrator'] } }, async (request, reply) => {
    const messages = await readOutbox(db, signedInUser(request), request.id);
    return reply.render('notifications/views/outbox.njk', { messages });
  });
}
