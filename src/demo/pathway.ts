// The demo council's front door and pathway: children at every tier with the transitions that put them there, a
// referral waiting past its working day, a safety worry waiting today, and a decided one, so every queue,
// caseload and timeline has something on it.
import type { Kysely } from 'kysely';
import type { EpisodeTier, Schema } from '../db/schema.ts';
import { addWorkingDays, toIsoDate } from '../domain/working-days.ts';
import { accountByEmail } from '../features/accounts/service.ts';
import {
  referrersReferral,
  saveReferralSection,
  sendReferral,
  startReferral,
} from '../features/referrals/professional.ts';
import { recordEarlierWork } from '../features/pathway/service.ts';
import {
  addHouseholdMember,
  changeIdentity,
  childForRecordKeeper,
  type NewHouseholdMember,
} from '../features/children/identity.ts';
import { DEMO_ACTOR, DEMO_COUNCIL, DEMO_REQUEST_ID } from './council.ts';

const DAY = 24 * 60 * 60 * 1000;

interface DemoEpisode {
  child: string;
  tier: EpisodeTier;
  reason: string;
  worker?: string;
  /** Earlier steps, oldest first, for the timeline. */
  history: string[];
}

const DEMO_EPISODES: DemoEpisode[] = [
  {
    child: 'Ibrahim',
    tier: 'specialist',
    reason: 'Stepped up after his needs grew beyond short breaks: a social work assessment.',
    worker: 'social.worker@demo.pathway.test',
    history: ['Work started at targeted with the Short breaks team: short breaks after a referral from his school.'],
  },
  {
    child: 'Maryam',
    tier: 'targeted',
    reason: 'Short breaks after a referral from her health visitor.',
    history: [],
  },
];

interface DemoReferral {
  /** The referral form's answers, as the referrer typed them. */
  details: Record<string, string> & { givenName: string };
  sourceCode: string;
  workingDaysAgo: number;
}

const DEMO_REFERRALS: DemoReferral[] = [
  {
    details: {
      givenName: 'Leo',
      familyName: 'Hart',
      dobDay: '12',
      dobMonth: '9',
      dobYear: '2014',
      postcode: 'NM3 4CD',
      nhsNumber: '',
      primaryNeed: 'N2',
      needs: 'Leo has cerebral palsy. His mother cares for him alone and has had no break for a year.',
      tried: 'A Saturday club, which could not meet his personal care needs.',
      consent: 'yes',
      safeguarding: 'no',
    },
    sourceCode: '3A',
    workingDaysAgo: 3,
  },
  {
    details: {
      givenName: 'Amira',
      familyName: 'Said',
      dobDay: '3',
      dobMonth: '3',
      dobYear: '2018',
      postcode: 'NM1 7EF',
      nhsNumber: '',
      primaryNeed: 'N1',
      needs: 'Amira is autistic and non-verbal. She came to school with bruises on her arms twice this week.',
      tried: 'Spoke to her father, who did not want to talk about it.',
      consent: 'no',
      safeguarding: 'yes',
      safeguardingDetails: 'Bruises on both upper arms, twice this week, not explained.',
    },
    sourceCode: '2A',
    workingDaysAgo: 0,
  },
];

/**
 * Seeds the front door and pathway as of `now`. Links in the messages it queues point at `baseUrl` (by default the
 * address `npm start` serves on).
 */
export async function seedDemoPathway(
  db: Kysely<Schema>,
  now = new Date(),
  baseUrl = 'http://localhost:3000',
): Promise<void> {
  const laCode = DEMO_COUNCIL.laCode;
  const children = await db.selectFrom('children').select(['id', 'given_name']).where('la_code', '=', laCode).execute();
  const users = await db.selectFrom('users').select(['id', 'email']).where('la_code', '=', laCode).execute();
  const userId = (email: string) => users.find((user) => user.email === email)!.id;
  const manager = await accountByEmail(db, 'manager@demo.pathway.test');
  if (!manager) throw new Error('The demo team manager is missing: seed the demo council first');

  // The children's histories go through the pathway's service for work that began before Pathway held it: the
  // steps were taken weeks and months ago, so nobody is told of them now.
  for (const [index, demo] of DEMO_EPISODES.entries()) {
    const child = children.find((candidate) => candidate.given_name === demo.child)!;
    const started = new Date(now.getTime() - (30 + index * 10) * DAY);
    const earlier = demo.history.map((summary, step) => ({
      at: new Date(started.getTime() - (60 - step) * DAY),
      kind: 'episode-started' as const,
      summary,
      actorUserId: userId('triage@demo.pathway.test'),
    }));
    await recordEarlierWork(db, DEMO_ACTOR, {
      laCode,
      childId: child.id,
      tier: demo.tier,
      reason: demo.reason,
      startedAt: started,
      workerId: demo.worker ? userId(demo.worker) : null,
      steps: [
        ...earlier,
        {
          at: started,
          kind: earlier.length > 0 ? 'step-up' : 'episode-started',
          summary: demo.reason,
          actorUserId: manager.id,
        },
      ],
    });
  }

  // Zofia was open to the short breaks team, then stepped down when the family no longer needed it.
  const zofia = children.find((candidate) => candidate.given_name === 'Zofia')!;
  const steppedDown = new Date(now.getTime() - 20 * DAY);
  await recordEarlierWork(db, DEMO_ACTOR, {
    laCode,
    childId: zofia.id,
    tier: 'targeted',
    reason: 'Short breaks after her diagnosis.',
    startedAt: new Date(now.getTime() - 200 * DAY),
    workerId: null,
    ended: {
      at: steppedDown,
      reason: 'The family now uses the Local Offer clubs and needs no more from the team.',
      closureReasonCode: 'RC7',
    },
    steps: [
      {
        at: steppedDown,
        kind: 'step-down',
        summary:
          'Stepped down from targeted (the Short breaks team) to universal (services open to every family): the family now uses the Local Offer clubs.',
        actorUserId: manager.id,
      },
    ],
  });

  // Ibrahim's record is complete, as his team manager keeps it: his numbers, the family's address, and the people in
  // the Hussain children's lives who have no account (their father lives elsewhere and shares parental
  // responsibility; their grandmother helps at weekends).
  const ibrahimId = children.find((candidate) => candidate.given_name === 'Ibrahim')!.id;
  const ibrahim = await childForRecordKeeper(db, manager, ibrahimId);
  if (!ibrahim) throw new Error('The demo team manager cannot keep Ibrahim’s record');
  const identity = await changeIdentity(db, manager, {
    childId: ibrahimId,
    seenVersion: ibrahim.version,
    identity: {
      givenName: ibrahim.given_name,
      familyName: ibrahim.family_name,
      dateOfBirth: ibrahim.date_of_birth,
      address: '4 Weavers Row\nNorthmoor',
      postcode: 'NM7 2WR',
      nhsNumber: '4857773007',
      upn: 'H999201400012',
    },
    requestId: DEMO_REQUEST_ID,
  });
  if (identity !== 'done') throw new Error(`The demo could not complete Ibrahim’s record: ${identity}`);
  const people: NewHouseholdMember[] = [
    {
      name: 'Tariq Hussain',
      relationship: 'father',
      parentalResponsibility: true,
      livesWithChild: false,
      dateOfBirth: null,
    },
    {
      name: 'Amina Hussain',
      relationship: 'grandparent',
      parentalResponsibility: false,
      livesWithChild: false,
      dateOfBirth: '1956-04-02',
    },
  ];
  for (const member of people)
    await addHouseholdMember(db, manager, { childId: ibrahimId, member, requestId: DEMO_REQUEST_ID });

  // The referrals are sent through the front door as the demo referrer would send them, back-dated to when they
  // arrived, so the triage workers (and, for the safety worry, the team managers) are told as they would be.
  const referrer = await accountByEmail(db, 'referrer@demo.pathway.test');
  if (!referrer) throw new Error('The demo referrer is missing: seed the demo council first');
  const today = toIsoDate(now);
  for (const demo of DEMO_REFERRALS) {
    // Received on the working day that many working days before today, at ten in the morning.
    let received = today;
    while (addWorkingDays(received, demo.workingDaysAgo) > today) {
      received = toIsoDate(new Date(Date.parse(`${received}T12:00:00Z`) - DAY));
    }
    const id = await startReferral(db, referrer, demo.sourceCode, DEMO_REQUEST_ID);
    const draft = (await referrersReferral(db, referrer, id))!;
    await saveReferralSection(db, draft, demo.details);
    const reference = await sendReferral(db, referrer, draft, {
      requestId: DEMO_REQUEST_ID,
      baseUrl,
      receivedAt: demo.workingDaysAgo === 0 ? now : new Date(`${received}T10:00:00Z`),
    });
    if (!reference) throw new Error(`The demo referral about ${demo.details.givenName} is not complete`);
  }
}
