// Short-breaks applications benchmark: 200 families at once each sign in and complete a whole application over
// HTTP (every page a browser would load and every form it would send), with the p95 of each page, twice: first with
// no pause between pages (a stress test: 200 requests always in flight), then with the families arriving over ten
// seconds and pausing about a second before each page (quicker than anyone reads a page, so 200 families applying
// at once, each with a request in flight about as often as a real family). Then the time to replay 100,000 stored applications against a draft
// model, as "Try a draft model" does. A bare Fastify hello-world is measured in the same run for reference. Uses
// DATABASE_URL when set (PostgreSQL; Pathway then runs as `serve` does in production, in BENCH_WEB_PROCESSES web
// processes, one per core by default), otherwise embedded PGlite in memory.
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { DEMO_COUNCIL, DEMO_PASSWORD, seedDemoCouncil } from '../src/demo/council.ts';
import type { ScoringModel } from '../src/domain/scoring/model.ts';
import { SHIPPED_MODEL, tryDraft } from '../src/features/scoring/service.ts';
import { runLoad } from './load.ts';
import { startHelloWorld, startPathway, webProcessesFor } from './server.ts';

const FAMILIES = Number(process.env.BENCH_FAMILIES ?? 200);
const STORED_APPLICATIONS = Number(process.env.BENCH_STORED_APPLICATIONS ?? 100_000);
/** The average pause between pages in the second run, in milliseconds. */
const PAUSE_MS = Number(process.env.BENCH_PAUSE_MS ?? 1000);
/**
 * In the second run families arrive over this many milliseconds rather than in the same instant: 200 sign-ins at
 * once are 200 deliberately slow password checks (argon2id), which no real morning brings. A family's application
 * takes about 30 s, so from the tenth second all 200 are applying at once.
 */
const ARRIVAL_MS = Number(process.env.BENCH_ARRIVAL_MS ?? 10_000);

interface FamiliesResult {
  seconds: number;
  completed: number;
  errors: number;
  failures: Record<string, number>;
  pages: Record<string, { requests: number; p50Ms: number; p95Ms: number }>;
}

function runFamilies(workerData: unknown): Promise<FamiliesResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./application-families.mjs', import.meta.url), { workerData });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

/** Families with one carer account and one child each; every account shares the demo password's hash. */
async function createFamilies(db: Awaited<ReturnType<typeof openDatabase>>['db'], count: number, first = 0) {
  const { password_hash } = await db
    .selectFrom('users')
    .select('password_hash')
    .where('email', '=', 'parent@demo.pathway.test')
    .executeTakeFirstOrThrow();
  const laCode = DEMO_COUNCIL.laCode;
  const families = [];
  for (let index = first; index < first + count; index++) {
    const email = `bench.family.${index}@demo.pathway.test`;
    const { id: userId } = await db
      .insertInto('users')
      .values({ la_code: laCode, email, display_name: `Bench family ${index}`, password_hash, oidc_subject: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('user_roles').values({ user_id: userId, la_code: laCode, role: 'parent_carer' }).execute();
    const { id: familyId } = await db
      .insertInto('families')
      .values({ la_code: laCode, family_name: `Bench ${index}`, locality_id: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('family_carers')
      .values({ family_id: familyId, user_id: userId, la_code: laCode, relationship: 'parent' })
      .execute();
    const { id: childId } = await db
      .insertInto('children')
      .values({
        la_code: laCode,
        family_id: familyId,
        given_name: 'Alex',
        family_name: `Bench ${index}`,
        date_of_birth: `20${String(10 + (index % 12)).padStart(2, '0')}-06-15`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    families.push({ email, childId });
  }
  return families;
}

/** Stores sent applications with varied answers and ages, made in SQL so loading them is quick. */
async function storeApplications(db: Awaited<ReturnType<typeof openDatabase>>['db'], childId: string, count: number) {
  const answers = sql.join(
    SHIPPED_MODEL.questions.map((question) => {
      const options = sql.join(question.options.map((option) => sql.lit(option.id)));
      return sql`${sql.lit(question.id)}::text, (array[${options}])[1 + floor(random() * ${question.options.length})::int]`;
    }),
  );
  await sql`
    insert into short_break_applications (la_code, child_id, status, answers, child_age, model_version, submitted_at)
    select ${DEMO_COUNCIL.laCode}, ${childId}, 'decided', jsonb_build_object(${answers}), floor(random() * 18)::int,
           1, now() - (n || ' minutes')::interval
      from generate_series(1, ${count}) as n`.execute(db);
}

export async function applicationsBenchmark(): Promise<Record<string, unknown>> {
  const databaseUrl = process.env.DATABASE_URL;
  const processes = webProcessesFor(databaseUrl);
  const hello = await startHelloWorld(processes);
  const helloLoad = await runLoad({ urls: [hello.url], concurrency: FAMILIES, seconds: 5 });
  await hello.stop();

  const database = await openDatabase(databaseUrl ? { url: databaseUrl, poolSize: 20 } : {});
  await migrate(database);
  const seeded = await database.db.selectFrom('councils').select('la_code').executeTakeFirst();
  if (!seeded) await seedDemoCouncil(database.db, 'development');
  const atOnceFamilies = await createFamilies(database.db, FAMILIES);
  const pacedFamilies = await createFamilies(database.db, FAMILIES, FAMILIES);

  const server = await startPathway(database, databaseUrl, { TRUST_PROXY: 'true' });
  const baseUrl = server.url;
  const questions = SHIPPED_MODEL.questions.map((question) => ({
    id: question.id,
    options: question.options.map((option) => option.id),
  }));
  const run = await runFamilies({
    baseUrl,
    families: atOnceFamilies,
    password: DEMO_PASSWORD,
    questions,
    pauseMs: 0,
    arrivalMs: 0,
  });
  const paced = await runFamilies({
    baseUrl,
    families: pacedFamilies,
    password: DEMO_PASSWORD,
    questions,
    pauseMs: PAUSE_MS,
    arrivalMs: ARRIVAL_MS,
  });
  await server.stop();
  const submitted = await database.db
    .selectFrom('short_break_applications')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('status', '=', 'submitted')
    .executeTakeFirstOrThrow();

  const storeStarted = performance.now();
  await storeApplications(database.db, atOnceFamilies[0]!.childId, STORED_APPLICATIONS);
  const storeSeconds = (performance.now() - storeStarted) / 1000;
  // A draft that asks more before offering the higher band: the kind of change "Try a draft model" is for.
  const draft: ScoringModel = {
    ...SHIPPED_MODEL,
    rules: SHIPPED_MODEL.rules.map((rule) =>
      rule.when.minTotal === undefined ? rule : { ...rule, when: { ...rule.when, minTotal: rule.when.minTotal + 10 } },
    ),
  };
  const replayStarted = performance.now();
  const comparison = await tryDraft(database.db, DEMO_COUNCIL.laCode, draft);
  const replaySeconds = (performance.now() - replayStarted) / 1000;
  await database.close();

  const round = (value: number) => Math.round(value * 100) / 100;
  const figures = (result: FamiliesResult) => {
    const applicationPages = Object.entries(result.pages).filter(([page]) => !page.endsWith('sign-in'));
    return {
      completed: result.completed,
      errors: result.errors,
      failures: result.failures,
      seconds: round(result.seconds),
      requests: Object.values(result.pages).reduce((sum, page) => sum + page.requests, 0),
      p95_ms_by_page: Object.fromEntries(Object.entries(result.pages).map(([page, each]) => [page, each.p95Ms])),
      worst_application_page_p95_ms: Math.max(...applicationPages.map(([, each]) => each.p95Ms)),
    };
  };
  return {
    benchmark: 'applications',
    database: databaseUrl ? 'postgresql' : 'pglite',
    web_processes: processes,
    families: FAMILIES,
    submitted: Number(submitted.count),
    errors: run.errors + paced.errors,
    no_pause: figures(run),
    paced: { pause_ms: PAUSE_MS, arrival_ms: ARRIVAL_MS, ...figures(paced) },
    hello_world_rps: helloLoad.requestsPerSecond,
    replayed_applications: comparison.applications,
    store_seconds: round(storeSeconds),
    replay_seconds: round(replaySeconds),
    replay_changed: comparison.changed,
  };
}
