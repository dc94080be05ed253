// Child search benchmark: with 50,000 children (BENCH_CHILDREN to change it) named from lists of common first and last
// names, as a council's are, the p95 of "Find a child" at 20 concurrent users: misspelt and exact names, a common
// last name on its own, a name with a date of birth, NHS numbers and referral references. Each search is audited,
// as in use. Measured with users asking again the moment a page arrives (stress) and with users reading each page
// for about a second (`paced`), against a bare Fastify hello-world in the same run. Uses DATABASE_URL when set
// (PostgreSQL; Pathway then runs as `serve` does in production, one web process per core by default), otherwise
// embedded PGlite in memory.
import { sql } from 'kysely';
import type { Database } from '../src/db/database.ts';
import { DEMO_COUNCIL } from '../src/demo/council.ts';
import { runLoad, warmUp } from './load.ts';
import { openDemoDatabase, sessionCookie, startHelloWorld, startPathway, webProcessesFor } from './server.ts';

const CONCURRENCY = 20;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CHILDREN = Number(process.env.BENCH_CHILDREN ?? 50_000);
const OPEN_EPISODES = 1_200;
const REFERRALS = 2_000;
const PAUSE_MS = 1000;

// Among the commonest first names of children born in England and Wales, and last names in Britain, with a few
// spelt with accents, apostrophes, hyphens and spaces.
const GIVEN_NAMES = (
  `Oliver, George, Noah, Arthur, Harry, Leo, Muhammad, Jack, Charlie, Oscar, Jacob, Henry, Thomas, ` +
  `Freddie, Alfie, Theo, William, Theodore, Archie, Joshua, Alexander, James, Isaac, Edward, Lucas, ` +
  `Tommy, Finley, Max, Logan, Ethan, Mohammed, Teddy, Benjamin, Arlo, Joseph, Sebastian, Daniel, Adam, ` +
  `Harrison, Elijah, Reggie, Samuel, Ibrahim, Yusuf, Ali, Omar, Olivia, Amelia, Isla, Ava, Ivy, Freya, ` +
  `Lily, Florence, Mia, Willow, Rosie, Sophia, Isabella, Grace, Daisy, Sienna, Poppy, Elsie, Emily, ` +
  `Ella, Evelyn, Phoebe, Sofia, Evie, Charlotte, Harper, Millie, Matilda, Maya, Sophie, Alice, Emilia, ` +
  `Isabelle, Ruby, Luna, Maisie, Aria, Penelope, Mila, Bonnie, Eva, Hallie, Eliza, Ada, Violet, Esme, ` +
  `Aisha, Maryam, Fatima, Zara, Amira, Hana, Zofia, Oliwia, Jakub, Kacper, Tobi, Chidi, Ngozi, Kwame, ` +
  `Aaliyah, Nia, Siân, Rhys, Dylan, Cerys, Seren, Chloé, José, Zoë, Renée, Niamh, Aoife, Ciarán, Seán, ` +
  `Mary Ann`
).split(', ');
const FAMILY_NAMES = (
  `Smith, Jones, Williams, Taylor, Brown, Davies, Evans, Wilson, Thomas, Johnson, Roberts, Robinson, ` +
  `Thompson, Wright, Walker, White, Edwards, Hughes, Green, Hall, Lewis, Harris, Clarke, Patel, ` +
  `Jackson, Wood, Turner, Martin, Cooper, Hill, Ward, Morris, Moore, Clark, Lee, King, Baker, ` +
  `Harrison, Morgan, Allen, James, Scott, Phillips, Watson, Davis, Parker, Price, Bennett, Young, ` +
  `Griffiths, Mitchell, Kelly, Cook, Carter, Richardson, Bailey, Collins, Bell, Shaw, Murphy, Miller, ` +
  `Cox, Richards, Khan, Marshall, Anderson, Simpson, Ellis, Adams, Singh, Begum, Wilkinson, Foster, ` +
  `Chapman, Powell, Webb, Rogers, Gray, Mason, Ali, Hunt, Hussain, Campbell, Matthews, Owen, Palmer, ` +
  `Holmes, Mills, Barnes, Knight, Lloyd, Butler, Russell, Barker, Fisher, Stevens, Jenkins, Murray, ` +
  `Dixon, Harvey, Graham, Pearson, Ahmed, Fletcher, Walsh, Kaur, Gibson, Howard, Andrews, Stewart, ` +
  `Elliott, Reynolds, Saunders, Payne, Fox, Ford, Pearce, Day, Brooks, West, Lawrence, Cole, Atkinson, ` +
  `Bradley, Spencer, Gill, Dawson, Ball, Burton, O'Brien, Watts, Rose, Booth, Perry, Ryan, Grant, ` +
  `Wells, Armstrong, Francis, Rees, Hayes, Hart, Hudson, Newman, Barrett, Webster, Hunter, Gregory, ` +
  `Carr, Lowe, Page, Marsh, Riley, Dunn, Woods, Parsons, Berry, Stone, Reid, Holland, Hawkins, ` +
  `Harding, Porter, Robertson, Newton, Oliver, Reed, Kennedy, Williamson, Bird, Gardner, Shah, Dean, ` +
  `Lane, Cooke, Bates, Henderson, Parry, Burgess, Bishop, Walton, Burns, Nicholson, Shepherd, Ross, ` +
  `Cross, Long, Freeman, Warren, Nicholls, Hamilton, Byrne, Sutton, McDonald, Yates, Hodgson, Robson, ` +
  `Curtis, Hopkins, O'Connor, Harper, Coleman, Watkins, Moss, McCarthy, Chambers, O'Neill, Griffin, ` +
  `Sharp, Hardy, Wheeler, Potter, Osborne, Johnston, Gordon, Doyle, Wallace, George, Jordan, ` +
  `Hutchinson, Rowe, Burke, May, Pritchard, Gilbert, Willis, Higgins, Read, Miles, Stevenson, ` +
  `Stephenson, Hammond, Arnold, Buckley, Walters, Hewitt, Barber, Nelson, Slater, Austin, Sullivan, ` +
  `Whitehead, Mann, Frost, Lambert, Stephens, Blake, Akhtar, Lynch, Goodwin, Barton, Woodward, ` +
  `Thomson, Cunningham, Quinn, Barnett, Baxter, Bibi, Clayton, Nash, Greenwood, Jennings, Holt, Kemp, ` +
  `Poole, Gallagher, Bond, Stokes, Tucker, Davidson, Fowler, Heath, Norman, Middleton, Lawson, Banks, ` +
  `French, Stanley, Jarvis, Gibbs, Ferguson, Hayward, Carroll, Okafor, Adeyemi, Nowak, Kowalski, ` +
  `Wiśniewski, Smith-Jones, van der Berg, Da Silva, Nguyen, Mensah, Owusu`
).split(', ');

/** A real NHS number (its modulus 11 check digit right) from nine digits, or undefined when none can end them. */
function nhsNumber(nineDigits: string): string | undefined {
  let sum = 0;
  for (let index = 0; index < 9; index++) sum += Number(nineDigits[index]) * (10 - index);
  const check = 11 - (sum % 11);
  if (check === 10) return undefined;
  return nineDigits + String(check === 11 ? 0 : check);
}

/** Families and children with names from the lists, NHS numbers, open episodes and referrals, made in SQL. */
async function loadChildren(database: Database) {
  const { db } = database;
  const laCode = DEMO_COUNCIL.laCode;
  const started = performance.now();
  await sql`
    insert into families (la_code, family_name, postcode)
    select ${laCode}, (${FAMILY_NAMES}::text[])[1 + (n * 7919) % ${FAMILY_NAMES.length}],
           'NM' || (1 + n % 8) || ' ' || (n % 9) || 'AB'
      from generate_series(1, ${CHILDREN}) as n`.execute(db);
  await sql`
    insert into children (la_code, family_id, given_name, family_name, date_of_birth)
    select ${laCode}, f.id, (${GIVEN_NAMES}::text[])[1 + (f.n * 104729) % ${GIVEN_NAMES.length}], f.family_name,
           date '2008-01-01' + ((f.n * 7919) % 6500)::int
      from (select id, family_name, row_number() over (order by id) as n
              from families where la_code = ${laCode} and postcode like 'NM%AB') as f`.execute(db);
  const children = await db
    .selectFrom('children')
    .select(['id', 'given_name', 'family_name', 'date_of_birth'])
    .where('la_code', '=', laCode)
    .where('nhs_number', 'is', null)
    .orderBy('id')
    .execute();
  const numbered = children.flatMap((child, index) => {
    const number = nhsNumber(String(400_000_000 + index * 7));
    return number ? [{ id: child.id, number }] : [];
  });
  await sql`
    update children as c set nhs_number = v.number
      from unnest(${numbered.map((child) => child.id)}::uuid[], ${numbered.map((child) => child.number)}::text[])
        as v(id, number)
     where c.id = v.id`.execute(db);
  await sql`
    insert into episodes (la_code, child_id, tier, team_id, start_reason)
    select ${laCode}, c.id, t.serves_tier, t.id, 'Benchmark'
      from (select id, row_number() over (order by id) as n from children where la_code = ${laCode}
             order by id limit ${OPEN_EPISODES}) as c
      join teams t on t.la_code = ${laCode} and t.serves_tier = (case when c.n % 2 = 0 then 'targeted' else 'specialist' end)
     where not exists (select 1 from episodes e where e.child_id = c.id and e.ended_at is null)`.execute(db);
  await sql`
    insert into referrals (la_code, child_id, kind, source_code, requested_by, status, reference)
    select ${laCode}, c.id, 'professional', '2A', (select id from users where email = 'referrer@demo.pathway.test'),
           'decided', 'RF-C' || lpad(c.n::text, 7, '0')
      from (select id, row_number() over (order by id desc) as n from children where la_code = ${laCode}
             order by id desc limit ${REFERRALS}) as c`.execute(db);
  await sql`analyze`.execute(db);
  return { seconds: (performance.now() - started) / 1000, children, numbered };
}

/** Leaves out the letter in the middle of a word: a typing slip. */
function slip(word: string): string {
  const middle = Math.floor(word.length / 2);
  return word.slice(0, middle) + word.slice(middle + 1);
}

/** What the front door types: names with and without slips, a last name alone, a name and a date, numbers. */
function searchUrls(base: string, loaded: Awaited<ReturnType<typeof loadChildren>>): string[] {
  const { children, numbered } = loaded;
  const pick = (index: number) => children[(index * 997) % children.length]!;
  const query = (params: Record<string, string>) => `${base}/children/search?${new URLSearchParams(params).toString()}`;
  const urls: string[] = [];
  for (let index = 0; index < 8; index++) {
    const child = pick(index);
    urls.push(query({ q: `${child.given_name} ${slip(child.family_name)}` }));
    urls.push(query({ q: `${child.given_name} ${child.family_name}` }));
  }
  for (const lastName of ['Smith', 'Wilsno', 'Hussain', 'Okafro']) urls.push(query({ q: lastName }));
  for (let index = 8; index < 12; index++) {
    const child = pick(index);
    const [year, month, day] = child.date_of_birth.split('-');
    urls.push(query({ q: slip(child.family_name), dobDay: day!, dobMonth: month!, dobYear: year! }));
  }
  for (let index = 0; index < 4; index++) {
    const number = numbered[(index * 4999) % numbered.length]!.number;
    urls.push(query({ q: `${number.slice(0, 3)} ${number.slice(3, 6)} ${number.slice(6)}` }));
    urls.push(query({ q: `RF-C${String(1 + index * 37).padStart(7, '0')}` }));
  }
  return urls;
}

export async function childSearchBenchmark(): Promise<Record<string, unknown>> {
  const databaseUrl = process.env.DATABASE_URL;
  const processes = webProcessesFor(databaseUrl);
  const hello = await startHelloWorld(processes);
  const helloLoad = await runLoad({ urls: [hello.url], concurrency: CONCURRENCY, seconds: SECONDS });
  await hello.stop();

  const database = await openDemoDatabase(databaseUrl);
  const loaded = await loadChildren(database);

  const server = await startPathway(database, databaseUrl);
  const urls = searchUrls(server.url, loaded);
  const headers = { cookie: await sessionCookie(server.url, 'triage@demo.pathway.test') };
  for (const url of urls) {
    const response = await fetch(url, { headers });
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  }
  await warmUp({ urls, headers });
  const noPause = await runLoad({ urls, concurrency: CONCURRENCY, seconds: SECONDS, headers });
  const paced = await runLoad({ urls, concurrency: CONCURRENCY, seconds: SECONDS, headers, pauseMs: PAUSE_MS });
  await server.stop();
  await database.close();

  const figures = (load: Awaited<ReturnType<typeof runLoad>>) => ({
    p50_ms: load.p50Ms,
    p95_ms: load.p95Ms,
    rps: load.requestsPerSecond,
    errors: load.errors,
  });
  return {
    benchmark: 'child-search',
    database: databaseUrl ? 'postgresql' : 'pglite',
    children: CHILDREN,
    load_seconds: Math.round(loaded.seconds * 10) / 10,
    web_processes: processes,
    concurrency: CONCURRENCY,
    seconds: SECONDS,
    searches: urls.length,
    search: figures(noPause),
    paced: { pause_ms: PAUSE_MS, search: figures(paced) },
    hello_world_rps: helloLoad.requestsPerSecond,
  };
}
