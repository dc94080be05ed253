// "Find a child": one GOV.UK form that works without JavaScript (a GET, so the browser's back button returns to the
// results), for casework staff. The search words travel in the address, so the logger keeps only the path
// (src/web/logging.ts) and test/child-search.test.ts checks no log line holds them.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  MAX_TEXT,
  readChildSearch,
  spacedNhsNumber,
  type SearchProblems,
  type SearchValues,
} from '../../domain/front-door/child-search.ts';
import { CASEWORK_ROLES } from '../../web/access.ts';
import { signedInUser } from '../../web/context.ts';
import { problemsForForm } from '../../web/errors.ts';
import { queryOf, textFields, textValues, type TypeBoxTypes } from '../../web/form.ts';
import { MOST_READ, searchChildren, type SearchOutcome } from './search.ts';

const FIELDS = ['q', 'dobDay', 'dobMonth', 'dobYear'] as const;
const SearchQuery = queryOf(textFields(FIELDS));

function resultsFor(request: FastifyRequest, outcome: SearchOutcome) {
  return {
    found: outcome.found,
    tooMany: outcome.tooMany,
    foundText: request.t(outcome.found === 1 ? 'childSearch.foundOne' : 'childSearch.found', { count: outcome.found }),
    narrowText:
      outcome.found > outcome.children.length
        ? request.t('childSearch.narrow', { shown: outcome.children.length, found: outcome.found })
        : null,
    tooManyText: request.t('childSearch.tooMany', { most: MOST_READ.toLocaleString('en-GB') }),
    children: outcome.children.map((child) => ({
      id: child.id,
      name: `${child.given_name} ${child.family_name}`,
      dateOfBirth: child.date_of_birth,
      nhsNumber: child.nhs_number ? spacedNhsNumber(child.nhs_number) : request.t('childSearch.notKnown'),
      postcode: child.postcode ?? request.t('childSearch.notKnown'),
      openTo:
        child.tier && child.team_name
          ? request.t('childSearch.openTo', {
              tier: request.t(`childSearch.tiers.${child.tier}`),
              team: child.team_name,
            })
          : request.t('childSearch.notOpen'),
    })),
  };
}

export async function childSearchRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;

  const options = { config: { access: CASEWORK_ROLES }, schema: { querystring: SearchQuery } };
  app.get('/children/search', options, async (request, reply) => {
    const query = request.query;
    const values: SearchValues = textValues(query, FIELDS);
    const render = (problems: SearchProblems, outcome?: SearchOutcome) =>
      reply.render('children/views/search.njk', {
        values,
        results: outcome ? resultsFor(request, outcome) : null,
        ...problemsForForm(
          Object.fromEntries(
            Object.entries(problems).map(([field, problem]) => [
              field,
              request.t(`childSearch.errors.${problem}`, { max: MAX_TEXT }),
            ]),
          ),
        ),
      });
    // Opening the page is not a search: only a sent form is checked, searched and audited.
    if (!FIELDS.some((field) => field in query)) return render({});
    const read = readChildSearch(values);
    if (read.problems) {
      reply.status(400);
      return render(read.problems);
    }
    return render({}, await searchChildren(db, signedInUser(request), read.search, request.id));
  });
}
