// Which council's directory the public pages and the API show: COUNCIL_CODE, or the only council there is.
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';

let cached: { laCode: string; name: string } | undefined;

export class NoCouncilError extends Error {}

export async function publicCouncil(
  db: Kysely<Schema>,
  configured: string | undefined,
): Promise<{ laCode: string; name: string }> {
  if (cached && (!configured || cached.laCode === configured)) return cached;
  const councils = await db.selectFrom('councils').select(['la_code', 'name']).orderBy('la_code').execute();
  const council = configured
    ? councils.find((candidate) => candidate.la_code === configured)
    : councils.length === 1
      ? councils[0]
      : undefined;
  if (!council) {
    throw new NoCouncilError(
      configured
        ? `COUNCIL_CODE ${configured} is not a council in the database`
        : 'Set COUNCIL_CODE: the database holds more than one council, or none',
    );
  }
  cached = { laCode: council.la_code, name: council.name };
  return cached;
}
