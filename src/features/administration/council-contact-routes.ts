// The council's own details an administrator keeps: how families reach its front door.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { signedInUser } from '../../web/context.ts';
import { errorFor, errorSummary, type FieldError } from '../../web/errors.ts';
import { formBody, queryOf, Text, text, type TypeBoxTypes } from '../../web/form.ts';
import { administratorActor, councilContact, councilName, setCouncilContact } from './service.ts';
import { validateCouncilContact } from './validation.ts';

const ADMIN = { access: ['administrator'] } as const;
const ContactBody = formBody({ phone: Text(100), email: Text(400) });

export async function councilContactRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    form: { phone: string; email: string } | undefined,
    errors: FieldError[],
    saved = false,
  ) {
    const { laCode } = signedInUser(request);
    const contact = await councilContact(db, laCode);
    return reply.render('administration/views/council.njk', {
      name: await councilName(db, laCode),
      form: form ?? { phone: contact.phone ?? '', email: contact.email ?? '' },
      saved,
      errors: errorSummary(errors),
      phoneError: errorFor(errors, 'phone'),
      emailError: errorFor(errors, 'email'),
    });
  }

  app.get(
    '/admin/council',
    { config: ADMIN, schema: { querystring: queryOf({ done: Text(20) }) } },
    async (request, reply) => render(request, reply, undefined, [], request.query.done === 'changed'),
  );

  app.post('/admin/council', { config: ADMIN, schema: { body: ContactBody } }, async (request, reply) => {
    const form = { phone: text(request.body.phone), email: text(request.body.email) };
    const errors = validateCouncilContact(form, request.t);
    if (errors.length > 0) {
      reply.status(400);
      return render(request, reply, form, errors);
    }
    const admin = signedInUser(request);
    await setCouncilContact(
      db,
      admin.laCode,
      { phone: form.phone || null, email: form.email || null },
      administratorActor(admin, request.id),
    );
    return reply.redirect('/admin/council?done=changed', 303);
  });
}
