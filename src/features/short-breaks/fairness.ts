// The fairness report: outcomes and scores of sent applications by ethnicity, locality and age band, so staff can
// see whether any group fares differently. Scoring never reads ethnicity or locality (a property test proves
// it); this report is how the council checks the questions themselves do not disadvantage anyone.
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { ageBandOf } from '../../domain/age-bands.ts';
import type { OutcomeKind } from '../../domain/scoring/model.ts';

export const OUTCOME_KINDS: OutcomeKind[] = ['signpost', 'standard_offer', 'band', 'social_work_assessment'];
export type FairnessDimension = 'ethnicity' | 'locality' | 'ageBand';
/** Groups smaller than this are marked: a difference there may be chance. */
export const SMALL_GROUP = 5;

export interface FairnessGroup {
  group: string;
  applications: number;
  meanScore: number;
  outcomes: Record<OutcomeKind, number>;
  small: boolean;
}

interface ScoredApplication {
  ethnicity: string;
  locality: string;
  ageBand: string;
  total: number;
  kind: OutcomeKind;
}

/** Every sent application with its group in each dimension and the outcome that stands (decided, or proposed). */
export async function scoredApplications(db: Kysely<Schema>, laCode: string): Promise<ScoredApplication[]> {
  const rows = await db
    .selectFrom('short_break_applications as a')
    .innerJoin('children as c', 'c.id', 'a.child_id')
    .innerJoin('families as f', 'f.id', 'c.family_id')
    .leftJoin('localities as l', 'l.id', 'f.locality_id')
    .select(['a.about', 'a.child_age', 'a.total', 'a.outcome', 'a.decision', 'l.name as locality'])
    .where('a.la_code', '=', laCode)
    .where('a.status', 'not in', ['draft', 'withdrawn'])
    .where('a.total', 'is not', null)
    .execute();
  return rows.map((row) => {
    const standing = (row.decision ?? row.outcome) as { kind?: OutcomeKind } | null;
    return {
      ethnicity: row.about.ethnicity ?? 'NOBT',
      locality: row.locality ?? '',
      ageBand: row.child_age === null ? '' : (ageBandOf(row.child_age)?.label ?? ''),
      total: row.total ?? 0,
      kind: standing?.kind ?? 'signpost',
    };
  });
}

/** Groups applications by one dimension, largest group first. */
export function fairnessGroups(applications: ScoredApplication[], dimension: FairnessDimension): FairnessGroup[] {
  const groups = new Map<string, ScoredApplication[]>();
  for (const application of applications) {
    const key = application[dimension];
    groups.set(key, [...(groups.get(key) ?? []), application]);
  }
  return [...groups.entries()]
    .map(([group, members]) => ({
      group,
      applications: members.length,
      meanScore: Math.round(members.reduce((sum, member) => sum + member.total, 0) / members.length),
      outcomes: Object.fromEntries(
        OUTCOME_KINDS.map((kind) => [kind, members.filter((member) => member.kind === kind).length]),
      ) as Record<OutcomeKind, number>,
      small: members.length < SMALL_GROUP,
    }))
    .sort((a, b) => b.applications - a.applications || a.group.localeCompare(b.group));
}
