// Finding a child, for casework staff: by name (typing slips forgiven), date of birth, NHS number, unique pupil
// number or a Pathway reference (a referral's RF- or a short-breaks application's SB-). Only children the person may
// see are found (staffMaySee), and every search is audited with the kinds of term given and the number found, never
// what was typed. The rules for reading and matching a search are in src/domain/front-door/child-search.ts.
import { type SignedInUser, primaryRole } from '../../domain/people.ts';
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { nameMatcher, runTogether, spellingsOf, type ChildSearch } from '../../domain/front-door/child-search.ts';
import { recordAudit } from '../audit/service.ts';
import { staffMaySee } from './service.ts';

/** The most children a search lists, the closest first. */
export const MOST_SHOWN = 20;
/**
 * The most children whose names share a spelling with the name typed that a search reads. More is a name so common
 * that a list would not help (and would be slow), so the person is asked for a date of birth as well.
 */
export const MOST_READ = 5000;

/** Names in English alphabetical order (made once: localeCompare makes one for every comparison). */
const byName = new Intl.Collator('en');

export interface FoundChild {
  id: string;
  given_name: string;
  family_name: string;
  date_of_birth: string;
  nhs_number: string | null;
  postcode: string | null;
  tier: 'targeted' | 'specialist' | null;
  team_name: string | null;
}

export interface SearchOutcome {
  /** The closest children first, at most MOST_SHOWN. */
  children: FoundChild[];
  /** How many children the person may see matched. */
  found: number;
  /** Too many names were alike to list: the search needs a date of birth as well. */
  tooMany: boolean;
}

/** The children who may match, with the team each is open to: few enough to check one by one. */
async function candidates(db: Kysely<Schema>, laCode: string, search: ChildSearch) {
  const { term, dateOfBirth } = search;
  let query = db
    .selectFrom('children as c')
    .leftJoin('episodes as e', (join) => join.onRef('e.child_id', '=', 'c.id').on('e.ended_at', 'is', null))
    .select(['c.id', 'c.given_name', 'c.family_name', 'e.team_id as open_team_id'])
    .where('c.la_code', '=', laCode);
  if (dateOfBirth !== null) query = query.where('c.date_of_birth', '=', dateOfBirth);
  if (term?.kind === 'nhs_number') query = query.where('c.nhs_number', '=', term.nhsNumber);
  if (term?.kind === 'upn') query = query.where('c.upn', '=', term.upn);
  if (term?.kind === 'referral_reference') {
    const linked = db
      .selectFrom('referrals')
      .select('child_id')
      .where('la_code', '=', laCode)
      .where('reference', '=', term.reference);
    query = query.where('c.id', 'in', linked);
  }
  if (term?.kind === 'short_breaks_reference') {
    const linked = db
      .selectFrom('short_break_applications')
      .select('child_id')
      .where('la_code', '=', laCode)
      .where('reference', '=', term.reference);
    query = query.where('c.id', 'in', linked);
  }
  if (term?.kind === 'name') {
    // Only children sharing a spelling with the words typed can match, with each word or with all of them run
    // together; the index children_name_spellings (migration 0017) finds them.
    const shares = (text: string) =>
      sql<SqlBool>`child_name_spellings(c.given_name, c.family_name) && ${spellingsOf(text)}::text[]`;
    const whole = runTogether(term);
    query = query.where((eb) => eb.or([eb.and(term.words.map(shares)), ...(whole ? [shares(whole)] : [])]));
  }
  return query.limit(MOST_READ + 1).execute();
}

async function details(db: Kysely<Schema>, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('children as c')
    .innerJoin('families as f', 'f.id', 'c.family_id')
    .leftJoin('episodes as e', (join) => join.onRef('e.child_id', '=', 'c.id').on('e.ended_at', 'is', null))
    .leftJoin('teams as t', 't.id', 'e.team_id')
    .select([
      'c.id',
      'c.given_name',
      'c.family_name',
      'c.date_of_birth',
      'c.nhs_number',
      'f.postcode',
      'e.tier',
      't.name as team_name',
    ])
    .where('c.id', 'in', ids)
    .execute();
}

/** The kinds of term a search was given, for the audit trail: never the words or numbers themselves. */
function kindsOf(search: ChildSearch): string[] {
  return [...(search.term ? [search.term.kind] : []), ...(search.dateOfBirth ? ['date_of_birth'] : [])];
}

/** The children the person may see who match the search, the closest first, and an audit row for the search. */
export async function searchChildren(
  db: Kysely<Schema>,
  user: SignedInUser,
  search: ChildSearch,
  requestId: string,
): Promise<SearchOutcome> {
  const { term } = search;
  const rows = await candidates(db, user.laCode, search);
  const tooMany = rows.length > MOST_READ;
  const closenessOf = term?.kind === 'name' ? nameMatcher(term) : () => 0;
  const matches = tooMany
    ? []
    : rows.flatMap((row) => {
        if (!staffMaySee(user, row.open_team_id)) return [];
        const closeness = closenessOf(row);
        return closeness === undefined ? [] : [{ ...row, closeness }];
      });
  matches.sort(
    (a, b) =>
      a.closeness - b.closeness ||
      byName.compare(a.family_name, b.family_name) ||
      byName.compare(a.given_name, b.given_name) ||
      (a.id < b.id ? -1 : 1),
  );
  const shownIds = matches.slice(0, MOST_SHOWN).map((match) => match.id);
  const byId = new Map((await details(db, shownIds)).map((child) => [child.id, child]));
  const children = shownIds.flatMap((id) => byId.get(id) ?? []);
  // Written before anything is shown, so a search that cannot be audited shows nothing.
  await recordAudit(db, {
    laCode: user.laCode,
    actorUserId: user.id,
    actorRole: primaryRole(user),
    action: 'search-children',
    requestId,
    details: { terms: kindsOf(search), found: matches.length, shown: children.length, tooMany },
  });
  return { children, found: matches.length, tooMany };
}
