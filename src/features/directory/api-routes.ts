// The Open Referral UK 3.0 API under /api/oruk/: open to anyone (no key), cross-origin, rate limited.
import { Type, type TProperties } from '@sinclair/typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifySchemaValidationError } from 'fastify';
import {
  booleanParameter,
  dateTimeParameter,
  pageEnvelope,
  paging,
  ParameterError,
  textParameter,
  uuidParameter,
  wholeNumberParameter,
} from './api-parameters.ts';
import { listOrganizations, listServiceAtLocations, listTaxonomies, listTaxonomyTerms } from './catalogue.ts';
import { publicCouncil } from './council.ts';
import { locatePostcode, parsePostcode } from './places.ts';
import { loadFullServices, loadServiceListItems, orukService } from './read.ts';
import type { DirectorySearch, SearchFilters } from './search/directory-search.ts';
import { keptPagesIn } from './kept-pages.ts';
import { queryOf, Text, type TypeBoxTypes } from '../../web/form.ts';

export const API_PREFIX = '/api/oruk';
const JSON_CONTENT = 'application/json; charset=utf-8';

/**
 * The parameters each request may give, each once, as text: the schemas say their shape, and api-parameters.ts
 * what each must mean, so every refusal names its parameter in the API's own words.
 */
const PAGING = { page: Text(), per_page: Text() };
const ServicesQuery = queryOf({
  ...PAGING,
  age: Text(),
  taxonomy_term_id: Text(),
  taxonomy_id: Text(),
  organization_id: Text(),
  modified_after: Text(),
  postcode: Text(),
  proximity: Text(),
  search: Text(),
  full: Text(),
});
const IdParams = Type.Object({ id: Text() });

/**
 * A parameter of the wrong shape (given twice, longer than any request needs, or holding a control character), refused
 * as a malformed one is.
 */
function parameterError(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const failure = errors[0];
  const name = failure?.instancePath.slice(1) || dataVar;
  const problems: Record<string, string> = {
    maxLength: `${name} is too long`,
    pattern: `${name} holds a control character`,
  };
  return new ParameterError(name, problems[failure?.keyword ?? ''] ?? `${name} must be given once`);
}

/** The Open Referral UK API, searching through the app's one DirectorySearch. */
export function orukApiRoutes(search: DirectorySearch): FastifyPluginAsync {
  return (app) => orukApi(app, search);
}

async function orukApi(instance: FastifyInstance, search: DirectorySearch) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const PUBLIC = { access: 'public' as const };
  // One count per client across every route of the API, not one per route: a route's own limit would let a client
  // make the limit's worth of requests to each route in turn.
  app.addHook('onRequest', app.rateLimit({ max: app.config.apiRateLimitPerMinute, timeWindow: '1 minute' }));
  const { db } = app.deps.database;
  const council = () => publicCouncil(db, app.config.councilCode);

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith(`${API_PREFIX}/`) || request.url === API_PREFIX)
      reply.header('access-control-allow-origin', '*');
  });
  app.setSchemaErrorFormatter(parameterError);
  app.setErrorHandler(async (error, request, reply) => {
    if (error instanceof ParameterError) {
      return reply.status(400).send({ error: { status: 400, message: error.message, parameter: error.parameter } });
    }
    throw error;
  });

  const notFound = (reply: FastifyReply, what: string) =>
    reply.status(404).send({ error: { status: 404, message: `No ${what} with that id` } });

  // Pathway implements the published Open Referral UK 3.0 API; its two extensions (age, postcode with
  // proximity) are described in docs/directory.md.
  app.get(`${API_PREFIX}/`, { config: PUBLIC }, async () => ({
    version: 'HSDS-UK-3.0',
    profile: 'https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md',
    openapi_url: 'https://openreferraluk.org/specifications/3.0/openapi.json',
  }));

  // Lists of services kept whole, as the search page is (kept-pages.ts): the API is the same for everyone.
  const keptLists = keptPagesIn(app.config.environment);

  app.get(
    `${API_PREFIX}/services`,
    { config: PUBLIC, schema: { querystring: ServicesQuery } },
    async (request, reply) => {
      const { laCode } = await council();
      const keptAs = `${search.generation(laCode)} ${request.url}`;
      const kept = keptLists?.find(keptAs);
      if (kept) return reply.type(JSON_CONTENT).send(kept);
      const list = JSON.stringify(await listServices(laCode, request.query));
      keptLists?.keep(keptAs, list);
      return reply.type(JSON_CONTENT).send(list);
    },
  );

  async function listServices(laCode: string, query: Record<string, unknown>) {
    const { page, perPage } = paging(query);
    const filters: SearchFilters = { activeOnly: false };
    const age = wholeNumberParameter(query, 'age', { min: 0, max: 130 });
    if (age !== undefined) filters.age = age;
    const termId = uuidParameter(query, 'taxonomy_term_id');
    if (termId) filters.termIds = [termId];
    const taxonomyId = uuidParameter(query, 'taxonomy_id');
    if (taxonomyId) filters.taxonomyId = taxonomyId;
    const organizationId = uuidParameter(query, 'organization_id');
    if (organizationId) filters.organizationId = organizationId;
    const modifiedAfter = dateTimeParameter(query, 'modified_after');
    if (modifiedAfter) filters.modifiedAfter = modifiedAfter;
    const postcode = textParameter(query, 'postcode', 10);
    const proximity = wholeNumberParameter(query, 'proximity', { min: 1, max: 1_000_000 });
    if (proximity !== undefined && !postcode) throw new ParameterError('proximity', 'proximity needs a postcode');
    if (postcode) {
      if (!parsePostcode(postcode))
        throw new ParameterError(
          'postcode',
          'postcode must be a UK postcode or outward code, such as BD21 or BD21 3AB',
        );
      const near = await locatePostcode(db, laCode, postcode);
      if (!near) return pageEnvelope([], 0, page, perPage);
      filters.near = near;
      if (proximity !== undefined) filters.maxDistanceKm = proximity / 1000;
    }
    const words = textParameter(query, 'search', 200) ?? '';
    const full = booleanParameter(query, 'full') ?? false;
    const result = await search.services(laCode, {
      text: words,
      filters,
      page,
      perPage,
      order: words ? 'relevance' : postcode ? 'distance' : 'name',
    });
    const ids = result.hits.map((hit) => hit.id);
    // As the standard says: each service's own fields and its organisation, or with full=true the whole service.
    const contents = full
      ? (await loadFullServices(db, laCode, ids)).map(orukService)
      : await loadServiceListItems(db, laCode, ids);
    return pageEnvelope(contents, result.total, page, perPage);
  }

  app.get(`${API_PREFIX}/services/:id`, { config: PUBLIC, schema: { params: IdParams } }, async (request, reply) => {
    const { laCode } = await council();
    const id = uuidParameter(request.params, 'id');
    const [service] = id ? await loadFullServices(db, laCode, [id]) : [];
    return service ? orukService(service) : notFound(reply, 'service');
  });

  const listing = (
    path: string,
    what: string,
    parameters: TProperties,
    list: (
      laCode: string,
      page: { page: number; perPage: number },
      query: Record<string, unknown>,
      id?: string,
    ) => Promise<{ contents: unknown[]; total: number }>,
  ) => {
    app.get(
      `${API_PREFIX}/${path}`,
      { config: PUBLIC, schema: { querystring: queryOf(parameters) } },
      async (request) => {
        const query = request.query;
        const page = paging(query);
        const { laCode } = await council();
        const { contents, total } = await list(laCode, page, query);
        return pageEnvelope(contents, total, page.page, page.perPage);
      },
    );
    app.get(`${API_PREFIX}/${path}/:id`, { config: PUBLIC, schema: { params: IdParams } }, async (request, reply) => {
      const { laCode } = await council();
      const id = uuidParameter(request.params, 'id');
      const { contents } = id ? await list(laCode, { page: 1, perPage: 1 }, {}, id) : { contents: [] };
      return contents[0] ?? notFound(reply, what);
    });
  };
  listing('organizations', 'organisation', PAGING, (laCode, page, _query, id) =>
    listOrganizations(db, laCode, page, id),
  );
  listing('taxonomies', 'taxonomy', PAGING, (laCode, page, _query, id) => listTaxonomies(db, laCode, page, id));
  listing('taxonomy_terms', 'taxonomy term', { ...PAGING, taxonomy_id: Text() }, (laCode, page, query, id) => {
    const taxonomyId = uuidParameter(query, 'taxonomy_id');
    return listTaxonomyTerms(db, laCode, page, { ...(id ? { id } : {}), ...(taxonomyId ? { taxonomyId } : {}) });
  });
  listing('service_at_locations', 'service at location', PAGING, (laCode, page, _query, id) =>
    listServiceAtLocations(db, laCode, page, id),
  );
}
