// Worries about a child's safety: raised in a referral, they stay at the top of the child's record until a team
// manager closes them with a reason, and the moment one meets a child with an open episode, the worker allocated to
// it and its team's managers are alerted.
import type { SignedInUser } from '../../domain/people.ts';
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { notifyRole } from '../accounts/service.ts';
import { tellCaseHolders } from './case-holders.ts';
import { childNameOf, currentEpisode, recordChildChange, type TransitionResult } from './service.ts';

/** The child's safety worries that no manager has closed, oldest first. */
export async function openSafetyWorries(db: Kysely<Schema>, childId: string) {
  const rows = await db
    .selectFrom('referrals')
    .select(['id', 'reference', 'kind', 'received_at', 'details'])
    .where('child_id', '=', childId)
    .where('safeguarding_concern', '=', true)
    .where('worry_closed_at', 'is', null)
    .where('status', '!=', 'draft')
    .orderBy('received_at')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    reference: row.reference,
    receivedAt: row.received_at,
    worry: row.details.safeguardingDetails ?? '',
  }));
}

/** Alerts the holders of the child's open case, if any, to a safety worry in a referral, in the caller's transaction. */
export async function alertCaseHoldersToWorry(
  db: Kysely<Schema>,
  laCode: string,
  worry: { childId: string; referralId: string; reference: string; baseUrl: string },
) {
  const open = await currentEpisode(db, worry.childId);
  if (!open) return;
  await tellCaseHolders(db, open, {
    laCode,
    template: 'safety-worry-on-case',
    params: {
      child: await childNameOf(db, worry.childId),
      reference: worry.reference,
      link: `${worry.baseUrl}/children/${worry.childId}/referrals/${worry.referralId}`,
    },
  });
}

/**
 * Alerts people at once to a worry about safety in a family's short-breaks answers, in the caller's transaction: the
 * holders of the child's open case, or every team manager when the child is open to no team.
 */
export async function alertToWorryInApplication(
  db: Kysely<Schema>,
  laCode: string,
  worry: { childId: string; reference: string; link: string },
) {
  const open = await currentEpisode(db, worry.childId);
  const message = {
    laCode,
    template: 'safety-worry-in-application',
    params: { child: await childNameOf(db, worry.childId), reference: worry.reference, link: worry.link },
  };
  if (open) await tellCaseHolders(db, open, message);
  else await notifyRole(db, laCode, 'team_manager', message);
}

/** Whether the person may close the child's safety worries: a team manager of the child's team, or of any team when the child is open to none. */
export function mayCloseWorries(user: SignedInUser, openTeamId: string | null): boolean {
  return user.roles.includes('team_manager') && (openTeamId === null || user.teamIds.includes(openTeamId));
}

/** A team manager closes a safety worry with a reason; audited and on the child's timeline. */
export async function closeSafetyWorry(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: { childId: string; referralId: string; reason: string; requestId: string; baseUrl: string },
): Promise<TransitionResult> {
  return db.transaction().execute(async (trx) => {
    const open = await currentEpisode(trx, options.childId);
    if (!mayCloseWorries(user, open?.team_id ?? null)) return 'not-allowed';
    const closed = await trx
      .updateTable('referrals')
      .set({ worry_closed_at: new Date(), worry_closed_by: user.id, worry_closed_reason: options.reason })
      .where('id', '=', options.referralId)
      .where('child_id', '=', options.childId)
      .where('la_code', '=', user.laCode)
      .where('safeguarding_concern', '=', true)
      .where('worry_closed_at', 'is', null)
      .returning('reference')
      .executeTakeFirst();
    if (!closed) return 'changed-since';
    await recordChildChange(trx, user, {
      childId: options.childId,
      kind: 'safety-worry-closed',
      summary: `Safety worry in referral ${closed.reference ?? ''} closed: ${options.reason}`,
      action: 'close-safety-worry',
      requestId: options.requestId,
      subject: { type: 'referral', id: options.referralId },
      referralId: options.referralId,
    });
    // The people working with the child hear that the worry is closed, and why.
    if (open)
      await tellCaseHolders(
        trx,
        open,
        {
          laCode: user.laCode,
          template: 'safety-worry-closed',
          params: {
            child: await childNameOf(trx, options.childId),
            reference: closed.reference ?? '',
            manager: user.displayName,
            reason: options.reason,
            link: `${options.baseUrl}/children/${options.childId}`,
          },
        },
        user.email,
      );
    return 'done';
  });
}
