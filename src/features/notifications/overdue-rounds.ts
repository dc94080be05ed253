// The shape every "tell managers about what has waited too long" round shares (front-door referrals, short-breaks
// applications, specialist assessments): in one transaction, lock what has not been flagged yet, tell each group's
// managers once about its overdue items, and mark those items so no later round tells them again.
import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../db/schema.ts';

export interface OverdueRound<Item extends { id: string }> {
  /** The items not flagged yet, locked (`for update skip locked`) so two workers never tell twice. */
  waiting(trx: Transaction<Schema>): Promise<Item[]>;
  isOverdue(item: Item): boolean;
  /** Whose managers hear about an item: a council, or a team. */
  groupOf(item: Item): string;
  tell(trx: Transaction<Schema>, overdue: Item[]): Promise<void>;
  markFlagged(trx: Transaction<Schema>, ids: string[]): Promise<unknown>;
}

/** Runs one round and returns how many items it flagged. */
export async function runOverdueRound<Item extends { id: string }>(
  db: Kysely<Schema>,
  round: OverdueRound<Item>,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const overdue = (await round.waiting(trx)).filter((item) => round.isOverdue(item));
    for (const group of new Set(overdue.map((item) => round.groupOf(item)))) {
      await round.tell(
        trx,
        overdue.filter((item) => round.groupOf(item) === group),
      );
    }
    if (overdue.length > 0)
      await round.markFlagged(
        trx,
        overdue.map((item) => item.id),
      );
    return overdue.length;
  });
}
