// The web platform: the cross-cutting plugins every page stands on. The app itself is composed in src/app.ts.
import type { Role } from '../domain/people.ts';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { isAllowed, type AccessRule } from './access.ts';
import { menuFor, NAVIGATION } from './navigation.ts';
import type { SignedInUser } from '../domain/people.ts';
import { handleError, handleNotFound, wantsJson } from './errors.ts';
import { fieldOf } from './form.ts';
import { JS_ENABLED_SCRIPT, JS_ENABLED_SCRIPT_SOURCE } from './inline-script.ts';
import { directionOf, isLanguage, LANGUAGES, loadCatalogue, type LanguageCode, type Translate } from './i18n.ts';
import { CSRF_COOKIE, LANGUAGE_COOKIE, SESSION_COOKIE } from './cookies.ts';
import { logOptions } from './logging.ts';
import { createViewEnvironment, GOVUK_FRONTEND_DIST, HTML } from './views.ts';

const FORM_BODY_LIMIT = 100 * 1024;

export interface AppDependencies {
  database: Database;
  /** Where JSON logs go; standard output unless a test wants to read them. */
  logDestination?: { write(line: string): void };
}

export interface RegisteredRoute {
  method: string;
  url: string;
  access: AccessRule | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDependencies;
    config: Config;
    registeredRoutes: RegisteredRoute[];
  }
  interface FastifyRequest {
    user: SignedInUser | null;
    sessionId: string | undefined;
    sessionExpired: boolean;
    language: LanguageCode;
    t: Translate;
  }
  interface FastifyReply {
    render(template: string, context?: Record<string, unknown>): FastifyReply;
    /** The whole page as `render` sends it, for a route that keeps it (kept-pages.ts). */
    renderPage(template: string, context: Record<string, unknown>): string;
    renderPart(template: string, context: Record<string, unknown>): string;
  }
}

/** What a signed-in person's session cookie finds: who they are, a session that has ended, or nothing. */
export type SessionLookup = { state: 'none' } | { state: 'expired' } | { state: 'active'; user: SignedInUser };

/** What the platform needs from the features: how to resume a session, and the routes of each feature. */
export interface PlatformParts {
  resumeSession(sessionId: string): Promise<SessionLookup>;
  features: FastifyPluginAsync[];
}

/**
 * The web platform every page stands on: security headers, cookies, sessions, CSRF, access rules, languages,
 * views, errors and static files, with the features' routes registered last. It imports no feature: the app's
 * composition (src/app.ts) passes them in.
 */
/** What govuk-frontend's error message says before each field's error, to screen readers only, in English. */
const GOVUK_ERROR_PREFIX = '<span class="govuk-visually-hidden">Error:</span>';

/**
 * A page with govuk-frontend's hidden "Error:" before each field's error said in the page's language: the component
 * takes the words as a parameter, which the forms' dozens of error messages would otherwise each have to pass.
 */
function inLanguageOfPage(page: string, t: Translate): string {
  const prefix = t('common.errorPrefix');
  return prefix === 'Error:' || !page.includes(GOVUK_ERROR_PREFIX)
    ? page
    : page.replaceAll(GOVUK_ERROR_PREFIX, `<span class="govuk-visually-hidden">${prefix}</span>`);
}

export async function buildPlatform(
  config: Config,
  deps: AppDependencies,
  parts: PlatformParts,
): Promise<FastifyInstance> {
  const production = config.environment === 'production';
  const catalogue = loadCatalogue();
  const app = Fastify({
    logger: logOptions(config.logLevel, deps.logDestination),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: config.trustProxy,
    bodyLimit: FORM_BODY_LIMIT,
    routerOptions: { ignoreTrailingSlash: true },
    // An address the router cannot read ('/%', a broken %-escape) fails before any hook has run, with a request and
    // reply that have none of ours: it gets the error page in English (JSON under /api/), not the framework's JSON.
    frameworkErrors: refuseUnreadableAddress,
  });
  app.decorate('deps', deps);
  app.decorate('config', config);

  // Deny by default: a route without an access rule stops the app from starting. Rules are read when the app
  // is ready, because a plugin's own onRoute hook (the static files') may set them after ours has run.
  const routeOptions: { method: string | string[]; url: string; config?: { access?: AccessRule } }[] = [];
  app.addHook('onRoute', (route) => {
    routeOptions.push(route);
  });
  app.decorate('registeredRoutes', {
    getter: () =>
      routeOptions.flatMap((route) =>
        (Array.isArray(route.method) ? route.method : [route.method]).map((method) => ({
          method,
          url: route.url,
          access: route.config?.access,
        })),
      ),
  });
  // Who may open each page, for the menu: read once the routes are all registered.
  const pageAccess = new Map<string, AccessRule | undefined>();
  app.addHook('onReady', async () => {
    for (const route of app.registeredRoutes) if (route.method === 'GET') pageAccess.set(route.url, route.access);
  });
  app.addHook('onReady', async () => {
    const unguarded = app.registeredRoutes.filter((route) => route.access === undefined);
    if (unguarded.length > 0) {
      throw new Error(`Routes without an access rule: ${unguarded.map((r) => `${r.method} ${r.url}`).join(', ')}`);
    }
  });

  const views = createViewEnvironment({ watch: config.environment === 'development' });

  await app.register(fastifyCookie, { secret: config.sessionSecret });
  await app.register(fastifyFormbody, { bodyLimit: FORM_BODY_LIMIT });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", JS_ENABLED_SCRIPT_SOURCE],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(production ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
  });
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyCsrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: production, signed: true },
    getToken: (request) => {
      // A multipart form (a file upload) gives each field as { value }.
      const token = fieldOf(request.body, '_csrf');
      if (typeof token === 'string') return token;
      const multipartToken = fieldOf(token, 'value');
      if (typeof multipartToken === 'string') return multipartToken;
      const header = request.headers['x-csrf-token'];
      return typeof header === 'string' ? header : undefined;
    },
  });

  app.decorateRequest('user', null);
  app.decorateRequest('sessionId', undefined);
  app.decorateRequest('sessionExpired', false);
  app.decorateRequest('language', 'en');
  app.decorateRequest('t', function () {
    return '';
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    request.language = chooseLanguage(request, reply, production);
    request.t = catalogue.translator(request.language);
    const sessionId = request.cookies[SESSION_COOKIE];
    if (sessionId) {
      const session = await parts.resumeSession(sessionId);
      if (session.state === 'active') {
        request.user = session.user;
        request.sessionId = sessionId;
      } else {
        request.sessionExpired = session.state === 'expired';
        reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: production });
      }
    }
  });

  // Access rules run before the body is read, so a refused request costs little.
  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (access === undefined) return; // the not-found handler
    if (isAllowed(access, request.user?.roles ?? null)) return;
    if (request.user) {
      request.log.info({ statusCode: 403 }, 'access refused');
      reply.status(403);
      return wantsJson(request)
        ? reply.send({ error: { status: 403, message: request.t('errors.forbidden.title') } })
        : reply.render('error.njk', { messageKey: 'errors.forbidden', status: 403 });
    }
    if (wantsJson(request)) {
      reply.status(401);
      return reply.send({ error: { status: 401, message: request.t('errors.signInRequired') } });
    }
    const query = new URLSearchParams();
    if (request.method === 'GET') query.set('returnTo', request.url);
    if (request.sessionExpired) query.set('expired', '1');
    const search = query.size > 0 ? `?${query.toString()}` : '';
    return reply.redirect(`/sign-in${search}`, 303);
  });

  // Every state-changing request carries a CSRF token, whoever sends it.
  app.addHook('preHandler', (request, reply, done) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
      done();
      return;
    }
    app.csrfProtection(request, reply, done);
  });

  // Pages about people must never be kept by a browser or proxy cache.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.user) reply.header('cache-control', 'no-store');
    return payload;
  });

  function refuseUnreadableAddress(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
    request.log.info({ statusCode: 400, code: error.code }, 'request refused');
    request.language = 'en';
    request.t = catalogue.translator('en');
    reply.status(400);
    if (wantsJson(request)) {
      void reply.send({ error: { status: 400, message: request.t('errors.badRequest.title') } });
      return;
    }
    const page = pageFor(request, null, () => '', 'error.njk', { messageKey: 'errors.badRequest', status: 400 });
    void reply.type(HTML).send(page);
  }

  /** A page in the layout, for the person asking (if signed in) in their language. */
  function pageFor(
    request: FastifyRequest,
    user: SignedInUser | null,
    csrfToken: () => string,
    template: string,
    context: Record<string, unknown>,
  ) {
    const page = views.render(template, {
      ...context,
      t: request.t,
      lang: request.language,
      dir: directionOf(request.language),
      languageLinks: languageLinks(request),
      jsEnabledScript: JS_ENABLED_SCRIPT,
      csrfToken,
      user,
      hasRole: (role: Role) => user?.roles.includes(role) ?? false,
      menu: menuFor(NAVIGATION, (href) => pageAccess.get(href), user?.roles ?? null, request.url.split('?')[0]!),
      currentPath: request.url.split('?')[0],
    });
    return inLanguageOfPage(page, request.t);
  }

  app.decorateReply('renderPage', function (this: FastifyReply, template: string, context: Record<string, unknown>) {
    // One token serves every form on the page (a record page has half a dozen), so it is made once.
    let csrfToken: string | undefined;
    return pageFor(this.request, this.request.user, () => (csrfToken ??= this.generateCsrf()), template, context);
  });

  app.decorateReply('render', function (this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
    return this.type(HTML).send(this.renderPage(template, context));
  });

  // A part of a page, rendered on its own for a route that keeps it. It sees what it is given and the request's
  // language, never the session, the CSRF token or the nonce, so one rendering can serve anyone.
  app.decorateReply('renderPart', function (this: FastifyReply, template: string, context: Record<string, unknown>) {
    return views.render(template, { ...context, t: this.request.t, lang: this.request.language });
  });

  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);

  await app.register(async (assets) => {
    // Stylesheets, scripts, fonts and images are public by nature.
    assets.addHook('onRoute', (route) => {
      route.config = { ...(route.config as object), access: 'public' };
    });
    await assets.register(fastifyStatic, {
      root: join(GOVUK_FRONTEND_DIST, 'govuk', 'assets'),
      prefix: '/assets/',
      maxAge: '1d',
    });
    await assets.register(fastifyStatic, {
      root: [join(GOVUK_FRONTEND_DIST, 'govuk'), join(import.meta.dirname, 'static')],
      prefix: '/static/',
      decorateReply: false,
      // Top-level files, and the Easy Read pictures.
      allowedPath: (path) => /^\/(easy-read\/)?[\w.-]+\.(css|js|mjs|map|svg)$/.test(path),
      maxAge: '1h',
    });
  });

  // Each feature's pages, as the composition of the app gives them (src/app.ts).
  for (const feature of parts.features) await app.register(feature);
  return app;
}

function chooseLanguage(request: FastifyRequest, reply: FastifyReply, production: boolean): LanguageCode {
  const asked = fieldOf(request.query, 'lang');
  if (isLanguage(asked)) {
    reply.setCookie(LANGUAGE_COOKIE, asked, {
      path: '/',
      sameSite: 'lax',
      httpOnly: true,
      secure: production,
      maxAge: 365 * 24 * 60 * 60,
    });
    return asked;
  }
  const remembered = request.cookies[LANGUAGE_COOKIE];
  return isLanguage(remembered) ? remembered : 'en';
}

function languageLinks(request: FastifyRequest) {
  const url = new URL(request.url, 'http://localhost');
  return LANGUAGES.map((language) => {
    url.searchParams.set('lang', language.code);
    return {
      code: language.code,
      name: language.name,
      current: language.code === request.language,
      href: `${url.pathname}?${url.searchParams.toString()}`,
    };
  });
}
