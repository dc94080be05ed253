// A professional's referral, GOV.UK style: where they work, then the child, their needs, consent and safety, one
// section a page, saved as they go; check and send; a confirmation with a reference; and their referrals' outcomes.
import type { Role } from '../../domain/people.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  PRIMARY_NEEDS,
  REFERRAL_SECTIONS,
  SECTION_FIELDS,
  referralComplete,
  referralProblems,
  type ReferralSection,
} from '../../domain/front-door/referral.ts';
import { signedInUser } from '../../web/context.ts';
import { errorSummary, problemsForForm, type FieldError } from '../../web/errors.ts';
import {
  PROFESSIONAL_SOURCES,
  referrersReferral,
  referrersReferrals,
  saveReferralSection,
  sendReferral,
  startReferral,
  type ReferrersReferral,
} from './professional.ts';
import { Type } from '@sinclair/typebox';
import { formBody, IdParams, queryOf, Text, text, textFields, Uuid, type TypeBoxTypes } from '../../web/form.ts';
import { referralWithOutcome } from './outcomes.ts';

const REFERRERS: readonly Role[] = ['professional_referrer'];
const ACCESS = { config: { access: REFERRERS } };
const DRAFT = { ...ACCESS, schema: { params: IdParams } };
const SectionParams = Type.Object({ id: Uuid, section: Text(50) });
/** Every section's fields: which of them a section reads is the section's business. */
const SectionBody = formBody(textFields([...Object.values(SECTION_FIELDS).flat(), 'returnTo']));
const ReturnQuery = queryOf({ return: Text() });

export async function professionalReferralRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;
  const base = (referral: { id: string }) => `/referrals/drafts/${referral.id}`;

  async function load(request: FastifyRequest, reply: FastifyReply, id: string) {
    const referral = await referrersReferral(db, signedInUser(request), id);
    if (!referral) reply.callNotFound();
    return referral;
  }

  /** A draft to change; a sent referral goes to its confirmation instead. */
  async function loadDraft(request: FastifyRequest, reply: FastifyReply, id: string) {
    const referral = await load(request, reply, id);
    if (referral && referral.status !== 'draft') {
      await reply.redirect(`${base(referral)}/sent`, 303);
      return undefined;
    }
    return referral;
  }

  function renderStart(request: FastifyRequest, reply: FastifyReply, sourceCode: string, errors: FieldError[]) {
    return reply.render('referrals/views/professional-start.njk', {
      sources: [
        { value: '', text: request.t('frontDoor.start.chooseSource') },
        ...PROFESSIONAL_SOURCES.map((code) => ({
          value: code,
          text: request.t(`frontDoor.sources.${code}`),
          selected: code === sourceCode,
        })),
      ],
      errors: errorSummary(errors),
      sourceError: errors[0] ? { text: errors[0].text } : undefined,
    });
  }

  app.get('/referrals/new', ACCESS, async (request, reply) => renderStart(request, reply, '', []));

  const startSchema = { body: formBody({ sourceCode: Text() }) };
  app.post('/referrals/new', { ...ACCESS, schema: startSchema }, async (request, reply) => {
    const sourceCode = text(request.body.sourceCode);
    if (!(PROFESSIONAL_SOURCES as readonly string[]).includes(sourceCode)) {
      reply.status(400);
      return renderStart(request, reply, '', [{ field: 'sourceCode', text: request.t('frontDoor.errors.source') }]);
    }
    const id = await startReferral(db, signedInUser(request), sourceCode, request.id);
    return reply.redirect(`/referrals/drafts/${id}/child`, 303);
  });

  function sectionOf(section: string): ReferralSection | undefined {
    return REFERRAL_SECTIONS.find((candidate) => candidate === section);
  }

  function renderSection(
    request: FastifyRequest,
    reply: FastifyReply,
    referral: ReferrersReferral,
    section: ReferralSection,
    values: Record<string, string>,
    problems: Record<string, string>,
    returnTo: boolean,
  ) {
    return reply.render('referrals/views/professional-section.njk', {
      referral,
      section,
      values,
      returnTo: returnTo ? 'check' : '',
      needs: PRIMARY_NEEDS.map((code) => ({
        value: code,
        text: request.t(`frontDoor.needs.${code}.label`),
        hint: { text: request.t(`frontDoor.needs.${code}.hint`) },
        checked: values.primaryNeed === code,
      })),
      ...problemsForForm(problems),
    });
  }

  const sectionPage = { params: SectionParams, querystring: ReturnQuery };
  app.get('/referrals/drafts/:id/:section', { ...ACCESS, schema: sectionPage }, async (request, reply) => {
    const referral = await loadDraft(request, reply, request.params.id);
    if (!referral) return reply;
    const section = sectionOf(request.params.section);
    if (!section) {
      reply.callNotFound();
      return reply;
    }
    const returnTo = request.query.return === 'check';
    return renderSection(request, reply, referral, section, referral.details, {}, returnTo);
  });

  const sectionForm = { params: SectionParams, querystring: ReturnQuery, body: SectionBody };
  app.post('/referrals/drafts/:id/:section', { ...ACCESS, schema: sectionForm }, async (request, reply) => {
    const referral = await loadDraft(request, reply, request.params.id);
    if (!referral) return reply;
    const section = sectionOf(request.params.section);
    if (!section) {
      reply.callNotFound();
      return reply;
    }
    const values = Object.fromEntries(SECTION_FIELDS[section].map((name) => [name, text(request.body[name])]));
    const problems = referralProblems(section, values);
    const returnTo = request.query.return === 'check' || text(request.body.returnTo) === 'check';
    if (Object.keys(problems).length > 0) {
      reply.status(400);
      return renderSection(request, reply, referral, section, values, problems, returnTo);
    }
    await saveReferralSection(db, referral, values);
    const next = REFERRAL_SECTIONS[REFERRAL_SECTIONS.indexOf(section) + 1];
    return reply.redirect(`${base(referral)}/${returnTo || !next ? 'check' : next}`, 303);
  });

  function renderCheck(
    request: FastifyRequest,
    reply: FastifyReply,
    referral: ReferrersReferral,
    errors: FieldError[],
  ) {
    const details = referral.details;
    const row = (section: ReferralSection, key: string, value: string) => ({
      key: request.t(`frontDoor.check.${key}`),
      value: value || request.t('frontDoor.check.notGiven'),
      href: `${base(referral)}/${section}?return=check`,
    });
    return reply.render('referrals/views/professional-check.njk', {
      referral,
      rows: [
        row('child', 'name', `${details.givenName ?? ''} ${details.familyName ?? ''}`.trim()),
        row(
          'child',
          'dateOfBirth',
          details.dobYear ? `${details.dobDay ?? ''}/${details.dobMonth ?? ''}/${details.dobYear}` : '',
        ),
        row('child', 'postcode', details.postcode ?? ''),
        row('child', 'nhsNumber', details.nhsNumber ?? ''),
        row('child', 'upn', details.upn ?? ''),
        row(
          'needs',
          'primaryNeed',
          details.primaryNeed ? request.t(`frontDoor.needs.${details.primaryNeed}.label`) : '',
        ),
        row('needs', 'needs', details.needs ?? ''),
        row('needs', 'tried', details.tried ?? ''),
        row('consent', 'consent', details.consent ? request.t(`frontDoor.yesNo.${details.consent}`) : ''),
        row(
          'consent',
          'safeguarding',
          details.safeguarding ? request.t(`frontDoor.yesNo.${details.safeguarding}`) : '',
        ),
        ...(details.safeguarding === 'yes'
          ? [row('consent', 'safeguardingDetails', details.safeguardingDetails ?? '')]
          : []),
      ],
      errors: errorSummary(errors),
    });
  }

  app.get('/referrals/drafts/:id/check', DRAFT, async (request, reply) => {
    const referral = await loadDraft(request, reply, request.params.id);
    if (!referral) return reply;
    return renderCheck(request, reply, referral, []);
  });

  app.post('/referrals/drafts/:id/send', DRAFT, async (request, reply) => {
    const referral = await load(request, reply, request.params.id);
    if (!referral) return reply;
    if (referral.status === 'draft' && !referralComplete(referral.details)) {
      reply.status(400);
      return renderCheck(request, reply, referral, [{ field: 'send', text: request.t('frontDoor.errors.incomplete') }]);
    }
    await sendReferral(db, signedInUser(request), referral, { requestId: request.id, baseUrl: app.config.publicUrl });
    return reply.redirect(`${base(referral)}/sent`, 303);
  });

  app.get('/referrals/drafts/:id/sent', DRAFT, async (request, reply) => {
    const referral = await load(request, reply, request.params.id);
    if (!referral) return reply;
    if (referral.status === 'draft') return reply.redirect(`${base(referral)}/check`, 303);
    return reply.render('referrals/views/professional-sent.njk', { referral });
  });

  app.get('/referrals/mine', ACCESS, async (request, reply) => {
    const referrals = await referrersReferrals(db, signedInUser(request), request.id);
    return reply.render('referrals/views/professional-mine.njk', {
      referrals: referrals.map((referral) => ({
        ...referral,
        child: childNamed(referral.details),
        // What happened in plain words: which team now works with the child, not only the tier decided.
        statusText:
          referral.decision_effect && referral.decision_effect !== 'opened'
            ? request.t(`frontDoor.effects.${referral.decision_effect}`, { team: referral.team_name ?? '' })
            : request.t(`frontDoor.statuses.${referral.outcome ?? referral.status}`),
      })),
    });
  });

  app.get('/referrals/mine/:id', DRAFT, async (request, reply) => {
    const user = signedInUser(request);
    const referral = await referralWithOutcome(db, user.laCode, { id: request.params.id, requestedBy: user.id });
    if (!referral || referral.kind !== 'professional') {
      reply.callNotFound();
      return reply;
    }
    return reply.render('referrals/views/professional-referral.njk', { referral, child: childNamed(referral.details) });
  });
}

/** The child's name as the referrer gave it. */
function childNamed(details: Record<string, string>): string {
  return `${details.givenName ?? ''} ${details.familyName ?? ''}`.trim();
}
