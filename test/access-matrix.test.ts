// Who may do what to whom: every demo role × each action on a child's record × a child open to the disabled
// children's social work team, one open to the short breaks team, one open to no team, and a family's own child.
// Each cell is allowed or denied explicitly below; the test asserts every one.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { EpisodeTier } from '../src/db/schema.ts';
import { DEMO_USERS } from '../src/db/seed/demo.ts';
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
  'panel@demo.pathway.test': { specialistChild: N, targetedChild: N, universalChild: Y, ownChild: Y },
  'send.casework@demo.pathway.test': { specialistChild: N, targetedChild: N, universalChild: Y, ownChild: Y },
  'dsco@demo.pathway.test': { specialistChild: Y, targetedChild: Y, universalChild: Y, ownChild: Y },
  'provider@demo.pathway.test': { specialistChild: N, targetedChild: N, universalChild: N, ownChild: N },
  'editor@demo.pathway.test': { specialistChild: N, targetedChild: N, universalChild: N, ownChild: N },
  'analyst@demo.pathway.test': { specialistChild: N, targetedChild: N, universalChild: N, ownChild: N },
  'admin@demo.pathway.test': { specialistChild: N, targetedChild: N, universalChild: N, ownChild: N },
};

/** Stepping the child down to universal (closing their episode). */
const STEP_DOWN: Record<string, Partial<Record<Target, boolean>>> = {
  'social.worker@demo.pathway.test': { specialistChild: Y, targetedChild: N },
  'short.breaks@demo.pathway.test': { specialistChild: N, targetedChild: Y },
  // Another team's child is not the social work team manager's to close.
  'manager@demo.pathway.test': { specialistChild: Y, targetedChild: N },
};

/** Allocating the child's episode to a worker: only the manager of the team the child is open to. */
const ALLOCATE: Record<string, Partial<Record<Target, boolean>>> = {
  'manager@demo.pathway.test': { specialistChild: Y, targetedChild: N },
};

/** Keeping the record right (correcting who the child is, adding the people in their life): casework staff who may see the child, never families. */
const KEEP_RECORD: Record<string, Partial<Record<Target, boolean>>> = {
  'triage@demo.pathway.test': { specialistChild: Y, targetedChild: Y, universalChild: Y, ownChild: Y },
  'short.breaks@demo.pathway.test': { specialistChild: N, targetedChild: Y, universalChild: Y, ownChild: Y },
  'social.worker@demo.pathway.test': { specialistChild: Y, targetedChild: N, universalChild: Y, ownChild: Y },
  'manager@demo.pathway.test': { specialistChild: Y, targetedChild: Y, universalChild: Y, ownChild: Y },
};

/** Whose caseload lists the child. */
const CASELOAD: Record<string, Partial<Record<Target, boolean>>> = {
  'social.worker@demo.pathway.test': { specialistChild: Y, targetedChild: N },
  'short.breaks@demo.pathway.test': { specialistChild: N, targetedChild: Y },
  'manager@demo.pathway.test': { specialistChild: Y, targetedChild: N },
};

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
          const allowed = STEP_DOWN[person.email]?.[target] ?? false;
          const response = await clients.get(person.email)!.post(`/children/${childFor(person.email, target)}/move`, {
            _csrf: await tokenFor(clients.get(person.email)!),
            episodeId: episode.id,
            to: 'universal',
            reason: 'Access matrix',
            closureReason: 'RC7',
          });
          if ((response.statusCode === 303) !== allowed)
            wrong.push(`${person.email} ${target}: ${response.statusCode}`);
        }
      }
      assert.deepEqual(wrong, []);
    });

    test('allocating a worker, for every role', async () => {
      const wrong: string[] = [];
      const worker = await database.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'social.worker@demo.pathway.test')
        .executeTakeFirstOrThrow();
      for (const person of DEMO_USERS) {
        for (const target of ['specialistChild', 'targetedChild'] as const) {
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
