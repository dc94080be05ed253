// The start page, and each signed-in person's home.
import type { FastifyInstance } from 'fastify';

export async function homeRoutes(app: FastifyInstance) {
  app.get('/', { config: { access: 'public' } }, async (request, reply) => {
    return reply.render('home/views/start.njk');
  });
}
