// Scoring models in use: the council's published versions, trying a draft against past applications, and
// publishing it. The shipped model is in use until a council publishes its own.
import { type SignedInUser, primaryRole } from '../../domain/people.ts';
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import defaultModelData from '../../domain/scoring/default-model.json' with { type: 'json' };
import { problemsWithModel, type ScoringModel } from '../../domain/scoring/model.ts';
import {
  compareModels,
  scoreApplication,
  type ModelComparison,
  type ScoringInput,
} from '../../domain/scoring/score.ts';
import { recordAudit } from '../audit/service.ts';

export const SHIPPED_MODEL = defaultModelData as ScoringModel;

export interface ModelInUse {
  model: ScoringModel;
  publishedAt: Date | null;
  publishedBy: string | null;
}

/**
 * The model as it was at a version, for reading a decision in the words it was made with (its translations
 * included); the shipped model when the council has published none of that version.
 */
export async function modelAtVersion(
  db: Kysely<Schema>,
  laCode: string,
  version: number | null,
): Promise<ScoringModel> {
  if (version === null) return SHIPPED_MODEL;
  const row = await db
    .selectFrom('scoring_models')
    .select(['model', 'version'])
    .where('la_code', '=', laCode)
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? { ...(row.model as unknown as ScoringModel), version: row.version } : SHIPPED_MODEL;
}

export async function modelInUse(db: Kysely<Schema>, laCode: string): Promise<ModelInUse> {
  const row = await db
    .selectFrom('scoring_models as m')
    .leftJoin('users as u', 'u.id', 'm.published_by')
    .select(['m.model', 'm.version', 'm.published_at', 'u.display_name'])
    .where('m.la_code', '=', laCode)
    .where('m.status', '=', 'published')
    .executeTakeFirst();
  if (!row) return { model: SHIPPED_MODEL, publishedAt: null, publishedBy: null };
  return {
    model: { ...(row.model as unknown as ScoringModel), version: row.version },
    publishedAt: row.published_at,
    publishedBy: row.display_name,
  };
}

/**
 * The flags (such as "safeguarding") an application's answers raised under the model version it was scored with: the
 * council's published or retired version, or the shipped model when the council never published one.
 */
export async function flagsRaised(
  db: Kysely<Schema>,
  laCode: string,
  application: { modelVersion: number | null; answers: Record<string, string>; childAge: number | null },
): Promise<string[]> {
  if (application.modelVersion === null || application.childAge === null) return [];
  const row = await db
    .selectFrom('scoring_models')
    .select('model')
    .where('la_code', '=', laCode)
    .where('version', '=', application.modelVersion)
    .executeTakeFirst();
  const model = row
    ? { ...(row.model as unknown as ScoringModel), version: application.modelVersion }
    : application.modelVersion === SHIPPED_MODEL.version
      ? SHIPPED_MODEL
      : undefined;
  if (!model) return [];
  return scoreApplication(model, { answers: application.answers, childAge: application.childAge }).flags;
}

/** A draft as pasted: the model, or what is wrong with it in plain English. */
export function readDraft(text: string): { model: ScoringModel; problems: [] } | { problems: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problems: ['The draft is not valid JSON: check for a missing comma, bracket or quotation mark'] };
  }
  const candidate = parsed as Partial<ScoringModel> | null;
  if (
    !candidate ||
    typeof candidate !== 'object' ||
    !Array.isArray(candidate.questions) ||
    !Array.isArray(candidate.rules)
  )
    return { problems: ['The draft must be an object with "questions" and "rules" lists'] };
  const model: ScoringModel = {
    version: 0,
    name: typeof candidate.name === 'string' ? candidate.name : 'Draft model',
    questions: candidate.questions,
    rules: candidate.rules,
  };
  const names = candidate.flagNames;
  if (names && typeof names === 'object' && Object.values(names).every((name) => typeof name === 'string'))
    model.flagNames = names;
  try {
    const problems = problemsWithModel(model);
    return problems.length > 0 ? { problems } : { model, problems: [] };
  } catch {
    return { problems: ['A question, answer or rule is missing something it needs: compare it with the model in use'] };
  }
}

/** Every application that has been submitted, as scoring reads it. */
async function pastApplications(db: Kysely<Schema>, laCode: string): Promise<ScoringInput[]> {
  const rows = await db
    .selectFrom('short_break_applications')
    .select(['answers', 'child_age'])
    .where('la_code', '=', laCode)
    .where('status', 'not in', ['draft', 'withdrawn'])
    .where('child_age', 'is not', null)
    .execute();
  return rows.map((row) => ({ answers: row.answers, childAge: row.child_age ?? 0 }));
}

export async function tryDraft(db: Kysely<Schema>, laCode: string, draft: ScoringModel): Promise<ModelComparison> {
  const [inUse, inputs] = await Promise.all([modelInUse(db, laCode), pastApplications(db, laCode)]);
  return compareModels(inUse.model, draft, inputs);
}

/** Publishes a model as the council's next version; the one it replaces is kept, retired. */
export async function publishModel(
  db: Kysely<Schema>,
  user: SignedInUser,
  model: ScoringModel,
  requestId: string,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    // Two administrators publishing at once take turns, so versions never collide.
    await sql`select pg_advisory_xact_lock(hashtext(${`scoring-models:${user.laCode}`}))`.execute(trx);
    const latest = await trx
      .selectFrom('scoring_models')
      .select((eb) => eb.fn.max('version').as('version'))
      .where('la_code', '=', user.laCode)
      .executeTakeFirst();
    // The shipped model counts as version 1, so a council's first published model is version 2.
    const version = Math.max(latest?.version ?? 0, SHIPPED_MODEL.version) + 1;
    await trx
      .updateTable('scoring_models')
      .set({ status: 'retired' })
      .where('la_code', '=', user.laCode)
      .where('status', '=', 'published')
      .execute();
    await trx
      .insertInto('scoring_models')
      .values({
        la_code: user.laCode,
        version,
        status: 'published',
        model: JSON.stringify({ ...model, version }),
        published_by: user.id,
      })
      .execute();
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'publish-scoring-model',
      requestId,
      details: { version },
    });
    return version;
  });
}
