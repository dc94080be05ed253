// Administration in the browser (issue 17): an administrator invites people, changes their roles and teams,
// deactivates (ending their sessions at once) and unlocks accounts, keeps teams and localities, and sets council
// policy from a date; every change is audited without personal details, and nobody else may open these pages.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { DEMO_COUNCIL, DEMO_PASSWORD } from '../src/demo/council.ts';
import { councilSetting, councilToday } from '../src/features/administration/settings.ts';
import { createSetPasswordLink, usableSetPasswordLink } from '../src/features/accounts/set-password.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { seededApp, signedInClient, TestClient } from './helpers/app.ts';

const ADMIN = 'admin@demo.pathway.test';
const SYSTEM = { userId: null, role: 'system', requestId: 'administration-pages-test' };

/** A day some days from today, as YYYY-MM-DD and as the date input's three fields. */
function daysFromToday(days: number) {
  const date = new Date(`${councilToday()}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  const iso = date.toISOString().slice(0, 10);
  const [year, month, day] = iso.split('-') as [string, string, string];
  return { iso, fields: { 'effectiveFrom-day': day, 'effectiveFrom-month': month, 'effectiveFrom-year': year } };
}

for (const target of databaseTargets()) {
  describe(`administration pages on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let admin: TestClient;

    before(async () => {
      database = await target.open();
      app = await seededApp(database, { SIGN_IN_MAX_ATTEMPTS: '3' });
      admin = await signedInClient(app, ADMIN);
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    async function userId(email: string) {
      const row = await database.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', email)
        .executeTakeFirstOrThrow();
      return row.id;
    }

    async function auditRows(action: string) {
      return database.db
        .selectFrom('audit_events')
        .select(['actor_user_id', 'subject_id', 'details'])
        .where('action', '=', action)
        .execute();
    }

    test('nobody but an administrator may open any administration page', async () => {
      const teamId = (await database.db.selectFrom('teams').select('id').executeTakeFirstOrThrow()).id;
      const localityId = (await database.db.selectFrom('localities').select('id').executeTakeFirstOrThrow()).id;
      const pages = [
        '/admin/users',
        '/admin/users/invite',
        `/admin/users/${await userId('triage@demo.pathway.test')}`,
        '/admin/teams',
        `/admin/teams/${teamId}`,
        '/admin/localities',
        `/admin/localities/${localityId}`,
        '/admin/settings',
        '/admin/settings/short_breaks_panel_amount',
        '/admin/council',
      ];
      for (const email of ['manager@demo.pathway.test', 'dsco@demo.pathway.test', 'parent@demo.pathway.test']) {
        const client = await signedInClient(app, email);
        for (const page of pages) {
          assert.equal((await client.get(page)).statusCode, 403, `${email} on ${page}`);
        }
      }
      for (const page of pages) assert.equal((await admin.get(page)).statusCode, 200, page);
      // The menu offers the pages to administrators only.
      assert.match((await admin.get('/admin/users')).body, /href="\/admin\/users"/);
      const manager = await signedInClient(app, 'manager@demo.pathway.test');
      assert.doesNotMatch((await manager.get('/account')).body, /href="\/admin\/users"/);
    });

    test('a change without the form token is refused', async () => {
      const response = await admin.post('/admin/localities', { name: 'Nowhere', postcodeDistricts: 'NM90' });
      assert.equal(response.statusCode, 403);
    });

    test('an administrator invites a person, who is emailed a one-time link to create their password', async () => {
      const shortBreaksTeam = await database.db
        .selectFrom('teams')
        .select('id')
        .where('name', '=', 'Short breaks team')
        .executeTakeFirstOrThrow();
      const response = await admin.submit('/admin/users/invite', '/admin/users/invite', {
        displayName: 'Rosa Fernandes',
        email: 'rosa.fernandes@demo.pathway.test',
        roles: ['short_breaks_officer'],
        teams: [shortBreaksTeam.id],
        signIn: 'password',
      });
      assert.equal(response.statusCode, 303);
      const id = await userId('rosa.fernandes@demo.pathway.test');
      assert.equal(response.headers.location, `/admin/users/${id}?done=invited`);
      const page = await admin.get(`/admin/users/${id}`);
      assert.match(page.body, /Rosa Fernandes/);
      assert.match(page.body, /Invited/);
      const message = await database.db
        .selectFrom('notifications_outbox')
        .select(['template', 'body'])
        .where('recipient', '=', 'rosa.fernandes@demo.pathway.test')
        .executeTakeFirstOrThrow();
      assert.equal(message.template, 'account-invitation');
      assert.match(message.body, /\/set-password\?token=[A-Za-z0-9_-]{43}/);
      // When the link stops working, in UK time as the pages give times.
      assert.match(message.body, /until \d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} \(UK time\)/);
      const list = await admin.get('/admin/users?q=fernandes');
      assert.match(list.body, /Rosa Fernandes/);
      assert.match(list.body, /Short breaks officer/);
      assert.doesNotMatch(list.body, /Fatima Noor/);
      // Audited by ids and roles only: no name or email in the audit trail.
      const created = (await auditRows('create-user')).find((row) => row.subject_id === id);
      assert.ok(created);
      assert.equal(created.actor_user_id, await userId(ADMIN));
      assert.doesNotMatch(JSON.stringify(created.details), /Rosa|fernandes/i);
    });

    test('a person who signs in through the identity provider is sent no link and is not "invited"', async () => {
      const response = await admin.submit('/admin/users/invite', '/admin/users/invite', {
        displayName: 'Idris Khan',
        email: 'idris.khan@demo.pathway.test',
        roles: ['analyst'],
        signIn: 'identity-provider',
      });
      assert.equal(response.statusCode, 303);
      const messages = await database.db
        .selectFrom('notifications_outbox')
        .select('id')
        .where('recipient', '=', 'idris.khan@demo.pathway.test')
        .execute();
      assert.equal(messages.length, 0);
      const page = await admin.get(String(response.headers.location));
      assert.match(page.body, /Only through the council&#39;s identity provider/);
      assert.match(page.body, /Active/);
    });

    test('no link sets a password for a person who signs in only through the identity provider', async () => {
      const response = await admin.submit('/admin/users/invite', '/admin/users/invite', {
        displayName: 'Nia Okafor',
        email: 'nia.okafor@demo.pathway.test',
        roles: ['analyst'],
        signIn: 'password',
      });
      assert.equal(response.statusCode, 303);
      const id = await userId('nia.okafor@demo.pathway.test');
      const link = { purpose: 'reset' as const, publicUrl: 'http://localhost', actor: SYSTEM };
      const { url } = await createSetPasswordLink(database.db, id, link);
      const token = new URL(url).searchParams.get('token')!;
      assert.ok(await usableSetPasswordLink(database.db, token));
      // Changed to the identity provider only after the link was sent: the link no longer works, and no new one is made.
      await database.db.updateTable('users').set({ identity_provider_only: true }).where('id', '=', id).execute();
      assert.equal(await usableSetPasswordLink(database.db, token), undefined);
      await assert.rejects(createSetPasswordLink(database.db, id, link), /identity provider/);
    });

    test('an administrator emails a new password link: the invitation again, or a 24-hour link for a forgotten password; never to an identity-provider-only account', async () => {
      async function linksTo(email: string, template: string) {
        const messages = await database.db
          .selectFrom('notifications_outbox')
          .select('body')
          .where('recipient', '=', email)
          .where('template', '=', template)
          .execute();
        return messages.map((message) => /\/set-password\?token=([A-Za-z0-9_-]{43})/.exec(message.body)![1]!);
      }

      // Invited, and the first email went astray: the invitation again, its link as good as the first.
      await admin.submit('/admin/users/invite', '/admin/users/invite', {
        displayName: 'Tomasz Nowak',
        email: 'tomasz.nowak@demo.pathway.test',
        roles: ['triage_worker'],
        signIn: 'password',
      });
      const invited = await userId('tomasz.nowak@demo.pathway.test');
      const invitedPage = await admin.get(`/admin/users/${invited}`);
      assert.match(invitedPage.body, /If their invitation expired or did not arrive, send it again/);
      const sent = await admin.submit(`/admin/users/${invited}`, `/admin/users/${invited}/new-link`, {});
      assert.equal(sent.statusCode, 303);
      assert.equal(sent.headers.location, `/admin/users/${invited}?done=linkSent`);
      assert.match((await admin.get(`/admin/users/${invited}?done=linkSent`)).body, /A new link to create a password/);
      const invitations = await linksTo('tomasz.nowak@demo.pathway.test', 'account-invitation');
      assert.equal(invitations.length, 2);
      assert.equal((await usableSetPasswordLink(database.db, invitations[1]!))?.purpose, 'invitation');

      // Has a password and forgot it: a link that works for a day.
      const analyst = await userId('analyst@demo.pathway.test');
      assert.equal(
        (await admin.submit(`/admin/users/${analyst}`, `/admin/users/${analyst}/new-link`, {})).statusCode,
        303,
      );
      const [reset] = await linksTo('analyst@demo.pathway.test', 'password-new-link');
      assert.equal((await usableSetPasswordLink(database.db, reset!))?.purpose, 'reset');
      const audit = (await auditRows('create-set-password-link')).filter((row) => row.subject_id === analyst);
      assert.equal(audit.length, 1);
      assert.equal(audit[0]?.actor_user_id, await userId(ADMIN));

      // Signs in only through the identity provider: no button, and a request is refused saying why.
      await admin.submit('/admin/users/invite', '/admin/users/invite', {
        displayName: 'Ola Bright',
        email: 'ola.bright@demo.pathway.test',
        roles: ['analyst'],
        signIn: 'identity-provider',
      });
      const idpOnly = await userId('ola.bright@demo.pathway.test');
      assert.doesNotMatch((await admin.get(`/admin/users/${idpOnly}`)).body, /Email a new link/);
      const refused = await admin.submit(`/admin/users/${invited}`, `/admin/users/${idpOnly}/new-link`, {});
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /signs in only through the council&#39;s identity provider/);
      assert.deepEqual(await linksTo('ola.bright@demo.pathway.test', 'password-new-link'), []);
    });

    test('an invitation with problems shows them all in the error summary, keeping the answers', async () => {
      const response = await admin.submit('/admin/users/invite', '/admin/users/invite', {
        displayName: 'No Email',
        email: 'not an email',
      });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /govuk-error-summary/);
      assert.match(response.body, /href="#email"/);
      assert.match(response.body, /href="#roles"/);
      assert.match(response.body, /value="No Email"/);
      const again = await admin.submit('/admin/users/invite', '/admin/users/invite', {
        displayName: 'Someone Else',
        email: 'TRIAGE@demo.pathway.test',
        roles: ['analyst'],
        signIn: 'password',
      });
      assert.equal(again.statusCode, 400);
      assert.match(again.body, /There is already an account with this email address/);
    });

    test('an administrator changes roles and teams, and cannot remove their own administrator role', async () => {
      const id = await userId('analyst@demo.pathway.test');
      const response = await admin.submit(`/admin/users/${id}`, `/admin/users/${id}/access`, {
        roles: ['analyst', 'directory_editor'],
      });
      assert.equal(response.statusCode, 303);
      const roles = await database.db.selectFrom('user_roles').select('role').where('user_id', '=', id).execute();
      assert.deepEqual(roles.map((row) => row.role).sort(), ['analyst', 'directory_editor']);
      // The change applies from the person's next page.
      const analyst = await signedInClient(app, 'analyst@demo.pathway.test');
      assert.equal((await analyst.get('/manage/services')).statusCode, 200);
      const audit = (await auditRows('change-user-access')).find((row) => row.subject_id === id);
      assert.deepEqual((audit?.details as { roles: string[] }).roles.sort(), ['analyst', 'directory_editor']);

      const own = await userId(ADMIN);
      const refused = await admin.submit(`/admin/users/${own}`, `/admin/users/${own}/access`, { roles: ['analyst'] });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /You cannot remove your own administrator role/);
      const kept = await database.db.selectFrom('user_roles').select('role').where('user_id', '=', own).execute();
      assert.deepEqual(
        kept.map((row) => row.role),
        ['administrator'],
      );
    });

    test('deactivating ends the person’s sessions at once; they cannot sign in until reactivated', async () => {
      const triage = await signedInClient(app, 'triage@demo.pathway.test');
      assert.equal((await triage.get('/account')).statusCode, 200);
      const id = await userId('triage@demo.pathway.test');
      const response = await admin.submit(`/admin/users/${id}`, `/admin/users/${id}/deactivate`, {});
      assert.equal(response.statusCode, 303);
      const sessions = await database.db.selectFrom('sessions').select('id_hash').where('user_id', '=', id).execute();
      assert.equal(sessions.length, 0);
      // The open browser is signed out on its very next request.
      const next = await triage.get('/account');
      assert.equal(next.statusCode, 303);
      assert.match(String(next.headers.location), /^\/sign-in/);
      const again = await new TestClient(app).submit('/sign-in', '/sign-in', {
        email: 'triage@demo.pathway.test',
        password: DEMO_PASSWORD,
      });
      assert.notEqual(again.statusCode, 303);
      assert.match((await admin.get(`/admin/users/${id}`)).body, /Deactivated/);
      // History is kept: the account is still there, only inactive.
      assert.equal((await auditRows('deactivate-user')).filter((row) => row.subject_id === id).length, 1);

      await admin.submit(`/admin/users/${id}`, `/admin/users/${id}/reactivate`, {});
      assert.equal(
        (await signedInClient(app, 'triage@demo.pathway.test').then((c) => c.get('/account'))).statusCode,
        200,
      );
    });

    test('an administrator cannot deactivate their own account, and is told why', async () => {
      const own = await userId(ADMIN);
      const response = await admin.submit(`/admin/users/${own}`, `/admin/users/${own}/deactivate`, {});
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /You cannot deactivate your own account/);
      assert.equal((await admin.get('/admin/users')).statusCode, 200);
    });

    test('an administrator unlocks an account locked after wrong passwords', async () => {
      const email = 'editor@demo.pathway.test';
      for (let attempt = 0; attempt < 3; attempt++) {
        await new TestClient(app).submit('/sign-in', '/sign-in', { email, password: 'wrong-password-1' });
      }
      const id = await userId(email);
      assert.match((await admin.get(`/admin/users/${id}`)).body, /Locked/);
      const locked = await new TestClient(app).submit('/sign-in', '/sign-in', { email, password: DEMO_PASSWORD });
      assert.notEqual(locked.statusCode, 303);
      const response = await admin.submit(`/admin/users/${id}`, `/admin/users/${id}/unlock`, {});
      assert.equal(response.statusCode, 303);
      assert.equal((await auditRows('unlock-user')).filter((row) => row.subject_id === id).length, 1);
      const signIn = await new TestClient(app).submit('/sign-in', '/sign-in', { email, password: DEMO_PASSWORD });
      assert.equal(signIn.statusCode, 303);
    });

    test('teams: added with the tier they serve, renamed, and their managers shown', async () => {
      const added = await admin.submit('/admin/teams', '/admin/teams', { name: 'Early help team', tier: 'targeted' });
      assert.equal(added.statusCode, 303);
      const team = await database.db
        .selectFrom('teams')
        .select(['id', 'serves_tier'])
        .where('name', '=', 'Early help team')
        .executeTakeFirstOrThrow();
      assert.equal(team.serves_tier, 'targeted');
      const renamed = await admin.submit(`/admin/teams/${team.id}`, `/admin/teams/${team.id}`, {
        name: 'Early help and short breaks',
        tier: 'none',
      });
      assert.equal(renamed.statusCode, 303);
      assert.match((await admin.get('/admin/teams')).body, /Early help and short breaks/);
      const duplicate = await admin.submit('/admin/teams', '/admin/teams', { name: 'Front door', tier: 'none' });
      assert.equal(duplicate.statusCode, 400);
      assert.match(duplicate.body, /There is already a team with this name/);

      const socialWork = await database.db
        .selectFrom('teams')
        .select('id')
        .where('name', '=', "Disabled children's social work team")
        .executeTakeFirstOrThrow();
      const page = await admin.get(`/admin/teams/${socialWork.id}`);
      assert.match(page.body, /David Clarke/);
      assert.match(page.body, /Team manager/);
      // The only specialist team keeps its tier, so the pathway always has a team to give specialist work to.
      const refused = await admin.submit(`/admin/teams/${socialWork.id}`, `/admin/teams/${socialWork.id}`, {
        name: "Disabled children's social work team",
        tier: 'none',
      });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /only team serving its tier/);
    });

    test('localities: districts are checked for their shape and belong to one locality only', async () => {
      const malformed = await admin.submit('/admin/localities', '/admin/localities', {
        name: 'Riverside',
        postcodeDistricts: 'NM9, 12X, NMX',
      });
      assert.equal(malformed.statusCode, 400);
      assert.match(malformed.body, /govuk-error-summary/);
      assert.match(malformed.body, /These are not: 12X, NMX/);
      const taken = await admin.submit('/admin/localities', '/admin/localities', {
        name: 'Riverside',
        postcodeDistricts: 'NM9 nm1',
      });
      assert.equal(taken.statusCode, 400);
      assert.match(taken.body, /NM1 is already in Ashby Vale/);
      const added = await admin.submit('/admin/localities', '/admin/localities', {
        name: 'Riverside',
        postcodeDistricts: 'nm9, NM10',
      });
      assert.equal(added.statusCode, 303);
      const locality = await database.db
        .selectFrom('localities')
        .select(['id', 'postcode_districts'])
        .where('name', '=', 'Riverside')
        .executeTakeFirstOrThrow();
      assert.deepEqual(locality.postcode_districts, ['NM9', 'NM10']);
      const renamed = await admin.submit(`/admin/localities/${locality.id}`, `/admin/localities/${locality.id}`, {
        name: 'Riverside and Weir',
        postcodeDistricts: 'NM9, NM10, NM11',
      });
      assert.equal(renamed.statusCode, 303);
      assert.match((await admin.get('/admin/localities')).body, /Riverside and Weir[\s\S]*NM9, NM10, NM11/);
      assert.equal((await auditRows('change-locality')).filter((row) => row.subject_id === locality.id).length, 1);
    });

    test('a setting changed from a future date does not apply until that date, and then does', async () => {
      const laCode = DEMO_COUNCIL.laCode;
      const name = 'short_breaks_service_standard_days';
      assert.equal(await councilSetting(database.db, laCode, name), 20);
      const later = daysFromToday(10);
      const response = await admin.submit(`/admin/settings/${name}`, `/admin/settings/${name}`, {
        value: '15',
        ...later.fields,
        reason: 'Cabinet decision of 1 December',
      });
      assert.equal(response.statusCode, 303);
      assert.equal(await councilSetting(database.db, laCode, name), 20);
      assert.equal(await councilSetting(database.db, laCode, name, daysFromToday(9).iso), 20);
      assert.equal(await councilSetting(database.db, laCode, name, later.iso), 15);
      assert.equal(await councilSetting(database.db, laCode, name, daysFromToday(400).iso), 15);
      const page = await admin.get('/admin/settings');
      assert.match(page.body, /20 working days/);
      assert.match(page.body, /15 working days/);
      assert.match(page.body, /Cabinet decision of 1 December/);
      const audit = await auditRows('change-council-setting');
      assert.deepEqual(audit.at(-1)?.details, { name, value: 15, effectiveFrom: later.iso });

      // Staff see the standard in force today on the queue.
      const officer = await signedInClient(app, 'short.breaks@demo.pathway.test');
      assert.match((await officer.get('/short-breaks/queue')).body, /20 working days/);
      const today = daysFromToday(0);
      await admin.submit(`/admin/settings/${name}`, `/admin/settings/${name}`, {
        value: '25',
        ...today.fields,
        reason: 'Brought forward',
      });
      assert.equal(await councilSetting(database.db, laCode, name), 25);
      assert.match((await officer.get('/short-breaks/queue')).body, /25 working days/);
    });

    test('a setting cannot take effect in the past or go beyond its limits', async () => {
      const name = 'short_breaks_max_age';
      const response = await admin.submit(`/admin/settings/${name}`, `/admin/settings/${name}`, {
        value: '99',
        ...daysFromToday(-1).fields,
        reason: '',
      });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /govuk-error-summary/);
      assert.match(response.body, /Enter a whole number from 0 to 25/);
      assert.match(response.body, /must be today or in the future/);
      assert.match(response.body, /Enter why it is changing/);
      assert.equal(await councilSetting(database.db, DEMO_COUNCIL.laCode, name), 17);
    });

    test('an administrator sets how families reach the front door; families see it on their pages; audited', async () => {
      const wrong = await admin.submit('/admin/council', '/admin/council', { phone: 'call us', email: 'not-an-email' });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /Enter a telephone number, like 0300 123 4567, or leave it empty/);
      assert.match(wrong.body, /href="#email"/);
      const saved = await admin.submit('/admin/council', '/admin/council', {
        phone: '01632 960 555',
        email: 'front.door@northmoor.example',
      });
      assert.equal(saved.statusCode, 303);
      assert.equal(saved.headers.location, '/admin/council?done=changed');
      assert.match((await admin.get('/admin/council?done=changed')).body, /Families now see these details/);
      const parent = await signedInClient(app, 'parent@demo.pathway.test');
      const page = (await parent.get('/children')).body;
      assert.match(page, /<a class="govuk-link" href="tel:01632960555" dir="ltr">01632 960 555<\/a>/);
      assert.match(page, /href="mailto:front\.door@northmoor\.example"/);
      const audit = await auditRows('change-council-contact');
      // Which details were given, never the details themselves: the audit trail holds no addresses.
      assert.deepEqual(audit.at(-1)?.details, { phoneGiven: true, emailGiven: true });
      // Emptied, nothing is shown to families.
      await admin.submit('/admin/council', '/admin/council', { phone: '', email: '' });
      assert.doesNotMatch((await parent.get('/children')).body, /Talk to someone/);
    });
  });
}
