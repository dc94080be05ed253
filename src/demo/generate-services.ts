// Generates realistic Local Offer services as Open Referral UK 3.0 JSON, for the demo council's directory and
// the national-scale search benchmark. The services go through the same importer as a council's real feed.
// Deterministic: the same seed and places give the same directory.
import { stableId } from '../features/directory/feed-values.ts';
import type { Json } from '../features/directory/records.ts';

export interface Place {
  name: string;
  /** Postcode district ("NM1"): where the place's locations get their postcodes. */
  district: string;
  latitude: number;
  longitude: number;
}

interface Kind {
  name: string;
  category: string;
  needs: string[];
  ages: [number, number];
  access: string[];
  /** Pounds per session; 0 is free. */
  cost: number;
  days: string;
  times: [string, string] | null;
  description: string;
}

/** Kinds of service a Local Offer lists, in the words providers use. */
const KINDS: Kind[] = [
  {
    name: 'Saturday play club',
    category: 'Short breaks',
    needs: ['All SEND needs'],
    ages: [5, 12],
    access: ['Self-referral'],
    cost: 8,
    days: 'SA',
    times: ['10:00', '15:00'],
    description:
      'A Saturday play session for disabled children with trained staff, sensory play, crafts and outdoor games, giving parents a short break.',
  },
  {
    name: 'After-school club for disabled children',
    category: 'Short breaks',
    needs: ['Learning disability', 'Autism'],
    ages: [5, 11],
    access: ['Self-referral'],
    cost: 6,
    days: 'TU,TH',
    times: ['15:30', '18:00'],
    description: 'After-school activities with one-to-one support where needed, so children can play with friends.',
  },
  {
    name: 'Holiday activity scheme',
    category: 'Short breaks',
    needs: ['All SEND needs'],
    ages: [8, 17],
    access: ['Self-referral'],
    cost: 12,
    days: 'MO,TU,WE,TH,FR',
    times: ['09:30', '15:30'],
    description:
      'Day trips, swimming, cooking and art during the school holidays for disabled children and young people.',
  },
  {
    name: 'Overnight short breaks',
    category: 'Short breaks',
    needs: ['Complex health needs', 'Learning disability'],
    ages: [8, 17],
    access: ['Needs assessment'],
    cost: 0,
    days: 'FR,SA,SU',
    times: null,
    description:
      'Overnight stays in a homely residential unit with nursing support, planned after a social work assessment of needs. Often called respite.',
  },
  {
    name: 'Little steps stay and play',
    category: 'Early years',
    needs: ['All SEND needs'],
    ages: [0, 4],
    access: ['Self-referral'],
    cost: 0,
    days: 'WE',
    times: ['09:30', '11:30'],
    description:
      'A relaxed stay and play group for babies and toddlers with additional needs and their parents, with a sensory room.',
  },
  {
    name: 'Portage home visiting',
    category: 'Early years',
    needs: ['Learning disability', 'Complex health needs'],
    ages: [0, 4],
    access: ['Professional referral'],
    cost: 0,
    days: 'MO,TU,WE,TH,FR',
    times: ['09:00', '17:00'],
    description:
      'Home visits to help families of pre-school children with special educational needs and disabilities learn through play.',
  },
  {
    name: 'Speech and language therapy drop-in',
    category: 'Health and therapy',
    needs: ['Speech language and communication'],
    ages: [0, 7],
    access: ['Self-referral'],
    cost: 0,
    days: 'TH',
    times: ['13:00', '15:00'],
    description:
      'Ask a speech and language therapist about talking, understanding, stammering or feeding, without a referral.',
  },
  {
    name: "Children's occupational therapy",
    category: 'Health and therapy',
    needs: ['Physical disability', 'Autism'],
    ages: [0, 18],
    access: ['Professional referral'],
    cost: 0,
    days: 'MO,TU,WE,TH,FR',
    times: ['09:00', '17:00'],
    description:
      'Occupational therapists help children with everyday skills such as dressing, handwriting and sensory processing, and advise on equipment.',
  },
  {
    name: 'Children and young people’s mental health service',
    category: 'Health and therapy',
    needs: ['Social emotional and mental health'],
    ages: [5, 17],
    access: ['Professional referral'],
    cost: 0,
    days: 'MO,TU,WE,TH,FR',
    times: ['09:00', '17:00'],
    description:
      'Assessment and therapy for children and young people with anxiety, low mood, self-harm or other emotional difficulties.',
  },
  {
    name: 'Sleep clinic',
    category: 'Health and therapy',
    needs: ['Autism', 'ADHD'],
    ages: [2, 16],
    access: ['Professional referral'],
    cost: 0,
    days: 'WE',
    times: ['10:00', '16:00'],
    description: 'Help with sleep problems: bedtime routines, night waking and early rising, with follow-up calls.',
  },
  {
    name: 'Autism parent support group',
    category: 'Parent carer support',
    needs: ['Autism'],
    ages: [0, 25],
    access: ['Self-referral'],
    cost: 0,
    days: 'MO',
    times: ['10:00', '12:00'],
    description:
      'Parents and carers of autistic children meet to share experience, hear from visiting speakers and support each other, before or after diagnosis.',
  },
  {
    name: 'ADHD parenting course',
    category: 'Parent carer support',
    needs: ['ADHD'],
    ages: [4, 16],
    access: ['Self-referral', 'Professional referral'],
    cost: 0,
    days: 'TU',
    times: ['18:30', '20:30'],
    description:
      'A six-week course for parents of children with attention deficit hyperactivity disorder: routines, behaviour and working with school.',
  },
  {
    name: 'Parent carer forum',
    category: 'Parent carer support',
    needs: ['All SEND needs'],
    ages: [0, 25],
    access: ['Self-referral'],
    cost: 0,
    days: 'TH',
    times: ['10:00', '12:00'],
    description:
      'An independent group of parent carers who work with the council and health services to improve support for disabled children.',
  },
  {
    name: 'Sibling support group',
    category: 'Parent carer support',
    needs: ['All SEND needs'],
    ages: [6, 16],
    access: ['Self-referral'],
    cost: 0,
    days: 'WE',
    times: ['16:30', '18:00'],
    description: 'Fun sessions and a break for brothers and sisters of disabled children, many of them young carers.',
  },
  {
    name: 'SEND information, advice and support service',
    category: 'Advice and information',
    needs: ['All SEND needs'],
    ages: [0, 25],
    access: ['Self-referral'],
    cost: 0,
    days: 'MO,TU,WE,TH,FR',
    times: ['09:00', '16:30'],
    description:
      'Free, impartial advice about special educational needs and disability: education, health and care plans, school exclusions and appeals.',
  },
  {
    name: 'Benefits advice for families',
    category: 'Advice and information',
    needs: ['All SEND needs'],
    ages: [0, 25],
    access: ['Self-referral'],
    cost: 0,
    days: 'TU,TH',
    times: ['09:30', '14:30'],
    description:
      'Help to claim Disability Living Allowance, Carer’s Allowance and Personal Independence Payment, and to challenge decisions.',
  },
  {
    name: 'Inclusive swimming sessions',
    category: 'Sport',
    needs: ['Physical disability', 'Learning disability', 'Autism'],
    ages: [4, 18],
    access: ['Self-referral'],
    cost: 4,
    days: 'SU',
    times: ['09:00', '10:00'],
    description: 'Quiet swimming sessions with a hoist, warm water and qualified instructors for disabled children.',
  },
  {
    name: 'Disability football',
    category: 'Sport',
    needs: ['Learning disability', 'Autism', 'ADHD'],
    ages: [7, 18],
    access: ['Self-referral'],
    cost: 3,
    days: 'SA',
    times: ['11:00', '12:30'],
    description: 'Football coaching and friendly matches for children and young people with additional needs.',
  },
  {
    name: 'Wheelchair sports club',
    category: 'Sport',
    needs: ['Physical disability'],
    ages: [8, 25],
    access: ['Self-referral'],
    cost: 2,
    days: 'WE',
    times: ['18:00', '19:30'],
    description: 'Wheelchair basketball, boccia and table tennis; sports chairs are provided.',
  },
  {
    name: 'Sensory room sessions',
    category: 'Play and leisure',
    needs: ['Complex health needs', 'Learning disability', 'Autism'],
    ages: [0, 12],
    access: ['Self-referral'],
    cost: 2,
    days: 'FR',
    times: ['10:00', '14:00'],
    description: 'Book a calm sensory room with lights, sounds and soft play for your child and family.',
  },
  {
    name: 'Youth club for young people with learning disabilities',
    category: 'Play and leisure',
    needs: ['Learning disability'],
    ages: [11, 25],
    access: ['Self-referral'],
    cost: 3,
    days: 'TH',
    times: ['18:00', '20:30'],
    description: 'A weekly youth club with games, music, cooking and trips, run with young people.',
  },
  {
    name: 'Music and drama group',
    category: 'Play and leisure',
    needs: ['All SEND needs'],
    ages: [8, 19],
    access: ['Self-referral'],
    cost: 5,
    days: 'MO',
    times: ['17:00', '18:30'],
    description: 'Singing, drumming and drama for children and young people of all abilities, with a show each term.',
  },
  {
    name: 'Hearing support team',
    category: 'Education support',
    needs: ['Sensory impairment (hearing)'],
    ages: [0, 19],
    access: ['Professional referral'],
    cost: 0,
    days: 'MO,TU,WE,TH,FR',
    times: ['08:30', '16:30'],
    description: 'Teachers of the deaf support deaf children at home, nursery and school, including with hearing aids.',
  },
  {
    name: 'Vision support team',
    category: 'Education support',
    needs: ['Sensory impairment (vision)'],
    ages: [0, 19],
    access: ['Professional referral'],
    cost: 0,
    days: 'MO,TU,WE,TH,FR',
    times: ['08:30', '16:30'],
    description:
      'Qualified teachers of children with visual impairment help with braille, mobility and access to learning.',
  },
  {
    name: 'Dyslexia support sessions',
    category: 'Education support',
    needs: ['Specific learning difficulty'],
    ages: [6, 16],
    access: ['Self-referral'],
    cost: 15,
    days: 'WE',
    times: ['16:00', '17:00'],
    description: 'Small-group literacy support for children with dyslexia and other specific learning difficulties.',
  },
  {
    name: 'Independent travel training',
    category: 'Preparing for adulthood',
    needs: ['Learning disability', 'Autism'],
    ages: [14, 25],
    access: ['Professional referral'],
    cost: 0,
    days: 'MO,TU,WE,TH,FR',
    times: ['09:00', '15:00'],
    description:
      'One-to-one training so young people can travel to college or work on their own by bus, train or on foot.',
  },
  {
    name: 'Supported internships',
    category: 'Preparing for adulthood',
    needs: ['All SEND needs'],
    ages: [16, 24],
    access: ['Professional referral'],
    cost: 0,
    days: 'MO,TU,WE,TH',
    times: ['09:00', '15:00'],
    description:
      'A year-long work placement with a job coach for young people with an education, health and care plan.',
  },
  {
    name: 'Transition support for young people',
    category: 'Preparing for adulthood',
    needs: ['All SEND needs'],
    ages: [14, 25],
    access: ['Needs assessment'],
    cost: 0,
    days: 'MO,TU,WE,TH,FR',
    times: ['09:00', '17:00'],
    description: 'Planning the move to adult services: housing, health, money and what happens after school.',
  },
  {
    name: 'Short breaks direct payments',
    category: 'Short breaks',
    needs: ['All SEND needs'],
    ages: [0, 17],
    access: ['Needs assessment', 'Panel'],
    cost: 0,
    days: 'MO,TU,WE,TH,FR',
    times: ['09:00', '17:00'],
    description: 'Money from the council so you can arrange short breaks or personal assistants yourself.',
  },
  {
    name: 'Equipment and home adaptations',
    category: 'Equipment and adaptations',
    needs: ['Physical disability', 'Complex health needs'],
    ages: [0, 25],
    access: ['Professional referral'],
    cost: 0,
    days: 'MO,TU,WE,TH,FR',
    times: ['09:00', '17:00'],
    description:
      'Specialist seating, bathing equipment, hoists and adaptations such as ramps and level-access showers.',
  },
];

const PROVIDER_WORDS = [
  'Rainbow',
  'Brightside',
  'Oak Tree',
  'Sunflower',
  'Lighthouse',
  'Kingfisher',
  'Willow',
  'Bluebell',
  'Horizon',
  'Stepping Stones',
  'Compass',
  'Harbour',
];
const PROVIDER_KINDS = ['Trust', 'CIC', 'Charity', 'Family Centre', 'Community Group', 'Foundation'];
const EXTRA_SENTENCES = [
  'Staff are trained in first aid, moving and handling, and autism awareness.',
  'There is accessible parking and a changing places toilet.',
  'Brothers and sisters are welcome.',
  'Please call before your first visit so we can plan any support your child needs.',
  'Interpreters can be arranged, including British Sign Language.',
  'Sessions are small and quiet.',
  'Transport can sometimes be arranged.',
  'Children can bring a parent, carer or personal assistant.',
];
const STREETS = ['High Street', 'Station Road', 'Church Lane', 'Park Avenue', 'Mill Road', 'Victoria Street'];
const VENUES = ['Community Centre', 'Leisure Centre', 'Children’s Centre', 'Library', 'Family Hub', 'Youth Centre'];

/** A small, fast, seeded random number generator (mulberry32), so generated directories are repeatable. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

function term(namespace: string, taxonomy: string, name: string, serviceId: string): Json {
  const termId = stableId(namespace, `term:${taxonomy}:${name}`);
  return {
    id: stableId(namespace, `attribute:${serviceId}:${termId}`),
    link_id: serviceId,
    link_type: 'service',
    taxonomy_term_id: termId,
    taxonomy_term: {
      id: termId,
      name,
      taxonomy: taxonomy,
      taxonomy_id: stableId(namespace, `taxonomy:${taxonomy}`),
    },
  };
}

function isoDaysAgo(today: Date, days: number): string {
  return new Date(today.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

export interface GenerateOptions {
  places: Place[];
  count: number;
  seed: number;
  /** Names the ids, so two generated directories never share one. */
  namespace: string;
  today?: Date;
  /** A kind of service a place must not have: how the demo directory shows gaps. */
  gap?: (place: Place, category: string, minimumAge: number) => boolean;
}

/** Generated services, one Open Referral UK 3.0 service object at a time. */
export function* generateServices(options: GenerateOptions): Generator<Json> {
  const random = seededRandom(options.seed);
  const today = options.today ?? new Date();
  const { namespace } = options;
  let made = 0;
  for (let index = 0; made < options.count; index += 1) {
    const kind = pick(random, KINDS);
    const place = pick(random, options.places);
    // Ages vary a little between providers of the same kind of service.
    const minimumAge = Math.max(0, kind.ages[0] + Math.floor(random() * 3) - 1);
    const maximumAge = Math.max(minimumAge + 1, kind.ages[1] + Math.floor(random() * 3) - 1);
    if (options.gap?.(place, kind.category, minimumAge)) continue;
    made += 1;
    const provider = `${pick(random, PROVIDER_WORDS)} ${pick(random, PROVIDER_KINDS)}`;
    const organizationName = random() < 0.5 ? `${place.name} ${provider}` : provider;
    const id = stableId(namespace, `service:${index}`);
    const organizationId = stableId(namespace, `organization:${organizationName}`);
    const locationId = stableId(namespace, `location:${place.district}:${index % 40}`);
    const street = `${1 + (index % 97)} ${pick(random, STREETS)}`;
    const venue = `${place.name} ${pick(random, VENUES)}`;
    const postcode = `${place.district} ${1 + Math.floor(random() * 9)}${String.fromCharCode(65 + Math.floor(random() * 26))}${String.fromCharCode(65 + Math.floor(random() * 26))}`;
    const slug = organizationName.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const name = random() < 0.4 ? `${place.name} ${kind.name.charAt(0).toLowerCase()}${kind.name.slice(1)}` : kind.name;
    const status = random() < 0.94 ? 'active' : pick(random, ['inactive', 'temporarily closed']);
    // Checked at some point in the last nine months, so about a third are due for review.
    const checked = isoDaysAgo(today, Math.floor(random() * 270));
    yield {
      id,
      organization_id: organizationId,
      name,
      description: `${kind.description} ${pick(random, EXTRA_SENTENCES)} Based in ${place.name}.`,
      url: `https://example.org/${slug}`,
      email: `hello@${slug}.example.org`,
      status,
      minimum_age: minimumAge,
      maximum_age: maximumAge,
      assured_date: checked,
      last_modified: `${checked}T09:00:00.000Z`,
      organization: {
        id: organizationId,
        name: organizationName,
        description: `${organizationName} works with disabled children, young people and their families in ${place.name}.`,
        email: `hello@${slug}.example.org`,
        website: `https://example.org/${slug}`,
      },
      service_at_locations: [
        {
          id: stableId(namespace, `service_at_location:${index}`),
          service_id: id,
          location_id: locationId,
          location: {
            id: locationId,
            location_type: 'physical',
            name: venue,
            // Within about 3 km of the place's middle.
            latitude: Math.round((place.latitude + (random() - 0.5) * 0.05) * 1e5) / 1e5,
            longitude: Math.round((place.longitude + (random() - 0.5) * 0.08) * 1e5) / 1e5,
            addresses: [
              {
                id: stableId(namespace, `address:${locationId}`),
                location_id: locationId,
                address_1: street,
                city: place.name,
                postal_code: postcode,
                country: 'GB',
                address_type: 'physical',
              },
            ],
            accessibility: [
              {
                id: stableId(namespace, `accessibility:${locationId}`),
                location_id: locationId,
                description: random() < 0.6 ? 'Step-free access and an accessible toilet' : 'Ground floor rooms',
              },
            ],
          },
        },
      ],
      schedules: [
        {
          id: stableId(namespace, `schedule:${index}`),
          service_id: id,
          freq: 'WEEKLY',
          byday: kind.days,
          ...(kind.times ? { opens_at: kind.times[0], closes_at: kind.times[1] } : {}),
          description: kind.times ? '' : 'Stays are planned with you',
        },
      ],
      cost_options: [
        {
          id: stableId(namespace, `cost_option:${index}`),
          service_id: id,
          option: kind.cost === 0 ? 'Free' : 'Per session',
          amount: kind.cost,
        },
      ],
      contacts: [{ id: stableId(namespace, `contact:${index}`), service_id: id, name: 'Enquiries', title: 'Bookings' }],
      attributes: [
        term(namespace, 'category', kind.category, id),
        ...kind.needs.map((need) => term(namespace, 'send-need', need, id)),
        ...kind.access.map((route) => term(namespace, 'access', route, id)),
      ],
    };
  }
}

const SYLLABLES = ['Ash', 'Brook', 'Castle', 'Dun', 'Elm', 'Fair', 'Glen', 'Hart', 'Ivy', 'King', 'Lang', 'Moor'];
const ENDINGS = ['ton', 'ford', 'by', 'ley', 'field', 'bridge', 'wick', 'ham', 'thorpe', 'stead'];

/** Made-up towns spread across England, for a national-scale directory. */
export function englishPlaces(count: number, seed = 7): Place[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => {
    const syllable = SYLLABLES[index % SYLLABLES.length]!;
    const ending = ENDINGS[Math.floor(index / SYLLABLES.length) % ENDINGS.length]!;
    const round = Math.floor(index / (SYLLABLES.length * ENDINGS.length));
    const area = `${String.fromCharCode(65 + (index % 26))}${String.fromCharCode(65 + (Math.floor(index / 26) % 26))}`;
    return {
      name:
        round === 0 ? `${syllable}${ending}` : `${syllable}${ending} ${['North', 'South', 'East', 'West'][round % 4]}`,
      district: `${area}${1 + (index % 9)}`,
      latitude: 50.6 + random() * 4.2,
      longitude: -3.2 + random() * 4.6,
    };
  });
}
