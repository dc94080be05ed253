// No child dropped between doors: one child walked through every handoff between the front door, the short breaks
// team and the social work team, asserting at each step who holds the child and who was told (the outbox).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { seededApp, signedInClient, type TestClient } from './helpers/app.ts';
import { seedDemoApplications } from '../src/demo/applications.ts';
import { seedDemoPathway } from '../src/demo/pathway.ts';

const TOBI = {
  givenName: 'Tobi',
  familyName: 'Okafor',
  dobDay: '14',
  dobMonth: '3',
  dobYear: '2016',
  postcode: 'NM1 1AA',
};
const NEEDS = { primaryNeed: 'N2', needs: 'His parents have had no break for a year.', tried: 'A Saturday club.' };

for (const target of databaseTargets()) {
  describe(`Handoffs between the doors on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let referrer: TestClient;
    let triage: TestClient;
    let officer: TestClient;
    let breaksManager: TestClient;
    let socialWorker: TestClient;
    let manager: TestClient;
    let tobiId: string;
    let seen = new Set<string>();

    before(async () => {
      database = await target.open();
      app = await seededApp(database);
      await seedDemoApplications(database.db);
      await seedDemoPathway(database.db);
      referrer = await signedInClient(app, 'referrer@demo.pathway.test');
      triage = await signedInClient(app, 'triage@demo.pathway.test');
      officer = await signedInClient(app, 'short.breaks@demo.pathway.test');
      breaksManager = await signedInClient(app, 'short.breaks.manager@demo.pathway.test');
      socialWorker = await signedInClient(app, 'social.worker@demo.pathway.test');
      manager = await signedInClient(app, 'manager@demo.pathway.test');
      tobiId = (
        await database.db.selectFrom('children').select('id').where('given_name', '=', 'Tobi').executeTakeFirstOrThrow()
      ).id;
      await told();
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    /** The messages queued since the last call, as "template → recipient", sorted. */
    async function told(): Promise<string[]> {
      const rows = await database.db
        .selectFrom('notifications_outbox')
        .select(['id', 'template', 'recipient'])
        .execute();
      const fresh = rows.filter((row) => !seen.has(row.id));
      seen = new Set(rows.map((row) => row.id));
      return fresh.map((row) => `${row.template} → ${row.recipient}`).sort();
    }

    /** Tobi's open episode: tier, team and worker. */
    async function holder() {
      const episode = await database.db
        .selectFrom('episodes as e')
        .innerJoin('teams as t', 't.id', 'e.team_id')
        .leftJoin('users as w', 'w.id', 'e.worker_id')
        .select(['e.id', 'e.tier', 'e.version', 't.name as team', 'w.email as worker'])
        .where('e.child_id', '=', tobiId)
        .where('e.ended_at', 'is', null)
        .executeTakeFirst();
      return episode ? { tier: episode.tier, team: episode.team, worker: episode.worker } : undefined;
    }

    async function openEpisodeId() {
      return await database.db
        .selectFrom('episodes')
        .select(['id', 'version'])
        .where('child_id', '=', tobiId)
        .where('ended_at', 'is', null)
        .executeTakeFirstOrThrow();
    }

    /** A professional refers Tobi; the front door links the referral to his record. Returns the referral's id. */
    async function referAndLink(consent: Record<string, string>) {
      const started = await referrer.submit('/referrals/new', '/referrals/new', { sourceCode: '2A' });
      const draft = String(started.headers.location).replace(/\/child$/, '');
      for (const [section, values] of [
        ['child', TOBI],
        ['needs', NEEDS],
        ['consent', consent],
      ] as const) {
        assert.equal((await referrer.submit(`${draft}/${section}`, `${draft}/${section}`, values)).statusCode, 303);
      }
      assert.equal((await referrer.submit(`${draft}/check`, `${draft}/send`, {})).statusCode, 303);
      const id = draft.split('/').pop()!;
      const { version } = await database.db
        .selectFrom('referrals')
        .select('version')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const linked = await triage.submit(`/referrals/${id}`, `/referrals/${id}/link`, {
        version: String(version),
        childId: tobiId,
      });
      assert.equal(linked.statusCode, 303);
      return id;
    }

    async function decide(id: string, outcome: string, reason: string) {
      const { version } = await database.db
        .selectFrom('referrals')
        .select('version')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const decided = await triage.submit(`/referrals/${id}`, `/referrals/${id}/decide`, {
        version: String(version),
        outcome,
        reason,
      });
      assert.equal(decided.statusCode, 303);
    }

    test('a child walked through every door is always someone’s work, and the right people are told', async () => {
      // 1. A referral without a worry, to the short breaks team: Tobi's work opens there, unallocated.
      const first = await referAndLink({ consent: 'yes', safeguarding: 'no' });
      await told();
      await decide(first, 'targeted', 'Short breaks would give his parents a rest.');
      assert.deepEqual(await holder(), { tier: 'targeted', team: 'Short breaks team', worker: null });
      assert.deepEqual(await told(), [
        'referral-decided → referrer@demo.pathway.test',
        'short-breaks-invitation → parent@demo.pathway.test',
        'work-unallocated → short.breaks.manager@demo.pathway.test',
      ]);

      // 2. The short breaks team's manager allocates him from the team's unallocated work; the officer is told.
      const waiting = await breaksManager.get('/unallocated');
      assert.match(waiting.body, /Tobi Okafor/);
      const episode = await openEpisodeId();
      const nobody = await breaksManager.submit('/unallocated', '/unallocated/allocate', {
        episodeId: episode.id,
        version: String(episode.version),
        workerId: '',
      });
      assert.equal(nobody.statusCode, 400);
      assert.match(nobody.body, /Choose the worker to allocate the child to/);
      const allocated = await breaksManager.submit('/unallocated', '/unallocated/allocate', {
        episodeId: episode.id,
        version: String(episode.version),
        workerId: (
          await database.db
            .selectFrom('users')
            .select('id')
            .where('email', '=', 'short.breaks@demo.pathway.test')
            .executeTakeFirstOrThrow()
        ).id,
      });
      assert.equal(allocated.statusCode, 303);
      assert.deepEqual(await holder(), {
        tier: 'targeted',
        team: 'Short breaks team',
        worker: 'short.breaks@demo.pathway.test',
      });
      assert.deepEqual(await told(), ['case-allocated → short.breaks@demo.pathway.test']);
      assert.match((await officer.get('/my-cases')).body, /Tobi Okafor/);
      assert.match((await breaksManager.get('/unallocated')).body, /Aisha Begum \(open cases: 1\)/);

      // 3. A school's referral with a worry about his safety: linking it alerts the officer and her manager at once.
      const worry = await referAndLink({
        consent: 'no',
        safeguarding: 'yes',
        safeguardingDetails: 'A bruise he would not explain.',
      });
      const atLinking = await told();
      assert.ok(atLinking.includes('safety-worry-on-case → short.breaks@demo.pathway.test'), atLinking.join('\n'));
      assert.ok(atLinking.includes('safety-worry-on-case → short.breaks.manager@demo.pathway.test'));
      const before = await triage.get(`/referrals/${worry}`);
      assert.match(before.body, /Tobi Okafor is already open to the Short breaks team \(worker: Aisha Begum\)/);
      assert.match(before.body, /Steps the child up from the Short breaks team/);

      // 4. The front door sends it to the social work team: he is stepped up, with the referral as the reason, into
      // their unallocated work; the short breaks team hear where he went; the referrer hears the truth.
      await decide(worry, 'specialist', 'A worry about his safety: the social work team must see him.');
      assert.deepEqual(await holder(), {
        tier: 'specialist',
        team: "Disabled children's social work team",
        worker: null,
      });
      assert.deepEqual(await told(), [
        'child-moved → short.breaks.manager@demo.pathway.test',
        'child-moved → short.breaks@demo.pathway.test',
        'referral-decided → referrer@demo.pathway.test',
        'work-unallocated → manager@demo.pathway.test',
      ]);
      const stepped = await database.db
        .selectFrom('referrals')
        .select(['decision_effect', 'episode_id'])
        .where('id', '=', worry)
        .executeTakeFirstOrThrow();
      assert.equal(stepped.decision_effect, 'stepped_up');
      assert.equal(stepped.episode_id, (await openEpisodeId()).id);
      const mine = await referrer.get('/referrals/mine');
      assert.match(
        mine.body,
        /Passed to the Disabled children(’|'|&#39;)s social work team, who now work with the child/,
      );

      // 5. The record shows the open worry at the top and links each referral from the timeline.
      const record = await manager.get(`/children/${tobiId}`);
      assert.match(record.body, /Open worry about the child’s safety/);
      assert.match(record.body, new RegExp(`/children/${tobiId}/referrals/${worry}`));
      const read = await socialWorker.get(`/children/${tobiId}/referrals/${worry}`);
      assert.equal(read.statusCode, 200);
      assert.match(read.body, /A bruise he would not explain/);

      // 6. The social work team's manager allocates him; the social worker is told.
      const specialist = await openEpisodeId();
      assert.equal(
        (
          await manager.submit('/unallocated', '/unallocated/allocate', {
            episodeId: specialist.id,
            version: String(specialist.version),
            workerId: (
              await database.db
                .selectFrom('users')
                .select('id')
                .where('email', '=', 'social.worker@demo.pathway.test')
                .executeTakeFirstOrThrow()
            ).id,
          })
        ).statusCode,
        303,
      );
      assert.deepEqual(await told(), ['case-allocated → social.worker@demo.pathway.test']);

      // 7. His short-breaks application is decided as "a social work assessment": it becomes a referral into the
      // front door, the family are told who will contact them and when, and the front door passes it to the team
      // already holding him as new information.
      const application = await database.db
        .updateTable('short_break_applications')
        .set({ status: 'verified', decision: null, decided_at: null, decided_by: null })
        .where('child_id', '=', tobiId)
        .where('status', '=', 'decided')
        .returning(['id', 'version'])
        .executeTakeFirstOrThrow();
      const decidedApplication = await manager.submit(
        `/short-breaks/queue/${application.id}`,
        `/short-breaks/queue/${application.id}/decide`,
        {
          version: String(application.version),
          decision: 'override',
          outcome: 'A social work assessment',
          overrideReason: 'His needs have grown: a social worker should assess them.',
        },
      );
      assert.equal(decidedApplication.statusCode, 303);
      const assessmentReferral = await database.db
        .selectFrom('referrals')
        .select(['id', 'kind', 'status', 'reference'])
        .where('short_break_application_id', '=', application.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual([assessmentReferral.kind, assessmentReferral.status], ['social_work_assessment', 'new']);
      assert.match(assessmentReferral.reference ?? '', /^RF-[0-9A-F]{8}$/);
      const carried = await database.db
        .selectFrom('referrals')
        .select(['reason', 'safeguarding_concern'])
        .where('id', '=', assessmentReferral.id)
        .executeTakeFirstOrThrow();
      assert.match(carried.reason ?? '', /His needs have grown: a social worker should assess them\./);
      assert.equal(carried.safeguarding_concern, false);
      assert.match(
        (await manager.get(`/short-breaks/queue/${application.id}`)).body,
        new RegExp(`Referred for a social work assessment[\\s\\S]*${assessmentReferral.reference!}`),
      );
      const parent = await signedInClient(app, 'parent@demo.pathway.test');
      const letter = await parent.get(`/short-breaks/applications/${application.id}/decision`);
      assert.equal(letter.statusCode, 200);
      assert.match(letter.body, /within one working day of the decision/);
      assert.doesNotMatch(letter.body, /When we will look at this again/);
      const afterApplication = await told();
      assert.ok(afterApplication.includes('short-breaks-decided-assessment → parent@demo.pathway.test'));
      assert.ok(afterApplication.includes('referral-received → triage@demo.pathway.test'));
      const familyMessage = await database.db
        .selectFrom('notifications_outbox')
        .select('body')
        .where('template', '=', 'short-breaks-decided-assessment')
        .executeTakeFirstOrThrow();
      assert.match(familyMessage.body, /social worker from that team will contact you/);
      assert.match(familyMessage.body, /by \d{1,2} [A-Z][a-z]+ \d{4}/);
      await decide(assessmentReferral.id, 'specialist', 'The short breaks decision asks for a social work assessment.');
      assert.deepEqual(await holder(), {
        tier: 'specialist',
        team: "Disabled children's social work team",
        worker: 'social.worker@demo.pathway.test',
      });
      const passed = await told();
      assert.ok(passed.includes('referral-on-case → social.worker@demo.pathway.test'), passed.join('\n'));
      assert.ok(passed.includes('referral-on-case → manager@demo.pathway.test'));
      // The family hear it reached the social work team, as the letter promised; the manager who decided is not
      // sent the referrer's message.
      assert.ok(passed.includes('assessment-passed-on → parent@demo.pathway.test'), passed.join('\n'));
      assert.ok(!passed.some((message) => message.startsWith('referral-decided')), passed.join('\n'));

      // 8. A lower-tier decision on his specialist case never steps him down: it goes to his social worker.
      const lower = await referAndLink({ consent: 'yes', safeguarding: 'no' });
      await told();
      await decide(lower, 'targeted', 'Short breaks may help too.');
      assert.equal((await holder())?.tier, 'specialist');
      assert.deepEqual(await told(), [
        'referral-decided → referrer@demo.pathway.test',
        'referral-on-case → manager@demo.pathway.test',
        'referral-on-case → social.worker@demo.pathway.test',
      ]);
      const own = await referrer.get(`/referrals/mine/${lower}`);
      assert.equal(own.statusCode, 200);
      assert.match(
        own.body,
        /Passed to the Disabled children(’|'|&#39;)s social work team, who already work with the child/,
      );
      assert.match(own.body, /Short breaks may help too\./);
      assert.match(own.body, /Megan Lewis, social\.worker@demo\.pathway\.test/);
      assert.match(own.body, /His parents have had no break for a year\./);

      // 9. His social worker proposes stepping him down while the worry is open; the manager refuses, and he stays.
      const current = await openEpisodeId();
      const proposed = await socialWorker.submit(`/children/${tobiId}`, `/children/${tobiId}/move`, {
        episodeId: current.id,
        to: 'targeted',
        reason: 'Short breaks alone may now be enough.',
      });
      assert.equal(proposed.statusCode, 303);
      assert.equal((await holder())?.tier, 'specialist');
      assert.deepEqual(await told(), ['step-down-proposed → manager@demo.pathway.test']);
      const proposal = await database.db
        .selectFrom('step_down_proposals')
        .select('id')
        .where('child_id', '=', tobiId)
        .where('status', '=', 'proposed')
        .executeTakeFirstOrThrow();
      const refused = await manager.submit(`/children/${tobiId}`, `/children/${tobiId}/step-down/${proposal.id}`, {
        decision: 'refuse',
        reason: 'Not while the worry about his safety is open.',
      });
      assert.equal(refused.statusCode, 303);
      assert.deepEqual(await holder(), {
        tier: 'specialist',
        team: "Disabled children's social work team",
        worker: 'social.worker@demo.pathway.test',
      });
      assert.deepEqual(await told(), ['step-down-refused → social.worker@demo.pathway.test']);

      // 10. Only a manager closes the worry, with a reason; then it leaves the top of the record.
      const notManager = await socialWorker.submit(
        `/children/${tobiId}`,
        `/children/${tobiId}/worries/${worry}/close`,
        {
          reason: 'Explained.',
        },
      );
      assert.equal(notManager.statusCode, 403);
      const closed = await manager.submit(`/children/${tobiId}`, `/children/${tobiId}/worries/${worry}/close`, {
        reason: 'The strategy discussion found an accidental injury.',
      });
      assert.equal(closed.statusCode, 303);
      // The social worker hears; the manager who closed it is not told of their own action.
      assert.deepEqual(await told(), ['safety-worry-closed → social.worker@demo.pathway.test']);
      assert.doesNotMatch((await manager.get(`/children/${tobiId}`)).body, /Open worry about the child’s safety/);
    });

    test('a short-breaks application whose answers raise a worry about safety becomes a safety-worry referral', async () => {
      const ibrahim = await database.db
        .selectFrom('children')
        .select('id')
        .where('given_name', '=', 'Ibrahim')
        .executeTakeFirstOrThrow();
      const waiting = await database.db
        .selectFrom('short_break_applications')
        .select(['id', 'answers'])
        .where('child_id', '=', ibrahim.id)
        .where('status', '=', 'verified')
        .executeTakeFirstOrThrow();
      const application = await database.db
        .updateTable('short_break_applications')
        .set({ answers: JSON.stringify({ ...waiting.answers, risk_of_harm: 'yes' }) })
        .where('id', '=', waiting.id)
        .returning(['id', 'version'])
        .executeTakeFirstOrThrow();
      await told();
      const decided = await manager.submit(
        `/short-breaks/queue/${application.id}`,
        `/short-breaks/queue/${application.id}/decide`,
        {
          version: String(application.version),
          decision: 'override',
          outcome: 'A social work assessment',
          overrideReason: 'The family told us someone may be at risk of harm.',
        },
      );
      assert.equal(decided.statusCode, 303);
      const referral = await database.db
        .selectFrom('referrals')
        .select('safeguarding_concern')
        .where('short_break_application_id', '=', application.id)
        .executeTakeFirstOrThrow();
      assert.equal(referral.safeguarding_concern, true);
      const messages = await told();
      // Ibrahim is open to the social work team with Megan Lewis: they hear at once, as every manager does.
      assert.ok(messages.includes('safety-worry-on-case → social.worker@demo.pathway.test'), messages.join('\n'));
      assert.ok(messages.includes('referral-safeguarding → manager@demo.pathway.test'));
    });

    test('a family’s answer that someone may be at risk of harm alerts people the moment they send it', async () => {
      const ada = await database.db
        .selectFrom('short_break_applications as a')
        .innerJoin('children as c', 'c.id', 'a.child_id')
        .select(['a.id', 'a.answers'])
        .where('c.given_name', '=', 'Ada')
        .where('a.status', '=', 'draft')
        .executeTakeFirstOrThrow();
      await database.db
        .updateTable('short_break_applications')
        .set({ answers: JSON.stringify({ ...ada.answers, risk_of_harm: 'yes' }) })
        .where('id', '=', ada.id)
        .execute();
      await told();
      const parent = await signedInClient(app, 'parent@demo.pathway.test');
      const url = `/short-breaks/applications/${ada.id}`;
      const sent = await parent.submit(`${url}/check`, `${url}/submit`, { declaration: 'yes' });
      assert.equal(sent.statusCode, 303);
      // Ada is open to no team, so every team manager hears at once, beside the family's own confirmation.
      const messages = await told();
      assert.ok(messages.includes('safety-worry-in-application → manager@demo.pathway.test'), messages.join('\n'));
      assert.ok(messages.includes('safety-worry-in-application → short.breaks.manager@demo.pathway.test'));
      assert.ok(messages.includes('short-breaks-sent → parent@demo.pathway.test'));
    });

    /** The open episode of the demo child with this given name: its id, child and worker. */
    async function openEpisodeOf(givenName: string) {
      return database.db
        .selectFrom('episodes as e')
        .innerJoin('children as c', 'c.id', 'e.child_id')
        .select(['e.id', 'e.child_id', 'e.worker_id'])
        .where('c.given_name', '=', givenName)
        .where('e.ended_at', 'is', null)
        .executeTakeFirstOrThrow();
    }

    async function userIdOf(email: string) {
      return (await database.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow())
        .id;
    }

    test('a worker whose account is deactivated gives back the children’s work they held: each child waits for a new worker, and the team’s managers are told', async () => {
      const admin = await signedInClient(app, 'admin@demo.pathway.test');
      const megan = await userIdOf('social.worker@demo.pathway.test');
      const ibrahim = await openEpisodeOf('Ibrahim');
      assert.equal(ibrahim.worker_id, megan, 'the demo allocates Ibrahim to Megan Lewis');
      const held = await database.db
        .selectFrom('episodes')
        .select('id')
        .where('worker_id', '=', megan)
        .where('ended_at', 'is', null)
        .execute();
      // The administrator sees what the worker holds before deciding.
      const page = await admin.get(`/admin/users/${megan}`);
      assert.match(page.body, /holds open work for children/);
      assert.match(page.body, new RegExp(`${held.length} in the Disabled children(&#39;|')s social work team`));
      await told();

      assert.equal(
        (await admin.submit(`/admin/users/${megan}`, `/admin/users/${megan}/deactivate`, {})).statusCode,
        303,
      );
      const stillHers = await database.db.selectFrom('episodes').select('id').where('worker_id', '=', megan).execute();
      assert.deepEqual(stillHers, []);
      const timeline = await database.db
        .selectFrom('timeline_events')
        .select('summary')
        .where('child_id', '=', ibrahim.child_id)
        .where('kind', '=', 'unallocated')
        .execute();
      assert.deepEqual(
        timeline.map((event) => event.summary),
        ["Back to the Disabled children's social work team's unallocated work: Megan Lewis's account was deactivated"],
      );
      // One message to the team's manager, naming every child.
      assert.deepEqual(await told(), ['cases-returned → manager@demo.pathway.test']);
      const message = await database.db
        .selectFrom('notifications_outbox')
        .select('body')
        .where('template', '=', 'cases-returned')
        .executeTakeFirstOrThrow();
      assert.match(message.body, /Megan Lewis's account was deactivated\. These children's work was theirs: .*Ibrahim/);
      // The team manager finds the child waiting for a worker since today, when the work came back, and can
      // allocate again.
      const today = new Intl.DateTimeFormat('en-GB', {
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        timeZone: 'Europe/London',
      }).format(new Date());
      const waiting = /Ibrahim[\s\S]*?<\/tr>/.exec((await manager.get('/unallocated')).body)?.[0] ?? '';
      assert.ok(waiting.includes(today), waiting);
      const audit = await database.db
        .selectFrom('audit_events')
        .select('subject_id')
        .where('action', '=', 'return-case-to-team')
        .execute();
      assert.deepEqual(audit.map((row) => row.subject_id).sort(), held.map((row) => row.id).sort());

      // Put back as it was, for the tests after this one.
      await admin.submit(`/admin/users/${megan}`, `/admin/users/${megan}/reactivate`, {});
      await database.db
        .updateTable('episodes')
        .set({ worker_id: megan })
        .where(
          'id',
          'in',
          held.map((row) => row.id),
        )
        .execute();
      socialWorker = await signedInClient(app, 'social.worker@demo.pathway.test');
    });

    test('a worker taken off a team gives back the children’s work they held there; saving the same teams changes nothing', async () => {
      const admin = await signedInClient(app, 'admin@demo.pathway.test');
      const aisha = await userIdOf('short.breaks@demo.pathway.test');
      const maryam = await openEpisodeOf('Maryam');
      await database.db.updateTable('episodes').set({ worker_id: aisha }).where('id', '=', maryam.id).execute();
      const teams = (
        await database.db.selectFrom('team_members').select('team_id').where('user_id', '=', aisha).execute()
      ).map((row) => row.team_id);
      await told();

      const access = (teamIds: string[]) =>
        admin.submit(`/admin/users/${aisha}`, `/admin/users/${aisha}/access`, {
          roles: ['short_breaks_officer'],
          teams: teamIds,
        });
      assert.equal((await access(teams)).statusCode, 303);
      assert.equal((await openEpisodeOf('Maryam')).worker_id, aisha);
      assert.deepEqual(await told(), []);

      assert.equal((await access([])).statusCode, 303);
      assert.equal((await openEpisodeOf('Maryam')).worker_id, null);
      assert.deepEqual(await told(), ['cases-returned → short.breaks.manager@demo.pathway.test']);
      const timeline = await database.db
        .selectFrom('timeline_events')
        .select('summary')
        .where('child_id', '=', maryam.child_id)
        .where('kind', '=', 'unallocated')
        .executeTakeFirstOrThrow();
      assert.match(timeline.summary, /Aisha Begum left the Short breaks team/);

      await access(teams);
      await database.db
        .updateTable('episodes')
        .set({ worker_id: maryam.worker_id })
        .where('id', '=', maryam.id)
        .execute();
    });

    test('a team’s lists of children are audited with the children they showed: my cases, unallocated work, the caseload', async () => {
      async function latest(action: string) {
        const event = await database.db
          .selectFrom('audit_events')
          .select(['actor_user_id', 'details'])
          .where('action', '=', action)
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow();
        return {
          actor: event.actor_user_id,
          childIds: [...((event.details as { childIds: string[] }).childIds ?? [])].sort(),
        };
      }
      const megan = await userIdOf('social.worker@demo.pathway.test');
      const ibrahim = await openEpisodeOf('Ibrahim');
      const held = await database.db
        .selectFrom('episodes')
        .select('child_id')
        .where('worker_id', '=', megan)
        .where('ended_at', 'is', null)
        .execute();
      assert.equal((await socialWorker.get('/my-cases')).statusCode, 200);
      assert.deepEqual(await latest('view-my-cases'), {
        actor: megan,
        childIds: held.map((row) => row.child_id).sort(),
      });
      assert.ok(held.some((row) => row.child_id === ibrahim.child_id));

      const team = (
        await database.db
          .selectFrom('episodes')
          .select('team_id')
          .where('id', '=', ibrahim.id)
          .executeTakeFirstOrThrow()
      ).team_id;
      const waiting = await database.db
        .selectFrom('episodes')
        .select('child_id')
        .where('team_id', '=', team)
        .where('worker_id', 'is', null)
        .where('ended_at', 'is', null)
        .execute();
      assert.equal((await manager.get('/unallocated')).statusCode, 200);
      assert.deepEqual((await latest('view-unallocated-work')).childIds, waiting.map((row) => row.child_id).sort());
      assert.equal((await manager.get('/caseload')).statusCode, 200);
      assert.ok((await latest('view-caseload')).childIds.includes(ibrahim.child_id));
    });
  });
}
