// The outbox, for administrators: every message Pathway has rendered, and whether it went out. And for a family,
// the messages the council has sent them.
import type { FastifyInstance } from 'fastify';
import { FAMILY_ROLES } from '../../web/access.ts';
import { signedInUser } from '../../web/context.ts';
import { messagesTo, readOutbox } from './service.ts';

export async function notificationRoutes(app: FastifyInstance) {
  const { db } = app.deps.database;

  app.get('/admin/notifications', { config: { access: ['administrator'] } }, async (request, reply) => {
    const messages = await readOutbox(db, signedInUser(request), request.id);
    return reply.render('notifications/views/outbox.njk', { messages });
  });

  app.get('/messages', { config: { access: FAMILY_ROLES } }, async (request, reply) => {
    const messages = await messagesTo(db, signedInUser(request));
    return reply.render('notifications/views/family-messages.njk', { messages });
  });
}
