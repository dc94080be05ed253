// The outbox, for administrators: every message Pathway has rendered, and whether it went out.
import { primaryRole } from '../../domain/people.ts';
import type { FastifyInstance } from 'fastify';
import { signedInUser } from '../../web/context.ts';
import { recordAudit } from '../audit/service.ts';
import { recentOutbox } from './service.ts';

export async function notificationRoutes(app: FastifyInstance) {
  const { db } = app.deps.database;

  app.get('/admin/notifications', { config: { access: ['administrator'] } }, async (request, reply) => {
    const user = signedInUser(request);
    // Messages hold names and addresses, so reading them is audited like any view of personal data.
    const messages = await db.transaction().execute(async (trx) => {
      await recordAudit(trx, {
        laCode: user.laCode,
        actorUserId: user.id,
        actorRole: primaryRole(user),
        action: 'view-notifications-outbox',
        requestId: request.id,
      });
      return recentOutbox(trx, user.laCode);
    });
    return reply.render('notifications/views/outbox.njk', { messages });
  });
}
