// A server killed in the middle of sending a short-breaks application leaves the whole submission or none of it.
// The real server runs as its own process on PostgreSQL; a lock held by the test stops the submission half way
// (its application row changed, its audit row not yet written), and the process is killed there with SIGKILL.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { seedDemoCouncil, DEMO_PASSWORD } from '../src/demo/council.ts';
import { SHIPPED_MODEL } from '../src/features/scoring/service.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { csrfTokenIn } from './helpers/app.ts';
import { RUN_TYPESCRIPT } from './helpers/typescript.ts';

/** Starts `npm start`'s server process on the database, and resolves with its address once it is ready. */
async function startServer(databaseUrl: string): Promise<{ process: ChildProcess; baseUrl: string }> {
  const child = spawn(process.execPath, [...RUN_TYPESCRIPT, 'src/cli.ts', 'serve'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: '0',
      IN_PROCESS_WORKER: 'false',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Reads the output as it comes (and keeps reading, so the server never writes to a closed pipe).
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += String(chunk);
      const ready = /ready at (http:\/\/\S+)/.exec(output);
      if (ready?.[1]) resolve({ process: child, baseUrl: ready[1].replace('localhost', '127.0.0.1') });
    });
    child.on('exit', () => {
      reject(new Error(`The server stopped before it was ready: ${output}`));
    });
  });
}

/** Just enough of a browser for a few requests: keeps cookies. */
class HttpClient {
  private readonly cookies = new Map<string, string>();
  private readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async request(path: string, form?: Record<string, string>) {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : null,
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = pair!.split('=');
      this.cookies.set(name!, value.join('='));
    }
    return { status: response.status, body: await response.text() };
  }

  async signIn(email: string) {
    const token = csrfTokenIn((await this.request('/sign-in')).body);
    const response = await this.request('/sign-in', { _csrf: token, email, password: DEMO_PASSWORD });
    assert.equal(response.status, 303, 'signed in');
  }
}

for (const target of databaseTargets().filter((candidate) => candidate.name === 'postgresql')) {
  describe(`A server killed mid-submission on ${target.name}`, () => {
    let database: TestDatabase;
    let applicationId: string;

    before(async () => {
      database = await target.open();
      await seedDemoCouncil(database.db, 'test');
      const tobi = await database.db
        .selectFrom('children')
        .select(['id', 'la_code'])
        .where('given_name', '=', 'Tobi')
        .executeTakeFirstOrThrow();
      // A draft ready to send, as the family would leave it after the check-your-answers page.
      const { id } = await database.db
        .insertInto('short_break_applications')
        .values({
          la_code: tobi.la_code,
          child_id: tobi.id,
          eligibility: JSON.stringify({ livesInArea: 'yes', evidence: 'ehc_plan' }),
          about: JSON.stringify({
            condition: 'Autism',
            ethnicity: 'REFU',
            parentCarers: 'one',
            siblings: '0',
            youngCarers: 'no_siblings',
          }),
          answers: JSON.stringify(
            Object.fromEntries(SHIPPED_MODEL.questions.map((question) => [question.id, question.options[1]!.id])),
          ),
          child_age: null,
          model_version: null,
          total: null,
          domain_scores: null,
          rule_id: null,
          outcome: null,
          submitted_at: null,
          reference: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      applicationId = id;
    });
    after(async () => {
      await database.dispose();
    });

    const stored = () =>
      database.db
        .selectFrom('short_break_applications')
        .select(['status', 'reference', 'model_version', 'outcome'])
        .where('id', '=', applicationId)
        .executeTakeFirstOrThrow();
    const submitAudits = async () =>
      (
        await database.db
          .selectFrom('audit_events')
          .select('id')
          .where('action', '=', 'submit-short-breaks-application')
          .where('subject_id', '=', applicationId)
          .execute()
      ).length;

    test('killed half way through, nothing of the submission is kept; sent again, all of it is', async () => {
      const url = database.url!;
      const first = await startServer(url);
      const family = new HttpClient(first.baseUrl);
      await family.signIn('parent@demo.pathway.test');
      const check = await family.request(`/short-breaks/applications/${applicationId}/check`);
      assert.equal(check.status, 200);
      const token = csrfTokenIn(check.body);

      // Hold back audit rows, so the submission stops after changing the application and before finishing.
      const blocker = new pg.Client({ connectionString: url });
      await blocker.connect();
      await blocker.query('begin');
      await blocker.query('lock table audit_events in exclusive mode');
      const sending = family
        .request(`/short-breaks/applications/${applicationId}/submit`, { _csrf: token, declaration: 'yes' })
        .catch((error: unknown) => error);
      // Up to a minute: on a busy CI machine a freshly started server can take many seconds to reach the insert.
      let waiting = 0;
      for (let attempt = 0; attempt < 1200 && waiting === 0; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const { rows } = await blocker.query<{ waiting: string }>(
          `select count(*) as waiting from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and query ilike '%audit_events%'`,
        );
        waiting = Number(rows[0]!.waiting);
      }
      assert.equal(waiting, 1, 'the submission is waiting half way through');
      first.process.kill('SIGKILL');
      await once(first.process, 'exit');
      await blocker.query('rollback');
      await blocker.end();
      assert.ok((await sending) instanceof Error, 'the family saw the connection drop');

      // PostgreSQL ends the killed server's transaction once it notices the connection is gone.
      for (let attempt = 0; attempt < 100; attempt++) {
        const { rows } = await database.executeSql(
          `select count(*) as open from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid() and state like 'idle in transaction%'`,
          [],
        );
        if (Number(rows[0]?.open) === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const afterKill = await stored();
      assert.deepEqual(afterKill, { status: 'draft', reference: null, model_version: null, outcome: null });
      assert.equal(await submitAudits(), 0);

      const second = await startServer(url);
      try {
        const again = new HttpClient(second.baseUrl);
        await again.signIn('parent@demo.pathway.test');
        const retry = csrfTokenIn((await again.request(`/short-breaks/applications/${applicationId}/check`)).body);
        const sent = await again.request(`/short-breaks/applications/${applicationId}/submit`, {
          _csrf: retry,
          declaration: 'yes',
        });
        assert.equal(sent.status, 303);
        const whole = await stored();
        assert.equal(whole.status, 'submitted');
        assert.match(whole.reference ?? '', /^SB-[0-9A-F]{8}$/);
        assert.equal(whole.model_version, SHIPPED_MODEL.version);
        assert.equal(await submitAudits(), 1);
      } finally {
        second.process.kill('SIGTERM');
        await once(second.process, 'exit');
      }
    });
  });
}
