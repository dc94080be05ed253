// Sign in (password or the council's identity provider), sign out, and the signed-in person's home.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formBody, queryOf, Text, type TypeBoxTypes } from '../../web/form.ts';
import { errorFor, errorSummary, type FieldError } from '../../web/errors.ts';
import { CSRF_COOKIE, OIDC_COOKIE, SESSION_COOKIE } from '../../web/cookies.ts';
import { OidcSignIn, type PendingOidcSignIn } from './oidc.ts';
import { signInWithOidc, signInWithPassword, signOut, startSession } from './service.ts';
import { readSignInForm, safeReturnTo, validateSignInForm, type SignInForm } from './validation.ts';

// Where to go after signing in is any text: safeReturnTo replaces anything but a path on this site with the account
// page, so a crafted link still shows the sign-in page rather than an error.
const ReturnTo = Type.String({ maxLength: 2048 });
const SignInQuery = queryOf({ returnTo: ReturnTo, expired: Text() });
const SignInBody = formBody({ email: Text(), password: Text(), returnTo: ReturnTo });

export async function accountRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;
  const secure = app.config.environment === 'production';
  const oidc = app.config.oidc ? new OidcSignIn(app.config.oidc) : undefined;

  function renderSignIn(
    request: FastifyRequest,
    reply: FastifyReply,
    form: Partial<SignInForm>,
    errors: FieldError[],
    returnTo: string,
    sessionExpired = false,
  ) {
    return reply.render('accounts/views/sign-in.njk', {
      sessionExpired,
      form,
      errors: errorSummary(errors),
      emailError: errorFor(errors, 'email'),
      passwordError: errorFor(errors, 'password'),
      returnTo,
      oidcLabel: oidc ? (app.config.oidc?.buttonLabel ?? request.t('signIn.oidcButton')) : undefined,
    });
  }

  async function beginSession(
    request: FastifyRequest,
    reply: FastifyReply,
    user: { userId: string; laCode: string },
    returnTo: string,
  ) {
    const sessionId = await startSession(db, user, request.sessionId);
    reply.setCookie(SESSION_COOKIE, sessionId, { path: '/', httpOnly: true, sameSite: 'lax', secure });
    // A new CSRF secret with the new session (the next page makes it), so no token from before signing in works.
    reply.clearCookie(CSRF_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
    return reply.redirect(returnTo, 303);
  }

  app.get(
    '/sign-in',
    { config: { access: 'public' }, schema: { querystring: SignInQuery } },
    async (request, reply) => {
      if (request.user) return reply.redirect('/account');
      const { returnTo, expired } = request.query;
      return renderSignIn(request, reply, {}, [], safeReturnTo(returnTo), expired === '1');
    },
  );

  app.post(
    '/sign-in',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: { body: SignInBody },
    },
    async (request, reply) => {
      const form = readSignInForm(request.body);
      const returnTo = safeReturnTo(request.body.returnTo);
      const errors = validateSignInForm(form, request.t);
      if (errors.length > 0) {
        reply.status(400);
        return renderSignIn(request, reply, { email: form.email }, errors, returnTo);
      }
      const result = await signInWithPassword(
        db,
        { email: form.email, password: form.password, address: request.ip, requestId: request.id },
        app.config.signIn,
      );
      if (result.outcome === 'signed-in') return beginSession(request, reply, result, returnTo);
      const problem: FieldError =
        result.outcome === 'locked'
          ? { field: 'email', text: request.t('signIn.errors.locked', { minutes: result.minutes }) }
          : { field: 'email', text: request.t('signIn.errors.wrongDetails') };
      reply.status(result.outcome === 'locked' ? 429 : 401);
      return renderSignIn(request, reply, { email: form.email }, [problem], returnTo);
    },
  );

  app.post('/sign-out', { config: { access: 'signed-in' } }, async (request, reply) => {
    if (request.user && request.sessionId) await signOut(db, request.sessionId, request.user, request.id);
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
    // Nor does a token from the signed-in session work after signing out.
    reply.clearCookie(CSRF_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
    return reply.redirect('/signed-out', 303);
  });

  app.get('/signed-out', { config: { access: 'public' } }, async (request, reply) => {
    return reply.render('accounts/views/signed-out.njk');
  });

  app.get('/account', { config: { access: 'signed-in' } }, async (request, reply) => {
    return reply.render('accounts/views/account.njk');
  });

  app.get(
    '/sign-in/oidc',
    { config: { access: 'public' }, schema: { querystring: SignInQuery } },
    async (request, reply) => {
      if (!oidc) {
        reply.callNotFound();
        return reply;
      }
      const returnTo = safeReturnTo(request.query.returnTo);
      const { redirectTo, pending } = await oidc.start(returnTo);
      reply.setCookie(OIDC_COOKIE, JSON.stringify(pending), {
        path: '/sign-in/oidc',
        httpOnly: true,
        sameSite: 'lax',
        secure,
        signed: true,
        maxAge: 10 * 60,
      });
      return reply.redirect(redirectTo.href);
    },
  );

  app.get('/sign-in/oidc/callback', { config: { access: 'public' } }, async (request, reply) => {
    if (!oidc) {
      reply.callNotFound();
      return reply;
    }
    const pending = readPendingSignIn(request);
    reply.clearCookie(OIDC_COOKIE, { path: '/sign-in/oidc', httpOnly: true, sameSite: 'lax', secure });
    if (!pending) {
      reply.status(400);
      return renderSignIn(
        request,
        reply,
        {},
        [{ field: 'email', text: request.t('signIn.errors.oidcExpired') }],
        '/account',
      );
    }
    let identity;
    try {
      const callbackUrl = new URL(request.url, app.config.oidc?.redirectUri);
      identity = await oidc.finish(callbackUrl, pending);
    } catch (error) {
      request.log.warn({ err: error }, 'identity provider sign-in refused');
      reply.status(400);
      return renderSignIn(
        request,
        reply,
        {},
        [{ field: 'email', text: request.t('signIn.errors.oidcFailed') }],
        '/account',
      );
    }
    const result = await signInWithOidc(db, { ...identity, requestId: request.id });
    if (result.outcome !== 'signed-in') {
      reply.status(403);
      return renderSignIn(
        request,
        reply,
        {},
        [{ field: 'email', text: request.t('signIn.errors.oidcNoAccount') }],
        '/account',
      );
    }
    return beginSession(request, reply, result, pending.returnTo);
  });
}

function readPendingSignIn(request: FastifyRequest): PendingOidcSignIn | undefined {
  const raw = request.cookies[OIDC_COOKIE];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid) return undefined;
  try {
    const value = JSON.parse(unsigned.value) as Partial<PendingOidcSignIn>;
    if (typeof value.state !== 'string' || typeof value.nonce !== 'string' || typeof value.codeVerifier !== 'string') {
      return undefined;
    }
    return {
      state: value.state,
      nonce: value.nonce,
      codeVerifier: value.codeVerifier,
      returnTo: safeReturnTo(value.returnTo),
    };
  } catch {
    return undefined;
  }
}
