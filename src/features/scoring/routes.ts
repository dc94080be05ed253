// The scoring model pages: the model in use, in plain words; and for administrators, trying a draft against
// past applications before publishing it as the next version.
import type { Role } from '../../domain/people.ts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { signedInUser } from '../../web/context.ts';
import { formBody, queryOf, Text, type TypeBoxTypes } from '../../web/form.ts';
import { describeModel } from './describe.ts';
import { modelInUse, publishModel, readDraft, tryDraft } from './service.ts';

const READERS: readonly Role[] = ['administrator', 'team_manager', 'analyst'];
const ADMINISTRATORS: readonly Role[] = ['administrator'];

/** A pasted model, as it was pasted: its problems are shown beside it, so it is not trimmed. */
const DraftForm = { config: { access: ADMINISTRATORS }, schema: { body: formBody({ draft: Text() }) } };

export async function scoringRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;

  const modelPage = { config: { access: READERS }, schema: { querystring: queryOf({ published: Text() }) } };
  app.get('/admin/scoring', modelPage, async (request, reply) => {
    const user = signedInUser(request);
    const inUse = await modelInUse(db, user.laCode);
    const published = request.query.published;
    return reply.render('scoring/views/model.njk', {
      model: describeModel(inUse.model, request.t),
      publishedAt: inUse.publishedAt,
      publishedBy: inUse.publishedBy,
      canEdit: user.roles.includes('administrator'),
      published: typeof published === 'string' && /^\d+$/.test(published) ? published : null,
    });
  });

  async function renderDraft(
    reply: FastifyReply,
    options: { text: string; problems: string[]; comparison?: Awaited<ReturnType<typeof tryDraft>> },
  ) {
    return reply.render('scoring/views/draft.njk', {
      text: options.text,
      problems: options.problems.map((problem) => ({ text: problem, href: '#draft' })),
      comparison: options.comparison
        ? {
            ...options.comparison,
            moves: Object.entries(options.comparison.moves).map(([move, count]) => ({ move, count })),
          }
        : null,
    });
  }

  app.get('/admin/scoring/draft', { config: { access: ADMINISTRATORS } }, async (request, reply) => {
    const { model } = await modelInUse(db, signedInUser(request).laCode);
    return renderDraft(reply, { text: JSON.stringify(model, null, 2), problems: [] });
  });

  app.post('/admin/scoring/draft', DraftForm, async (request, reply) => {
    const text = request.body.draft ?? '';
    const draft = readDraft(text);
    if (!('model' in draft)) {
      reply.status(400);
      return renderDraft(reply, { text, problems: draft.problems });
    }
    const comparison = await tryDraft(db, signedInUser(request).laCode, draft.model);
    return renderDraft(reply, { text, problems: [], comparison });
  });

  app.post('/admin/scoring/publish', DraftForm, async (request, reply) => {
    const text = request.body.draft ?? '';
    const draft = readDraft(text);
    if (!('model' in draft)) {
      reply.status(400);
      return renderDraft(reply, { text, problems: draft.problems });
    }
    const version = await publishModel(db, signedInUser(request), draft.model, request.id);
    return reply.redirect(`/admin/scoring?published=${version}`, 303);
  });
}
