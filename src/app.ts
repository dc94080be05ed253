// The composition of Pathway: the web platform (src/web) with every feature's routes, built from its configuration
// and its parts, so tests build the real thing with app.inject(). The one place that knows every feature.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Config } from './config.ts';
import { accountRoutes } from './features/accounts/routes.ts';
import { administrationRoutes } from './features/administration/routes.ts';
import { councilContactRoutes } from './features/administration/council-contact-routes.ts';
import { auditRoutes } from './features/audit/routes.ts';
import { setPasswordRoutes } from './features/accounts/set-password-routes.ts';
import { familyRegistrationRoutes } from './features/accounts/family-registration-routes.ts';
import { childLinkRequestRoutes } from './features/children/link-request-routes.ts';
import { familyHomeRoutes } from './features/family-home/routes.ts';
import { childIdentityRoutes } from './features/children/identity-routes.ts';
import { childrenRoutes } from './features/children/routes.ts';
import { childSearchRoutes } from './features/children/search-routes.ts';
import { orukApiRoutes } from './features/directory/api-routes.ts';
import { directoryRoutes } from './features/directory/routes.ts';
import { manageRoutes } from './features/directory/manage-routes.ts';
import { glossaryRoutes } from './features/directory/glossary-routes.ts';
import { importRoutes } from './features/directory/import-routes.ts';
import { DirectorySearch } from './features/directory/search/directory-search.ts';
import { scoringRoutes } from './features/scoring/routes.ts';
import { scoringEditorRoutes } from './features/scoring/editor-routes.ts';
import { shortBreaksRoutes } from './features/short-breaks/routes.ts';
import { shortBreaksStaffRoutes } from './features/short-breaks/staff-routes.ts';
import { referralRoutes } from './features/referrals/routes.ts';
import { professionalReferralRoutes } from './features/referrals/professional-routes.ts';
import { triageRoutes } from './features/referrals/triage-routes.ts';
import { referralOnRecordRoutes } from './features/referrals/record-routes.ts';
import { workListRoutes } from './features/pathway/work-list-routes.ts';
import { pathwayRoutes } from './features/pathway/routes.ts';
import { familyFollowUpRoutes } from './features/short-breaks/family-follow-up-routes.ts';
import { healthRoutes } from './features/health/routes.ts';
import { homeRoutes } from './features/home/routes.ts';
import { notificationRoutes } from './features/notifications/routes.ts';
import { resumeSession } from './features/accounts/service.ts';
import { buildPlatform, type AppDependencies } from './web/app.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's one directory search: `serve` prepares it before listening, and tests tell it of changes they make. */
    directorySearch: DirectorySearch;
  }
}

/** Every feature's routes, in the order they are registered; those that search are given the app's one search. */
function features(search: DirectorySearch): FastifyPluginAsync[] {
  return [
    healthRoutes,
    homeRoutes,
    accountRoutes,
    setPasswordRoutes,
    familyRegistrationRoutes,
    childrenRoutes,
    childLinkRequestRoutes,
    familyHomeRoutes,
    childSearchRoutes,
    childIdentityRoutes,
    notificationRoutes,
    administrationRoutes,
    councilContactRoutes,
    auditRoutes,
    orukApiRoutes(search),
    directoryRoutes(search),
    answeringOnceSearchHears(search, manageRoutes),
    answeringOnceSearchHears(search, glossaryRoutes),
    answeringOnceSearchHears(search, importRoutes),
    scoringRoutes,
    scoringEditorRoutes,
    shortBreaksStaffRoutes,
    shortBreaksRoutes,
    familyFollowUpRoutes,
    referralRoutes,
    professionalReferralRoutes,
    triageRoutes(search),
    pathwayRoutes,
    workListRoutes,
    referralOnRecordRoutes,
  ];
}

/**
 * The directory's editing pages answer a change only once this process's search has heard of it, so the next page
 * shows it: the news travels as a database notification (DirectorySearch.caughtUp).
 */
function answeringOnceSearchHears(search: DirectorySearch, routes: FastifyPluginAsync): FastifyPluginAsync {
  return async (app, options) => {
    app.addHook('onSend', async (request) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') await search.caughtUp();
    });
    await routes(app, options);
  };
}

export async function buildApp(config: Config, deps: AppDependencies): Promise<FastifyInstance> {
  const search = new DirectorySearch(deps.database);
  const app = await buildPlatform(config, deps, {
    resumeSession: (sessionId) => resumeSession(deps.database.db, sessionId, config.sessionIdleMinutes),
    features: features(search),
  });
  app.decorate('directorySearch', search);
  app.addHook('onClose', () => search.close());
  return app;
}
