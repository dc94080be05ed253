// The public Local Offer pages: search, a service's page, "Is something wrong?", and the saved list.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Translate } from '../../web/i18n.ts';
import { errorFor, errorSummary, type FieldError } from '../../web/errors.ts';
import { ACCESS_ROUTES, SEND_NEEDS, WEEKDAYS } from '../../domain/local-offer.ts';
import { publicCouncil } from './council.ts';
import { readFeedbackForm, reportProblem, validateFeedbackForm, type FeedbackForm } from './feedback.ts';
import { locatePostcode } from './places.ts';
import { RecentlyUsed } from './recently-used.ts';
import { loadFullServices } from './read.ts';
import { formatSavedList, parseSavedList, withService, withoutService } from './saved-list.ts';
import type { DirectorySearch, SearchFilters } from './search/directory-search.ts';
import {
  backToSearch,
  chosenFilters,
  DISTANCE_MILES,
  KM_PER_MILE,
  PAGE_SIZE,
  readSearchForm,
  searchFrom,
  searchLink,
  searchParameters,
  validateSearchForm,
} from './search-form.ts';
import { agesText, isStale, servicePage } from './service-page.ts';
import { serviceCategories } from './service.ts';
import { formBody, IdParams, OneOrMany, Text, queryOf, Uuid, type TypeBoxTypes } from '../../web/form.ts';
import { HTML } from '../../web/views.ts';
import { keptPagesIn } from './kept-pages.ts';

const SAVED_LIST_COOKIE = 'pathway_saved';
const FILTER_PANEL = 'directory/views/search-filters.njk';
const FILTER_PANELS_KEPT = 200;

/** The search form's fields (a GET form, so a search can be bookmarked): search-form.ts says what each may hold. */
const SearchQuery = queryOf({
  q: Text(),
  age: Text(),
  need: OneOrMany(),
  category: Text(),
  postcode: Text(),
  distance: Text(),
  cost: Text(),
  access: OneOrMany(),
  day: OneOrMany(),
  sort: Text(),
  page: Text(),
  exact: Text(),
});
/** A saved list shared as a link. */
const MyListQuery = queryOf({ ids: Text() });
/** The search a family came to a service's page from, as that search's query string (search-form.ts, searchFrom). */
const FROM_LENGTH = 2000;
const ServicePageQuery = queryOf({ from: Text(FROM_LENGTH) });
/**
 * A service added to the saved list, or taken off it (`action=remove`), from its page, the saved list, or the
 * results (`to=results`, back to the search `from`).
 */
const MyListBody = formBody({ action: Text(), from: Text(FROM_LENGTH), to: Text() }, { serviceId: Uuid });

/**
 * Where a kept search page holds the CSRF token of its saving buttons: each family it is sent to gets a token of
 * their own in its place, since a token only passes with the cookie it was made for. Angle brackets, so nothing a
 * family types (shown escaped) can look like it.
 */
const TOKEN_SLOT = '<pathway-csrf-token>';
const TOKEN_IN_PAGE = /name="_csrf" value="([^"]+)"/;

/** The public directory's pages, searching through the app's one DirectorySearch. */
export function directoryRoutes(search: DirectorySearch): FastifyPluginAsync {
  return (app) => directoryPages(app, search);
}

async function directoryPages(instance: FastifyInstance, search: DirectorySearch) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;
  const council = () => publicCouncil(db, app.config.councilCode);
  const secure = app.config.environment === 'production';

  function options(t: Translate) {
    return {
      needs: SEND_NEEDS.map((need) => ({ value: need, text: t(`directory.needs.${need}`) })),
      accessRoutes: ACCESS_ROUTES.map((route) => ({ value: route, text: t(`directory.accessRoutes.${route}`) })),
      weekdays: WEEKDAYS.map((day) => ({ value: day, text: t(`directory.weekdays.${day}`) })),
      distances: DISTANCE_MILES.map((miles) => ({ value: String(miles), text: t('directory.withinMiles', { miles }) })),
    };
  }

  /**
   * The search page's filter panel, kept by what it shows: the language, the filters chosen, any message about
   * them and the categories on offer. Its GOV.UK checkboxes, radios and selects were three quarters of rendering
   * a search page (0.55 of 0.75 ms), and most searches show the same panel: no filters, or a family's few. At
   * most FILTER_PANELS_KEPT are kept, the least recently used going first; in development each is rendered
   * afresh, so a changed template shows at once.
   */
  const filterPanels = new RecentlyUsed<string>(FILTER_PANELS_KEPT);
  function filterPanel(reply: FastifyReply, panel: Record<string, unknown>): string {
    const render = () => reply.renderPart(FILTER_PANEL, { ...panel, options: options(reply.request.t) });
    if (app.config.environment === 'development') return render();
    return filterPanels.get(JSON.stringify([reply.request.language, panel]), render);
  }

  /**
   * Search pages kept whole for people not signed in (anyone signed in sees their own navigation), by the
   * directory's generation, the language, the services on the saved list and the address. Each is sent with a CSRF
   * token of the family's own in place of TOKEN_SLOT.
   */
  const keptPages = keptPagesIn(app.config.environment);
  const SEARCH_PAGE = { config: { access: 'public' as const }, schema: { querystring: SearchQuery } };

  app.get('/services', SEARCH_PAGE, async (request, reply) => {
    const { laCode } = await council();
    const saved = parseSavedList(request.cookies[SAVED_LIST_COOKIE]);
    // The saved list itself, not only its length: each result says whether it is on the list.
    const keptAs = request.user
      ? undefined
      : `${search.generation(laCode)} ${request.language} ${formatSavedList(saved)} ${request.url}`;
    const kept = keptAs && keptPages?.find(keptAs);
    if (kept)
      return reply
        .type(HTML)
        .send(kept.includes(TOKEN_SLOT) ? kept.replaceAll(TOKEN_SLOT, reply.generateCsrf()) : kept);
    const form = readSearchForm(request.query);
    const errors = validateSearchForm(form, request.t);
    const filters: SearchFilters = {};
    if (errors.length === 0) {
      if (form.age) filters.age = Number(form.age);
      if (form.needs.length) filters.needs = form.needs;
      if (form.category) filters.termIds = [form.category];
      if (form.cost) filters.free = form.cost === 'free';
      if (form.access.length) filters.accessRoutes = form.access;
      if (form.days.length) filters.days = form.days;
    }
    let postcodeFound = true;
    if (errors.length === 0 && form.postcode) {
      const near = await locatePostcode(db, laCode, form.postcode);
      postcodeFound = near !== null;
      if (near) {
        filters.near = near;
        if (form.distance) filters.maxDistanceKm = Number(form.distance) * KM_PER_MILE;
      }
    }
    // "Nearest first" needs a place: without one the search takes its own order (best match for words, else by
    // name), and the page says so rather than sorting some other way in silence.
    const distanceWithoutPlace = form.sort === 'distance' && !filters.near;
    const text = errors.length === 0 ? form.q : '';
    const result = await search.services(laCode, {
      text,
      filters,
      ...(form.sort && !distanceWithoutPlace ? { order: form.sort } : {}),
      page: form.page,
      perPage: PAGE_SIZE,
      correctSpelling: !form.exact,
    });
    const totalPages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
    const categories = await serviceCategories(db, laCode);
    // Carried to each service's page and saving button, so "Back to search" returns to this very page.
    const from = searchParameters(form);
    const corrected =
      result.plan && result.plan.corrections.length > 0
        ? result.plan.corrections.reduce((text, c) => text.replace(new RegExp(`\\b${c.from}\\b`, 'i'), c.to), form.q)
        : null;
    const page = reply.renderPage('directory/views/search.njk', {
      form,
      errors: errorSummary(errors),
      filterPanel: filterPanel(reply, {
        form: {
          age: form.age,
          postcode: form.postcode,
          distance: form.distance,
          category: form.category,
          needs: form.needs,
          cost: form.cost,
          access: form.access,
          days: form.days,
          sort: form.sort,
        },
        ageError: errorFor(errors, 'age'),
        postcodeError: errorFor(errors, 'postcode'),
        categories,
      }),
      filtersOpen: errors.some((error) => error.field === 'age' || error.field === 'postcode'),
      chosenFilters:
        errors.length === 0
          ? chosenFilters(form, request.t, {
              category: (id) => categories.find((category) => category.id === id)?.name,
            })
          : [],
      clearFiltersLink: searchLink(readSearchForm({ q: form.q, sort: form.sort }), {}),
      sortedInstead: distanceWithoutPlace && form.postcode === '' ? (result.plan ? 'relevance' : 'name') : null,
      pastLastPage:
        result.total > 0 && form.page > totalPages
          ? { lastPage: totalPages, href: searchLink(form, { page: totalPages }) }
          : null,
      from,
      searched: from !== '',
      saved,
      total: result.total,
      explanations: result.plan?.explanations ?? [],
      corrected,
      exactLink: corrected ? searchLink(form, { exact: true, page: 1 }) : null,
      postcodeNotFound: form.postcode !== '' && errors.length === 0 && !postcodeFound,
      savedCount: saved.length,
      hits: result.hits.map((hit) => ({
        ...hit,
        ages: agesText(request.t, hit.minimumAge, hit.maximumAge),
        summary:
          hit.description.length > 220 ? `${hit.description.slice(0, 220).replace(/\s+\S*$/, '')}…` : hit.description,
        miles: hit.distanceKm === null ? null : (hit.distanceKm / KM_PER_MILE).toFixed(1),
        href: `/services/${hit.id}${from ? `?from=${encodeURIComponent(from)}` : ''}`,
        onList: saved.includes(hit.id),
      })),
      pagination: {
        previous:
          form.page > 1
            ? { href: searchLink(form, { page: form.page - 1 }), text: request.t('directory.pagination.previous') }
            : undefined,
        next:
          form.page < totalPages
            ? { href: searchLink(form, { page: form.page + 1 }), text: request.t('directory.pagination.next') }
            : undefined,
        items: Array.from({ length: totalPages }, (_, index) => index + 1)
          .filter((number) => number === 1 || number === totalPages || Math.abs(number - form.page) <= 2)
          .flatMap((number, index, shown) => [
            ...(index > 0 && number - shown[index - 1]! > 1 ? [{ ellipsis: true }] : []),
            { number, href: searchLink(form, { page: number }), current: number === form.page },
          ]),
      },
      sortLinks: ['relevance', 'distance', 'name'] as const,
    });
    if (errors.length > 0) reply.status(400);
    else if (keptAs) {
      const token = TOKEN_IN_PAGE.exec(page)?.[1];
      keptPages?.keep(keptAs, token ? page.replaceAll(token, TOKEN_SLOT) : page);
    }
    return reply.type(HTML).send(page);
  });

  async function findService(id: string, reply: FastifyReply) {
    const { laCode } = await council();
    const [service] = await loadFullServices(db, laCode, [id.toLowerCase()]);
    if (!service) {
      reply.callNotFound();
      return undefined;
    }
    return { laCode, service };
  }

  const SERVICE_PAGE = { config: { access: 'public' as const }, schema: { params: IdParams } };

  app.get(
    '/services/:id',
    { ...SERVICE_PAGE, schema: { ...SERVICE_PAGE.schema, querystring: ServicePageQuery } },
    async (request, reply) => {
      const found = await findService(request.params.id, reply);
      if (!found) return reply;
      const saved = parseSavedList(request.cookies[SAVED_LIST_COOKIE]);
      const cameFrom = searchFrom(request.query.from);
      return reply.render('directory/views/service.njk', {
        service: servicePage(found.service, request.t),
        onList: saved.includes(found.service.row.id),
        backLink: backToSearch(request.query.from),
        from: cameFrom ? searchParameters(cameFrom) : '',
      });
    },
  );

  function renderFeedback(
    reply: FastifyReply,
    service: { id: string; name: string },
    form: FeedbackForm,
    errors: FieldError[],
  ) {
    return reply.render('directory/views/feedback.njk', {
      service,
      form,
      errors: errorSummary(errors),
      messageError: errorFor(errors, 'message'),
      emailError: errorFor(errors, 'email'),
    });
  }

  app.get('/services/:id/feedback', SERVICE_PAGE, async (request, reply) => {
    const found = await findService(request.params.id, reply);
    if (!found) return reply;
    return renderFeedback(
      reply,
      { id: found.service.row.id, name: found.service.row.name },
      { message: '', email: '' },
      [],
    );
  });

  app.post(
    '/services/:id/feedback',
    { config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } }, schema: { params: IdParams } },
    async (request, reply) => {
      const found = await findService(request.params.id, reply);
      if (!found) return reply;
      const { row } = found.service;
      const form = readFeedbackForm(request.body);
      const errors = validateFeedbackForm(form, request.t);
      if (errors.length > 0) {
        reply.status(400);
        return renderFeedback(reply, { id: row.id, name: row.name }, form, errors);
      }
      await reportProblem(db, found.laCode, { id: row.id, name: row.name, organizationId: row.organization_id }, form, {
        link: `/services/${row.id}`,
        t: request.t,
      });
      return reply.redirect(`/services/${row.id}/feedback/sent`, 303);
    },
  );

  app.get('/services/:id/feedback/sent', SERVICE_PAGE, async (request, reply) => {
    const found = await findService(request.params.id, reply);
    if (!found) return reply;
    return reply.render('directory/views/feedback-sent.njk', {
      service: { id: found.service.row.id, name: found.service.row.name },
    });
  });

  app.post('/my-list', { config: { access: 'public' }, schema: { body: MyListBody } }, async (request, reply) => {
    const { body } = request;
    const serviceId = body.serviceId.toLowerCase();
    const saved = parseSavedList(request.cookies[SAVED_LIST_COOKIE]);
    const updated = body.action === 'remove' ? withoutService(saved, serviceId) : withService(saved, serviceId);
    reply.setCookie(SAVED_LIST_COOKIE, formatSavedList(updated), {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: 365 * 24 * 60 * 60,
    });
    // Back where the family pressed the button: the results (at the same result), the saved list, or the service.
    const cameFrom = searchFrom(body.from);
    const from = cameFrom ? searchParameters(cameFrom) : '';
    if (body.to === 'results') return reply.redirect(`${backToSearch(from)}#result-${serviceId}`, 303);
    if (body.action === 'remove') return reply.redirect('/my-list', 303);
    return reply.redirect(`/services/${serviceId}${from ? `?from=${encodeURIComponent(from)}` : ''}`, 303);
  });

  app.get(
    '/my-list',
    { config: { access: 'public' }, schema: { querystring: MyListQuery } },
    async (request, reply) => {
      const { laCode } = await council();
      const shared = request.query.ids;
      const ids =
        typeof shared === 'string' ? parseSavedList(shared) : parseSavedList(request.cookies[SAVED_LIST_COOKIE]);
      const services = await loadFullServices(db, laCode, ids);
      return reply.render('directory/views/my-list.njk', {
        shared: typeof shared === 'string',
        services: services.map((service) => ({ ...servicePage(service, request.t), stale: isStale(service.row) })),
        shareLink: `/my-list?ids=${formatSavedList(services.map((service) => service.row.id))}`,
      });
    },
  );
}
