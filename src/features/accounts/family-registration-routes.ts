// A family creates their own account, and anyone with a password asks for a new one: two forms that end on the
// same "check your email" page whatever was typed, so they tell nobody who has an account.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formBody, Text, type TypeBoxTypes } from '../../web/form.ts';
import { errorFor, errorSummary, type FieldError } from '../../web/errors.ts';
import type { Translate } from '../../web/i18n.ts';
import { publicCouncil } from '../directory/service.ts';
import { createFamilyAccount, sendPasswordResetLink } from './family-registration.ts';
import { validateEmail } from './validation.ts';

const MAX_NAME = 200;
const CreateAccountBody = formBody({ name: Text(), email: Text() });
const ForgotPasswordBody = formBody({ email: Text() });
// Each sends an email: a few a minute from one address is plenty for a person.
const SENDS_EMAIL = { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } } as const;

function validateName(name: string, t: Translate): FieldError[] {
  if (name === '') return [{ field: 'name', text: t('account.create.errors.nameMissing') }];
  if (name.length > MAX_NAME)
    return [{ field: 'name', text: t('account.create.errors.nameTooLong', { max: MAX_NAME }) }];
  return [];
}

export async function familyRegistrationRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;
  const links = (request: FastifyRequest) => ({ publicUrl: app.config.publicUrl, requestId: request.id });

  function renderCreate(reply: FastifyReply, form: { name: string; email: string }, errors: FieldError[]) {
    return reply.render('accounts/views/create-account.njk', {
      form,
      errors: errorSummary(errors),
      nameError: errorFor(errors, 'name'),
      emailError: errorFor(errors, 'email'),
    });
  }

  function renderForgot(reply: FastifyReply, form: { email: string }, errors: FieldError[]) {
    return reply.render('accounts/views/forgot-password.njk', {
      form,
      errors: errorSummary(errors),
      emailError: errorFor(errors, 'email'),
    });
  }

  app.get('/create-account', { config: { access: 'public' } }, async (request, reply) => {
    if (request.user) return reply.redirect('/account');
    return renderCreate(reply, { name: '', email: '' }, []);
  });

  app.post('/create-account', { config: SENDS_EMAIL, schema: { body: CreateAccountBody } }, async (request, reply) => {
    const form = { name: (request.body.name ?? '').trim(), email: (request.body.email ?? '').trim() };
    const errors = [...validateName(form.name, request.t), ...validateEmail(form.email, request.t)];
    if (errors.length > 0) {
      reply.status(400);
      return renderCreate(reply, form, errors);
    }
    const council = await publicCouncil(db, app.config.councilCode);
    await createFamilyAccount(
      db,
      council.laCode,
      { displayName: form.name, email: form.email, language: request.language },
      links(request),
    );
    return reply.redirect('/check-your-email', 303);
  });

  app.get('/forgot-password', { config: { access: 'public' } }, async (_request, reply) =>
    renderForgot(reply, { email: '' }, []),
  );

  app.post(
    '/forgot-password',
    { config: SENDS_EMAIL, schema: { body: ForgotPasswordBody } },
    async (request, reply) => {
      const form = { email: (request.body.email ?? '').trim() };
      const errors = validateEmail(form.email, request.t);
      if (errors.length > 0) {
        reply.status(400);
        return renderForgot(reply, form, errors);
      }
      await sendPasswordResetLink(db, form.email, links(request));
      return reply.redirect('/check-your-email', 303);
    },
  );

  app.get('/check-your-email', { config: { access: 'public' } }, async (_request, reply) =>
    reply.render('accounts/views/check-your-email.njk'),
  );
}
