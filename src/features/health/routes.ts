// Liveness (the process answers) and readiness (the database answers) for load balancers and orchestrators.
import type { FastifyInstance } from 'fastify';
import { checkDatabase } from './service.ts';

export async function healthRoutes(app: FastifyInstance) {
  app.get('/health/live', { config: { access: 'public' } }, async () => ({ status: 'ok' }));

  app.get('/health/ready', { config: { access: 'public' } }, async (request, reply) => {
    try {
      await checkDatabase(app.deps.database.db);
      return { status: 'ok', database: 'ok' };
    } catch (error) {
      request.log.warn({ err: error }, 'database not ready');
      return reply.status(503).send({ status: 'unavailable', database: 'unreachable' });
    }
  });
}
