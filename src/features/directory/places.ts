// Where a postcode is, for "near me" searches. Pathway has no national postcode file, so it places a full postcode
// at the directory's own locations with that postcode, and an outward code ("BD21") at the middle of the
// directory's locations that share it.
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import type { Point } from './search/filters.ts';

const FULL_POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$/;
const OUTWARD_CODE = /^[A-Z]{1,2}\d[A-Z\d]?$/;

/** "bd21 3ab" → { full: "BD21 3AB", outward: "BD21" }; "bd21" → { outward: "BD21" }; anything else → null. */
export function parsePostcode(text: string): { full: string | null; outward: string } | null {
  const compact = text.toUpperCase().replace(/\s+/g, '');
  const full = FULL_POSTCODE.exec(compact);
  if (full) return { full: `${full[1]} ${full[2]}`, outward: full[1]! };
  return OUTWARD_CODE.test(compact) ? { full: null, outward: compact } : null;
}

export async function locatePostcode(db: Kysely<Schema>, laCode: string, text: string): Promise<Point | null> {
  const postcode = parsePostcode(text);
  if (!postcode) return null;
  const centre = async (condition: ReturnType<typeof sql>) => {
    const { rows } = await sql<{ latitude: number | null; longitude: number | null }>`
      select avg(latitude) as latitude, avg(longitude) as longitude from locations
       where la_code = ${laCode} and latitude is not null and longitude is not null and ${condition}`.execute(db);
    const row = rows[0];
    return row?.latitude != null && row.longitude != null ? { latitude: row.latitude, longitude: row.longitude } : null;
  };
  if (postcode.full) {
    const exact = await centre(sql`postcode = ${postcode.full}`);
    if (exact) return exact;
  }
  return centre(sql`postcode like ${`${postcode.outward} %`}`);
}
