// Who is told when something happens to a child's work: the worker allocated to the child's open episode and the
// managers of its team. Every handoff (a new referral on an open case, a safety worry, a step-up, new unallocated
// work, an allocation, a step-down waiting for agreement) tells them through the outbox, in the caller's transaction.
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { queueNotification } from '../notifications/service.ts';

interface Message {
  laCode: string;
  template: string;
  params: Record<string, string | number>;
}

/** Emails of the active team managers who belong to the team. */
export async function teamManagerEmails(db: Kysely<Schema>, teamId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('team_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select('u.email')
    .distinct()
    .where('m.team_id', '=', teamId)
    .where('r.role', '=', 'team_manager')
    .where('u.active', '=', true)
    .orderBy('u.email')
    .execute();
  return rows.map((row) => row.email);
}

async function emailOfUser(db: Kysely<Schema>, userId: string): Promise<string | undefined> {
  const user = await db
    .selectFrom('users')
    .select('email')
    .where('id', '=', userId)
    .where('active', '=', true)
    .executeTakeFirst();
  return user?.email;
}

async function tellEach(db: Kysely<Schema>, recipients: Iterable<string>, message: Message) {
  for (const recipient of new Set(recipients)) await queueNotification(db, { ...message, recipient });
}

/** Tells the managers of a team, such as of new work waiting for a worker. */
export async function tellTeamManagers(db: Kysely<Schema>, teamId: string, message: Message) {
  await tellEach(db, await teamManagerEmails(db, teamId), message);
}

/** Tells one member of staff, such as the worker a case was allocated to. */
export async function tellUser(db: Kysely<Schema>, userId: string, message: Message) {
  const email = await emailOfUser(db, userId);
  if (email) await tellEach(db, [email], message);
}

/**
 * Tells the worker allocated to an episode (if any) and the managers of its team; each once, and never the person
 * whose own action it is (`except`, their email).
 */
export async function tellCaseHolders(
  db: Kysely<Schema>,
  episode: { team_id: string; worker_id: string | null },
  message: Message,
  except?: string,
) {
  const worker = episode.worker_id ? await emailOfUser(db, episode.worker_id) : undefined;
  const holders = [...(worker ? [worker] : []), ...(await teamManagerEmails(db, episode.team_id))];
  await tellEach(
    db,
    holders.filter((email) => email !== except),
    message,
  );
}
