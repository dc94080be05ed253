// A referral read from the child's record, by anyone who may see the record: what was asked, the worry, consent,
// who sent it, and the front door's decision. Reading it is audited as a view of the referral.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CASEWORK_ROLES } from '../../web/access.ts';
import { signedInUser } from '../../web/context.ts';
import { Uuid, type TypeBoxTypes } from '../../web/form.ts';
import { viewReferralOnRecord } from './outcomes.ts';

const ReferralOnRecordParams = Type.Object({ childId: Uuid, referralId: Uuid });

export async function referralOnRecordRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;

  app.get(
    '/children/:childId/referrals/:referralId',
    { config: { access: CASEWORK_ROLES }, schema: { params: ReferralOnRecordParams } },
    async (request, reply) => {
      const found = await viewReferralOnRecord(db, signedInUser(request), { ...request.params, requestId: request.id });
      if (!found) {
        reply.callNotFound();
        return reply;
      }
      return reply.render('referrals/views/record-referral.njk', found);
    },
  );
}
