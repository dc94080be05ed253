// The proportionate pathway: explicit step-up and step-down by authorised roles, with reasons, audited and on the
// child's timeline; allocation by the team's manager; caseloads per team.
import type { SignedInUser } from '../src/domain/people.ts';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { seededApp, signedInClient, testConfig, type TestClient } from './helpers/app.ts';
import { scheduledJobs } from '../src/jobs/worker.ts';
import { caseload, CASELOAD_PAGE_SIZE } from '../src/features/pathway/service.ts';

for (const target of databaseTargets()) {
  describe(`The pathway on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let manager: TestClient;
    let socialWorker: TestClient;
    let zofiaId: string;

    before(async () => {
      database = await target.open();
      app = await seededApp(database);
      manager = await signedInClient(app, 'manager@demo.pathway.test');
      socialWorker = await signedInClient(app, 'social.worker@demo.pathway.test');
      zofiaId = (
        await database.db
          .selectFrom('children')
          .select('id')
          .where('given_name', '=', 'Zofia')
          .executeTakeFirstOrThrow()
      ).id;
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    const record = () => `/children/${zofiaId}`;
    const openEpisode = () =>
      database.db
        .selectFrom('episodes as e')
        .innerJoin('teams as t', 't.id', 'e.team_id')
        .select(['e.id', 'e.tier', 'e.worker_id', 'e.version', 't.name'])
        .where('e.child_id', '=', zofiaId)
        .where('e.ended_at', 'is', null)
        .executeTakeFirst();

    test('a manager steps a child up with a reason; it is audited and on the timeline', async () => {
      const page = await manager.get(record());
      assert.match(page.body, /Universal: services open to every family/);
      const noReason = await manager.submit(record(), `${record()}/move`, { episodeId: '', to: 'targeted' });
      assert.equal(noReason.statusCode, 400);
      assert.match(noReason.body, /Enter why/);
      const up = await manager.submit(record(), `${record()}/move`, {
        episodeId: '',
        to: 'targeted',
        reason: 'Her parents need regular breaks.',
      });
      assert.equal(up.statusCode, 303);
      assert.deepEqual(
        { ...(await openEpisode()), id: undefined, version: undefined },
        {
          id: undefined,
          version: undefined,
          tier: 'targeted',
          worker_id: null,
          name: 'Short breaks team',
        },
      );
      const timeline = await manager.get(record());
      assert.match(
        timeline.body,
        /Stepped up from universal \(services open to every family\) to targeted \(the Short breaks team\): Her parents need regular breaks\./,
      );
      const audit = await database.db
        .selectFrom('audit_events')
        .select('subject_child_id')
        .where('action', '=', 'step-up')
        .execute();
      assert.deepEqual(audit, [{ subject_child_id: zofiaId }]);
    });

    test('roles move only where they may; a stale form is refused', async () => {
      const officer = await signedInClient(app, 'short.breaks@demo.pathway.test');
      const episode = (await openEpisode())!;
      const refused = await officer.submit(record(), `${record()}/move`, {
        episodeId: episode.id,
        to: 'specialist',
        reason: 'More help needed',
      });
      assert.equal(refused.statusCode, 403);
      assert.match(refused.body, /Your role cannot make that change/);
      const stale = await manager.submit(record(), `${record()}/move`, {
        episodeId: '',
        to: 'specialist',
        reason: 'From an old page',
      });
      assert.equal(stale.statusCode, 409);
      const parent = await signedInClient(app, 'parent@demo.pathway.test');
      assert.equal((await parent.post(`${record()}/move`, { to: 'universal' })).statusCode, 403);
    });

    test('stepped up to specialist and allocated, the child is on the worker’s caseload; stepped down, off it', async () => {
      const episode = (await openEpisode())!;
      const up = await manager.submit(record(), `${record()}/move`, {
        episodeId: episode.id,
        to: 'specialist',
        reason: 'A safety worry at school.',
      });
      assert.equal(up.statusCode, 303);
      const specialist = (await openEpisode())!;
      assert.equal(specialist.name, "Disabled children's social work team");
      const worker = await database.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'social.worker@demo.pathway.test')
        .executeTakeFirstOrThrow();
      const notManager = await socialWorker.post(`${record()}/allocate`, {
        episodeId: specialist.id,
        version: String(specialist.version),
        workerId: worker.id,
      });
      assert.equal(notManager.statusCode, 403);
      const allocated = await manager.submit(record(), `${record()}/allocate`, {
        episodeId: specialist.id,
        version: String(specialist.version),
        workerId: worker.id,
      });
      assert.equal(allocated.statusCode, 303);
      const caseload = await socialWorker.get('/caseload');
      assert.match(caseload.body, /Zofia Nowak[\s\S]*Megan Lewis \(you\)/);
      const officer = await signedInClient(app, 'short.breaks@demo.pathway.test');
      assert.doesNotMatch((await officer.get('/caseload')).body, /Zofia Nowak/, 'another team’s caseload');

      const current = (await openEpisode())!;
      const noClosure = await socialWorker.submit(record(), `${record()}/move`, {
        episodeId: current.id,
        to: 'universal',
        reason: 'Assessment found no further need.',
      });
      assert.equal(noClosure.statusCode, 400);
      assert.match(noClosure.body, /Select the reason for closing/);
      // "Closed after assessment" does not fit a case whose assessment was never recorded.
      const unfitting = await socialWorker.submit(record(), `${record()}/move`, {
        episodeId: current.id,
        to: 'universal',
        reason: 'The family no longer need support.',
        closureReason: 'RC8',
      });
      assert.equal(unfitting.statusCode, 400);
      assert.match(unfitting.body, /only be chosen once the assessment has been recorded/);
      // Out of specialist work, a worker proposes and the team's manager agrees.
      const down = await socialWorker.submit(record(), `${record()}/move`, {
        episodeId: current.id,
        to: 'universal',
        reason: 'The family no longer need support.',
        closureReason: 'RC7',
      });
      assert.equal(down.statusCode, 303);
      assert.equal((await openEpisode())?.id, current.id, 'still open until a manager agrees');
      const proposal = await database.db
        .selectFrom('step_down_proposals')
        .select('id')
        .where('episode_id', '=', current.id)
        .executeTakeFirstOrThrow();
      const agreed = await manager.submit(record(), `${record()}/step-down/${proposal.id}`, {
        decision: 'agree',
        reason: 'Agreed: the family have what they need from universal services.',
      });
      assert.equal(agreed.statusCode, 303);
      assert.equal(await openEpisode(), undefined);
      const closed = await database.db
        .selectFrom('episodes')
        .select('closure_reason_code')
        .where('id', '=', current.id)
        .executeTakeFirstOrThrow();
      assert.equal(closed.closure_reason_code, 'RC7');
      assert.doesNotMatch((await socialWorker.get('/caseload')).body, /Zofia Nowak/);
      const kinds = await database.db
        .selectFrom('timeline_events')
        .select('kind')
        .where('child_id', '=', zofiaId)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        kinds.map((event) => event.kind),
        [
          'step-up',
          'episode-started',
          'step-up',
          'episode-started',
          'allocated',
          'step-down-proposed',
          'step-down-agreed',
          'step-down',
        ],
      );
    });

    test('a family sees their child’s record without the pathway’s workings', async () => {
      const parent = await signedInClient(app, 'parent@demo.pathway.test');
      const tobi = await database.db
        .selectFrom('children')
        .select('id')
        .where('given_name', '=', 'Tobi')
        .executeTakeFirstOrThrow();
      const own = await parent.get(`/children/${tobi.id}`);
      assert.equal(own.statusCode, 200);
      assert.doesNotMatch(own.body, /Where the child is on the pathway/);
      assert.equal((await parent.get(record())).statusCode, 404);
    });

    test('specialist work runs the 45-working-day assessment clock until a manager authorises the assessment', async () => {
      const up = await manager.submit(record(), `${record()}/move`, {
        episodeId: '',
        to: 'specialist',
        reason: 'The family asked for a social work assessment.',
      });
      assert.equal(up.statusCode, 303);
      assert.match((await manager.get(record())).body, /0 of 45 working days used: authorise by/);
      const episode = (await openEpisode())!;
      // A hundred days on, the assessment is overdue.
      await database.db
        .updateTable('episodes')
        .set({ started_at: new Date(Date.now() - 100 * 24 * 60 * 60 * 1000) })
        .where('id', '=', episode.id)
        .execute();
      const round = scheduledJobs(testConfig(), database).find((job) => job.name === 'assessment-overdue-round');
      assert.ok(round, 'the round is scheduled');
      await round.handler();
      await round.handler();
      const told = await database.db
        .selectFrom('notifications_outbox')
        .select(['recipient', 'body'])
        .where('template', '=', 'assessments-overdue')
        .execute();
      assert.deepEqual(
        told.map((message) => message.recipient),
        ['manager@demo.pathway.test'],
      );
      assert.match(told[0]!.body, /Zofia Nowak/);
      assert.match((await manager.get('/caseload')).body, /Zofia Nowak[\s\S]*Overdue/);
      const notManager = await socialWorker.post(`${record()}/authorise-assessment`, {
        episodeId: episode.id,
        version: String(episode.version),
      });
      assert.equal(notManager.statusCode, 403);
      const authorised = await manager.submit(record(), `${record()}/authorise-assessment`, {
        episodeId: episode.id,
        version: String(episode.version),
      });
      assert.equal(authorised.statusCode, 303);
      assert.match((await manager.get(record())).body, /Authorised after \d+ working days \(the limit is 45\)/);
    });

    test('census-ready data: the assessment’s factors and the child’s disabilities are recorded in census codes', async () => {
      const episode = (await openEpisode())!;
      const current = await database.db
        .selectFrom('episodes')
        .select('version')
        .where('id', '=', episode.id)
        .executeTakeFirstOrThrow();
      const form = { episodeId: episode.id, version: String(current.version) };
      const none = await socialWorker.submit(record(), `${record()}/assessment`, form);
      assert.equal(none.statusCode, 400);
      assert.match(none.body, /Select the factors the assessment found/);
      const contradictory = await socialWorker.submit(record(), `${record()}/assessment`, {
        ...form,
        factors: ['21', '5A'],
      });
      assert.equal(contradictory.statusCode, 400);
      const recorded = await socialWorker.submit(record(), `${record()}/assessment`, {
        ...form,
        factors: ['5A', '6B'],
      });
      assert.equal(recorded.statusCode, 303);
      const stored = await database.db
        .selectFrom('episodes')
        .select(['assessment_factors', 'assessment_completed_at'])
        .where('id', '=', episode.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(stored.assessment_factors, ['5A', '6B']);
      assert.ok(stored.assessment_completed_at);
      assert.match(
        (await socialWorker.get(record())).body,
        /Learning disability: concerns about the child’s learning disability/,
      );

      const mixed = await manager.submit(record(), `${record()}/disabilities`, { disabilities: ['NONE', 'AUT'] });
      assert.equal(mixed.statusCode, 400);
      assert.match(mixed.body, /Select the child&#39;s disabilities, or None on its own/);
      const saved = await manager.submit(record(), `${record()}/disabilities`, { disabilities: ['AUT', 'COMM'] });
      assert.equal(saved.statusCode, 303);
      const child = await database.db
        .selectFrom('children')
        .select('disability_codes')
        .where('id', '=', zofiaId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(child.disability_codes, ['AUT', 'COMM']);
      const officer = await signedInClient(app, 'short.breaks@demo.pathway.test');
      const anotherTeams = await officer.post(`${record()}/disabilities`, {
        _csrf: /name="_csrf" value="([^"]+)"/.exec((await officer.get('/account')).body)![1]!,
        disabilities: ['NONE'],
      });
      assert.equal(anotherTeams.statusCode, 404, 'a child open to another team');
    });

    test('a caseload lists oldest first across its pages, by team first for a person in several teams', async () => {
      const teams = await database.db.selectFrom('teams').select(['id', 'name']).where('la_code', '=', 'Z99').execute();
      const reader = await database.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'manager@demo.pathway.test')
        .executeTakeFirstOrThrow();
      // Sixty more children open to each team, started on different days, so a team's caseload runs to two pages.
      for (const team of teams) {
        await sql`
          with family as (
            insert into families (la_code, family_name, postcode) values ('Z99', 'Caseload order', 'NM1 1AA') returning id),
          children as (
            insert into children (la_code, family_id, given_name, family_name, date_of_birth)
            select 'Z99', family.id, 'Child ' || n, 'Caseload', date '2015-01-01' from family, generate_series(1, 60) n
            returning id)
          insert into episodes (la_code, child_id, tier, team_id, start_reason, started_at)
          select 'Z99', children.id, ${team.id === teams[0]!.id ? 'targeted' : 'specialist'}, ${team.id}, 'Order test',
                 now() - ((random() * 400)::int || ' days')::interval
            from children`.execute(database.db);
      }
      const read = async (teamIds: string[]) => {
        const user: SignedInUser = {
          id: reader.id,
          laCode: 'Z99',
          displayName: 'Reader',
          email: 'manager@demo.pathway.test',
          roles: ['team_manager'],
          teamIds,
        };
        const pages = [];
        for (let page = 1; ; page += 1) {
          const { total, episodes } = await caseload(database.db, user, { page, requestId: 'caseload-order' });
          pages.push(...episodes);
          if (page * CASELOAD_PAGE_SIZE >= total) return { total, episodes: pages };
        }
      };
      const byTeamThenAge = (a: { team_name: string; started_at: Date }, b: { team_name: string; started_at: Date }) =>
        a.team_name.localeCompare(b.team_name) || a.started_at.getTime() - b.started_at.getTime();

      const oneTeam = await read([teams[0]!.id]);
      assert.ok(oneTeam.total > CASELOAD_PAGE_SIZE);
      assert.equal(oneTeam.episodes.length, oneTeam.total);
      assert.deepEqual(oneTeam.episodes, [...oneTeam.episodes].sort(byTeamThenAge));

      const severalTeams = await read(teams.map((team) => team.id));
      assert.equal(severalTeams.episodes.length, severalTeams.total);
      assert.equal(new Set(severalTeams.episodes.map((episode) => episode.team_name)).size, teams.length);
      assert.deepEqual(severalTeams.episodes, [...severalTeams.episodes].sort(byTeamThenAge));
    });
  });
}
