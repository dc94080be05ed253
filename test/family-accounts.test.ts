// Families make their own accounts (issue 17): a parent creates an account and its password through an emailed
// link, asks for their child to be added to it, and the front door decides, linking them to the record the council
// has, making a new one, or saying why not. The forms answer the same whoever asks, so they reveal no account, and
// send one address only a few emails an hour.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { seededApp, signedInClient, TestClient } from './helpers/app.ts';

const TRIAGE = 'triage@demo.pathway.test';
const PASSWORD = 'three random words here';

/** The child the demo knows with no carer who has an account: the Nowaks' Zofia. */
const ZOFIA = { givenName: 'Zofia', familyName: 'Nowak', dobDay: '21', dobMonth: '5', dobYear: '2019' };

for (const target of databaseTargets()) {
  describe(`families' own accounts on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;

    before(async () => {
      database = await target.open();
      app = await seededApp(database);
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    async function messagesTo(recipient: string) {
      return database.db
        .selectFrom('notifications_outbox')
        .select(['template', 'body'])
        .where('recipient', '=', recipient)
        .orderBy('created_at')
        .execute();
    }

    function linkIn(body: string): string {
      const match = /\/set-password\?token=[A-Za-z0-9_-]{43}/.exec(body);
      assert.ok(match, 'the email holds a link to set a password');
      return match[0];
    }

    /** Creates an account through the pages, follows the emailed link, and signs in. */
    async function newFamilyAccount(name: string, email: string): Promise<TestClient> {
      const visitor = new TestClient(app);
      const created = await visitor.submit('/create-account', '/create-account', { name, email });
      assert.equal(created.statusCode, 303);
      assert.equal(created.headers.location, '/check-your-email');
      const [welcome] = await messagesTo(email);
      assert.equal(welcome?.template, 'family-account-created');
      const link = linkIn(welcome.body);
      const set = await visitor.submit(link, '/set-password', {
        token: link.split('token=')[1]!,
        password: PASSWORD,
        confirmPassword: PASSWORD,
      });
      assert.equal(set.statusCode, 303);
      const family = new TestClient(app);
      const signedIn = await family.submit('/sign-in', '/sign-in', { email, password: PASSWORD });
      assert.equal(signedIn.statusCode, 303);
      return family;
    }

    async function requestId(givenName: string, email: string) {
      const row = await database.db
        .selectFrom('child_link_requests as r')
        .innerJoin('users as u', 'u.id', 'r.requested_by')
        .select(['r.id', 'r.version'])
        .where('r.given_name', '=', givenName)
        .where('u.email', '=', email)
        .orderBy('r.requested_at', 'desc')
        .executeTakeFirstOrThrow();
      return row;
    }

    test('a parent creates an account from the sign-in page, sets a password from the email, and signs in', async () => {
      const signIn = await new TestClient(app).get('/sign-in');
      assert.match(signIn.body, /href="\/create-account"/);
      assert.match(signIn.body, /href="\/forgot-password"/);
      const family = await newFamilyAccount('Marta Nowak', 'marta.nowak@example.org');
      const account = await family.get('/account');
      assert.equal(account.statusCode, 200);
      assert.match(account.body, /Marta Nowak/);
      assert.match(account.body, /Parent or carer/);
      const children = await family.get('/children');
      assert.match(children.body, /There are no children linked to your account yet/);
      assert.match(children.body, /href="\/children\/add"/);
      // The pages a family reaches from the menu before any child is on the account lead to adding one.
      for (const page of ['/short-breaks', '/ask-for-help'])
        assert.match((await family.get(page)).body, /href="\/children\/add"/, page);
      // The email with the link to set a password is not shown again on the messages page.
      assert.doesNotMatch((await family.get('/messages')).body, /set-password/);
      const user = await database.db
        .selectFrom('users')
        .select(['id', 'preferred_language'])
        .where('email', '=', 'marta.nowak@example.org')
        .executeTakeFirstOrThrow();
      const audit = await database.db
        .selectFrom('audit_events')
        .select(['actor_user_id', 'details'])
        .where('action', '=', 'create-family-account')
        .where('subject_id', '=', user.id)
        .executeTakeFirstOrThrow();
      assert.equal(audit.actor_user_id, user.id);
    });

    test('creating an account for an address that has one, or asking for a new password, answers the same and emails a reset link only to that address', async () => {
      const visitor = new TestClient(app);
      const again = await visitor.submit('/create-account', '/create-account', {
        name: 'Someone Else',
        email: 'TRIAGE@demo.pathway.test',
      });
      assert.equal(again.headers.location, '/check-your-email');
      const unknown = await visitor.submit('/forgot-password', '/forgot-password', { email: 'nobody@example.org' });
      assert.equal(unknown.headers.location, '/check-your-email');
      assert.deepEqual(await messagesTo('nobody@example.org'), []);
      // No second account; the holder is sent a link, to the address the account has.
      const accounts = await database.db
        .selectFrom('users')
        .select('display_name')
        .where((eb) => eb(eb.fn('lower', ['email']), '=', TRIAGE))
        .execute();
      assert.deepEqual(
        accounts.map((row) => row.display_name),
        ['Tom Fielding'],
      );
      const sent = await messagesTo(TRIAGE);
      const reset = sent.filter((message) => message.template === 'password-reset');
      assert.equal(reset.length, 1);
      const link = linkIn(reset[0]!.body);
      const resetPage = await visitor.get(link);
      assert.equal(resetPage.statusCode, 200);
      assert.match(resetPage.body, /<h1 class="govuk-heading-l">Create a new password<\/h1>/);
      const page = await visitor.get('/check-your-email');
      assert.match(page.body, /If the address you gave can be used for a Pathway account/);
    });

    test('one address is sent at most three emails an hour from these forms', async () => {
      const visitor = new TestClient(app);
      const email = 'short.breaks@demo.pathway.test';
      for (let attempt = 0; attempt < 5; attempt++) {
        const response = await visitor.submit('/forgot-password', '/forgot-password', { email });
        assert.equal(response.headers.location, '/check-your-email');
      }
      const resets = (await messagesTo(email)).filter((message) => message.template === 'password-reset');
      assert.equal(resets.length, 3);
    });

    test('the account forms show each problem beside its field', async () => {
      const visitor = new TestClient(app);
      const missing = await visitor.submit('/create-account', '/create-account', { name: '', email: 'not an email' });
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /Enter your full name/);
      assert.match(missing.body, /Enter an email address in the correct format/);
      assert.match(missing.body, /href="#name"/);
      const forgot = await visitor.submit('/forgot-password', '/forgot-password', { email: '' });
      assert.equal(forgot.statusCode, 400);
      assert.match(forgot.body, /Enter your email address/);
    });

    test('a parent asks for their child; the front door links them to the record the council has, and they see the child', async () => {
      const family = await newFamilyAccount('Piotr Nowak', 'piotr.nowak@example.org');
      const problems = await family.submit('/children/add', '/children/add', {
        ...ZOFIA,
        dobYear: '2999',
        postcode: 'not a postcode',
        relationship: '',
      });
      assert.equal(problems.statusCode, 400);
      assert.match(problems.body, /date of birth must be today or in the past/);
      assert.match(problems.body, /Enter a real postcode/);
      assert.match(problems.body, /Say who you are to the child/);
      assert.match(problems.body, /value="Zofia"/);

      const asked = await family.submit('/children/add', '/children/add', { ...ZOFIA, relationship: 'parent' });
      assert.equal(asked.statusCode, 303);
      assert.equal(asked.headers.location, '/children/add/sent');
      // Sent twice (a second press), still one request.
      await family.submit('/children/add', '/children/add', { ...ZOFIA, relationship: 'parent' });
      const requests = await database.db
        .selectFrom('child_link_requests')
        .select('id')
        .where('given_name', '=', 'Zofia')
        .execute();
      assert.equal(requests.length, 1);
      const waiting = await family.get('/children');
      assert.match(waiting.body, /Zofia Nowak<\/bdi>: you asked on/);
      assert.doesNotMatch(waiting.body, /href="\/children\/[0-9a-f-]{36}"/);
      assert.ok((await messagesTo('piotr.nowak@example.org')).some((m) => m.template === 'child-link-received'));
      assert.ok((await messagesTo(TRIAGE)).some((m) => m.template === 'child-link-requested'));

      // Families cannot decide requests, nor open them.
      const { id, version } = await requestId('Zofia', 'piotr.nowak@example.org');
      assert.equal((await family.get(`/child-requests/${id}`)).statusCode, 403);

      const triage = await signedInClient(app, TRIAGE);
      const list = await triage.get('/child-requests');
      assert.match(list.body, new RegExp(`href="/child-requests/${id}"`));
      // The list names children as families described them: reading it is audited with the requests it showed.
      const listed = await database.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'view-child-link-requests')
        .orderBy('occurred_at', 'desc')
        .executeTakeFirstOrThrow();
      assert.ok((listed.details as { requestIds: string[] }).requestIds.includes(id));
      assert.match(list.body, /Piotr Nowak/);
      const page = await triage.get(`/child-requests/${id}`);
      assert.match(page.body, /Add to the record of Zofia Nowak, born 21 May 2019/);
      assert.match(page.body, /No other children in this family/);
      const zofia = await database.db
        .selectFrom('children')
        .select(['id', 'family_id'])
        .where('given_name', '=', 'Zofia')
        .executeTakeFirstOrThrow();
      const viewed = await database.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'view-child-link-request')
        .where('subject_id', '=', id)
        .executeTakeFirstOrThrow();
      assert.deepEqual((viewed.details as { childIds: string[] }).childIds, [zofia.id]);

      const linked = await triage.submit(`/child-requests/${id}`, `/child-requests/${id}`, {
        decision: zofia.id,
        reason: '',
        version: String(version),
      });
      assert.equal(linked.statusCode, 303);
      assert.equal(linked.headers.location, '/child-requests?done=linked');
      assert.match(
        (await triage.get('/child-requests?done=linked')).body,
        /the child is on the family(&#39;|')s account/,
      );
      const children = await family.get('/children');
      assert.match(children.body, new RegExp(`href="/children/${zofia.id}"`));
      assert.doesNotMatch(children.body, /you asked on/);
      assert.equal((await family.get(`/children/${zofia.id}`)).statusCode, 200);
      assert.ok((await messagesTo('piotr.nowak@example.org')).some((m) => m.template === 'child-link-linked'));
      const again = await family.submit('/children/add', '/children/add', { ...ZOFIA, relationship: 'parent' });
      assert.equal(again.statusCode, 400);
      assert.match(again.body, /Zofia is already on your account/);
      const timeline = await database.db
        .selectFrom('timeline_events')
        .select('summary')
        .where('child_id', '=', zofia.id)
        .where('kind', '=', 'carer-added')
        .executeTakeFirstOrThrow();
      assert.match(timeline.summary, /Piotr Nowak \(parent\) can now see/);

      // Deciding again from the same page changes nothing and says why.
      const stale = await triage.submit(`/child-requests/${id}`, `/child-requests/${id}`, {
        decision: 'decline',
        reason: 'Not known',
        version: String(version),
      });
      assert.equal(stale.statusCode, 409);
      const stillLinked = await database.db
        .selectFrom('child_link_requests')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(stillLinked.status, 'linked');
    });

    test('the front door makes a new record for a child it does not know, or declines with a reason the family reads', async () => {
      const family = await newFamilyAccount('Grace Mensah', 'grace.mensah@example.org');
      const newChild = { givenName: 'Kofi', familyName: 'Mensah', dobDay: '3', dobMonth: '2', dobYear: '2018' };
      await family.submit('/children/add', '/children/add', {
        ...newChild,
        postcode: 'nm1 2ab',
        relationship: 'carer',
      });
      await family.submit('/children/add', '/children/add', {
        givenName: 'Tobi',
        familyName: 'Okafor',
        dobDay: '14',
        dobMonth: '3',
        dobYear: '2016',
        relationship: 'parent',
      });
      const triage = await signedInClient(app, TRIAGE);

      const kofi = await requestId('Kofi', 'grace.mensah@example.org');
      const kofiPage = await triage.get(`/child-requests/${kofi.id}`);
      assert.match(kofiPage.body, /No record matches these details closely/);
      const created = await triage.submit(`/child-requests/${kofi.id}`, `/child-requests/${kofi.id}`, {
        decision: 'create',
        reason: '',
        version: String(kofi.version),
      });
      assert.equal(created.statusCode, 303);
      const record = await database.db
        .selectFrom('children as c')
        .innerJoin('families as f', 'f.id', 'c.family_id')
        .innerJoin('family_carers as fc', 'fc.family_id', 'f.id')
        .innerJoin('users as u', 'u.id', 'fc.user_id')
        .select(['c.id', 'f.postcode', 'fc.relationship'])
        .where('c.given_name', '=', 'Kofi')
        .where('u.email', '=', 'grace.mensah@example.org')
        .executeTakeFirstOrThrow();
      assert.equal(record.postcode, 'NM1 2AB');
      assert.equal(record.relationship, 'carer');
      assert.match((await family.get('/children')).body, new RegExp(`href="/children/${record.id}"`));

      // Someone asking for another family's child: the match shows whom they would see, and the front door declines.
      const tobi = await requestId('Tobi', 'grace.mensah@example.org');
      const tobiPage = await triage.get(`/child-requests/${tobi.id}`);
      assert.match(tobiPage.body, /They would also see: Ada Okafor/);
      const noReason = await triage.submit(`/child-requests/${tobi.id}`, `/child-requests/${tobi.id}`, {
        decision: 'decline',
        reason: '',
        version: String(tobi.version),
      });
      assert.equal(noReason.statusCode, 400);
      assert.match(noReason.body, /Say why the child cannot be added/);
      const declined = await triage.submit(`/child-requests/${tobi.id}`, `/child-requests/${tobi.id}`, {
        decision: 'decline',
        reason: 'We could not confirm that you care for Tobi. Call the front door on 0300 000 0000.',
        version: String(tobi.version),
      });
      assert.equal(declined.statusCode, 303);
      const list = await family.get('/children');
      assert.match(list.body, /could not add this child to your account/);
      assert.match(list.body, /We could not confirm that you care for Tobi/);
      const tobiRecord = await database.db
        .selectFrom('children')
        .select('id')
        .where('given_name', '=', 'Tobi')
        .executeTakeFirstOrThrow();
      assert.equal((await family.get(`/children/${tobiRecord.id}`)).statusCode, 404);
      assert.ok((await messagesTo('grace.mensah@example.org')).some((m) => m.template === 'child-link-declined'));
    });

    test('when nobody holds the front door role yet, the council’s administrators are told a family is waiting', async () => {
      const family = await newFamilyAccount('Amara Obi', 'amara.obi@example.org');
      const frontDoor = database.db.selectFrom('user_roles').select('user_id').where('role', '=', 'triage_worker');
      await database.db.updateTable('users').set({ active: false }).where('id', 'in', frontDoor).execute();
      try {
        const asked = await family.submit('/children/add', '/children/add', {
          givenName: 'Chidi',
          familyName: 'Obi',
          dobDay: '9',
          dobMonth: '9',
          dobYear: '2020',
          relationship: 'parent',
        });
        assert.equal(asked.statusCode, 303);
        const told = await messagesTo('admin@demo.pathway.test');
        const warning = told.find((message) => message.template === 'child-link-nobody-to-decide');
        assert.ok(warning, 'the administrator is told');
        assert.match(warning.body, /\/admin\/users/);
      } finally {
        await database.db.updateTable('users').set({ active: true }).where('id', 'in', frontDoor).execute();
      }
    });
  });
}
