// A parent or carer with an account asks for their child to be put on it; the front door decides. Typing a child's
// name and date of birth gives nobody that child's record: the front door checks the child against the records
// the council has (one record per child) and either adds the person as a carer in the child's family, makes a new
// record with them as its carer, or says why it cannot. The family is told each step, by email and on their page.
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.ts';
import { primaryRole, type SignedInUser } from '../../domain/people.ts';
import { emailsOfRole } from '../accounts/service.ts';
import { recordAudit } from '../audit/service.ts';
import { queueNotification } from '../notifications/service.ts';
import { addTimelineEvent } from '../pathway/service.ts';
import * as queries from './link-request-queries.ts';
import type { DescribedChild } from './link-request-queries.ts';
import { insertFamilyCarers, isCarerOf, localityOfPostcode } from './queries.ts';
import { numberInUse, possibleMatches } from './service.ts';
import { isUuid } from '../../web/ids.ts';

export type { DescribedChild } from './link-request-queries.ts';

/** Who a person with an account is to the child: a parent, or another carer (a grandparent, a foster carer). */
export const CARER_RELATIONSHIPS = ['parent', 'carer'] as const;
/** Who decides the requests: the front door, and managers, who see every child. */
export const LINK_DECIDERS = ['triage_worker', 'team_manager'] as const;
export const MAX_DECLINE_REASON = 1000;

interface Where {
  publicUrl: string;
  requestId: string;
}

/**
 * Records the request, tells the front door and confirms it to the family. Asking again about the same child while
 * the first request waits gives that request, not a second; asking about a child already on the account makes none.
 */
export async function askToAddChild(
  db: Kysely<Schema>,
  member: SignedInUser,
  child: DescribedChild,
  where: Where,
): Promise<{ outcome: 'asked'; id: string } | { outcome: 'already-on-account' }> {
  return db.transaction().execute(async (trx) => {
    // Locks the person's account row, so the same form sent twice at once makes one request.
    await trx.selectFrom('users').select('id').where('id', '=', member.id).forUpdate().executeTakeFirstOrThrow();
    if (await queries.alreadyCaredFor(trx, member.id, child)) return { outcome: 'already-on-account' } as const;
    const waiting = await queries.findWaitingSame(trx, member.id, child);
    if (waiting) return { outcome: 'asked', id: waiting.id } as const;
    const id = await queries.insertRequest(trx, member.laCode, member.id, child);
    await recordAudit(trx, {
      laCode: member.laCode,
      actorUserId: member.id,
      actorRole: primaryRole(member),
      action: 'ask-to-add-child',
      requestId: where.requestId,
      subjectType: 'child-link-request',
      subjectId: id,
    });
    // A council still being set up may have nobody at the front door yet: its administrators are told instead,
    // so the family is not left waiting on nobody.
    const frontDoor = await emailsOfRole(trx, member.laCode, 'triage_worker');
    const recipients = frontDoor.length > 0 ? frontDoor : await emailsOfRole(trx, member.laCode, 'administrator');
    for (const recipient of recipients)
      await queueNotification(trx, {
        laCode: member.laCode,
        template: frontDoor.length > 0 ? 'child-link-requested' : 'child-link-nobody-to-decide',
        recipient,
        params: { link: `${where.publicUrl}/child-requests/${id}`, adminLink: `${where.publicUrl}/admin/users` },
      });
    await queueNotification(trx, {
      laCode: member.laCode,
      template: 'child-link-received',
      recipient: member.email,
      params: { child: child.givenName, link: `${where.publicUrl}/children` },
    });
    return { outcome: 'asked', id } as const;
  });
}

/** The family member's requests not (or not yet) granted, for their children's page; their own words, not audited. */
export async function unlinkedRequestsOf(db: Kysely<Schema>, member: SignedInUser) {
  return queries.unlinkedRequestsOf(db, member.id);
}

/** The requests waiting for the front door. They name children (as families described them): reading them is audited. */
export async function waitingLinkRequests(db: Kysely<Schema>, staff: SignedInUser, requestId: string) {
  const waiting = await queries.waitingRequests(db, staff.laCode);
  await recordAudit(db, {
    laCode: staff.laCode,
    actorUserId: staff.id,
    actorRole: primaryRole(staff),
    action: 'view-child-link-requests',
    requestId,
    details: { requestIds: waiting.map((asked) => asked.id) },
  });
  return waiting;
}

/** Makes the person who asked a carer with an account in the family, unless they already are one. */
async function addCarer(
  trx: Kysely<Schema>,
  laCode: string,
  familyId: string,
  request: { requested_by: string; relationship: string },
) {
  if (await isCarerOf(trx, request.requested_by, familyId)) return;
  await insertFamilyCarers(trx, laCode, familyId, [
    { userId: request.requested_by, relationship: request.relationship },
  ]);
}

/**
 * One request with the children who may be the one described and, for each, the other children in their family
 * (whom the person would see too if added there). Showing those children is a view of their records: audited.
 */
export async function linkRequestForDecision(db: Kysely<Schema>, staff: SignedInUser, id: string, requestId: string) {
  if (!isUuid(id)) return undefined;
  const request = await queries.findRequest(db, staff.laCode, id);
  if (!request) return undefined;
  const matches =
    request.status === 'waiting'
      ? await possibleMatches(db, staff.laCode, {
          givenName: request.given_name,
          familyName: request.family_name,
          dateOfBirth: request.date_of_birth,
          nhsNumber: request.nhs_number,
          upn: null,
          postcode: request.postcode,
        })
      : [];
  const families = await queries.familiesOf(
    db,
    matches.map(({ child }) => child.id),
  );
  await recordAudit(db, {
    laCode: staff.laCode,
    actorUserId: staff.id,
    actorRole: primaryRole(staff),
    action: 'view-child-link-request',
    requestId,
    subjectType: 'child-link-request',
    subjectId: request.id,
    details: { childIds: families.map((child) => child.id) },
  });
  const familyOf = new Map(families.map((child) => [child.id, child.family_id]));
  return {
    request,
    matches: matches.map((match) => ({
      ...match,
      // Brothers and sisters in the match's family, whom the person would see too.
      others: families.filter(
        (other) => other.family_id === familyOf.get(match.child.id) && other.id !== match.child.id,
      ),
    })),
  };
}

export type LinkDecision = { kind: 'link'; childId: string } | { kind: 'create' } | { kind: 'decline'; reason: string };

export type LinkDecisionResult = 'done' | 'changed-since' | 'no-such-child' | 'nhs-number-in-use';

/**
 * Decides a request: adds the person as a carer in the chosen child's family, or makes a new record (a family and
 * the child) with them as its carer, or declines with a reason. The family is emailed the outcome, and an added
 * carer goes on the child's timeline so those working with the child know who can now see it.
 */
export async function decideLinkRequest(
  db: Kysely<Schema>,
  staff: SignedInUser,
  options: { id: string; seenVersion: number; decision: LinkDecision } & Where,
): Promise<LinkDecisionResult> {
  return db
    .transaction()
    .execute(async (trx) => {
      const request = await queries.findRequest(trx, staff.laCode, options.id);
      if (!request || request.status !== 'waiting' || request.version !== options.seenVersion) return 'changed-since';
      const { decision } = options;
      let childId: string | null = null;
      if (decision.kind === 'link') {
        const child = await queries.familyOfChild(trx, staff.laCode, decision.childId);
        if (!child) return 'no-such-child';
        await addCarer(trx, staff.laCode, child.family_id, request);
        childId = child.id;
      } else if (decision.kind === 'create') {
        if (request.nhs_number && (await numberInUse(trx, staff.laCode, 'nhs_number', request.nhs_number)))
          return 'nhs-number-in-use';
        childId = await newRecord(trx, staff, request, options.requestId);
      }
      const status = decision.kind === 'link' ? 'linked' : decision.kind === 'create' ? 'created' : 'declined';
      const reason = decision.kind === 'decline' ? decision.reason : null;
      if (!(await queries.markDecided(trx, options, { status, childId, reason, by: staff.id })))
        throw new RequestChanged();
      if (childId)
        await addTimelineEvent(trx, {
          laCode: staff.laCode,
          childId,
          kind: 'carer-added',
          summary: `${request.requester_name} (${request.relationship === 'parent' ? 'parent' : 'carer'}) can now see this child's pages and apply for them on Pathway`,
          actorUserId: staff.id,
        });
      await recordAudit(trx, {
        laCode: staff.laCode,
        actorUserId: staff.id,
        actorRole: primaryRole(staff),
        action: 'decide-child-link-request',
        requestId: options.requestId,
        subjectType: 'child-link-request',
        subjectId: request.id,
        ...(childId ? { subjectChildId: childId } : {}),
        details: { status },
      });
      if (request.requester_active)
        await queueNotification(trx, {
          laCode: staff.laCode,
          template: status === 'declined' ? 'child-link-declined' : 'child-link-linked',
          recipient: request.requester_email,
          params: {
            child: request.given_name,
            link: `${options.publicUrl}/children`,
            ...(reason ? { reason } : {}),
          },
        });
      return 'done' as const;
    })
    .catch((error: unknown) => {
      if (error instanceof RequestChanged) return 'changed-since' as const;
      throw error;
    });
}

class RequestChanged extends Error {}

/** A new family with the child in it, as the person described them, and the person as its carer. */
async function newRecord(
  trx: Kysely<Schema>,
  staff: SignedInUser,
  request: NonNullable<Awaited<ReturnType<typeof queries.findRequest>>>,
  requestId: string,
): Promise<string> {
  const { laCode } = staff;
  const family = await trx
    .insertInto('families')
    .values({
      la_code: laCode,
      family_name: request.family_name,
      locality_id: request.postcode ? await localityOfPostcode(trx, laCode, request.postcode) : null,
      postcode: request.postcode,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const child = await trx
    .insertInto('children')
    .values({
      la_code: laCode,
      family_id: family.id,
      given_name: request.given_name,
      family_name: request.family_name,
      date_of_birth: request.date_of_birth,
      nhs_number: request.nhs_number,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await addCarer(trx, laCode, family.id, request);
  await recordAudit(trx, {
    laCode,
    actorUserId: staff.id,
    actorRole: primaryRole(staff),
    action: 'create-child-record',
    requestId,
    subjectChildId: child.id,
    subjectType: 'child',
    subjectId: child.id,
    details: { familyId: family.id },
  });
  return child.id;
}
