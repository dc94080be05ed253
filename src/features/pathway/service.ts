// The pathway in use: opening a child's episode at a tier with the team that works there, stepping up and down
// (each an explicit transition with a reason, by an authorised role, audited and on the child's timeline),
// allocating a worker, caseloads per worker and team, and the child's timeline.
import { type SignedInUser, primaryRole } from '../../domain/people.ts';
import type { Kysely, Transaction } from 'kysely';
import type { EpisodeTier, Schema } from '../../db/schema.ts';
import { transitionOf, type Tier } from '../../domain/pathway/tiers.ts';
import { ASSESSMENT_AUTHORISED_DAYS, clockOf, type Clock } from '../../domain/pathway/clocks.ts';
import { recordAudit, type Actor } from '../audit/service.ts';
import { runOverdueRound } from '../notifications/overdue-rounds.ts';
import { tellCaseHolders, tellTeamManagers, tellUser } from './case-holders.ts';

type Database = Kysely<Schema> | Transaction<Schema>;

/** Adds an event to the child's timeline, in the caller's transaction. */
export async function addTimelineEvent(
  db: Database,
  event: {
    laCode: string;
    childId: string;
    kind: string;
    summary: string;
    actorUserId: string | null;
    /** The referral the event is about, so the timeline links to it. */
    referralId?: string;
  },
) {
  await db
    .insertInto('timeline_events')
    .values({
      la_code: event.laCode,
      child_id: event.childId,
      kind: event.kind,
      summary: event.summary,
      actor_user_id: event.actorUserId,
      referral_id: event.referralId ?? null,
    })
    .execute();
}

/**
 * A member of staff's change to a child's casework: on the child's timeline for the people working with the family,
 * and in the audit trail for the council, both in the caller's transaction. The audit's subject is the child unless
 * the change is to something of theirs (an episode, a person in their life).
 */
export async function recordChildChange(
  db: Database,
  user: SignedInUser,
  change: {
    childId: string;
    kind: string;
    summary: string;
    action: string;
    requestId: string;
    subject?: { type: string; id: string };
    details?: Record<string, unknown>;
    referralId?: string;
  },
) {
  await addTimelineEvent(db, {
    laCode: user.laCode,
    childId: change.childId,
    kind: change.kind,
    summary: change.summary,
    actorUserId: user.id,
    ...(change.referralId ? { referralId: change.referralId } : {}),
  });
  await recordAudit(db, {
    laCode: user.laCode,
    actorUserId: user.id,
    actorRole: primaryRole(user),
    action: change.action,
    requestId: change.requestId,
    subjectChildId: change.childId,
    subjectType: change.subject?.type ?? 'child',
    subjectId: change.subject?.id ?? change.childId,
    ...(change.details ? { details: change.details } : {}),
  });
}

/** The team that works at a tier in the council. */
export async function teamFor(db: Database, laCode: string, tier: EpisodeTier) {
  return db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('la_code', '=', laCode)
    .where('serves_tier', '=', tier)
    .orderBy('name')
    .executeTakeFirstOrThrow();
}

/**
 * Opens the child's episode at a tier with the team that works there, unallocated; the team's managers are told of
 * the new work waiting for a worker.
 */
export async function openEpisode(
  db: Database,
  options: {
    laCode: string;
    childId: string;
    tier: EpisodeTier;
    reason: string;
    referralId: string | null;
    actorUserId: string;
    baseUrl: string;
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
    ...(options.referralId ? { referralId: options.referralId } : {}),
  });
  await tellTeamManagers(db, team.id, {
    laCode: options.laCode,
    template: 'work-unallocated',
    params: {
      child: await childNameOf(db, options.childId),
      team: team.name,
      link: `${options.baseUrl}/unallocated`,
    },
  });
  return { id, teamId: team.id, teamName: team.name };
}

/** A child's name as their record has it, for messages to staff. */
/** A step a child's work took before Pathway held it, for their timeline. */
export interface EarlierStep {
  at: Date;
  kind: 'episode-started' | 'step-up' | 'step-down';
  summary: string;
  actorUserId: string | null;
}

/**
 * Records work with a child that began before Pathway held it (the demo's history, or a council's open cases brought
 * from its old system): the episode at its tier with the team that works there, the day it started, its worker, and
 * if it has ended, when, why and the census reason for closing; each earlier step on the child's timeline on its own
 * date. Nobody is told, as nothing new has happened; the council's audit trail records who brought it in.
 */
export async function recordEarlierWork(
  db: Database,
  actor: Actor,
  work: {
    laCode: string;
    childId: string;
    tier: EpisodeTier;
    reason: string;
    startedAt: Date;
    workerId: string | null;
    ended?: { at: Date; reason: string; closureReasonCode: string };
    steps: EarlierStep[];
  },
): Promise<string> {
  const team = await teamFor(db, work.laCode, work.tier);
  const { id } = await db
    .insertInto('episodes')
    .values({
      la_code: work.laCode,
      child_id: work.childId,
      tier: work.tier,
      team_id: team.id,
      worker_id: work.workerId,
      started_at: work.startedAt,
      start_reason: work.reason,
      ended_at: work.ended?.at ?? null,
      end_reason: work.ended?.reason ?? null,
      closure_reason_code: work.ended?.closureReasonCode ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const step of work.steps)
    await db
      .insertInto('timeline_events')
      .values({
        la_code: work.laCode,
        child_id: work.childId,
        occurred_at: step.at,
        kind: step.kind,
        summary: step.summary,
        actor_user_id: step.actorUserId,
      })
      .execute();
  await recordAudit(db, {
    laCode: work.laCode,
    actorUserId: actor.userId,
    actorRole: actor.role,
    action: 'record-earlier-work',
    requestId: actor.requestId,
    subjectChildId: work.childId,
    subjectType: 'episode',
    subjectId: id,
  });
  return id;
}

export async function childNameOf(db: Database, childId: string): Promise<string> {
  const child = await db
    .selectFrom('children')
    .select(['given_name', 'family_name'])
    .where('id', '=', childId)
    .executeTakeFirstOrThrow();
  return `${child.given_name} ${child.family_name}`;
}

/** The child's open episode, with its team and worker, if any. */
export async function currentEpisode(db: Database, childId: string) {
  return db
    .selectFrom('episodes as e')
    .innerJoin('teams as t', 't.id', 'e.team_id')
    .leftJoin('users as w', 'w.id', 'e.worker_id')
    .leftJoin('referrals as r', 'r.id', 'e.referral_id')
    .select([
      'e.id',
      'e.tier',
      'e.team_id',
      'e.worker_id',
      'e.started_at',
      'e.start_reason',
      'e.version',
      'e.assessment_authorised_at',
      'e.assessment_completed_at',
      'e.assessment_factors',
      'r.received_at as referral_received_at',
      't.name as team_name',
      'w.display_name as worker_name',
    ])
    .where('e.child_id', '=', childId)
    .where('e.ended_at', 'is', null)
    .executeTakeFirst();
}

/**
 * Who is working with each of these children, for their family: the team their open work is with and, once
 * allocated, the worker's name and work email, so the family knows whom to contact.
 */
export async function whoWorksWith(db: Database, childIds: readonly string[]) {
  if (childIds.length === 0) return [];
  return db
    .selectFrom('episodes as e')
    .innerJoin('teams as t', 't.id', 'e.team_id')
    .leftJoin('users as w', (join) => join.onRef('w.id', '=', 'e.worker_id').on('w.active', '=', true))
    .select(['e.child_id', 't.name as team_name', 'w.display_name as worker_name', 'w.email as worker_email'])
    .where('e.child_id', 'in', [...childIds])
    .where('e.ended_at', 'is', null)
    .execute();
}

/** What universal means to a person reading the timeline. */
const UNIVERSAL_WORDS = 'services open to every family';

export type TransitionResult = 'done' | 'changed-since' | 'not-allowed';

export type OpenEpisode = NonNullable<Awaited<ReturnType<typeof currentEpisode>>>;

/** Whether the child has a worry about their safety that no manager has closed. */
export async function hasOpenSafetyWorry(db: Database, childId: string): Promise<boolean> {
  const worry = await db
    .selectFrom('referrals')
    .select('id')
    .where('child_id', '=', childId)
    .where('safeguarding_concern', '=', true)
    .where('worry_closed_at', 'is', null)
    .where('status', '!=', 'draft')
    .executeTakeFirst();
  return worry !== undefined;
}

/**
 * Makes a move, in the caller's transaction: the open episode ends with the reason (and, leaving for universal, a
 * census closure reason), a new one starts at the new tier with its team (unallocated, its managers told), and the
 * worker and managers who held the child are told where the child went.
 */
export async function makeMove(
  trx: Transaction<Schema>,
  actor: SignedInUser,
  move: {
    childId: string;
    open: OpenEpisode | undefined;
    to: Tier;
    reason: string;
    closureReasonCode: string | null;
    requestId: string;
    baseUrl: string;
    referralId?: string;
  },
) {
  const from: Tier = move.open?.tier ?? 'universal';
  const transition = transitionOf(from, move.to);
  if (!transition) throw new Error('A move must change the tier');
  if (move.open) {
    await trx
      .updateTable('episodes')
      .set((eb) => ({
        ended_at: new Date(),
        end_reason: move.reason,
        closure_reason_code: move.to === 'universal' ? move.closureReasonCode : null,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', move.open.id)
      .execute();
  }
  // The tier with who works there, so a reader of the timeline need not know what "targeted" means.
  const fromWords = move.open ? `${from} (the ${move.open.team_name})` : `universal (${UNIVERSAL_WORDS})`;
  const toWords =
    move.to === 'universal'
      ? `universal (${UNIVERSAL_WORDS})`
      : `${move.to} (the ${(await teamFor(trx, actor.laCode, move.to)).name})`;
  await recordChildChange(trx, actor, {
    childId: move.childId,
    kind: transition,
    summary: `${transition === 'step-up' ? 'Stepped up' : 'Stepped down'} from ${fromWords} to ${toWords}: ${move.reason}`,
    action: transition,
    requestId: move.requestId,
    details: { from, to: move.to },
    ...(move.referralId ? { referralId: move.referralId } : {}),
  });
  const opened =
    move.to === 'universal'
      ? undefined
      : await openEpisode(trx, {
          laCode: actor.laCode,
          childId: move.childId,
          tier: move.to,
          reason: move.reason,
          referralId: move.referralId ?? null,
          actorUserId: actor.id,
          baseUrl: move.baseUrl,
        });
  if (move.open) {
    await tellCaseHolders(
      trx,
      move.open,
      {
        laCode: actor.laCode,
        template: 'child-moved',
        params: {
          child: await childNameOf(trx, move.childId),
          team: move.open.team_name,
          where: opened ? `the ${opened.teamName}` : 'universal services (their episode is closed)',
          reason: move.reason,
        },
      },
      actor.email,
    );
  }
  return opened;
}

/**
 * The assessment clock of a specialist episode: from the referral that started it (or the step-up, without one)
 * to the assessment being authorised, against 45 working days. Undefined for targeted work.
 */
export function assessmentClock(
  episode: {
    tier: EpisodeTier;
    started_at: Date;
    referral_received_at: Date | null;
    assessment_authorised_at: Date | null;
  },
  today = new Date(),
): Clock | undefined {
  if (episode.tier !== 'specialist') return undefined;
  return clockOf(
    episode.referral_received_at ?? episode.started_at,
    ASSESSMENT_AUTHORISED_DAYS,
    episode.assessment_authorised_at,
    today,
  );
}

/** The manager of a specialist episode's team authorises the social work assessment, stopping its clock. */
export async function authoriseAssessment(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: { episodeId: string; seenVersion: number; requestId: string },
): Promise<TransitionResult> {
  return db.transaction().execute(async (trx) => {
    const episode = await trx
      .selectFrom('episodes')
      .select(['id', 'child_id', 'team_id', 'tier', 'version', 'assessment_authorised_at'])
      .where('id', '=', options.episodeId)
      .where('la_code', '=', user.laCode)
      .where('ended_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!episode || episode.version !== options.seenVersion || episode.assessment_authorised_at) return 'changed-since';
    if (
      episode.tier !== 'specialist' ||
      !user.roles.includes('team_manager') ||
      !user.teamIds.includes(episode.team_id)
    )
      return 'not-allowed';
    await trx
      .updateTable('episodes')
      .set((eb) => ({
        assessment_authorised_at: new Date(),
        assessment_authorised_by: user.id,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', episode.id)
      .execute();
    await recordChildChange(trx, user, {
      childId: episode.child_id,
      kind: 'assessment-authorised',
      summary: 'Social work assessment authorised',
      action: 'authorise-assessment',
      requestId: options.requestId,
      subject: { type: 'episode', id: episode.id },
    });
    return 'done';
  });
}

/**
 * The pathway's daily round: team managers are told, once per child, which specialist episodes have passed 45
 * working days without the assessment being authorised.
 */
export async function flagOverdueAssessments(db: Kysely<Schema>, options: { baseUrl: string; today?: Date }) {
  return runOverdueRound(db, {
    waiting: (trx) =>
      trx
        .selectFrom('episodes as e')
        .innerJoin('children as c', 'c.id', 'e.child_id')
        .leftJoin('referrals as r', 'r.id', 'e.referral_id')
        .select([
          'e.id',
          'e.la_code',
          'e.team_id',
          'e.tier',
          'e.started_at',
          'e.assessment_authorised_at',
          'r.received_at as referral_received_at',
          'c.given_name',
          'c.family_name',
        ])
        .where('e.tier', '=', 'specialist')
        .where('e.ended_at', 'is', null)
        .where('e.assessment_authorised_at', 'is', null)
        .where('e.assessment_overdue_flagged_at', 'is', null)
        .forUpdate('e')
        .skipLocked()
        .execute(),
    isOverdue: (episode) => assessmentClock(episode, options.today)?.overdue ?? false,
    // Each team's managers hear about their own team's children.
    groupOf: (episode) => episode.team_id,
    tell: (trx, overdue) =>
      tellTeamManagers(trx, overdue[0]!.team_id, {
        laCode: overdue[0]!.la_code,
        template: 'assessments-overdue',
        params: {
          count: overdue.length,
          children: overdue.map((episode) => `${episode.given_name} ${episode.family_name}`).join(', '),
          link: `${options.baseUrl}/caseload`,
        },
      }),
    markFlagged: (trx, ids) =>
      trx.updateTable('episodes').set({ assessment_overdue_flagged_at: new Date() }).where('id', 'in', ids).execute(),
  });
}

/**
 * The social worker or manager of the child's team records the assessment's outcome: its census factors (at
 * least one; "21" when none were found), once the assessment has been authorised.
 */
export async function recordAssessment(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: { episodeId: string; seenVersion: number; factors: string[]; requestId: string },
): Promise<TransitionResult> {
  return db.transaction().execute(async (trx) => {
    const episode = await trx
      .selectFrom('episodes')
      .select(['id', 'child_id', 'team_id', 'tier', 'version', 'assessment_authorised_at', 'assessment_completed_at'])
      .where('id', '=', options.episodeId)
      .where('la_code', '=', user.laCode)
      .where('ended_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!episode || episode.version !== options.seenVersion || episode.assessment_completed_at) return 'changed-since';
    const mayRecord =
      (user.roles.includes('social_worker') || user.roles.includes('team_manager')) &&
      user.teamIds.includes(episode.team_id);
    if (episode.tier !== 'specialist' || !episode.assessment_authorised_at || !mayRecord) return 'not-allowed';
    await trx
      .updateTable('episodes')
      .set((eb) => ({
        assessment_completed_at: new Date(),
        assessment_factors: options.factors,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', episode.id)
      .execute();
    await recordChildChange(trx, user, {
      childId: episode.child_id,
      kind: 'assessment-completed',
      summary: `Social work assessment completed (census factors ${options.factors.join(', ')})`,
      action: 'record-assessment',
      requestId: options.requestId,
      subject: { type: 'episode', id: episode.id },
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

/** A manager of the episode's team allocates it to one of the team's workers, who is told. */
export async function allocateEpisode(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: { episodeId: string; seenVersion: number; workerId: string; requestId: string; baseUrl: string },
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
    await recordChildChange(trx, user, {
      childId: episode.child_id,
      kind: 'allocated',
      summary: `Allocated to ${worker.display_name}`,
      action: 'allocate-episode',
      requestId: options.requestId,
      subject: { type: 'episode', id: episode.id },
    });
    if (worker.id !== user.id)
      await tellUser(trx, worker.id, {
        laCode: user.laCode,
        template: 'case-allocated',
        params: {
          child: await childNameOf(trx, episode.child_id),
          manager: user.displayName,
          link: `${options.baseUrl}/children/${episode.child_id}`,
        },
      });
    return 'done';
  });
}

/** The open cases allocated to a worker, with their team, for an administrator deciding about the worker's account. */
export async function casesHeldBy(db: Database, laCode: string, workerId: string) {
  return db
    .selectFrom('episodes as e')
    .innerJoin('teams as t', 't.id', 'e.team_id')
    .select(['e.id', 'e.child_id', 'e.team_id', 't.name as team_name'])
    .where('e.la_code', '=', laCode)
    .where('e.worker_id', '=', workerId)
    .where('e.ended_at', 'is', null)
    .orderBy('t.name')
    .orderBy('e.started_at')
    .execute();
}

/**
 * Returns a worker's open cases to their teams' unallocated work when the worker can no longer hold them: their
 * account is deactivated, or they have left the team (`keepTeamIds` are the teams they are still in). Each child's
 * timeline says why, and each team's managers are told which children wait for a new worker, so no child is left
 * with someone who cannot act. In the caller's transaction; resolves how many cases were returned.
 */
export async function returnCasesOfWorker(
  db: Database,
  admin: SignedInUser,
  options: {
    workerId: string;
    workerName: string;
    keepTeamIds: readonly string[];
    why: 'account-deactivated' | 'left-team';
    requestId: string;
    baseUrl: string;
  },
): Promise<number> {
  const held = await casesHeldBy(db, admin.laCode, options.workerId);
  const returned = held.filter((episode) => !options.keepTeamIds.includes(episode.team_id));
  const childrenByTeam = new Map<string, { teamName: string; children: string[] }>();
  const because = (teamName: string) =>
    options.why === 'account-deactivated'
      ? `${options.workerName}'s account was deactivated`
      : `${options.workerName} left the ${teamName}`;
  for (const episode of returned) {
    await db
      .updateTable('episodes')
      .set((eb) => ({ worker_id: null, version: eb('version', '+', 1) }))
      .where('id', '=', episode.id)
      .execute();
    await recordChildChange(db, admin, {
      childId: episode.child_id,
      kind: 'unallocated',
      summary: `Back to the ${episode.team_name}'s unallocated work: ${because(episode.team_name)}`,
      action: 'return-case-to-team',
      requestId: options.requestId,
      subject: { type: 'episode', id: episode.id },
      details: { workerId: options.workerId },
    });
    const team = childrenByTeam.get(episode.team_id) ?? { teamName: episode.team_name, children: [] };
    team.children.push(await childNameOf(db, episode.child_id));
    childrenByTeam.set(episode.team_id, team);
  }
  for (const [teamId, team] of childrenByTeam)
    await tellTeamManagers(db, teamId, {
      laCode: admin.laCode,
      template: 'cases-returned',
      params: {
        count: team.children.length,
        because: because(team.teamName),
        team: team.teamName,
        children: team.children.join(', '),
        link: `${options.baseUrl}/unallocated`,
      },
    });
  return returned.length;
}

export const CASELOAD_PAGE_SIZE = 50;

/**
 * One page of the open episodes of the person's teams, by team and oldest first, with how many there are. Listing
 * children's names is a view of their records, so it is audited.
 */
export async function caseload(db: Kysely<Schema>, user: SignedInUser, options: { page: number; requestId: string }) {
  const page = options.page;
  if (user.teamIds.length === 0) return { total: 0, episodes: [] };
  const open = db
    .selectFrom('episodes as e')
    .where('e.la_code', '=', user.laCode)
    .where('e.ended_at', 'is', null)
    .where('e.team_id', 'in', user.teamIds);
  const [{ total }, episodes] = await Promise.all([
    open.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    // The page of episodes is chosen first and only its 50 children are looked up: joining every open episode's
    // child before sorting made a team's caseload about eight times slower (measured with 600 open episodes).
    db
      .with('page', () => {
        const episodes = open
          .innerJoin('teams as t', 't.id', 'e.team_id')
          .select([
            'e.id',
            'e.tier',
            'e.started_at',
            'e.worker_id',
            'e.assessment_authorised_at',
            'e.child_id',
            'e.referral_id',
            't.name as team_name',
          ]);
        // In one team the team's name is the same on every row; leaving it out of the order lets the database read
        // the page from the episodes_team_open index rather than sort the whole team (migration 0015).
        return (user.teamIds.length > 1 ? episodes.orderBy('t.name') : episodes)
          .orderBy('e.started_at')
          .orderBy('e.id')
          .limit(CASELOAD_PAGE_SIZE)
          .offset((page - 1) * CASELOAD_PAGE_SIZE);
      })
      .selectFrom('page as p')
      .innerJoin('children as c', 'c.id', 'p.child_id')
      .leftJoin('users as w', 'w.id', 'p.worker_id')
      .leftJoin('referrals as r', 'r.id', 'p.referral_id')
      .select([
        'p.id',
        'p.tier',
        'p.started_at',
        'p.worker_id',
        'p.assessment_authorised_at',
        'r.received_at as referral_received_at',
        'c.id as child_id',
        'c.given_name',
        'c.family_name',
        'p.team_name',
        'w.display_name as worker_name',
      ])
      .orderBy('p.team_name')
      .orderBy('p.started_at')
      .orderBy('p.id')
      .execute(),
  ]);
  await recordAudit(db, {
    laCode: user.laCode,
    actorUserId: user.id,
    actorRole: primaryRole(user),
    action: 'view-caseload',
    requestId: options.requestId,
    details: { page, count: episodes.length, childIds: episodes.map((episode) => episode.child_id) },
  });
  return { total: Number(total), episodes };
}

export async function childTimeline(db: Kysely<Schema>, childId: string) {
  return db
    .selectFrom('timeline_events as t')
    .leftJoin('users as u', 'u.id', 't.actor_user_id')
    .leftJoin('referrals as r', 'r.id', 't.referral_id')
    .select([
      't.occurred_at',
      't.kind',
      't.summary',
      't.referral_id',
      'r.reference as referral_reference',
      'u.display_name as actor',
    ])
    .where('t.child_id', '=', childId)
    .orderBy('t.occurred_at', 'desc')
    .orderBy('t.id', 'desc')
    .limit(200)
    .execute();
}
