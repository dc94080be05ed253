// Casework benchmark: with 50,000 children and 500,000 timeline events, the p95 of the front door's triage queue,
// a worker's caseload page, a child's record, a team's unallocated work and a worker's own cases, each at 20 concurrent users, against a bare Fastify hello-world
// measured in the same run. Each page is measured with users asking again the moment a page arrives (stress: 20
// requests always in flight) and with users reading each page for about a second (`paced`). Uses DATABASE_URL
// when set (PostgreSQL; Pathway then runs as `serve` does in production, in BENCH_WEB_PROCESSES web processes, one
// per core by default), otherwise embedded PGlite in memory.
import { sql } from 'kysely';
import type { Database } from '../src/db/database.ts';
import { DEMO_COUNCIL } from '../src/demo/council.ts';
import { runLoad, warmUp } from './load.ts';
import { openDemoDatabase, sessionCookie, startHelloWorld, startPathway, webProcessesFor } from './server.ts';

const CONCURRENCY = 20;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CHILDREN = Number(process.env.BENCH_CHILDREN ?? 50_000);
const EVENTS_PER_CHILD = 10;
/** Children open to a team: about what a council's short breaks and disabled children's teams hold. */
const OPEN_EPISODES = 1_200;
const NEW_REFERRALS = 60;
/** How long a paced user reads each page, on average, before asking for the next. */
const PAUSE_MS = 1000;

/** Families, children, episodes, referrals and timeline events, made in SQL so loading is quick. */
export async function loadCasework(database: Database) {
  const { db } = database;
  const laCode = DEMO_COUNCIL.laCode;
  const started = performance.now();
  await sql`
    insert into families (la_code, family_name, postcode)
    select ${laCode}, 'Family ' || n, 'NM' || (1 + n % 8) || ' ' || (n % 9) || 'AB'
      from generate_series(1, ${CHILDREN}) as n`.execute(db);
  await sql`
    insert into children (la_code, family_id, given_name, family_name, date_of_birth)
    select ${laCode}, f.id, (array['Ava','Noah','Mia','Leo','Zara','Omar','Isla','Theo'])[1 + row_number() over () % 8],
           f.family_name, date '2008-01-01' + (random() * 6000)::int
      from families f where f.family_name like 'Family %'`.execute(db);
  await sql`
    insert into episodes (la_code, child_id, tier, team_id, worker_id, start_reason, started_at)
    select ${laCode}, c.id, t.serves_tier, t.id,
           -- One in ten waits for a worker; about forty of each team's cases are its worker's own; the rest its manager's.
           case when c.n % 10 = 0 then null
                else (select m.user_id from team_members m
                        join user_roles r on r.user_id = m.user_id
                       where m.team_id = t.id
                         and (r.role = 'team_manager') = (c.n % 30 >= 4)
                       limit 1) end,
           'Benchmark', now() - ((row_number() over ()) % 300 || ' days')::interval
      from (select id, row_number() over () as n from children where family_name like 'Family %' limit ${OPEN_EPISODES}) c
      join teams t on t.la_code = ${laCode} and t.serves_tier = (case when c.n % 2 = 0 then 'targeted' else 'specialist' end)`.execute(
    db,
  );
  await sql`
    insert into referrals (la_code, kind, source_code, requested_by, status, reference, details, received_at)
    select ${laCode}, 'professional', '2A', (select id from users where email = 'referrer@demo.pathway.test'), 'new',
           'RF-B' || lpad(n::text, 7, '0'),
           jsonb_build_object('givenName', 'Child', 'familyName', 'Number ' || n, 'needs', 'Needs a break'),
           now() - (n || ' hours')::interval
      from generate_series(1, ${NEW_REFERRALS}) as n`.execute(db);
  await sql`
    insert into timeline_events (la_code, child_id, occurred_at, kind, summary)
    select ${laCode}, c.id, now() - (e || ' days')::interval, 'note', 'Benchmark event ' || e
      from children c cross join generate_series(1, ${EVENTS_PER_CHILD}) as e
     where c.family_name like 'Family %'`.execute(db);
  await sql`analyze`.execute(db);
  return (performance.now() - started) / 1000;
}

export async function caseworkBenchmark(): Promise<Record<string, unknown>> {
  const databaseUrl = process.env.DATABASE_URL;
  const processes = webProcessesFor(databaseUrl);
  const hello = await startHelloWorld(processes);
  const helloLoad = await runLoad({ urls: [hello.url], concurrency: CONCURRENCY, seconds: SECONDS });
  await hello.stop();

  const database = await openDemoDatabase(databaseUrl);
  const loadSeconds = await loadCasework(database);
  const children = await database.db
    .selectFrom('episodes')
    .select('child_id')
    .where('ended_at', 'is', null)
    .limit(200)
    .execute();

  const server = await startPathway(database, databaseUrl);
  const baseUrl = server.url;
  /** Each page twice: users asking again the moment a page arrives (stress), then users reading each page. */
  const measure = async (email: string, urls: string[]) => {
    const headers = { cookie: await sessionCookie(baseUrl, email) };
    await warmUp({ urls, headers });
    return {
      noPause: await runLoad({ urls, concurrency: CONCURRENCY, seconds: SECONDS, headers }),
      paced: await runLoad({ urls, concurrency: CONCURRENCY, seconds: SECONDS, headers, pauseMs: PAUSE_MS }),
    };
  };
  const triage = await measure('triage@demo.pathway.test', [`${baseUrl}/referrals`]);
  const caseloadPage = await measure('social.worker@demo.pathway.test', [
    `${baseUrl}/caseload`,
    `${baseUrl}/caseload?page=2`,
    `${baseUrl}/caseload?page=5`,
  ]);
  const record = await measure(
    'manager@demo.pathway.test',
    children.map((child) => `${baseUrl}/children/${child.child_id}`),
  );
  const unallocated = await measure('manager@demo.pathway.test', [`${baseUrl}/unallocated`]);
  const myCases = await measure('social.worker@demo.pathway.test', [`${baseUrl}/my-cases`]);
  await server.stop();
  const counts = await database.db
    .selectFrom('timeline_events')
    .select((eb) => eb.fn.countAll<string>().as('events'))
    .executeTakeFirstOrThrow();
  await database.close();

  const figures = (load: Awaited<ReturnType<typeof runLoad>>) => ({
    p50_ms: load.p50Ms,
    p95_ms: load.p95Ms,
    rps: load.requestsPerSecond,
    errors: load.errors,
  });
  return {
    benchmark: 'casework',
    database: databaseUrl ? 'postgresql' : 'pglite',
    children: CHILDREN,
    timeline_events: Number(counts.events),
    open_episodes: OPEN_EPISODES,
    load_seconds: Math.round(loadSeconds * 10) / 10,
    web_processes: processes,
    concurrency: CONCURRENCY,
    seconds: SECONDS,
    triage_queue: figures(triage.noPause),
    caseload: figures(caseloadPage.noPause),
    child_record: figures(record.noPause),
    unallocated_work: figures(unallocated.noPause),
    my_cases: figures(myCases.noPause),
    paced: {
      pause_ms: PAUSE_MS,
      triage_queue: figures(triage.paced),
      caseload: figures(caseloadPage.paced),
      child_record: figures(record.paced),
      unallocated_work: figures(unallocated.paced),
      my_cases: figures(myCases.paced),
    },
    hello_world_rps: helloLoad.requestsPerSecond,
  };
}
