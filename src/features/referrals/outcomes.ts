// What happened to a sent referral, for the people who may read it: what was sent, the front door's decision and
// reason, what the decision did to the child's work (which team now holds the child), and who to contact.
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { primaryRole, type SignedInUser } from '../../domain/people.ts';
import { isUuid } from '../../web/ids.ts';
import { recordAudit } from '../audit/service.ts';
import { viewChildRecord } from '../children/service.ts';

/**
 * One sent referral with its outcome, or undefined. `childId` limits it to a referral about that child (read from
 * the child's record); `requestedBy` to the person who sent it (their own referrals).
 */
export async function referralWithOutcome(
  db: Kysely<Schema>,
  laCode: string,
  where: { id: string; childId?: string; requestedBy?: string },
) {
  if (!isUuid(where.id)) return undefined;
  let query = db
    .selectFrom('referrals as r')
    .innerJoin('users as referrer', 'referrer.id', 'r.requested_by')
    .leftJoin('users as decider', 'decider.id', 'r.decided_by')
    .leftJoin('users as closer', 'closer.id', 'r.worry_closed_by')
    .leftJoin('episodes as e', 'e.id', 'r.episode_id')
    .leftJoin('teams as team', 'team.id', 'e.team_id')
    .leftJoin('users as worker', 'worker.id', 'e.worker_id')
    .select([
      'r.id',
      'r.kind',
      'r.reference',
      'r.status',
      'r.child_id',
      'r.source_code',
      'r.primary_need_code',
      'r.reason',
      'r.details',
      'r.received_at',
      'r.safeguarding_concern',
      'r.outcome',
      'r.outcome_reason',
      'r.decided_at',
      'r.decision_effect',
      'r.worry_closed_at',
      'r.worry_closed_reason',
      'referrer.display_name as referrer_name',
      'referrer.email as referrer_email',
      'decider.display_name as decider_name',
      'decider.email as decider_email',
      'closer.display_name as worry_closed_by_name',
      'team.name as team_name',
      'worker.display_name as worker_name',
      'worker.email as worker_email',
    ])
    .where('r.la_code', '=', laCode)
    .where('r.id', '=', where.id)
    .where('r.status', '!=', 'draft');
  if (where.childId !== undefined) query = query.where('r.child_id', '=', where.childId);
  if (where.requestedBy !== undefined) query = query.where('r.requested_by', '=', where.requestedBy);
  const referral = await query.executeTakeFirst();
  if (!referral) return undefined;
  // Whoever now holds the child's work for this referral: its allocated worker, or the front door worker who decided.
  const contact = referral.worker_name
    ? { name: referral.worker_name, email: referral.worker_email ?? '' }
    : referral.decider_name
      ? { name: referral.decider_name, email: referral.decider_email ?? '' }
      : undefined;
  return { ...referral, contact };
}

export type ReferralWithOutcome = NonNullable<Awaited<ReturnType<typeof referralWithOutcome>>>;

/**
 * A referral read from the child's record, with the child, by anyone who may see the record; audited as a view of
 * the referral. Undefined, the same answer, for a child the person may not see as for one that does not exist.
 */
export async function viewReferralOnRecord(
  db: Kysely<Schema>,
  user: SignedInUser,
  where: { childId: string; referralId: string; requestId: string },
) {
  const child = await viewChildRecord(db, user, where.childId, where.requestId);
  const referral = child
    ? await referralWithOutcome(db, user.laCode, { id: where.referralId, childId: child.id })
    : undefined;
  if (!child || !referral) return undefined;
  await recordAudit(db, {
    laCode: user.laCode,
    actorUserId: user.id,
    actorRole: primaryRole(user),
    action: 'view-referral',
    requestId: where.requestId,
    subjectChildId: child.id,
    subjectType: 'referral',
    subjectId: referral.id,
  });
  return { child, referral };
}
