// Reading the page of services a search found: the index says which and in what order; the database says what
// each is now.
import type { Kysely } from 'kysely';
import type { Schema } from '../../../db/schema.ts';
import type { IndexResult } from './ranking.ts';

export interface SearchHit {
  id: string;
  name: string;
  description: string;
  status: string;
  minimumAge: number | null;
  maximumAge: number | null;
  isFree: boolean | null;
  organizationName: string | null;
  distanceKm: number | null;
  lastModified: Date;
  assuredDate: string | null;
}

/** The page's services, in the index's order, by primary key. */
export async function readHits(
  db: Kysely<Schema>,
  laCode: string,
  page: IndexResult['page'],
  activeOnly: boolean,
): Promise<SearchHit[]> {
  if (page.length === 0) return [];
  let read = db
    .selectFrom('services as s')
    .leftJoin('organizations as o', 'o.id', 's.organization_id')
    .select([
      's.id',
      's.name',
      's.description',
      's.status',
      's.minimum_age',
      's.maximum_age',
      's.is_free',
      'o.name as organization_name',
      's.last_modified',
      's.assured_date',
    ])
    .where('s.la_code', '=', laCode)
    .where(
      's.id',
      'in',
      page.map((hit) => hit.id),
    );
  // A large directory's index may still be rebuilding after a change: a service withdrawn since is not shown to
  // families meanwhile.
  if (activeOnly) read = read.where('s.status', '=', 'active');
  const rows = new Map((await read.execute()).map((row) => [row.id, row]));
  return page.flatMap(({ id, distanceKm }) => {
    const row = rows.get(id);
    return row
      ? [
          {
            id,
            name: row.name,
            description: row.description,
            status: row.status,
            minimumAge: row.minimum_age,
            maximumAge: row.maximum_age,
            isFree: row.is_free,
            organizationName: row.organization_name,
            distanceKm,
            lastModified: row.last_modified,
            assuredDate: row.assured_date,
          },
        ]
      : [];
  });
}
