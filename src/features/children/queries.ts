// SQL for children's records.
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import type { ReferredChild } from '../../domain/front-door/matching.ts';

/** The child's record with the team they are open to (null when none), which decides which staff may see it. */
export async function findChild(db: Kysely<Schema>, laCode: string, childId: string) {
  return db
    .selectFrom('children')
    .innerJoin('families', 'families.id', 'children.family_id')
    .leftJoin('localities', 'localities.id', 'families.locality_id')
    .leftJoin('episodes as open_episode', (join) =>
      join.onRef('open_episode.child_id', '=', 'children.id').on('open_episode.ended_at', 'is', null),
    )
    .select([
      'open_episode.team_id as open_team_id',
      'children.id',
      'children.family_id',
      'children.given_name',
      'children.family_name',
      'children.date_of_birth',
      'children.disability_codes',
      'children.nhs_number',
      'children.upn',
      'children.version',
      'families.family_name as household_name',
      'families.address',
      'families.postcode',
      'localities.name as locality_name',
    ])
    .where('children.la_code', '=', laCode)
    .where('children.id', '=', childId)
    .executeTakeFirst();
}

export async function isCarerOf(db: Kysely<Schema>, userId: string, familyId: string): Promise<boolean> {
  const row = await db
    .selectFrom('family_carers')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('family_id', '=', familyId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function childrenCaredForBy(db: Kysely<Schema>, laCode: string, userId: string) {
  return db
    .selectFrom('children')
    .innerJoin('family_carers', 'family_carers.family_id', 'children.family_id')
    .select(['children.id', 'children.given_name', 'children.family_name', 'children.date_of_birth'])
    .where('children.la_code', '=', laCode)
    .where('family_carers.user_id', '=', userId)
    .orderBy('children.date_of_birth')
    .execute();
}

/** The team the child is open to, or null when they have no open episode. */
export async function openTeamOf(db: Kysely<Schema>, childId: string): Promise<string | null> {
  const episode = await db
    .selectFrom('episodes')
    .select('team_id')
    .where('child_id', '=', childId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return episode?.team_id ?? null;
}

/** The council's locality whose postcode districts include the postcode's, if any. */
export async function localityOfPostcode(db: Kysely<Schema>, laCode: string, postcode: string) {
  const district = postcode.split(' ')[0] ?? '';
  const locality = await db
    .selectFrom('localities')
    .select('id')
    .where('la_code', '=', laCode)
    .where(sql<boolean>`${district} = any(postcode_districts)`)
    .executeTakeFirst();
  return locality?.id ?? null;
}

/**
 * The people in the child's life as the council knows them: the family's carers with accounts, the child's
 * brothers and sisters with records, and the people staff have added.
 */
export async function household(db: Kysely<Schema>, child: { id: string; family_id: string }) {
  const [carers, siblings, members] = await Promise.all([
    db
      .selectFrom('family_carers as fc')
      .innerJoin('users as u', 'u.id', 'fc.user_id')
      .select(['u.display_name', 'fc.relationship'])
      .where('fc.family_id', '=', child.family_id)
      .orderBy('u.display_name')
      .execute(),
    db
      .selectFrom('children')
      .leftJoin('episodes as open_episode', (join) =>
        join.onRef('open_episode.child_id', '=', 'children.id').on('open_episode.ended_at', 'is', null),
      )
      .select([
        'children.id',
        'children.given_name',
        'children.family_name',
        'children.date_of_birth',
        'open_episode.team_id as open_team_id',
      ])
      .where('children.family_id', '=', child.family_id)
      .where('children.id', '!=', child.id)
      .orderBy('children.date_of_birth')
      .execute(),
    db
      .selectFrom('household_members')
      .select(['id', 'name', 'relationship', 'date_of_birth', 'parental_responsibility', 'lives_with_child'])
      .where('family_id', '=', child.family_id)
      .orderBy('added_at')
      .execute(),
  ]);
  return { carers, siblings, members };
}

export async function insertFamily(
  db: Kysely<Schema>,
  laCode: string,
  family: { familyName: string; localityId: string | null },
) {
  const { id } = await db
    .insertInto('families')
    .values({ la_code: laCode, family_name: family.familyName, locality_id: family.localityId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function insertFamilyCarers(
  db: Kysely<Schema>,
  laCode: string,
  familyId: string,
  carers: readonly { userId: string; relationship: string }[],
) {
  if (carers.length === 0) return;
  await db
    .insertInto('family_carers')
    .values(
      carers.map((carer) => ({
        family_id: familyId,
        user_id: carer.userId,
        la_code: laCode,
        relationship: carer.relationship,
      })),
    )
    .execute();
}

export async function insertChildren(
  db: Kysely<Schema>,
  laCode: string,
  family: { id: string; familyName: string },
  children: readonly { givenName: string; dateOfBirth: string }[],
) {
  if (children.length === 0) return [];
  const rows = await db
    .insertInto('children')
    .values(
      children.map((child) => ({
        la_code: laCode,
        family_id: family.id,
        given_name: child.givenName,
        family_name: family.familyName,
        date_of_birth: child.dateOfBirth,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/** Children sharing the described child's date of birth, NHS number, unique pupil number or postcode. */
export async function childrenLike(db: Kysely<Schema>, laCode: string, described: ReferredChild) {
  return db
    .selectFrom('children as c')
    .innerJoin('families as f', 'f.id', 'c.family_id')
    .select(['c.id', 'c.given_name', 'c.family_name', 'c.date_of_birth', 'c.nhs_number', 'c.upn', 'f.postcode'])
    .where('c.la_code', '=', laCode)
    .where((eb) =>
      eb.or([
        eb('c.date_of_birth', '=', described.dateOfBirth),
        ...(described.nhsNumber ? [eb('c.nhs_number', '=', described.nhsNumber)] : []),
        ...(described.upn ? [eb('c.upn', '=', described.upn)] : []),
        ...(described.postcode
          ? [eb(sql`replace(f.postcode, ' ', '')`, '=', described.postcode.replace(/\s/g, ''))]
          : []),
      ]),
    )
    .limit(200)
    .execute();
}

/** Whether a child of the council (other than one, when given) already has this NHS number or unique pupil number. */
export async function numberInUse(
  db: Kysely<Schema>,
  laCode: string,
  column: 'nhs_number' | 'upn',
  value: string,
  exceptChildId?: string,
) {
  let query = db.selectFrom('children').select('id').where('la_code', '=', laCode).where(column, '=', value);
  if (exceptChildId) query = query.where('id', '!=', exceptChildId);
  return (await query.executeTakeFirst()) !== undefined;
}
