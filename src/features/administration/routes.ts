// The administration pages, for administrators only: the council's people (invite, roles and teams, deactivate,
// unlock), its teams, its localities and its policy settings. Every change and every viewing of people's details is
// audited by the service.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROLES, type Role } from '../../domain/people.ts';
import { signedInUser } from '../../web/context.ts';
import { errorSummary, type FieldError } from '../../web/errors.ts';
import { formBody, IdParams, OneOrMany, queryOf, Text, text, type TypeBoxTypes } from '../../web/form.ts';
import type { Translate } from '../../web/i18n.ts';
import {
  addLocality,
  administratorActor,
  changeAccess,
  changeLocality,
  changeTeam,
  councilAccount,
  councilAccounts,
  councilLocalities,
  councilLocality,
  councilTeams,
  createTeam,
  deactivateAccount,
  sendNewPasswordLink,
  districtsElsewhere,
  invitePerson,
  reactivateAccount,
  teamNameTaken,
  teamWithMembers,
  unlockAccount,
  type AccountChangeResult,
} from './service.ts';
import {
  COUNCIL_SETTINGS,
  changeCouncilSetting,
  councilSettingsOverview,
  councilToday,
  isCouncilSettingName,
  type CouncilSettingName,
} from './settings.ts';
import {
  readDistricts,
  rolesFrom,
  TEAM_TIERS,
  tierFrom,
  validateDistricts,
  validateInvitation,
  validateName,
  validateSettingChange,
  type InvitationForm,
} from './validation.ts';

const ADMIN = { access: ['administrator'] } as const;

/** What a page says after a change, by the `done` in its address; anything else says nothing. */
const DONE = ['invited', 'access', 'deactivated', 'reactivated', 'unlocked', 'linkSent', 'added', 'changed'] as const;

const UsersQuery = queryOf({ role: Text(50), team: Text(50), q: Text(200), done: Text(20) });
const DoneQuery = queryOf({ done: Text(20) });
const InviteBody = formBody({
  displayName: Text(),
  email: Text(),
  roles: OneOrMany(50),
  teams: OneOrMany(50),
  signIn: Text(),
});
const AccessBody = formBody({ roles: OneOrMany(50), teams: OneOrMany(50) });
const TeamBody = formBody({ name: Text(), tier: Text() });
const LocalityBody = formBody({ name: Text(), postcodeDistricts: Text() });
const SettingParams = Type.Object({ name: Text(100) });
const SettingBody = formBody({
  value: Text(),
  'effectiveFrom-day': Text(),
  'effectiveFrom-month': Text(),
  'effectiveFrom-year': Text(),
  reason: Text(),
});

/** Each field's message, as the GOV.UK components' errorMessage wants it (several on one field are joined). */
function fieldErrorsOf(errors: FieldError[]): Record<string, { text: string }> {
  const byField: Record<string, { text: string }> = {};
  for (const error of errors) {
    const found = byField[error.field];
    byField[error.field] = { text: found ? `${found.text}. ${error.text}` : error.text };
  }
  return byField;
}

function doneOf(value: string | undefined) {
  return DONE.find((done) => done === value);
}

function roleItems(t: Translate, chosen: readonly Role[]) {
  return ROLES.map((role) => ({ value: role, text: t(`roles.${role}`), checked: chosen.includes(role) }));
}

function tierItems(t: Translate, chosen: string) {
  return TEAM_TIERS.map((tier) => ({
    value: tier,
    text: t(`administration.tiers.${tier}`),
    checked: chosen === tier,
  }));
}

export async function administrationRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;

  async function teamItems(laCode: string, chosen: readonly string[]) {
    return (await councilTeams(db, laCode)).map((team) => ({
      value: team.id,
      text: team.name,
      checked: chosen.includes(team.id),
    }));
  }

  // People.

  app.get('/admin/users', { config: ADMIN, schema: { querystring: UsersQuery } }, async (request, reply) => {
    const admin = signedInUser(request);
    const role = ROLES.find((candidate) => candidate === request.query.role);
    const teams = await councilTeams(db, admin.laCode);
    const team = teams.find((candidate) => candidate.id === request.query.team);
    const words = text(request.query.q);
    const accounts = await councilAccounts(
      db,
      admin,
      { ...(role && { role }), ...(team && { teamId: team.id }), ...(words && { words }) },
      request.id,
    );
    const teamNames = new Map(teams.map((candidate) => [candidate.id, candidate.name]));
    return reply.render('administration/views/users.njk', {
      done: doneOf(request.query.done),
      words,
      roleOptions: [
        { value: '', text: request.t('administration.users.anyRole') },
        ...ROLES.map((value) => ({ value, text: request.t(`roles.${value}`), selected: value === role })),
      ],
      teamOptions: [
        { value: '', text: request.t('administration.users.anyTeam') },
        ...teams.map((candidate) => ({ value: candidate.id, text: candidate.name, selected: candidate === team })),
      ],
      accounts: accounts.map((account) => ({
        ...account,
        roleNames: account.roles.map((value) => request.t(`roles.${value}`)).join(', '),
        teamNames: account.team_ids.map((id) => teamNames.get(id) ?? '').join(', '),
      })),
    });
  });

  async function renderInvite(
    request: FastifyRequest,
    reply: FastifyReply,
    form: InvitationForm,
    errors: FieldError[],
  ) {
    return reply.render('administration/views/invite.njk', {
      form,
      roles: roleItems(request.t, form.roles),
      teams: await teamItems(signedInUser(request).laCode, form.teamIds),
      errors: errorSummary(errors),
      fieldErrors: fieldErrorsOf(errors),
    });
  }

  app.get('/admin/users/invite', { config: ADMIN }, async (request, reply) =>
    renderInvite(request, reply, { email: '', displayName: '', roles: [], teamIds: [], signIn: 'password' }, []),
  );

  app.post('/admin/users/invite', { config: ADMIN, schema: { body: InviteBody } }, async (request, reply) => {
    const admin = signedInUser(request);
    const form: InvitationForm = {
      displayName: text(request.body.displayName),
      email: text(request.body.email),
      roles: rolesFrom(request.body.roles ?? []),
      teamIds: request.body.teams ?? [],
      signIn: text(request.body.signIn),
    };
    const errors = validateInvitation(form, request.t);
    if (errors.length === 0) {
      const result = await invitePerson(
        db,
        admin,
        { ...form, identityProviderOnly: form.signIn === 'identity-provider' },
        { publicUrl: app.config.publicUrl, requestId: request.id },
      );
      if (result.outcome === 'invited') return reply.redirect(`/admin/users/${result.userId}?done=invited`, 303);
      errors.push({ field: 'email', text: request.t('administration.errors.emailInUse') });
    }
    reply.status(400);
    return renderInvite(request, reply, form, errors);
  });

  async function renderAccount(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    done: string | undefined,
    errors: FieldError[],
  ) {
    const admin = signedInUser(request);
    const account = await councilAccount(db, admin, id, request.id);
    if (!account) {
      reply.callNotFound();
      return reply;
    }
    return reply.render('administration/views/user.njk', {
      account,
      done: doneOf(done),
      own: account.id === admin.id,
      statusText: request.t(`administration.statuses.${account.status}`),
      roles: roleItems(request.t, account.roles),
      teams: await teamItems(admin.laCode, account.team_ids),
      errors: errorSummary(errors),
      fieldErrors: fieldErrorsOf(errors),
    });
  }

  /** After a change to an account: its page saying what was done, or why not. */
  async function afterAccountChange(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    result: AccountChangeResult,
    done: (typeof DONE)[number],
  ) {
    if (result === 'not-found') {
      reply.callNotFound();
      return reply;
    }
    if (result === 'done') return reply.redirect(`/admin/users/${id}?done=${done}`, 303);
    reply.status(400);
    const field = result === 'own-administrator-role' ? 'roles' : 'deactivate';
    return renderAccount(request, reply, id, undefined, [
      { field, text: request.t(`administration.errors.${result}`) },
    ]);
  }

  app.get(
    '/admin/users/:id',
    { config: ADMIN, schema: { params: IdParams, querystring: DoneQuery } },
    async (request, reply) => renderAccount(request, reply, request.params.id, request.query.done, []),
  );

  app.post(
    '/admin/users/:id/access',
    { config: ADMIN, schema: { params: IdParams, body: AccessBody } },
    async (request, reply) => {
      const roles = rolesFrom(request.body.roles ?? []);
      const { id } = request.params;
      if (roles.length === 0) {
        reply.status(400);
        return renderAccount(request, reply, id, undefined, [
          { field: 'roles', text: request.t('administration.errors.rolesMissing') },
        ]);
      }
      const result = await changeAccess(
        db,
        signedInUser(request),
        { userId: id, roles, teamIds: request.body.teams ?? [] },
        { requestId: request.id, baseUrl: app.config.publicUrl },
      );
      return afterAccountChange(request, reply, id, result, 'access');
    },
  );

  const accountAction = { config: ADMIN, schema: { params: IdParams } };
  app.post('/admin/users/:id/deactivate', accountAction, async (request, reply) => {
    const result = await deactivateAccount(db, signedInUser(request), request.params.id, {
      requestId: request.id,
      baseUrl: app.config.publicUrl,
    });
    return afterAccountChange(request, reply, request.params.id, result, 'deactivated');
  });

  app.post('/admin/users/:id/reactivate', accountAction, async (request, reply) => {
    const result = await reactivateAccount(db, signedInUser(request), request.params.id, request.id);
    return afterAccountChange(request, reply, request.params.id, result, 'reactivated');
  });

  app.post('/admin/users/:id/new-link', accountAction, async (request, reply) => {
    const result = await sendNewPasswordLink(db, signedInUser(request), request.params.id, {
      publicUrl: app.config.publicUrl,
      requestId: request.id,
    });
    if (result === 'not-found') {
      reply.callNotFound();
      return reply;
    }
    if (result === 'done') return reply.redirect(`/admin/users/${request.params.id}?done=linkSent`, 303);
    reply.status(400);
    return renderAccount(request, reply, request.params.id, undefined, [
      { field: 'new-link', text: request.t(`administration.errors.${result}`) },
    ]);
  });

  app.post('/admin/users/:id/unlock', accountAction, async (request, reply) => {
    const result = await unlockAccount(db, signedInUser(request), request.params.id, request.id);
    return afterAccountChange(request, reply, request.params.id, result, 'unlocked');
  });

  // Teams.

  async function renderTeams(
    request: FastifyRequest,
    reply: FastifyReply,
    form: { name: string; tier: string },
    errors: FieldError[],
    done?: string,
  ) {
    const teams = await councilTeams(db, signedInUser(request).laCode);
    return reply.render('administration/views/teams.njk', {
      done: doneOf(done),
      teams: teams.map((team) => ({
        ...team,
        tierText: request.t(`administration.tiers.${team.serves_tier ?? 'none'}`),
      })),
      form,
      tiers: tierItems(request.t, form.tier),
      errors: errorSummary(errors),
      fieldErrors: fieldErrorsOf(errors),
    });
  }

  app.get('/admin/teams', { config: ADMIN, schema: { querystring: DoneQuery } }, async (request, reply) =>
    renderTeams(request, reply, { name: '', tier: 'none' }, [], request.query.done),
  );

  /** A team's name and tier as sent, with every problem: a name missing, too long or another team's, no tier. */
  async function readTeam(request: FastifyRequest, body: { name?: string; tier?: string }, exceptId?: string) {
    const form = { name: text(body.name), tier: text(body.tier) };
    const errors = validateName(form.name, request.t);
    const laCode = signedInUser(request).laCode;
    if (errors.length === 0 && (await teamNameTaken(db, laCode, form.name, exceptId)))
      errors.push({ field: 'name', text: request.t('administration.errors.teamNameTaken') });
    const tier = tierFrom(form.tier);
    if (tier === undefined) errors.push({ field: 'tier', text: request.t('administration.errors.tierMissing') });
    return { form, errors, tier: tier ?? null };
  }

  app.post('/admin/teams', { config: ADMIN, schema: { body: TeamBody } }, async (request, reply) => {
    const { form, errors, tier } = await readTeam(request, request.body);
    if (errors.length > 0) {
      reply.status(400);
      return renderTeams(request, reply, form, errors);
    }
    const admin = signedInUser(request);
    await createTeam(db, admin.laCode, { name: form.name, servesTier: tier }, administratorActor(admin, request.id));
    return reply.redirect('/admin/teams?done=added', 303);
  });

  async function renderTeam(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    form: { name: string; tier: string } | undefined,
    errors: FieldError[],
    done?: string,
  ) {
    const team = await teamWithMembers(db, signedInUser(request).laCode, id);
    if (!team) {
      reply.callNotFound();
      return reply;
    }
    const shown = form ?? { name: team.name, tier: team.serves_tier ?? 'none' };
    return reply.render('administration/views/team.njk', {
      done: doneOf(done),
      team,
      form: shown,
      tiers: tierItems(request.t, shown.tier),
      members: team.members.map((member) => ({
        ...member,
        roleNames: member.roles.map((role) => request.t(`roles.${role}`)).join(', '),
      })),
      errors: errorSummary(errors),
      fieldErrors: fieldErrorsOf(errors),
    });
  }

  app.get(
    '/admin/teams/:id',
    { config: ADMIN, schema: { params: IdParams, querystring: DoneQuery } },
    async (request, reply) => renderTeam(request, reply, request.params.id, undefined, [], request.query.done),
  );

  app.post(
    '/admin/teams/:id',
    { config: ADMIN, schema: { params: IdParams, body: TeamBody } },
    async (request, reply) => {
      const { id } = request.params;
      const { form, errors, tier } = await readTeam(request, request.body, id);
      if (errors.length > 0) {
        reply.status(400);
        return renderTeam(request, reply, id, form, errors);
      }
      const result = await changeTeam(db, signedInUser(request), id, { name: form.name, servesTier: tier }, request.id);
      if (result === 'not-found') {
        reply.callNotFound();
        return reply;
      }
      if (result === 'last-of-tier') {
        reply.status(400);
        const message = request.t('administration.errors.lastOfTier');
        return renderTeam(request, reply, id, form, [{ field: 'tier', text: message }]);
      }
      return reply.redirect(`/admin/teams/${id}?done=changed`, 303);
    },
  );

  // Localities.

  /** A locality's name and districts as sent, with every problem; districts another locality covers are named. */
  async function readLocality(
    request: FastifyRequest,
    body: { name?: string; postcodeDistricts?: string },
    exceptId?: string,
  ) {
    const form = { name: text(body.name), postcodeDistricts: text(body.postcodeDistricts) };
    const read = readDistricts(form.postcodeDistricts);
    const elsewhere = await districtsElsewhere(db, signedInUser(request).laCode, read.districts, exceptId);
    const errors = [...validateName(form.name, request.t), ...validateDistricts(read, elsewhere, request.t)];
    return { form, errors, districts: read.districts };
  }

  async function renderLocalities(
    request: FastifyRequest,
    reply: FastifyReply,
    form: { name: string; postcodeDistricts: string },
    errors: FieldError[],
    done?: string,
  ) {
    return reply.render('administration/views/localities.njk', {
      done: doneOf(done),
      localities: await councilLocalities(db, signedInUser(request).laCode),
      form,
      errors: errorSummary(errors),
      fieldErrors: fieldErrorsOf(errors),
    });
  }

  app.get('/admin/localities', { config: ADMIN, schema: { querystring: DoneQuery } }, async (request, reply) =>
    renderLocalities(request, reply, { name: '', postcodeDistricts: '' }, [], request.query.done),
  );

  app.post('/admin/localities', { config: ADMIN, schema: { body: LocalityBody } }, async (request, reply) => {
    const { form, errors, districts } = await readLocality(request, request.body);
    if (errors.length > 0) {
      reply.status(400);
      return renderLocalities(request, reply, form, errors);
    }
    const admin = signedInUser(request);
    await addLocality(
      db,
      admin.laCode,
      { name: form.name, postcodeDistricts: districts },
      administratorActor(admin, request.id),
    );
    return reply.redirect('/admin/localities?done=added', 303);
  });

  async function renderLocality(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    form: { name: string; postcodeDistricts: string } | undefined,
    errors: FieldError[],
  ) {
    const locality = await councilLocality(db, signedInUser(request).laCode, id);
    if (!locality) {
      reply.callNotFound();
      return reply;
    }
    return reply.render('administration/views/locality.njk', {
      locality,
      form: form ?? { name: locality.name, postcodeDistricts: locality.postcode_districts.join(', ') },
      errors: errorSummary(errors),
      fieldErrors: fieldErrorsOf(errors),
    });
  }

  app.get('/admin/localities/:id', { config: ADMIN, schema: { params: IdParams } }, async (request, reply) =>
    renderLocality(request, reply, request.params.id, undefined, []),
  );

  app.post(
    '/admin/localities/:id',
    { config: ADMIN, schema: { params: IdParams, body: LocalityBody } },
    async (request, reply) => {
      const { id } = request.params;
      const { form, errors, districts } = await readLocality(request, request.body, id);
      if (errors.length > 0) {
        reply.status(400);
        return renderLocality(request, reply, id, form, errors);
      }
      const changed = await changeLocality(
        db,
        signedInUser(request),
        id,
        { name: form.name, postcodeDistricts: districts },
        request.id,
      );
      if (!changed) {
        reply.callNotFound();
        return reply;
      }
      return reply.redirect('/admin/localities?done=changed', 303);
    },
  );

  // Council policy settings.

  app.get('/admin/settings', { config: ADMIN, schema: { querystring: DoneQuery } }, async (request, reply) => {
    const settings = await councilSettingsOverview(db, signedInUser(request).laCode);
    return reply.render('administration/views/settings.njk', { done: doneOf(request.query.done), settings });
  });

  async function renderSetting(
    request: FastifyRequest,
    reply: FastifyReply,
    name: CouncilSettingName,
    form: { value: string; day: string; month: string; year: string; reason: string },
    errors: FieldError[],
  ) {
    const overview = await councilSettingsOverview(db, signedInUser(request).laCode);
    const limits = COUNCIL_SETTINGS[name];
    return reply.render('administration/views/setting.njk', {
      setting: overview.find((setting) => setting.name === name),
      limits: { min: limits.min.toLocaleString('en-GB'), max: limits.max.toLocaleString('en-GB') },
      form,
      errors: errorSummary(errors),
      fieldErrors: fieldErrorsOf(errors),
    });
  }

  app.get('/admin/settings/:name', { config: ADMIN, schema: { params: SettingParams } }, async (request, reply) => {
    const { name } = request.params;
    if (!isCouncilSettingName(name)) {
      reply.callNotFound();
      return reply;
    }
    return renderSetting(request, reply, name, { value: '', day: '', month: '', year: '', reason: '' }, []);
  });

  app.post(
    '/admin/settings/:name',
    { config: ADMIN, schema: { params: SettingParams, body: SettingBody } },
    async (request, reply) => {
      const { name } = request.params;
      if (!isCouncilSettingName(name)) {
        reply.callNotFound();
        return reply;
      }
      const form = {
        value: text(request.body.value),
        day: text(request.body['effectiveFrom-day']),
        month: text(request.body['effectiveFrom-month']),
        year: text(request.body['effectiveFrom-year']),
        reason: text(request.body.reason),
      };
      const checked = validateSettingChange(form, COUNCIL_SETTINGS[name], councilToday(), request.t);
      if (checked.value === undefined || checked.effectiveFrom === undefined) {
        reply.status(400);
        return renderSetting(request, reply, name, form, checked.errors);
      }
      const admin = signedInUser(request);
      await changeCouncilSetting(
        db,
        admin.laCode,
        { name, value: checked.value, effectiveFrom: checked.effectiveFrom, reason: form.reason },
        administratorActor(admin, request.id),
      );
      return reply.redirect('/admin/settings?done=changed', 303);
    },
  );
}
