// Evidence a family uploads with a short-breaks application: a PDF, JPEG or PNG up to 10 MB, its type read from
// the file's first bytes (a name can lie), kept in the database, and given back only to the family and to staff
// who work on short breaks. Every download is audited, as any view of a child's record is.
import { type SignedInUser, primaryRole } from '../../domain/people.ts';
import type { Kysely } from 'kysely';
import type { EvidenceMediaType, Schema } from '../../db/schema.ts';
import { recordAudit } from '../audit/service.ts';
import { staffMaySeeApplication } from './staff.ts';

export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;
export const MAX_FILES_PER_APPLICATION = 10;

const SIGNATURES: { type: EvidenceMediaType; bytes: number[]; extensions: string[] }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], extensions: ['pdf'] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], extensions: ['png'] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff], extensions: ['jpg', 'jpeg'] },
];

export type EvidenceProblem = 'missing' | 'empty' | 'too-large' | 'wrong-type' | 'name-does-not-match' | 'too-many';

/** The file's type from its content, or undefined when it is none of the accepted types. */
export function mediaTypeOf(content: Buffer): EvidenceMediaType | undefined {
  return SIGNATURES.find((signature) => signature.bytes.every((byte, index) => content[index] === byte))?.type;
}

/**
 * What is wrong with an uploaded file, if anything. A name whose extension says one accepted type while the
 * content is another is refused: it is a mistake at best, and staff would open it expecting the wrong thing.
 */
export function evidenceProblem(file: { name: string; content: Buffer; truncated: boolean }): EvidenceProblem | null {
  if (file.name === '') return 'missing';
  if (file.truncated) return 'too-large';
  if (file.content.length === 0) return 'empty';
  const type = mediaTypeOf(file.content);
  if (!type) return 'wrong-type';
  const extension = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase() ?? '';
  const claimed = SIGNATURES.find((signature) => signature.extensions.includes(extension));
  if (!claimed) return 'wrong-type';
  if (claimed.type !== type) return 'name-does-not-match';
  return null;
}

/** A name safe to show and to send back in a download header: the last path part, printable characters only. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  return base.replace(/[^\p{L}\p{N} ._()-]/gu, '_').slice(-200) || 'evidence';
}

export async function evidenceList(db: Kysely<Schema>, applicationId: string) {
  return db
    .selectFrom('short_break_evidence')
    .select(['id', 'file_name', 'media_type', 'size_bytes', 'uploaded_at'])
    .where('application_id', '=', applicationId)
    .orderBy('uploaded_at')
    .execute();
}

/** Stores a checked file; refused (false) once the application already holds the most files it may. */
export async function addEvidence(
  db: Kysely<Schema>,
  user: SignedInUser,
  application: { id: string; child_id: string },
  file: { name: string; content: Buffer },
  requestId: string,
): Promise<boolean> {
  const type = mediaTypeOf(file.content);
  if (!type) throw new Error('addEvidence needs a checked file');
  return db.transaction().execute(async (trx) => {
    // Locks the application so two uploads at once cannot both slip under the limit.
    await trx
      .selectFrom('short_break_applications')
      .select('id')
      .where('id', '=', application.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const { count } = await trx
      .selectFrom('short_break_evidence')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('application_id', '=', application.id)
      .executeTakeFirstOrThrow();
    if (Number(count) >= MAX_FILES_PER_APPLICATION) return false;
    const { id } = await trx
      .insertInto('short_break_evidence')
      .values({
        la_code: user.laCode,
        application_id: application.id,
        file_name: safeFileName(file.name),
        media_type: type,
        size_bytes: file.content.length,
        content: file.content,
        uploaded_by: user.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'upload-short-breaks-evidence',
      requestId,
      subjectChildId: application.child_id,
      subjectType: 'short_break_evidence',
      subjectId: id,
    });
    return true;
  });
}

/** Removes a file from an application the family can still change. */
export async function removeEvidence(
  db: Kysely<Schema>,
  user: SignedInUser,
  application: { id: string; child_id: string },
  evidenceId: string,
  requestId: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('short_break_evidence')
      .where('id', '=', evidenceId)
      .where('application_id', '=', application.id)
      .returning('id')
      .executeTakeFirst();
    if (!removed) return false;
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'remove-short-breaks-evidence',
      requestId,
      subjectChildId: application.child_id,
      subjectType: 'short_break_evidence',
      subjectId: evidenceId,
    });
    return true;
  });
}

/**
 * One file of an application the caller may already see (the route checks the family or staff role first),
 * with the download audited.
 */
export async function downloadEvidence(
  db: Kysely<Schema>,
  user: SignedInUser,
  application: { id: string; child_id: string },
  evidenceId: string,
  requestId: string,
) {
  return db.transaction().execute(async (trx) => {
    const file = await trx
      .selectFrom('short_break_evidence')
      .select(['id', 'file_name', 'media_type', 'content'])
      .where('id', '=', evidenceId)
      .where('application_id', '=', application.id)
      .where('la_code', '=', user.laCode)
      .executeTakeFirst();
    if (!file) return undefined;
    await recordAudit(trx, {
      laCode: user.laCode,
      actorUserId: user.id,
      actorRole: primaryRole(user),
      action: 'download-short-breaks-evidence',
      requestId,
      subjectChildId: application.child_id,
      subjectType: 'short_break_evidence',
      subjectId: file.id,
    });
    return file;
  });
}

/** A file of a sent application, for staff: a draft's files are the family's own until they send it. Audited. */
export async function downloadSentEvidence(
  db: Kysely<Schema>,
  user: SignedInUser,
  where: { applicationId: string; evidenceId: string; requestId: string },
) {
  const application = await db
    .selectFrom('short_break_applications as a')
    .leftJoin('episodes as open_episode', (join) =>
      join.onRef('open_episode.child_id', '=', 'a.child_id').on('open_episode.ended_at', 'is', null),
    )
    .select(['a.id', 'a.child_id', 'a.status', 'open_episode.team_id as open_team_id'])
    .where('a.id', '=', where.applicationId)
    .where('a.la_code', '=', user.laCode)
    .where('a.status', '!=', 'draft')
    .executeTakeFirst();
  // The files are part of the application, so they are seen by those who may open it.
  if (!application || !staffMaySeeApplication(user, application)) return undefined;
  return downloadEvidence(db, user, application, where.evidenceId, where.requestId);
}
