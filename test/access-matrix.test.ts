// Who may do what to whom: every demo role × each action on a child's record × a child open to the disabled
// children's social work team, one open to the short breaks team, one open to no team, and a family's own child.
// Each cell is allowed or denied explicitly below; the test asserts every one.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { EpisodeTier } from '../src/db/schema.ts';
import { DEMO_USERS } from '../src/demo/council.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { seededApp, signedInClient, type TestClient } from './helpers/app.ts';

type Target = 'specialistChild' | 'targetedChild' | 'universalChild' | 'ownChild';
const Y = true;
const N = false;

/**
 * Opening the record. "ownChild" is the family's own child (Tobi for the parent, Jordan for the young person); for
 * everyone else it is Tobi, a child of a family not theirs, open to no team.
 */
const VIEW: Record<string, Record<Target, boolean>> = {
  'parent@demo.pathway.test': { specialistChild: N, targetedChild: N, universalChild: N, ownChild: Y },
  'young.person@demo.pathway.test': { specialistChild: N, targetedChild: N, universalChild: N, ownChild: Y },
  'referrer@demo.pathway.test': { specialistChild: N, targetedChild: N, universalChild: N, ownChild: N },
  'triage@demo.pathway.test': { specialistChild: Y, targetedChild: Y, universalChild: Y, ownChild: Y },
  'short.breaks@demo.pathway.test': { specialistChild: N, targetedChild: Y, universalChild: Y, ownChild: Y },
  'social.worker@demo.pathway.test': { specialistChild: Y, targetedChild: N, universalChild: Y, ownChild: Y },
  'manager@demo.pathway.test': { specialistChild: Y, targetedChild: Y, universalChild: Y, ownChild: Y },
  'short.breaks.manager@demo.pathway.test': { specialistChild: Y, targetedChild: Y, universalChild: Y, ownChild: Y },
  'panel@demo.pathway.test': { specialistChild: N, targetedChild: N, universalChild: Y, ownChild: Y },
  'send.casework@demo.pathway.test': { specialistChild: N, targetedChild: N, universalChild: Y, ownChild: Y },
  'dsco@demo.pathway.test': { specialistChild: Y, targetedChild: Y, universalChild: Y, ownChild: Y },
  'provider@demo.pathway.test': { specialistChild: N, targetedChild: N, universalChild: N, ownChild: N },
  'editor@demo.pathway.test': { specialistChild: N, targetedChild: N, universalChild: N, ownChild: N },
  'analyst@demo.pathway.test': { specialistChild: N, targetedChild: N, universalChild: N, ownChild: N },
  'admin@demo.pathway.test': { specialistChild: N, targetedChild: N, universalChild: N, ownChild: N },
};

/**
 * Stepping the child down to universal (closing their episode): made at once, only proposed (a worker taking a child
 * out of specialist work waits for a manager of the child's team to agree), or refused (N).
 */
const STEP_DOWN: Record<string, Partial<Record<Target, 'moved' | 'proposed'>>> = {
  'social.worker@demo.pathway.test': { specialistChild: 'proposed' },
  'short.breaks@demo.pathway.test': { targetedChild: 'moved' },
  // Another team's child is not a manager's to close.
  'manager@demo.pathway.test': { specialistChild: 'moved' },
  'short.breaks.manager@demo.pathway.test': { targetedChild: 'moved' },
};

/** Allocating the child's episode to a worker of its team: only a manager of the team the child is open to. */
const ALLOCATE: Record<string, Partial<Record<Target, boolean>>> = {
  'manager@demo.pathway.test': { specialistChild: Y, targetedChild: N },
  'short.breaks.manager@demo.pathway.test': { specialistChild: N, targetedChild: Y },
};

/** Keeping the record right (correcting who the child is, adding the people in their life): casework staff who may see the child, never families. */
const KEEP_RECORD: Record<string, Partial<Record<Target, boolean>>> = {
  'triage@demo.pathway.test': { specialistChild: Y, targetedChild: Y, universalChild: Y, ownChild: Y },
  'short.breaks@demo.pathway.test': { specialistChild: N, targetedChild: Y, universalChild: Y, ownChild: Y },
  'social.worker@demo.pathway.test': { specialistChild: Y, targetedChild: N, universalChild: Y, ownChild: Y },
  'manager@demo.pathway.test': { specialistChild: Y, targetedChild: Y, universalChild: Y, ownChild: Y },
  'short.breaks.manager@demo.pathway.test': { specialistChild: Y, targetedChild: Y, universalChild: Y, ownChild: Y },
};

/** Whose caseload lists the child. */
const CASELOAD: Record<string, Partial<Record<Target, boolean>>> = {
  'social.worker@demo.pathway.test': { specialistChild: Y, targetedChild: N },
  'short.breaks@demo.pathway.test': { specialistChild: N, targetedChild: Y },
  'manager@demo.pathway.test': { specialistChild: Y, targetedChild: N },
  'short.breaks.manager@demo.pathway.test': { specialistChild: N, targetedChild: Y },
};

/** Whose team's unallocated work lists the child (open and waiting for a worker); everyone else is refused the page. */
const UNALLOCATED: Record<string, Partial<Record<Target, boolean>>> = {
  'social.worker@demo.pathway.test': { specialistChild: Y, targetedChild: N },
  'short.breaks@demo.pathway.test': { specialistChild: N, targetedChild: Y },
  'manager@demo.pathway.test': { specialistChild: Y, targetedChild: N },
  'short.breaks.manager@demo.pathway.test': { specialistChild: N, targetedChild: Y },
};

const FAMILIES = ['parent@demo.pathway.test', 'young.person@demo.pathway.test'];

/** Who may read a referral from the child's record: staff who may see the record; never the family or the referrer. */
const REFERRAL_ON_RECORD: Record<string, Record<Target, boolean>> = Object.fromEntries(
  Object.entries(VIEW).map(([email, row]) => [
    email,
    FAMILIES.includes(email) ? { specialistChild: N, targetedChild: N, universalChild: N, ownChild: N } : row,
  ]),
);

const TARGET_CHILD: Record<Exclude<Target, 'ownChild'>, string> = {
  specialistChild: 'Ibrahim',
  targetedChild: 'Maryam',
  universalChild: 'Zofia',
};
const TIER_OF: Record<'specialistChild' | 'targetedChild', EpisodeTier> = {
  specialistChild: 'specialist',
  targetedChild: 'targeted',
};

for (const target of databaseTargets()) {
  describe(`The access matrix on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    const clients = new Map<string, TestClient>();
    const ids = new Map<string, string>();

    before(async () => {
      database = await target.open();
      app = await seededApp(database);
      for (const child of await database.db.selectFrom('children').select(['id', 'given_name']).execute())
        ids.set(child.given_name, child.id);
      for (const person of DEMO_USERS) clients.set(person.email, await signedInClient(app, person.email));
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    /** Puts the child in one open episode at the tier, with that tier's team, unallocated. */
    async function openAt(childName: string, tier: EpisodeTier) {
      const childId = ids.get(childName)!;
      await database.db.deleteFrom('step_down_proposals').where('child_id', '=', childId).execute();
      await database.db.updateTable('referrals').set({ episode_id: null }).where('child_id', '=', childId).execute();
      await database.db.deleteFrom('episodes').where('child_id', '=', childId).execute();
      const team = await database.db
        .selectFrom('teams')
        .select('id')
        .where('serves_tier', '=', tier)
        .executeTakeFirstOrThrow();
      return database.db
        .insertInto('episodes')
        .values({ la_code: 'Z99', child_id: childId, tier, team_id: team.id, start_reason: 'For the access matrix' })
        .returning(['id', 'version'])
        .executeTakeFirstOrThrow();
    }

    function childFor(email: string, target: Target): string {
      if (target !== 'ownChild') return ids.get(TARGET_CHILD[target])!;
      return ids.get(email === 'young.person@demo.pathway.test' ? 'Jordan' : 'Tobi')!;
    }

    test('opening a child’s record', async () => {
      await openAt('Ibrahim', 'specialist');
      await openAt('Maryam', 'targeted');
      const wrong: string[] = [];
      for (const [email, row] of Object.entries(VIEW)) {
        for (const [target, allowed] of Object.entries(row) as [Target, boolean][]) {
          const status = (await clients.get(email)!.get(`/children/${childFor(email, target)}`)).statusCode;
          if ((status === 200) !== allowed) wrong.push(`${email} ${target}: ${status}`);
          if (!allowed && ![403, 404].includes(status)) wrong.push(`${email} ${target}: refused with ${status}`);
        }
      }
      assert.deepEqual(wrong, []);
    });

    test('stepping a child down, for every role', async () => {
      const wrong: string[] = [];
      for (const person of DEMO_USERS) {
        for (const target of ['specialistChild', 'targetedChild'] as const) {
          const episode = await openAt(TARGET_CHILD[target], TIER_OF[target]);
          const expected = STEP_DOWN[person.email]?.[target] ?? 'refused';
          const response = await clients.get(person.email)!.post(`/children/${childFor(person.email, target)}/move`, {
            _csrf: await tokenFor(clients.get(person.email)!),
            episodeId: episode.id,
            to: 'universal',
            reason: 'Access matrix',
            closureReason: 'RC7',
          });
          const still = await database.db
            .selectFrom('episodes')
            .select('ended_at')
            .where('id', '=', episode.id)
            .executeTakeFirstOrThrow();
          const proposed = await database.db
            .selectFrom('step_down_proposals')
            .select('id')
            .where('episode_id', '=', episode.id)
            .executeTakeFirst();
          const happened =
            response.statusCode !== 303
              ? 'refused'
              : still.ended_at !== null
                ? 'moved'
                : proposed
                  ? 'proposed'
                  : 'nothing';
          if (happened !== expected) wrong.push(`${person.email} ${target}: ${happened} (${response.statusCode})`);
        }
      }
      assert.deepEqual(wrong, []);
    });

    test('allocating a worker, for every role', async () => {
      const wrong: string[] = [];
      // A worker of the team the child is open to.
      const workerOf = async (target: 'specialistChild' | 'targetedChild') =>
        database.db
          .selectFrom('users')
          .select('id')
          .where(
            'email',
            '=',
            target === 'specialistChild' ? 'social.worker@demo.pathway.test' : 'short.breaks@demo.pathway.test',
          )
          .executeTakeFirstOrThrow();
      for (const person of DEMO_USERS) {
        for (const target of ['specialistChild', 'targetedChild'] as const) {
          const worker = await workerOf(target);
          const episode = await openAt(TARGET_CHILD[target], TIER_OF[target]);
          const allowed = ALLOCATE[person.email]?.[target] ?? false;
          const response = await clients
            .get(person.email)!
            .post(`/children/${childFor(person.email, target)}/allocate`, {
              _csrf: await tokenFor(clients.get(person.email)!),
              episodeId: episode.id,
              version: String(episode.version),
              workerId: worker.id,
            });
          if ((response.statusCode === 303) !== allowed)
            wrong.push(`${person.email} ${target}: ${response.statusCode}`);
        }
      }
      assert.deepEqual(wrong, []);
    });

    test('adding a person in the child’s life, for every role', async () => {
      await openAt('Ibrahim', 'specialist');
      await openAt('Maryam', 'targeted');
      const wrong: string[] = [];
      for (const person of DEMO_USERS) {
        for (const target of ['specialistChild', 'targetedChild', 'universalChild', 'ownChild'] as const) {
          const allowed = KEEP_RECORD[person.email]?.[target] ?? false;
          const client = clients.get(person.email)!;
          const response = await client.post(`/children/${childFor(person.email, target)}/household`, {
            _csrf: await tokenFor(client),
            name: 'Access Matrix',
            relationship: 'grandparent',
            parentalResponsibility: 'no',
            livesWithChild: 'no',
          });
          if ((response.statusCode === 303) !== allowed)
            wrong.push(`${person.email} ${target}: ${response.statusCode}`);
          if (!allowed && ![403, 404].includes(response.statusCode))
            wrong.push(`${person.email} ${target}: refused with ${response.statusCode}`);
        }
      }
      assert.deepEqual(wrong, []);
    });

    test('unallocated work lists only the children waiting in the person’s teams', async () => {
      await openAt('Ibrahim', 'specialist');
      await openAt('Maryam', 'targeted');
      const wrong: string[] = [];
      for (const person of DEMO_USERS) {
        const response = await clients.get(person.email)!.get('/unallocated');
        const row = UNALLOCATED[person.email];
        if ((response.statusCode === 200) !== (row !== undefined))
          wrong.push(`${person.email}: ${response.statusCode}`);
        for (const target of ['specialistChild', 'targetedChild'] as const) {
          const listed = response.body.includes(`/children/${childFor(person.email, target)}`);
          if (listed !== (row?.[target] ?? false)) wrong.push(`${person.email} ${target} listed: ${listed}`);
        }
      }
      assert.deepEqual(wrong, []);
    });

    test('my cases: for the people who work in a team, each seeing only their own', async () => {
      const episode = await openAt('Maryam', 'targeted');
      const officer = await database.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'short.breaks@demo.pathway.test')
        .executeTakeFirstOrThrow();
      await database.db.updateTable('episodes').set({ worker_id: officer.id }).where('id', '=', episode.id).execute();
      const wrong: string[] = [];
      for (const person of DEMO_USERS) {
        const response = await clients.get(person.email)!.get('/my-cases');
        const works = UNALLOCATED[person.email] !== undefined;
        if ((response.statusCode === 200) !== works) wrong.push(`${person.email}: ${response.statusCode}`);
        const listed = response.body.includes(`/children/${ids.get('Maryam')!}`);
        if (listed !== (person.email === 'short.breaks@demo.pathway.test'))
          wrong.push(`${person.email} lists Maryam: ${listed}`);
      }
      assert.deepEqual(wrong, []);
    });

    test('reading a referral from the child’s record, for every role', async () => {
      await openAt('Ibrahim', 'specialist');
      await openAt('Maryam', 'targeted');
      const referrer = await database.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'referrer@demo.pathway.test')
        .executeTakeFirstOrThrow();
      const wrong: string[] = [];
      for (const person of DEMO_USERS) {
        for (const target of ['specialistChild', 'targetedChild', 'universalChild', 'ownChild'] as const) {
          const childId = childFor(person.email, target);
          const referral = await database.db
            .insertInto('referrals')
            .values({
              la_code: 'Z99',
              child_id: childId,
              kind: 'professional',
              source_code: '2A',
              requested_by: referrer.id,
              status: 'new',
              details: JSON.stringify({ needs: 'For the access matrix' }),
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          const response = await clients.get(person.email)!.get(`/children/${childId}/referrals/${referral.id}`);
          const allowed = REFERRAL_ON_RECORD[person.email]![target];
          if ((response.statusCode === 200) !== allowed)
            wrong.push(`${person.email} ${target}: ${response.statusCode}`);
          if (!allowed && ![403, 404].includes(response.statusCode))
            wrong.push(`${person.email} ${target}: refused with ${response.statusCode}`);
        }
      }
      assert.deepEqual(wrong, []);
    });

    test('finding a child by name lists only the children the person may see', async () => {
      await openAt('Ibrahim', 'specialist');
      await openAt('Maryam', 'targeted');
      const wrong: string[] = [];
      for (const person of DEMO_USERS) {
        for (const target of ['specialistChild', 'targetedChild', 'universalChild'] as const) {
          const childId = childFor(person.email, target);
          const child = await database.db
            .selectFrom('children')
            .select(['given_name', 'family_name'])
            .where('id', '=', childId)
            .executeTakeFirstOrThrow();
          const response = await clients
            .get(person.email)!
            .get(`/children/search?q=${encodeURIComponent(`${child.given_name} ${child.family_name}`)}`);
          // Staff who may see a record find the child; families and staff outside casework may not search at all.
          const mayUseSearch = VIEW[person.email]!.universalChild && !FAMILIES.includes(person.email);
          if ((response.statusCode === 200) !== mayUseSearch) wrong.push(`${person.email}: ${response.statusCode}`);
          const listed = response.body.includes(`/children/${childId}`);
          if (listed !== (mayUseSearch && VIEW[person.email]![target]))
            wrong.push(`${person.email} ${target} found: ${listed}`);
        }
      }
      assert.deepEqual(wrong, []);
    });

    test('caseloads list only the children open to the person’s teams', async () => {
      await openAt('Ibrahim', 'specialist');
      await openAt('Maryam', 'targeted');
      const wrong: string[] = [];
      for (const person of DEMO_USERS) {
        const response = await clients.get(person.email)!.get('/caseload');
        const casework = VIEW[person.email]!.universalChild;
        if ((response.statusCode === 200) !== casework) wrong.push(`${person.email}: ${response.statusCode}`);
        for (const target of ['specialistChild', 'targetedChild'] as const) {
          const listed = response.body.includes(`/children/${childFor(person.email, target)}`);
          if (listed !== (CASELOAD[person.email]?.[target] ?? false))
            wrong.push(`${person.email} ${target} listed: ${listed}`);
        }
      }
      assert.deepEqual(wrong, []);
    });
  });
}

/** A CSRF token from a page every signed-in person may open. */
async function tokenFor(client: TestClient): Promise<string> {
  const page = await client.get('/account');
  return /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
}
