// The search glossary page for directory editors: every term, and a form to add, change or remove one.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { signedInUser } from '../../web/context.ts';
import { errorFor, errorSummary, type FieldError } from '../../web/errors.ts';
import { formBody, queryOf, Text, textFields, type TypeBoxTypes } from '../../web/form.ts';
import {
  deleteGlossaryTerm,
  readGlossaryForm,
  saveGlossaryTerm,
  showGlossary,
  validateGlossaryForm,
  type GlossaryForm,
} from './glossary-editing.ts';

const EDITORS = ['directory_editor'] as const;
const GlossaryQuery = queryOf({ term: Text(), notice: Text() });
const GlossaryBody = formBody(textFields(['term', 'meaning', 'alternatives', 'explain']));

export async function glossaryRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;

  async function render(
    reply: FastifyReply,
    laCode: string,
    form: GlossaryForm,
    errors: FieldError[],
    notice: string | null,
  ) {
    const glossary = await showGlossary(db, laCode);
    return reply.render('directory/views/glossary.njk', {
      ...glossary,
      form,
      notice,
      errors: errorSummary(errors),
      termError: errorFor(errors, 'term'),
      meaningError: errorFor(errors, 'meaning'),
      alternativesError: errorFor(errors, 'alternatives'),
    });
  }

  app.get(
    '/manage/glossary',
    { config: { access: EDITORS }, schema: { querystring: GlossaryQuery } },
    async (request, reply) => {
      const user = signedInUser(request);
      const query = request.query;
      const chosen = query.term?.toLowerCase() ?? '';
      const { entries } = await showGlossary(db, user.laCode);
      const entry = entries.find((candidate) => candidate.term.toLowerCase() === chosen);
      const form: GlossaryForm = entry
        ? {
            term: entry.term,
            meaning: entry.meaning,
            alternatives: entry.alternatives.join(', '),
            explain: entry.explain,
          }
        : { term: '', meaning: '', alternatives: '', explain: true };
      const notice = query.notice === 'saved' || query.notice === 'deleted' ? query.notice : null;
      return render(reply, user.laCode, form, [], notice);
    },
  );

  const glossaryForm = { config: { access: EDITORS }, schema: { body: GlossaryBody } };
  app.post('/manage/glossary', glossaryForm, async (request, reply) => {
    const user = signedInUser(request);
    const form = readGlossaryForm(request.body);
    const errors = validateGlossaryForm(form, request.t);
    if (errors.length > 0) {
      reply.status(400);
      return render(reply, user.laCode, form, errors, null);
    }
    await saveGlossaryTerm(db, user, form, request.id);
    return reply.redirect('/manage/glossary?notice=saved', 303);
  });

  app.post('/manage/glossary/delete', glossaryForm, async (request, reply) => {
    const { term } = readGlossaryForm(request.body);
    if (term === '') return reply.status(400).render('error.njk', { messageKey: 'errors.badRequest', status: 400 });
    const deleted = await deleteGlossaryTerm(db, signedInUser(request), term, request.id);
    if (!deleted) {
      reply.callNotFound();
      return reply;
    }
    return reply.redirect('/manage/glossary?notice=deleted', 303);
  });
}
