// The audit screen, for administrators and the Designated Social Care Officer (DSCO): the council's audit trail by
// child, person and dates, a page at a time, and the same events as a CSV file. A GET form, so it works without
// JavaScript and the back button returns to the results; the query string (which may hold a child's name) is never
// logged (src/web/logging.ts), and the audit rows for reading the trail hold only ids.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROLES, type Role } from '../../domain/people.ts';
import { dateOf } from '../../domain/front-door/referral.ts';
import { signedInUser } from '../../web/context.ts';
import { problemsForForm } from '../../web/errors.ts';
import { queryOf, Text, textFields, textValues, UuidOrEmpty, type TypeBoxTypes } from '../../web/form.ts';
import { csvOf } from './csv.ts';
import {
  auditPeople,
  exportAuditTrail,
  MOST_CHILDREN_MATCHED,
  MOST_EXPORTED,
  TRAIL_PAGE_SIZE,
  viewAuditTrail,
  type NamedChild,
  type TrailEvent,
  type TrailQuery,
} from './trail.ts';
import { AUDIT_ACTIONS } from './actions.ts';

const READERS: readonly Role[] = ['administrator', 'dsco'];
const DATE_FIELDS = ['fromDay', 'fromMonth', 'fromYear', 'toDay', 'toMonth', 'toYear'] as const;
const TrailQuerySchema = queryOf({
  child: Text(200),
  person: UuidOrEmpty,
  page: Text(20),
  upTo: Text(20),
  ...textFields(DATE_FIELDS),
});
type DateField = (typeof DATE_FIELDS)[number];
type Query = { child?: string; person?: string; page?: string; upTo?: string } & Partial<Record<DateField, string>>;
type FilterValues = { child: string; person: string } & Record<DateField, string>;

/** The names of the listed children shown in a row; the rest are counted. */
const LISTED_NAMES_SHOWN = 5;

/** The filters as typed, and what they mean, or the problems with the dates. */
function readFilters(request: FastifyRequest, query: Query) {
  const values: FilterValues = {
    child: (query.child ?? '').trim(),
    person: query.person ?? '',
    ...textValues(query, DATE_FIELDS),
  };
  const problems: Record<string, string> = {};
  const dayOf = (prefix: 'from' | 'to') => {
    const [day, month, year] = [values[`${prefix}Day`], values[`${prefix}Month`], values[`${prefix}Year`]];
    if (day === '' && month === '' && year === '') return undefined;
    const date = dateOf(day, month, year);
    if (!date) problems[`${prefix}Day`] = request.t(`audit.errors.${prefix}`);
    return date;
  };
  const from = dayOf('from');
  const to = dayOf('to');
  if (from && to && to < from) problems.toDay = request.t('audit.errors.order');
  const trail: TrailQuery = {
    child: values.child,
    ...(values.person && { personId: values.person }),
    ...(from && { from }),
    ...(to && { to }),
  };
  return { values, problems, trail };
}

/** The filters again as a query string, for the pages' links and the download. */
function filtersQuery(values: FilterValues, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...values, ...extra })) if (value !== '') params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

function actionText(request: FastifyRequest, action: string): string {
  if (AUDIT_ACTIONS.has(action)) return request.t(`audit.actions.${action}`);
  // An action without words yet is shown as its code in words rather than hidden.
  const words = action.replaceAll('-', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function roleText(request: FastifyRequest, role: string | null): string {
  if (role === null) return '';
  if ((ROLES as readonly string[]).includes(role)) return request.t(`roles.${role}`);
  return role === 'system' ? request.t('audit.roles.system') : role;
}

function personText(request: FastifyRequest, event: TrailEvent): string {
  if (event.actorName) return event.actorName;
  if (event.actorRole === 'system') return request.t('audit.system');
  return event.actorId ? '' : request.t('audit.notSignedIn');
}

function childText(request: FastifyRequest, child: NamedChild): string {
  return child.name || request.t('audit.recordGone');
}

/**
 * The children a list showed, named up to a few. Looking for particular children (`asked`), only they are named and
 * the rest counted: the row was found by them, and the others' names are not what was asked for.
 */
function listedText(request: FastifyRequest, listed: NamedChild[], asked: ReadonlySet<string>): string {
  if (listed.length === 0) return '';
  const named = asked.size > 0 ? listed.filter((child) => asked.has(child.id)) : listed;
  const shown = named.slice(0, LISTED_NAMES_SHOWN).map((child) => childText(request, child));
  const unnamed = listed.length - shown.length;
  if (unnamed > 0) shown.push(request.t('audit.andMore', { count: unnamed }));
  const names = shown.join(', ');
  return listed.length === 1
    ? request.t('audit.childListed', { names })
    : request.t('audit.childrenListed', { count: listed.length, names });
}

/** A time as a spreadsheet reads it, in the council's time. */
const ukTime = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export async function auditRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;
  const options = { config: { access: READERS }, schema: { querystring: TrailQuerySchema } };

  async function render(
    request: FastifyRequest,
    reply: FastifyReply,
    values: FilterValues,
    problems: Record<string, string>,
    found?: Awaited<ReturnType<typeof viewAuditTrail>> & { page: number },
  ) {
    const people = await auditPeople(db, signedInUser(request));
    const pages = found ? Math.max(1, Math.ceil(found.total / TRAIL_PAGE_SIZE)) : 1;
    const page = found?.page ?? 1;
    const matchedNames = (found?.matchedChildren ?? []).map((child) => child.name).join(', ');
    const matchedIds = new Set((found?.matchedChildren ?? []).map((child) => child.id));
    // The next pages read the trail as it was on this one (`upTo`), not with the reads made since.
    const pageHref = (to: number) =>
      `/admin/audit${filtersQuery(values, { page: String(to), ...(found?.upTo && { upTo: found.upTo }) })}`;
    return reply.render('audit/views/trail.njk', {
      values,
      ...problemsForForm(problems),
      personOptions: [
        { value: '', text: request.t('audit.anyone') },
        ...people.map((person) => ({
          value: person.id,
          text: person.display_name,
          selected: person.id === values.person,
        })),
      ],
      found: found
        ? {
            total: found.total,
            totalText:
              found.total === 1 ? request.t('audit.foundOne') : request.t('audit.found', { count: found.total }),
            matchedText:
              values.child === '' || /^[0-9a-f-]{36}$/i.test(values.child)
                ? null
                : found.matchedChildren.length === 0
                  ? request.t('audit.matchedNone')
                  : found.matchedChildren.length === 1
                    ? request.t('audit.matchedOne', { names: matchedNames })
                    : request.t('audit.matched', { count: found.matchedChildren.length, names: matchedNames }),
            tooManyText: found.tooManyChildren ? request.t('audit.tooMany', { most: MOST_CHILDREN_MATCHED }) : null,
            events: found.events.map((event) => ({
              occurredAt: event.occurredAt,
              person: personText(request, event),
              role: roleText(request, event.actorRole),
              what: actionText(request, event.action),
              child: event.child ? { id: event.child.id, name: childText(request, event.child) } : null,
              listed: listedText(request, event.listed, matchedIds),
            })),
          }
        : null,
      downloadHref: `/admin/audit/export${filtersQuery(values)}`,
      downloadHint: request.t('audit.downloadHint', { most: MOST_EXPORTED.toLocaleString('en-GB') }),
      pagination: {
        ...(page > 1 ? { previous: { href: pageHref(page - 1) } } : {}),
        ...(page < pages ? { next: { href: pageHref(page + 1) } } : {}),
      },
      pageText: request.t('audit.page', { page, pages }),
    });
  }

  app.get('/admin/audit', options, async (request, reply) => {
    const { values, problems, trail } = readFilters(request, request.query);
    if (Object.keys(problems).length > 0) {
      reply.status(400);
      return render(request, reply, values, problems);
    }
    const requested = Number(request.query.page ?? 1);
    const page = Number.isInteger(requested) && requested >= 1 && requested <= 100_000 ? requested : 1;
    const upTo = /^[0-9]{1,18}$/.test(request.query.upTo ?? '') ? request.query.upTo : undefined;
    const found = await viewAuditTrail(
      db,
      signedInUser(request),
      { ...trail, ...(upTo && { upTo }) },
      page,
      request.id,
    );
    return render(request, reply, values, {}, { ...found, page });
  });

  app.get('/admin/audit/export', options, async (request, reply) => {
    const { values, problems, trail } = readFilters(request, request.query);
    if (Object.keys(problems).length > 0) {
      reply.status(400);
      return render(request, reply, values, problems);
    }
    const { events } = await exportAuditTrail(db, signedInUser(request), trail, request.id);
    const heading = [
      'when',
      'personName',
      'personId',
      'role',
      'what',
      'action',
      'childName',
      'childId',
      'childrenListed',
      'subjectType',
      'subjectId',
      'requestId',
    ].map((column) => request.t(`audit.csv.${column}`));
    const rows = events.map((event) => [
      ukTime.format(event.occurredAt),
      personText(request, event),
      event.actorId,
      roleText(request, event.actorRole),
      actionText(request, event.action),
      event.action,
      event.child ? childText(request, event.child) : '',
      event.child?.id,
      event.listed.map((child) => child.id).join(' '),
      event.subjectType,
      event.subjectId,
      event.requestId,
    ]);
    const day = ukTime.format(new Date()).slice(0, 10);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="audit-trail-${day}.csv"`)
      .send(csvOf([heading, ...rows]));
  });
}
