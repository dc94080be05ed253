// Creating a password through a one-time link: the first administrator's from `npm run setup`, or an invitation.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { formBody, queryOf, Text, type TypeBoxTypes } from '../../web/form.ts';
import { errorFor, errorSummary, type FieldError } from '../../web/errors.ts';
import { MIN_PASSWORD_LENGTH, validateNewPassword } from './set-password-validation.ts';
import { setPasswordWithLink, usableSetPasswordLink } from './set-password.ts';

// The link's secret is text of any shape here: one that is not a link's is simply a link that does not work.
const SetPasswordQuery = queryOf({ token: Text(200) });
const SetPasswordBody = formBody({ password: Text(), confirmPassword: Text() }, { token: Text(200) });

export async function setPasswordRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;

  function renderInvalidLink(reply: FastifyReply) {
    reply.status(404);
    return reply.render('accounts/views/set-password-invalid.njk');
  }

  function renderForm(
    reply: FastifyReply,
    token: string,
    link: { email: string; purpose: string },
    errors: FieldError[],
  ) {
    return reply.render('accounts/views/set-password.njk', {
      token,
      email: link.email,
      // Someone who forgot their password is making a new one, not their first.
      reset: link.purpose === 'reset',
      minLength: MIN_PASSWORD_LENGTH,
      errors: errorSummary(errors),
      passwordError: errorFor(errors, 'password'),
      confirmPasswordError: errorFor(errors, 'confirmPassword'),
    });
  }

  app.get(
    '/set-password',
    { config: { access: 'public' }, schema: { querystring: SetPasswordQuery } },
    async (request, reply) => {
      const token = request.query.token ?? '';
      const link = token === '' ? undefined : await usableSetPasswordLink(db, token);
      if (!link) return renderInvalidLink(reply);
      return renderForm(reply, token, link, []);
    },
  );

  app.post(
    '/set-password',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: { body: SetPasswordBody },
    },
    async (request, reply) => {
      const { token } = request.body;
      const link = await usableSetPasswordLink(db, token);
      if (!link) return renderInvalidLink(reply);
      const form = { password: request.body.password ?? '', confirmPassword: request.body.confirmPassword ?? '' };
      const errors = validateNewPassword(form, link.email, request.t);
      if (errors.length > 0) {
        reply.status(400);
        return renderForm(reply, token, link, errors);
      }
      const result = await setPasswordWithLink(db, { token, password: form.password, requestId: request.id });
      if (!result) return renderInvalidLink(reply);
      return reply.redirect('/password-created', 303);
    },
  );

  app.get('/password-created', { config: { access: 'public' } }, async (request, reply) => {
    return reply.render('accounts/views/password-created.njk');
  });
}
