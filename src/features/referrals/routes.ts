// "I would like a social work assessment instead": on every page of the family's short-breaks journey, a link to
// ask for one.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FAMILY_ROLES } from '../../web/access.ts';
import { signedInUser } from '../../web/context.ts';
import { errorFor, errorSummary, type FieldError } from '../../web/errors.ts';
import { isUuid } from '../../web/ids.ts';
import { MAX_REFERRAL_REASON, familyChildren, requestSocialWorkAssessment } from './service.ts';

function field(source: unknown, name: string): string {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim() : '';
}

export async function referralRoutes(app: FastifyInstance) {
  const { db } = app.deps.database;

  async function renderRequest(
    request: FastifyRequest,
    reply: FastifyReply,
    chosen: { childId: string; applicationId: string; reason: string },
    errors: FieldError[],
  ) {
    const children = await familyChildren(db, signedInUser(request));
    return reply.render('referrals/views/request.njk', {
      children: children.map((child) => ({
        value: child.id,
        text: `${child.given_name} ${child.family_name}`,
        checked: child.id === chosen.childId || children.length === 1,
      })),
      ...chosen,
      errors: errorSummary(errors),
      childError: errorFor(errors, 'childId'),
      reasonError: errorFor(errors, 'reason'),
    });
  }

  app.get('/social-work-assessment', { config: { access: FAMILY_ROLES } }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const applicationId = field(query, 'application');
    // Coming from an application, the child is the application's child (only if the application is theirs).
    const application =
      isUuid(applicationId) &&
      (await db
        .selectFrom('short_break_applications as a')
        .innerJoin('children as c', 'c.id', 'a.child_id')
        .innerJoin('family_carers as fc', 'fc.family_id', 'c.family_id')
        .select(['a.id', 'a.child_id'])
        .where('a.id', '=', applicationId)
        .where('fc.user_id', '=', signedInUser(request).id)
        .executeTakeFirst());
    return renderRequest(
      request,
      reply,
      {
        childId: application ? application.child_id : '',
        applicationId: application ? application.id : '',
        reason: '',
      },
      [],
    );
  });

  app.post('/social-work-assessment', { config: { access: FAMILY_ROLES } }, async (request, reply) => {
    const chosen = {
      childId: field(request.body, 'childId'),
      applicationId: field(request.body, 'applicationId'),
      reason: field(request.body, 'reason'),
    };
    const errors: FieldError[] = [];
    if (!isUuid(chosen.childId)) errors.push({ field: 'childId', text: request.t('referrals.errors.child') });
    if (chosen.reason.length > MAX_REFERRAL_REASON)
      errors.push({ field: 'reason', text: request.t('referrals.errors.reason', { max: MAX_REFERRAL_REASON }) });
    const id =
      errors.length === 0
        ? await requestSocialWorkAssessment(db, signedInUser(request), {
            childId: chosen.childId,
            applicationId: isUuid(chosen.applicationId) ? chosen.applicationId : null,
            reason: chosen.reason,
            requestId: request.id,
            baseUrl: app.config.publicUrl,
          })
        : undefined;
    if (!id) {
      if (errors.length === 0) errors.push({ field: 'childId', text: request.t('referrals.errors.child') });
      reply.status(400);
      return renderRequest(request, reply, chosen, errors);
    }
    return reply.redirect('/social-work-assessment/sent', 303);
  });

  app.get('/social-work-assessment/sent', { config: { access: FAMILY_ROLES } }, async (_request, reply) =>
    reply.render('referrals/views/sent.njk'),
  );
}
