// Sufficiency: how many active services there are for each age band, need and locality, so a gap such as "no
// short breaks for under-8s in one locality" shows at a glance. A service counts in a band when its ages
// overlap it, for a need when it lists that need or all needs, and in a locality when it has a place there.
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { SEND_NEEDS, type SendNeed } from '../../domain/local-offer.ts';
import { AGE_BANDS } from '../../domain/age-bands.ts';

export interface SufficiencyCount {
  locality: string;
  band: number;
  /** 'any' counts each service once, whatever needs it lists. */
  need: SendNeed | 'any';
  services: number;
}

/** Counts for every locality × age band × need, with the category filter applied. */
export async function sufficiencyCounts(
  db: Kysely<Schema>,
  laCode: string,
  categoryId?: string,
): Promise<{ localities: string[]; counts: SufficiencyCount[] }> {
  const localities = (
    await db.selectFrom('localities').select('name').where('la_code', '=', laCode).orderBy('name').execute()
  ).map((row) => row.name);
  const bands = sql.join(AGE_BANDS.map((band, index) => sql`(${index}::int, ${band.min}::int, ${band.max}::int)`));
  const needs = sql.join(SEND_NEEDS.filter((need) => need !== 'all_send').map((need) => sql`${need}`));
  const category = categoryId
    ? sql`and exists (select 1 from service_attributes a where a.service_id = s.id and a.taxonomy_term_id = ${categoryId})`
    : sql``;
  const { rows } = await sql<SufficiencyCount>`
    with placed as (
      select distinct s.id, s.minimum_age, s.maximum_age, s.send_needs, loc.name as locality
        from services s
        join service_at_locations sal on sal.service_id = s.id
        join locations l on l.id = sal.location_id
        join localities loc on loc.id = l.locality_id
       where s.la_code = ${laCode} and s.status = 'active' ${category})
    , banded as (
      select p.*, b.band from placed p cross join (values ${bands}) as b (band, min_age, max_age)
       where coalesce(p.minimum_age, 0) <= b.max_age and coalesce(p.maximum_age, 200) >= b.min_age)
    select locality, band, n.need, count(distinct id)::int as services
      from banded cross join unnest(array[${needs}]::text[]) as n (need)
     where n.need = any(send_needs) or 'all_send' = any(send_needs)
     group by locality, band, n.need
    union all
    select locality, band, 'any', count(distinct id)::int from banded group by locality, band`.execute(db);
  return { localities, counts: rows };
}

/** One need's table: rows are localities, columns age bands; a missing cell is zero. */
export function sufficiencyTable(
  localities: string[],
  counts: SufficiencyCount[],
  need: SendNeed | 'any',
): { locality: string; cells: number[] }[] {
  return localities.map((locality) => ({
    locality,
    cells: AGE_BANDS.map(
      (_, band) =>
        counts.find((count) => count.locality === locality && count.band === band && count.need === need)?.services ??
        0,
    ),
  }));
}

/** The heat map: one square per locality and age band, darker for more services, with the count written in. */
export function heatMapCells(table: { locality: string; cells: number[] }[]) {
  const most = Math.max(1, ...table.flatMap((row) => row.cells));
  return table.flatMap((row, rowIndex) =>
    row.cells.map((services, column) => ({
      row: rowIndex,
      column,
      services,
      // Empty cells are a warning colour, so a gap stands out without relying on shade alone.
      shade: services === 0 ? 'gap' : `level-${Math.min(4, Math.ceil((services / most) * 4))}`,
    })),
  );
}

/** Every count as CSV rows, for a spreadsheet. */
export function sufficiencyCsv(localities: string[], counts: SufficiencyCount[]): string {
  const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;
  const lines = ['locality,age_band,need,services'];
  for (const locality of localities) {
    for (const need of ['any', ...SEND_NEEDS.filter((candidate) => candidate !== 'all_send')] as const) {
      for (const [band, { label }] of AGE_BANDS.entries()) {
        const services =
          counts.find((count) => count.locality === locality && count.band === band && count.need === need)?.services ??
          0;
        lines.push([quote(locality), quote(label), need, String(services)].join(','));
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
