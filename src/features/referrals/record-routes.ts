// A referral read from the child's record, by anyone who may see the record: what was asked, the worry, consent,
// who sent it, and the front door's decision. Reading it is audited as a view of the referral.
import { primaryRole } from '../../domain/people.ts';
import type { FastifyInstance } from 'fastify';
import { CASEWORK_ROLES } from '../../web/access.ts';
import { signedInUser } from '../../web/context.ts';
import { recordAudit } from '../audit/service.ts';
import { viewChildRecord } from '../children/service.ts';
import { referralWithOutcome } from './outcomes.ts';

export async function referralOnRecordRoutes(app: FastifyInstance) {
  const { db } = app.deps.database;

  app.get(
    '/children/:childId/referrals/:referralId',
    { config: { access: CASEWORK_ROLES } },
    async (request, reply) => {
      const user = signedInUser(request);
      const { childId, referralId } = request.params as { childId: string; referralId: string };
      // The same answer for a child the person may not see as for one that does not exist.
      const child = await viewChildRecord(db, user, childId, request.id);
      const referral = child
        ? await referralWithOutcome(db, user.laCode, { id: referralId, childId: child.id })
        : undefined;
      if (!child || !referral) {
        reply.callNotFound();
        return reply;
      }
      await recordAudit(db, {
        laCode: user.laCode,
        actorUserId: user.id,
        actorRole: primaryRole(user),
        action: 'view-referral',
        requestId: request.id,
        subjectChildId: child.id,
        subjectType: 'referral',
        subjectId: referral.id,
      });
      return reply.render('referrals/views/record-referral.njk', { child, referral });
    },
  );
}
