// Which council's directory the public pages and the API show: COUNCIL_CODE, or the only council there is.
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { HttpProblem } from '../../web/errors.ts';

let cached: { laCode: string; name: string } | undefined;

/**
 * No council to show. In a database with no council at all, Pathway is not set up yet (`npm run setup`): people see
 * a page that says so (404). Otherwise COUNCIL_CODE needs setting, which is the operator's to mend (500, logged).
 */
export class NoCouncilError extends HttpProblem {
  constructor(message: string, notSetUp: boolean) {
    super(notSetUp ? 404 : 500, notSetUp ? 'errors.notSetUp' : 'errors.serverError');
    this.message = message;
  }
}

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
        : councils.length === 0
          ? 'No council is set up yet: run npm run setup'
          : 'Set COUNCIL_CODE: the database holds more than one council',
      !configured && councils.length === 0,
    );
  }
  cached = { laCode: council.la_code, name: council.name };
  return cached;
}
