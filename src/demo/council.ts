// The demo council: a fictional place with its own localities, a user for every role, and a few families.
// Demo passwords are published in the README, so this refuses to run in production.
import type { Kysely } from 'kysely';
import type { EpisodeTier, Schema } from '../db/schema.ts';
import type { Role } from '../domain/people.ts';
import { hashPassword } from '../features/accounts/passwords.ts';
import {
  addLocality,
  createCouncil,
  createTeam,
  createUsers,
  setCouncilContact,
} from '../features/administration/service.ts';
import type { Actor } from '../features/audit/service.ts';
import { registerFamily } from '../features/children/service.ts';

export const DEMO_COUNCIL = { laCode: 'Z99', name: 'Northmoor Borough Council' } as const;
export const DEMO_PASSWORD = 'Pathway-demo-2026';
/** Northmoor's localities, each with its own (fictional) postcode districts and a middle for maps and distances. */
export const DEMO_LOCALITIES = [
  { name: 'Ashby Vale', districts: ['NM1', 'NM2'], latitude: 53.912, longitude: -2.184 },
  { name: 'Brookfield', districts: ['NM3', 'NM4'], latitude: 53.874, longitude: -2.121 },
  { name: 'Castlegate', districts: ['NM5', 'NM6'], latitude: 53.851, longitude: -2.233 },
  { name: 'Denholme Moor', districts: ['NM7', 'NM8'], latitude: 53.946, longitude: -2.276 },
] as const;
export const DEMO_TEAMS = [
  'Front door',
  'Short breaks team',
  "Disabled children's social work team",
  'Resource panel',
] as const;

/** The tier each team works at; the others hold no episodes. */
const DEMO_TEAM_TIERS: Partial<Record<(typeof DEMO_TEAMS)[number], EpisodeTier>> = {
  'Short breaks team': 'targeted',
  "Disabled children's social work team": 'specialist',
};

/** One demo person per role; the email says the role, so a tester can pick who to be. */
export const DEMO_USERS: { email: string; name: string; roles: Role[]; team?: (typeof DEMO_TEAMS)[number] }[] = [
  { email: 'parent@demo.pathway.test', name: 'Sam Okafor', roles: ['parent_carer'] },
  { email: 'young.person@demo.pathway.test', name: 'Jordan Price', roles: ['young_person'] },
  { email: 'referrer@demo.pathway.test', name: 'Priya Shah (Ashby Vale Primary)', roles: ['professional_referrer'] },
  { email: 'triage@demo.pathway.test', name: 'Tom Fielding', roles: ['triage_worker'], team: 'Front door' },
  {
    email: 'short.breaks@demo.pathway.test',
    name: 'Aisha Begum',
    roles: ['short_breaks_officer'],
    team: 'Short breaks team',
  },
  {
    email: 'social.worker@demo.pathway.test',
    name: 'Megan Lewis',
    roles: ['social_worker'],
    team: "Disabled children's social work team",
  },
  {
    email: 'manager@demo.pathway.test',
    name: 'David Clarke',
    roles: ['team_manager'],
    team: "Disabled children's social work team",
  },
  {
    email: 'short.breaks.manager@demo.pathway.test',
    name: 'Nadia Hussain',
    roles: ['team_manager'],
    team: 'Short breaks team',
  },
  { email: 'panel@demo.pathway.test', name: 'Helen Wright', roles: ['panel_member'], team: 'Resource panel' },
  { email: 'send.casework@demo.pathway.test', name: 'Kamran Iqbal', roles: ['send_caseworker'] },
  { email: 'dsco@demo.pathway.test', name: 'Ruth Adeyemi', roles: ['dsco'] },
  { email: 'provider@demo.pathway.test', name: 'Lee Morgan', roles: ['provider'] },
  { email: 'editor@demo.pathway.test', name: 'Grace Kowalska', roles: ['directory_editor'] },
  { email: 'analyst@demo.pathway.test', name: 'Oliver Grant', roles: ['analyst'] },
  { email: 'admin@demo.pathway.test', name: 'Fatima Noor', roles: ['administrator'] },
];

const DEMO_FAMILIES = [
  {
    familyName: 'Okafor',
    locality: 'Ashby Vale',
    carer: 'parent@demo.pathway.test',
    children: [
      ['Tobi', '2016-03-14'],
      ['Ada', '2021-09-02'],
    ],
  },
  {
    familyName: 'Price',
    locality: 'Castlegate',
    carer: 'young.person@demo.pathway.test',
    children: [['Jordan', '2008-11-30']],
  },
  { familyName: 'Nowak', locality: 'Brookfield', carer: undefined, children: [['Zofia', '2019-05-21']] },
  {
    familyName: 'Hussain',
    locality: 'Denholme Moor',
    carer: undefined,
    children: [
      ['Yusuf', '2011-04-02'],
      ['Ibrahim', '2013-01-08'],
      ['Maryam', '2017-07-19'],
    ],
  },
] as const;

export class SeedRefusedError extends Error {}

/** The demo is written by a command, not a person: its audit rows say so. */
export const DEMO_REQUEST_ID = 'seed-demo';
export const DEMO_ACTOR: Actor = { userId: null, role: 'system', requestId: DEMO_REQUEST_ID };

export async function seedDemoCouncil(db: Kysely<Schema>, environment: string): Promise<void> {
  if (environment === 'production') {
    throw new SeedRefusedError(
      'The demo council has published passwords, so it is never seeded when NODE_ENV=production',
    );
  }
  // Every demo user shares one password, so hash it once (argon2id is slow on purpose).
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const laCode = DEMO_COUNCIL.laCode;
  // One transaction: the council appears whole or not at all (a council is what says the demo is seeded).
  await db.transaction().execute(async (trx) => {
    await createCouncil(trx, DEMO_COUNCIL, DEMO_ACTOR);
    // A drama number (Ofcom's range for fiction) and the demo's own address: how the demo families reach its front door.
    await setCouncilContact(
      trx,
      DEMO_COUNCIL.laCode,
      { phone: '01632 960 100', email: 'frontdoor@demo.pathway.test' },
      DEMO_ACTOR,
    );
    const localityIds = new Map<string, string>();
    for (const locality of DEMO_LOCALITIES) {
      const id = await addLocality(
        trx,
        laCode,
        { name: locality.name, postcodeDistricts: locality.districts },
        DEMO_ACTOR,
      );
      localityIds.set(locality.name, id);
    }
    const teamIds = new Map<string, string>();
    for (const name of DEMO_TEAMS) {
      teamIds.set(name, await createTeam(trx, laCode, { name, servesTier: DEMO_TEAM_TIERS[name] ?? null }, DEMO_ACTOR));
    }
    const userIds = await createUsers(
      trx,
      laCode,
      DEMO_USERS.map((person) => {
        const teamId = person.team && teamIds.get(person.team);
        return {
          email: person.email,
          displayName: person.name,
          roles: person.roles,
          teamIds: teamId ? [teamId] : [],
          passwordHash,
        };
      }),
      DEMO_ACTOR,
    );
    for (const family of DEMO_FAMILIES) {
      const carerId = family.carer && userIds.get(family.carer);
      await registerFamily(
        trx,
        laCode,
        {
          familyName: family.familyName,
          localityId: localityIds.get(family.locality) ?? null,
          carers: carerId
            ? [{ userId: carerId, relationship: family.carer === 'young.person@demo.pathway.test' ? 'self' : 'parent' }]
            : [],
          children: family.children.map(([givenName, dateOfBirth]) => ({ givenName, dateOfBirth })),
        },
        DEMO_ACTOR,
      );
    }
  });
}
