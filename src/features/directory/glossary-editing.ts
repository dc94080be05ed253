// Directory editors keep the search glossary: the shipped SEND vocabulary until a council changes it, then the
// council's own copy. Every change takes effect on the next search.
import { type SignedInUser, primaryRole } from '../../domain/people.ts';
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import type { GlossaryEntry } from '../../domain/search/glossary.ts';
import type { FieldError } from '../../web/errors.ts';
import type { Translate } from '../../web/i18n.ts';
import { recordAudit } from '../audit/service.ts';
import { announceDirectoryChange } from './search/changes.ts';
import { DEFAULT_GLOSSARY } from './search/understanding.ts';

export interface GlossaryForm {
  term: string;
  meaning: string;
  alternatives: string;
  explain: boolean;
}

export function readGlossaryForm(body: unknown): GlossaryForm {
  const fields = (body ?? {}) as Record<string, unknown>;
  const text = (name: string) => (typeof fields[name] === 'string' ? fields[name].trim() : '');
  return {
    term: text('term'),
    meaning: text('meaning'),
    alternatives: text('alternatives'),
    explain: fields.explain === 'yes',
  };
}

export function validateGlossaryForm(form: GlossaryForm, t: Translate): FieldError[] {
  const errors: FieldError[] = [];
  if (form.term === '') errors.push({ field: 'term', text: t('glossary.errors.termMissing') });
  else if (form.term.length > 100) errors.push({ field: 'term', text: t('glossary.errors.termTooLong') });
  if (form.meaning === '') errors.push({ field: 'meaning', text: t('glossary.errors.meaningMissing') });
  else if (form.meaning.length > 200) errors.push({ field: 'meaning', text: t('glossary.errors.meaningTooLong') });
  if (form.alternatives.length > 2000)
    errors.push({ field: 'alternatives', text: t('glossary.errors.alternativesTooLong') });
  return errors;
}

/** "ASD, autistic spectrum disorder; autism" → each way of saying it, once. */
export function alternativesOf(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,;\n]/)
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    ),
  ];
}

export async function councilGlossary(db: Kysely<Schema>, laCode: string) {
  return db
    .selectFrom('glossary_terms')
    .select(['id', 'term', 'meaning', 'alternatives', 'explain'])
    .where('la_code', '=', laCode)
    .orderBy((eb) => eb.fn('lower', ['term']))
    .execute();
}

/** The first change copies the shipped glossary into the council's own, so editing starts from what search uses. */
async function ensureOwnGlossary(trx: Kysely<Schema>, laCode: string): Promise<void> {
  const existing = await trx.selectFrom('glossary_terms').select('id').where('la_code', '=', laCode).limit(1).execute();
  if (existing.length > 0) return;
  const unique = new Map<string, GlossaryEntry>(DEFAULT_GLOSSARY.map((entry) => [entry.term.toLowerCase(), entry]));
  await trx
    .insertInto('glossary_terms')
    .values([...unique.values()].map((entry) => ({ la_code: laCode, ...entry })))
    .execute();
}

export async function showGlossary(db: Kysely<Schema>, laCode: string) {
  const own = await councilGlossary(db, laCode);
  if (own.length > 0) return { own: true, entries: own };
  return {
    own: false,
    entries: [...DEFAULT_GLOSSARY].sort((a, b) => a.term.toLowerCase().localeCompare(b.term.toLowerCase())),
  };
}

/** Adds a term, or changes the one with the same name (names are matched without regard to capitals). */
export async function saveGlossaryTerm(
  db: Kysely<Schema>,
  user: SignedInUser,
  form: GlossaryForm,
  requestId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await ensureOwnGlossary(trx, user.laCode);
    const values = {
      term: form.term,
      meaning: form.meaning,
      alternatives: alternativesOf(form.alternatives),
      explain: form.explain,
      updated_at: new Date(),
    };
    const existing = await trx
      .selectFrom('glossary_terms')
      .select('id')
      .where('la_code', '=', user.laCode)
      .where((eb) => eb(eb.fn('lower', ['term']), '=', form.term.toLowerCase()))
      .executeTakeFirst();
    if (existing) await trx.updateTable('glossary_terms').set(values).where('id', '=', existing.id).execute();
    else
      await trx
        .insertInto('glossary_terms')
        .values({ la_code: user.laCode, ...values })
        .execute();
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'save-glossary-term',
      requestId,
      details: { term: form.term },
    });
    await announceDirectoryChange(trx, user.laCode);
  });
}

export async function deleteGlossaryTerm(
  db: Kysely<Schema>,
  user: SignedInUser,
  term: string,
  requestId: string,
): Promise<boolean> {
  const deleted = await db.transaction().execute(async (trx) => {
    await ensureOwnGlossary(trx, user.laCode);
    const result = await trx
      .deleteFrom('glossary_terms')
      .where('la_code', '=', user.laCode)
      .where((eb) => eb(eb.fn('lower', ['term']), '=', term.toLowerCase()))
      .executeTakeFirst();
    if (result.numDeletedRows === 0n) return false;
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'delete-glossary-term',
      requestId,
      details: { term },
    });
    await announceDirectoryChange(trx, user.laCode);
    return true;
  });
  return deleted;
}
