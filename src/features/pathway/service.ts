// The pathway in use: opening a child's episode at a tier with the team that works there, stepping up and down
// (each an explicit transition with a reason, by an authorised role, audited and on the child's timeline),
// allocating a worker, caseloads per worker and team, and the child's timeline.
import type { Kysely, Transaction } from 'kysely';
import type { EpisodeTier, Schema } from '../../db/schema.ts';
import { mayTransition, transitionOf, type Tier } from '../../domain/pathway/tiers.ts';
import { primaryRole, type SignedInUser } from '../../web/context.ts';
import { recordAudit } from '../audit/service.ts';

type Database = Kysely<Schema> | Transaction<Schema>;

/** Adds an event to the child's timeline, in the caller's transaction. */
export async function addTimelineEvent(
  db: Database,
  event: { laCode: string; childId: string; kind: string; summary: string; actorUserId: string | null },
) {
  await db
    .insertInto('timeline_events')
    .values({
      la_code: event.laCode,
      child_id: event.childId,
      kind: event.kind,
      summary: event.summary,
      actor_user_id: event.actorUserId,
    })
    .execute();
}

/** The team that works at a tier in the council. */
async function teamFor(db: Database, laCode: string, tier: EpisodeTier) {
  return db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('la_code', '=', laCode)
    .where('serves_tier', '=', tier)
    .orderBy('name')
    .executeTakeFirstOrThrow();
}

export async function openEpisode(
  db: Database,
  options: {
    laCode: string;
    childId: string;
    tier: EpisodeTier;
    reason: string;
    referralId: string | null;
    actorUserId: string;
  },
) {
  const team = await teamFor(db, options.laCode, options.tier);
  const { id } = await db
    .insertInto('episodes')
    .values({
      la_code: options.laCode,
      child_id: options.childId,
      tier: options.tier,
      team_id: team.id,
      start_reason: options.reason,
      referral_id: options.referralId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await addTimelineEvent(db, {
    laCode: options.laCode,
    childId: options.childId,
    kind: 'episode-started',
    summary: `Work started at ${options.tier} with the ${team.name}: ${options.reason}`,
    actorUserId: options.actorUserId,
  });
  return id;
}

/** The child's open episode, with its team and worker, if any. */
export async function currentEpisode(db: Database, childId: string) {
  return db
    .selectFrom('episodes as e')
    .innerJoin('teams as t', 't.id', 'e.team_id')
    .leftJoin('users as w', 'w.id', 'e.worker_id')
    .select([
      'e.id',
      'e.tier',
      'e.team_id',
      'e.worker_id',
      'e.started_at',
      'e.start_reason',
      'e.version',
      't.name as team_name',
      'w.display_name as worker_name',
    ])
    .where('e.child_id', '=', childId)
    .where('e.ended_at', 'is', null)
    .executeTakeFirst();
}

export type TransitionResult = 'done' | 'changed-since' | 'not-allowed';

/**
 * Moves a child to another tier: the open episode ends with the reason (and, leaving for universal, a census
 * closure reason) and a new one starts at the new tier with its team. Only if the child is still where the
 * person saw them.
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
  },
): Promise<TransitionResult> {
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
    if (open) {
      await trx
        .updateTable('episodes')
        .set((eb) => ({
          ended_at: new Date(),
          end_reason: options.reason,
          closure_reason_code: options.to === 'universal' ? options.closureReasonCode : null,
          version: eb('version', '+', 1),
        }))
        .where('id', '=', open.id)
        .execute();
    }
    await addTimelineEvent(trx, {
      laCode: user.laCode,
      childId: options.childId,
      kind: transition,
      summary: `${transition === 'step-up' ? 'Stepped up' : 'Stepped down'} from ${from} to ${options.to}: ${options.reason}`,
      actorUserId: user.id,
    });
    if (options.to !== 'universal') {
      await openEpisode(trx, {
        laCode: user.laCode,
        childId: options.childId,
        tier: options.to,
        reason: options.reason,
        referralId: null,
        actorUserId: user.id,
      });
    }
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: transition,
      requestId: options.requestId,
      subjectChildId: options.childId,
      subjectType: 'child',
      subjectId: options.childId,
      details: { from, to: options.to },
    });
    return 'done';
  });
}

/** Workers a manager can allocate to: members of the episode's team. */
export async function teamWorkers(db: Database, teamId: string) {
  return db
    .selectFrom('team_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.display_name'])
    .where('m.team_id', '=', teamId)
    .where('u.active', '=', true)
    .orderBy('u.display_name')
    .execute();
}

/** A manager of the episode's team allocates it to one of the team's workers. */
export async function allocateEpisode(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: { episodeId: string; seenVersion: number; workerId: string; requestId: string },
): Promise<TransitionResult> {
  return db.transaction().execute(async (trx) => {
    const episode = await trx
      .selectFrom('episodes')
      .select(['id', 'child_id', 'team_id', 'version'])
      .where('id', '=', options.episodeId)
      .where('la_code', '=', user.laCode)
      .where('ended_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!episode || episode.version !== options.seenVersion) return 'changed-since';
    if (!user.roles.includes('team_manager') || !user.teamIds.includes(episode.team_id)) return 'not-allowed';
    const worker = (await teamWorkers(trx, episode.team_id)).find((member) => member.id === options.workerId);
    if (!worker) return 'not-allowed';
    await trx
      .updateTable('episodes')
      .set((eb) => ({ worker_id: worker.id, version: eb('version', '+', 1) }))
      .where('id', '=', episode.id)
      .execute();
    await addTimelineEvent(trx, {
      laCode: user.laCode,
      childId: episode.child_id,
      kind: 'allocated',
      summary: `Allocated to ${worker.display_name}`,
      actorUserId: user.id,
    });
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'allocate-episode',
      requestId: options.requestId,
      subjectChildId: episode.child_id,
      subjectType: 'episode',
      subjectId: episode.id,
    });
    return 'done';
  });
}

/** The open episodes of the person's teams, each with its child and worker, oldest first. */
export async function caseload(db: Kysely<Schema>, user: SignedInUser) {
  if (user.teamIds.length === 0) return [];
  return db
    .selectFrom('episodes as e')
    .innerJoin('children as c', 'c.id', 'e.child_id')
    .innerJoin('teams as t', 't.id', 'e.team_id')
    .leftJoin('users as w', 'w.id', 'e.worker_id')
    .select([
      'e.id',
      'e.tier',
      'e.started_at',
      'e.worker_id',
      'c.id as child_id',
      'c.given_name',
      'c.family_name',
      't.name as team_name',
      'w.display_name as worker_name',
    ])
    .where('e.la_code', '=', user.laCode)
    .where('e.ended_at', 'is', null)
    .where('e.team_id', 'in', user.teamIds)
    .orderBy('t.name')
    .orderBy('e.started_at')
    .execute();
}

export async function childTimeline(db: Kysely<Schema>, childId: string) {
  return db
    .selectFrom('timeline_events as t')
    .leftJoin('users as u', 'u.id', 't.actor_user_id')
    .select(['t.occurred_at', 't.kind', 't.summary', 'u.display_name as actor'])
    .where('t.child_id', '=', childId)
    .orderBy('t.occurred_at', 'desc')
    .orderBy('t.id', 'desc')
    .limit(200)
    .execute();
}
