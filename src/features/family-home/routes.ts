// A family's home: one place for each of their children, with everything the council is doing with them. Each
// capability adds its own panel: a service function that gives its part for each child, and a partial template in
// its own views folder that shows it (short breaks, the family's requests for help; later the assessment, plan,
// budget and education, health and care plan). The page is built here, where every capability can be reached
// without any of them reaching each other.
import type { FastifyInstance } from 'fastify';
import { FAMILY_ROLES } from '../../web/access.ts';
import { signedInUser } from '../../web/context.ts';
import { councilContact } from '../administration/service.ts';
import { unlinkedRequestsOf } from '../children/link-requests.ts';
import { viewFamilyChildren } from '../children/service.ts';
import { familyRequests } from '../referrals/service.ts';
import { reviewDue } from '../short-breaks/reviews.ts';
import { familyShortBreaks } from '../short-breaks/service.ts';

/** A panel on each child's part of the page: its template, and its data by child (none: the panel is left out). */
interface Panel {
  template: string;
  byChild: Map<string, unknown>;
}

export async function familyHomeRoutes(instance: FastifyInstance) {
  const { db } = instance.deps.database;

  instance.get('/children', { config: { access: FAMILY_ROLES } }, async (request, reply) => {
    const member = signedInUser(request);
    const [children, waiting, shortBreaks, requests, contact] = await Promise.all([
      viewFamilyChildren(db, member, request.id),
      unlinkedRequestsOf(db, member),
      familyShortBreaks(db, member, request.id),
      familyRequests(db, member),
      councilContact(db, member.laCode),
    ]);
    const panels: Panel[] = [
      {
        template: 'short-breaks/views/family-panel.njk',
        byChild: new Map(
          shortBreaks.map((child) => [
            child.child_id,
            // Nearly a year after a decision, the family is asked to review it: said here too, not only on /short-breaks.
            { ...child, reviewDue: reviewDue({ status: child.status ?? '', decided_at: child.decided_at }) },
          ]),
        ),
      },
      {
        template: 'referrals/views/family-panel.njk',
        byChild: new Map(children.map((child) => [child.id, requests.filter((asked) => asked.child_id === child.id)])),
      },
    ];
    return reply.render('family-home/views/children.njk', {
      children: children.map((child) => ({
        ...child,
        panels: panels.map((panel) => ({ template: panel.template, item: panel.byChild.get(child.id) })),
      })),
      requests: waiting,
      contact,
    });
  });
}
