// The draft scoring model a council's administrators change with the structured editor: started from the model in
// use, saved after each change (only if nobody else changed it since it was read), tried against past
// applications, then published as the next version or thrown away. Every change is audited.
import { type SignedInUser, primaryRole } from '../../domain/people.ts';
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import type { ScoringModel } from '../../domain/scoring/model.ts';
import { recordAudit } from '../audit/service.ts';
import { modelInUse, publishModel } from './service.ts';

export interface Draft {
  model: ScoringModel;
  version: number;
  updatedAt: Date;
  updatedBy: string;
}

export async function currentDraft(db: Kysely<Schema>, laCode: string): Promise<Draft | undefined> {
  const row = await db
    .selectFrom('scoring_model_drafts as d')
    .innerJoin('users as u', 'u.id', 'd.updated_by')
    .select(['d.model', 'd.version', 'd.updated_at', 'u.display_name'])
    .where('d.la_code', '=', laCode)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    model: row.model as unknown as ScoringModel,
    version: row.version,
    updatedAt: row.updated_at,
    updatedBy: row.display_name,
  };
}

async function audit(db: Kysely<Schema>, user: SignedInUser, action: string, requestId: string) {
  await recordAudit(db, {
    laCode: user.laCode,
    actorUserId: user.id,
    actorRole: primaryRole(user),
    action,
    requestId,
    subjectType: 'scoring_model_draft',
    subjectId: user.laCode,
  });
}

/** Starts a draft from the model in use, unless one is already being changed. */
export async function startDraft(db: Kysely<Schema>, user: SignedInUser, requestId: string): Promise<void> {
  const { model } = await modelInUse(db, user.laCode);
  await db.transaction().execute(async (trx) => {
    const started = await trx
      .insertInto('scoring_model_drafts')
      .values({ la_code: user.laCode, model: JSON.stringify(model), updated_by: user.id })
      .onConflict((conflict) => conflict.column('la_code').doNothing())
      .returning('la_code')
      .executeTakeFirst();
    if (started) await audit(trx, user, 'start-scoring-model-draft', requestId);
  });
}

export type DraftSave = 'saved' | 'changed-since';

/** Saves a changed draft, only if it is still the version the administrator changed. */
export async function saveDraftModel(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: { seenVersion: number; model: ScoringModel; requestId: string },
): Promise<DraftSave> {
  return db.transaction().execute(async (trx) => {
    const saved = await trx
      .updateTable('scoring_model_drafts')
      .set((eb) => ({
        model: JSON.stringify(options.model),
        updated_by: user.id,
        updated_at: new Date(),
        version: eb('version', '+', 1),
      }))
      .where('la_code', '=', user.laCode)
      .where('version', '=', options.seenVersion)
      .returning('la_code')
      .executeTakeFirst();
    if (!saved) return 'changed-since';
    await audit(trx, user, 'change-scoring-model-draft', options.requestId);
    return 'saved';
  });
}

export async function discardDraft(db: Kysely<Schema>, user: SignedInUser, requestId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('scoring_model_drafts').where('la_code', '=', user.laCode).execute();
    await audit(trx, user, 'discard-scoring-model-draft', requestId);
  });
}

/** Publishes the draft as the next version and clears it; 'changed-since' if it changed after being tried. */
export async function publishDraft(
  db: Kysely<Schema>,
  user: SignedInUser,
  options: { seenVersion: number; requestId: string },
): Promise<number | 'changed-since'> {
  const draft = await currentDraft(db, user.laCode);
  if (draft?.version !== options.seenVersion) return 'changed-since';
  const version = await publishModel(db, user, draft.model, options.requestId);
  await db
    .deleteFrom('scoring_model_drafts')
    .where('la_code', '=', user.laCode)
    .where('version', '=', options.seenVersion)
    .execute();
  return version;
}
