// Staff pages that keep a child's record right: "Change the child's details" and "Add a person in the child's
// life", one form a page, with GOV.UK error messages; and removing a person staff added.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { nhsNumberOf } from '../../domain/front-door/nhs-number.ts';
import { childIdentityProblems, dateOf, postcodeOf } from '../../domain/front-door/referral.ts';
import { upnOf } from '../../domain/front-door/upn.ts';
import {
  HOUSEHOLD_RELATIONSHIPS,
  householdMemberProblems,
  type HouseholdRelationship,
} from '../../domain/pathway/household.ts';
import { signedInUser } from '../../web/context.ts';
import { problemsForForm } from '../../web/errors.ts';
import { Type } from '@sinclair/typebox';
import { formBody, textFields, textValues, Uuid, WholeNumber, type TypeBoxTypes } from '../../web/form.ts';
import {
  RECORD_KEEPERS,
  addHouseholdMember,
  changeIdentity,
  childForRecordKeeper,
  openRecordForKeeping,
  removeHouseholdMember,
} from './identity.ts';

const ACCESS = { config: { access: RECORD_KEEPERS } };
const IDENTITY_FIELDS = [
  'givenName',
  'familyName',
  'dobDay',
  'dobMonth',
  'dobYear',
  'address',
  'postcode',
  'nhsNumber',
  'upn',
] as const;
const MEMBER_FIELDS = [
  'name',
  'relationship',
  'dobDay',
  'dobMonth',
  'dobYear',
  'parentalResponsibility',
  'livesWithChild',
] as const;
const MAX_ADDRESS = 500;

const ChildParams = Type.Object({ childId: Uuid });
const IdentityBody = formBody(textFields(IDENTITY_FIELDS), { version: WholeNumber });
const MemberBody = formBody(textFields(MEMBER_FIELDS));

type Values = Record<string, string>;
type SavedChild = NonNullable<Awaited<ReturnType<typeof childForRecordKeeper>>>;

/** The form's values for the record as it is saved now. */
function savedValues(child: SavedChild): Values {
  const [year = '', month = '', day = ''] = child.date_of_birth.split('-');
  return {
    givenName: child.given_name,
    familyName: child.family_name,
    dobDay: String(Number(day)),
    dobMonth: String(Number(month)),
    dobYear: year,
    address: child.address ?? '',
    postcode: child.postcode ?? '',
    nhsNumber: child.nhs_number ?? '',
    upn: child.upn ?? '',
  };
}

export async function childIdentityRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;

  function renderIdentity(
    reply: FastifyReply,
    child: { id: string; given_name: string; family_name: string; version: number },
    values: Values,
    problems: Record<string, string>,
    message: string | null,
  ) {
    return reply.render('children/views/identity.njk', {
      child,
      values,
      message,
      ...problemsForForm(problems),
    });
  }

  app.get('/children/:childId/identity', { ...ACCESS, schema: { params: ChildParams } }, async (request, reply) => {
    const child = await openRecordForKeeping(db, signedInUser(request), request.params.childId, request.id);
    if (!child) {
      reply.callNotFound();
      return reply;
    }
    return renderIdentity(reply, child, savedValues(child), {}, null);
  });

  const identitySchema = { params: ChildParams, body: IdentityBody };
  app.post('/children/:childId/identity', { ...ACCESS, schema: identitySchema }, async (request, reply) => {
    const user = signedInUser(request);
    const { childId } = request.params;
    const seenVersion = request.body.version;
    const child = await childForRecordKeeper(db, user, childId);
    if (!child) {
      reply.callNotFound();
      return reply;
    }
    const values: Values = textValues(request.body, IDENTITY_FIELDS);
    const problems = childIdentityProblems(values);
    if ((values.address ?? '').length > MAX_ADDRESS)
      problems.address = `The address must be ${MAX_ADDRESS} characters or fewer`;
    const dateOfBirth = dateOf(values.dobDay ?? '', values.dobMonth ?? '', values.dobYear ?? '');
    const postcode = postcodeOf(values.postcode ?? '');
    if (Object.keys(problems).length > 0 || !dateOfBirth || !postcode) {
      reply.status(400);
      return renderIdentity(reply, { ...child, version: seenVersion }, values, problems, null);
    }
    const result = await changeIdentity(db, user, {
      childId,
      seenVersion,
      identity: {
        givenName: values.givenName ?? '',
        familyName: values.familyName ?? '',
        dateOfBirth,
        address: values.address === '' ? null : (values.address ?? null),
        postcode,
        nhsNumber: nhsNumberOf(values.nhsNumber ?? '') ?? null,
        upn: upnOf(values.upn ?? '') ?? null,
      },
      requestId: request.id,
    });
    if (result === 'not-found') {
      reply.callNotFound();
      return reply;
    }
    if (result === 'nhs-number-in-use' || result === 'upn-in-use') {
      reply.status(409);
      const field = result === 'nhs-number-in-use' ? 'nhsNumber' : 'upn';
      const problem = { [field]: request.t(`children.identity.${result}`) };
      return renderIdentity(reply, { ...child, version: seenVersion }, values, problem, null);
    }
    if (result === 'changed-since') {
      // Someone saved first: show what is saved now, so nothing they wrote is silently overwritten.
      const saved = await childForRecordKeeper(db, user, childId);
      if (!saved) {
        reply.callNotFound();
        return reply;
      }
      reply.status(409);
      return renderIdentity(reply, saved, savedValues(saved), {}, request.t('children.identity.changedSince'));
    }
    return reply.redirect(`/children/${childId}`, 303);
  });

  function renderMember(
    request: FastifyRequest,
    reply: FastifyReply,
    child: { id: string; given_name: string; family_name: string },
    values: Values,
    problems: Record<string, string>,
  ) {
    return reply.render('children/views/household-member.njk', {
      child,
      values,
      relationships: HOUSEHOLD_RELATIONSHIPS.map((value) => ({
        value,
        text: request.t(`children.relationships.${value}`),
        checked: values.relationship === value,
      })),
      ...problemsForForm(problems),
    });
  }

  app.get(
    '/children/:childId/household/new',
    { ...ACCESS, schema: { params: ChildParams } },
    async (request, reply) => {
      const child = await openRecordForKeeping(db, signedInUser(request), request.params.childId, request.id);
      if (!child) {
        reply.callNotFound();
        return reply;
      }
      return renderMember(request, reply, child, {}, {});
    },
  );

  const memberSchema = { params: ChildParams, body: MemberBody };
  app.post('/children/:childId/household', { ...ACCESS, schema: memberSchema }, async (request, reply) => {
    const user = signedInUser(request);
    const { childId } = request.params;
    const child = await childForRecordKeeper(db, user, childId);
    if (!child) {
      reply.callNotFound();
      return reply;
    }
    const values: Values = textValues(request.body, MEMBER_FIELDS);
    const problems = householdMemberProblems(values);
    if (Object.keys(problems).length > 0) {
      reply.status(400);
      return renderMember(request, reply, child, values, problems);
    }
    const dateOfBirth = dateOf(values.dobDay ?? '', values.dobMonth ?? '', values.dobYear ?? '') ?? null;
    await addHouseholdMember(db, user, {
      childId,
      member: {
        name: values.name ?? '',
        relationship: values.relationship as HouseholdRelationship,
        dateOfBirth,
        parentalResponsibility: values.parentalResponsibility === 'yes',
        livesWithChild: values.livesWithChild === 'yes',
      },
      requestId: request.id,
    });
    return reply.redirect(`/children/${childId}`, 303);
  });

  const removeSchema = { params: Type.Object({ childId: Uuid, memberId: Uuid }) };
  app.post(
    '/children/:childId/household/:memberId/remove',
    { ...ACCESS, schema: removeSchema },
    async (request, reply) => {
      const { childId, memberId } = request.params;
      if (!(await removeHouseholdMember(db, signedInUser(request), { childId, memberId, requestId: request.id }))) {
        reply.callNotFound();
        return reply;
      }
      return reply.redirect(`/children/${childId}`, 303);
    },
  );
}
