// The lists that make sure every child open to a team is someone's work: each team's unallocated work (children
// waiting for a worker, safety worries first, then the longest waiting), each worker's caseload count for the team's
// managers, and a worker's own cases. Listing children's names is a view of their records, so each list is audited.
import { type SignedInUser, primaryRole } from '../../domain/people.ts';
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { recordAudit } from '../audit/service.ts';

/** How many unallocated children a team's list shows; a longer list says how many more wait. */
export const UNALLOCATED_LIMIT = 200;

/** A list of children is a view of each child's record: audited with the children it shows. */
async function auditList(
  db: Kysely<Schema>,
  user: SignedInUser,
  action: string,
  requestId: string,
  shown: readonly { child_id: string }[],
) {
  await recordAudit(db, {
    laCode: user.laCode,
    actorUserId: user.id,
    actorRole: primaryRole(user),
    action,
    requestId,
    details: { count: shown.length, childIds: shown.map((row) => row.child_id) },
  });
}

/**
 * For each of the person's teams that holds children (one that serves a tier): its children waiting for a worker,
 * and, for the team's managers, each worker's number of open cases (workers with none included).
 */
export async function unallocatedWork(db: Kysely<Schema>, user: SignedInUser, requestId: string) {
  if (user.teamIds.length === 0) return [];
  const teams = await db
    .selectFrom('teams')
    .select(['id', 'name', 'serves_tier'])
    .where('la_code', '=', user.laCode)
    .where('id', 'in', user.teamIds)
    .where('serves_tier', 'is not', null)
    .orderBy('name')
    .execute();
  if (teams.length === 0) return [];
  const teamIds = teams.map((team) => team.id);
  const [waiting, members, counts] = await Promise.all([
    db
      .selectFrom('episodes as e')
      .innerJoin('children as c', 'c.id', 'e.child_id')
      .select((eb) => [
        'e.id',
        'e.team_id',
        'e.tier',
        'e.started_at',
        'e.start_reason',
        'e.version',
        'c.id as child_id',
        'c.given_name',
        'c.family_name',
        // Waiting since the work opened, or since it came back to the team (its worker left the team or the council).
        eb.fn
          .coalesce(
            eb
              .selectFrom('timeline_events as back')
              .select((inner) => inner.fn.max('back.occurred_at').as('returned_at'))
              .whereRef('back.child_id', '=', 'e.child_id')
              .where('back.kind', '=', 'unallocated')
              .whereRef('back.occurred_at', '>=', 'e.started_at'),
            'e.started_at',
          )
          .as('waiting_since'),
        eb
          .exists(
            eb
              .selectFrom('referrals as r')
              .select('r.id')
              .whereRef('r.child_id', '=', 'e.child_id')
              .where('r.safeguarding_concern', '=', true)
              .where('r.worry_closed_at', 'is', null)
              .where('r.status', '!=', 'draft'),
          )
          .as('safety_worry'),
      ])
      .where('e.la_code', '=', user.laCode)
      .where('e.team_id', 'in', teamIds)
      .where('e.ended_at', 'is', null)
      .where('e.worker_id', 'is', null)
      .orderBy('safety_worry', 'desc')
      .orderBy('e.started_at')
      .limit(UNALLOCATED_LIMIT)
      .execute(),
    db
      .selectFrom('team_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['m.team_id', 'u.id', 'u.display_name'])
      .where('m.team_id', 'in', teamIds)
      .where('u.active', '=', true)
      .orderBy('u.display_name')
      .execute(),
    db
      .selectFrom('episodes')
      .select((eb) => ['team_id', 'worker_id', eb.fn.countAll<string>().as('open')])
      .where('team_id', 'in', teamIds)
      .where('ended_at', 'is', null)
      .where('worker_id', 'is not', null)
      .groupBy(['team_id', 'worker_id'])
      .execute(),
  ]);
  await auditList(db, user, 'view-unallocated-work', requestId, waiting);
  return teams.map((team) => {
    const workers = members
      .filter((member) => member.team_id === team.id)
      .map((member) => ({
        id: member.id,
        name: member.display_name,
        openCases: Number(counts.find((row) => row.team_id === team.id && row.worker_id === member.id)?.open ?? 0),
      }));
    return {
      ...team,
      manages: user.roles.includes('team_manager'),
      waiting: waiting.filter((episode) => episode.team_id === team.id),
      workers,
    };
  });
}

/** The open cases allocated to the person, oldest first. */
export async function myCases(db: Kysely<Schema>, user: SignedInUser, requestId: string) {
  const cases = await db
    .selectFrom('episodes as e')
    .innerJoin('children as c', 'c.id', 'e.child_id')
    .innerJoin('teams as t', 't.id', 'e.team_id')
    .leftJoin('referrals as r', 'r.id', 'e.referral_id')
    .select([
      'e.id',
      'e.tier',
      'e.started_at',
      'e.assessment_authorised_at',
      'r.received_at as referral_received_at',
      'c.id as child_id',
      'c.given_name',
      'c.family_name',
      't.name as team_name',
    ])
    .where('e.la_code', '=', user.laCode)
    .where('e.worker_id', '=', user.id)
    .where('e.ended_at', 'is', null)
    .orderBy('e.started_at')
    .execute();
  await auditList(db, user, 'view-my-cases', requestId, cases);
  return cases;
}
