// Stepping a child up or down by a member of staff, and the step-downs a worker may only propose: a child with an open
// worry about their safety, or leaving specialist work, moves only when a manager of the child's team agrees. The
// manager agrees (and the move is made as the worker proposed it) or refuses, with a reason either way; the worker
// is told, and both are on the child's timeline.
import type { SignedInUser } from '../../domain/people.ts';
import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import {
  closureReasonFits,
  mayTransition,
  stepDownNeedsAgreement,
  transitionOf,
  type Tier,
} from '../../domain/pathway/tiers.ts';
import { tellTeamManagers, tellUser } from './case-holders.ts';
import {
  childNameOf,
  currentEpisode,
  hasOpenSafetyWorry,
  makeMove,
  recordChildChange,
  teamFor,
  type OpenEpisode,
  type TransitionResult,
} from './service.ts';

export type MoveResult = TransitionResult | 'proposed' | 'closure-does-not-fit' | 'proposal-waiting';

/**
 * Moves a child to another tier, if the child is still where the person saw them. A step-down that needs a team
 * manager's agreement becomes a proposal the team's managers are told of; the child stays where they are until a
 * manager agrees.
 */
export async function moveChild(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: {
    childId: string;
    seenEpisodeId: string | null;
    to: Tier;
    reason: string;
    closureReasonCode: string | null;
    requestId: string;
    baseUrl: string;
  },
): Promise<MoveResult> {
  return db.transaction().execute(async (trx) => {
    await trx.selectFrom('children').select('id').where('id', '=', options.childId).forUpdate().execute();
    const open = await currentEpisode(trx, options.childId);
    if ((open?.id ?? null) !== options.seenEpisodeId) return 'changed-since';
    const from: Tier = open?.tier ?? 'universal';
    const transition = transitionOf(from, options.to);
    // A child open to another team is theirs to move, unless the move brings the child into one of ours.
    const destination = options.to === 'universal' ? undefined : await teamFor(trx, user.laCode, options.to);
    const ours =
      !open ||
      user.teamIds.includes(open.team_id) ||
      (destination !== undefined && user.teamIds.includes(destination.id));
    if (!transition || !ours || !mayTransition(user.roles, from, options.to)) return 'not-allowed';
    if (
      options.to === 'universal' &&
      options.closureReasonCode !== null &&
      !closureReasonFits(options.closureReasonCode, { assessmentCompleted: open?.assessment_completed_at != null })
    )
      return 'closure-does-not-fit';
    const openSafetyWorry = await hasOpenSafetyWorry(trx, options.childId);
    if (
      open &&
      options.to !== 'specialist' &&
      stepDownNeedsAgreement(user.roles, { from, to: options.to, openSafetyWorry })
    )
      return proposeStepDown(trx, user, { ...options, open, to: options.to });
    await makeMove(trx, user, { ...options, open });
    return 'done';
  });
}

/** Where a step-down goes, in words a reader of the timeline or a message understands. */
async function destinationWords(trx: Kysely<Schema>, laCode: string, to: 'universal' | 'targeted') {
  return to === 'universal'
    ? 'universal (closing the case)'
    : `targeted (the ${(await teamFor(trx, laCode, to)).name})`;
}

async function proposeStepDown(
  trx: Transaction<Schema>,
  user: SignedInUser,
  options: {
    childId: string;
    open: OpenEpisode;
    to: 'universal' | 'targeted';
    reason: string;
    closureReasonCode: string | null;
    requestId: string;
    baseUrl: string;
  },
): Promise<MoveResult> {
  const waiting = await waitingProposal(trx, options.open.id);
  if (waiting) return 'proposal-waiting';
  const { id } = await trx
    .insertInto('step_down_proposals')
    .values({
      la_code: user.laCode,
      child_id: options.childId,
      episode_id: options.open.id,
      to_tier: options.to,
      reason: options.reason,
      closure_reason_code: options.to === 'universal' ? options.closureReasonCode : null,
      proposed_by: user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordChildChange(trx, user, {
    childId: options.childId,
    kind: 'step-down-proposed',
    summary: `Step-down to ${await destinationWords(trx, user.laCode, options.to)} proposed, waiting for a team manager to agree: ${options.reason}`,
    action: 'propose-step-down',
    requestId: options.requestId,
    subject: { type: 'step_down_proposal', id },
  });
  await tellTeamManagers(trx, options.open.team_id, {
    laCode: user.laCode,
    template: 'step-down-proposed',
    params: {
      child: await childNameOf(trx, options.childId),
      worker: user.displayName,
      to: await destinationWords(trx, user.laCode, options.to),
      link: `${options.baseUrl}/children/${options.childId}`,
    },
  });
  return 'proposed';
}

/** The step-down waiting on an episode for a manager's agreement, if any, with who proposed it. */
export async function waitingProposal(db: Kysely<Schema>, episodeId: string) {
  return db
    .selectFrom('step_down_proposals as p')
    .innerJoin('users as u', 'u.id', 'p.proposed_by')
    .select([
      'p.id',
      'p.to_tier',
      'p.reason',
      'p.closure_reason_code',
      'p.proposed_at',
      'p.proposed_by',
      'u.display_name as proposed_by_name',
    ])
    .where('p.episode_id', '=', episodeId)
    .where('p.status', '=', 'proposed')
    .executeTakeFirst();
}

/**
 * A manager of the child's team agrees a proposed step-down (the move is made as proposed) or refuses it; with a
 * reason either way, audited, on the timeline, and the worker who proposed it is told.
 */
export async function decideStepDown(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: {
    proposalId: string;
    agree: boolean;
    reason: string;
    requestId: string;
    baseUrl: string;
  },
): Promise<TransitionResult> {
  return db.transaction().execute(async (trx) => {
    const proposal = await trx
      .selectFrom('step_down_proposals')
      .selectAll()
      .where('id', '=', options.proposalId)
      .where('la_code', '=', user.laCode)
      .forUpdate()
      .executeTakeFirst();
    if (!proposal || proposal.status !== 'proposed') return 'changed-since';
    await trx.selectFrom('children').select('id').where('id', '=', proposal.child_id).forUpdate().execute();
    const open = await currentEpisode(trx, proposal.child_id);
    if (!open || open.id !== proposal.episode_id) return 'changed-since';
    if (!user.roles.includes('team_manager') || !user.teamIds.includes(open.team_id)) return 'not-allowed';
    await trx
      .updateTable('step_down_proposals')
      .set({
        status: options.agree ? 'agreed' : 'refused',
        decided_by: user.id,
        decided_at: new Date(),
        decision_reason: options.reason,
      })
      .where('id', '=', proposal.id)
      .execute();
    await recordChildChange(trx, user, {
      childId: proposal.child_id,
      kind: options.agree ? 'step-down-agreed' : 'step-down-refused',
      summary: `${options.agree ? 'Agreed' : 'Refused'} the proposed step-down to ${await destinationWords(trx, user.laCode, proposal.to_tier)}: ${options.reason}`,
      action: options.agree ? 'agree-step-down' : 'refuse-step-down',
      requestId: options.requestId,
      subject: { type: 'step_down_proposal', id: proposal.id },
    });
    if (options.agree) {
      await makeMove(trx, user, {
        childId: proposal.child_id,
        open,
        to: proposal.to_tier,
        reason: proposal.reason,
        closureReasonCode: proposal.closure_reason_code,
        requestId: options.requestId,
        baseUrl: options.baseUrl,
      });
    }
    await tellUser(trx, proposal.proposed_by, {
      laCode: user.laCode,
      template: options.agree ? 'step-down-agreed' : 'step-down-refused',
      params: {
        child: await childNameOf(trx, proposal.child_id),
        manager: user.displayName,
        reason: options.reason,
        link: `${options.baseUrl}/children/${proposal.child_id}`,
      },
    });
    return 'done';
  });
}
