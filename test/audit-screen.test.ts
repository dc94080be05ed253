// The audit screen (issue 17): administrators and the Designated Social Care Officer (DSCO) see who viewed or changed
// a child's record, by child, person and dates, and download it as a CSV file that a spreadsheet cannot run; reading
// the trail is itself audited, with ids only. Lists of children people see (a family's own, a referrer's, the front
// door's and the short breaks queue) are audited with the children they showed, and found by the child's filter.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { DEMO_COUNCIL } from '../src/demo/council.ts';
import { toIsoDate } from '../src/domain/working-days.ts';
import { loadMessages } from '../src/web/i18n.ts';
import { recordAudits } from '../src/features/audit/service.ts';
import { AUDIT_ACTIONS } from '../src/features/audit/actions.ts';
import { csvCell, csvOf } from '../src/features/audit/csv.ts';
import { databaseTargets, type TestDatabase } from './helpers/databases.ts';
import { seededApp, signedInClient, TestClient } from './helpers/app.ts';

const ADMIN = 'admin@demo.pathway.test';
const DSCO = 'dsco@demo.pathway.test';
const PARENT = 'parent@demo.pathway.test';
const REFERRER = 'referrer@demo.pathway.test';
const TRIAGE = 'triage@demo.pathway.test';
const OFFICER = 'short.breaks@demo.pathway.test';

/** The table's body rows. */
function rowsOf(html: string): string[] {
  const body = /<tbody class="govuk-table__body">([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return body.split('<tr class="govuk-table__row">').slice(1);
}

/** Every .ts file under a folder. */
function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .map((name) => join(folder, name));
}

describe('the audit screen’s words and file', () => {
  test('every action the code records has plain English words, not its code', () => {
    const english = loadMessages('en');
    const recorded = new Set<string>();
    for (const file of sourceFiles('src')) {
      const source = readFileSync(file, 'utf8');
      // An action as a literal (`action: 'sign-in'`, or either side of `action: x ? 'a' : 'b'`) …
      for (const line of source.split('\n').filter((text) => /\baction: /.test(text))) {
        for (const match of line.matchAll(/'([a-z]+(?:-[a-z]+)+)'/g)) recorded.add(match[1]!);
      }
      // … or passed to a helper that writes the audit row with it.
      for (const match of source.matchAll(/(?:auditList|audit|changeAccount)\([^)]*?'([a-z]+(?:-[a-z]+)+)'/g)) {
        recorded.add(match[1]!);
      }
    }
    // Made from parts: a move between tiers, and a decision on a proposed directory change.
    for (const action of ['step-up', 'step-down', 'approve-service-change', 'reject-service-change']) {
      recorded.add(action);
    }
    assert.ok(recorded.size > 60, `found ${recorded.size} actions`);
    const unnamed = [...recorded].filter((action) => !AUDIT_ACTIONS.has(action));
    assert.deepEqual(unnamed, [], 'actions without words in src/features/audit/actions.ts');
    for (const action of AUDIT_ACTIONS) assert.ok(english.has(`audit.actions.${action}`), action);
  });

  test('a cell a spreadsheet would run as a formula is written as text', () => {
    for (const dangerous of ['=1+1', '+44 1234', '-2', '@SUM(A1)', '\t=1', '\r=1']) {
      assert.ok(csvCell(dangerous).startsWith(`"'`), dangerous);
    }
    assert.equal(csvCell('Sam "Sammy" Okafor'), '"Sam ""Sammy"" Okafor"');
    assert.equal(csvCell(null), '""');
    assert.equal(csvOf([['a', 1]]), '\uFEFF"a","1"\r\n');
  });
});

for (const target of databaseTargets()) {
  describe(`the audit screen on ${target.name}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let admin: TestClient;
    const ids = new Map<string, string>();
    const people = new Map<string, string>();

    before(async () => {
      database = await target.open();
      app = await seededApp(database);
      for (const child of await database.db.selectFrom('children').select(['id', 'given_name']).execute()) {
        ids.set(child.given_name, child.id);
      }
      for (const user of await database.db.selectFrom('users').select(['id', 'email']).execute()) {
        people.set(user.email, user.id);
      }
      admin = await signedInClient(app, ADMIN);
    });
    after(async () => {
      await app.close();
      await database.dispose();
    });

    async function latest(action: string) {
      return database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', action)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
    }

    test('only administrators and the DSCO may open it or download it; others get 403, strangers sign in', async () => {
      for (const path of ['/admin/audit', '/admin/audit/export']) {
        const stranger = await new TestClient(app).get(path);
        assert.equal(stranger.statusCode, 303, path);
        assert.match(String(stranger.headers.location), /^\/sign-in/);
        for (const email of [PARENT, REFERRER, TRIAGE, OFFICER, 'analyst@demo.pathway.test']) {
          const refused = await (await signedInClient(app, email)).get(path);
          assert.equal(refused.statusCode, 403, `${email} ${path}`);
        }
      }
      assert.equal((await admin.get('/admin/audit')).statusCode, 200);
      const dsco = await signedInClient(app, DSCO);
      const page = await dsco.get('/admin/audit');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Audit trail/);
      assert.match(page.body, /href="\/admin\/audit"/, 'the menu offers the audit trail');
    });

    test('a family’s own list of their children is audited with the children it showed', async () => {
      const parent = await signedInClient(app, PARENT);
      assert.equal((await parent.get('/children')).statusCode, 200);
      const children = await latest('view-family-children');
      assert.equal(children.actor_user_id, people.get(PARENT));
      assert.deepEqual([...(children.details.childIds as string[])].sort(), [ids.get('Tobi'), ids.get('Ada')].sort());
      assert.equal((await parent.get('/short-breaks')).statusCode, 200);
      const shortBreaks = await latest('view-family-short-breaks');
      assert.deepEqual(
        [...(shortBreaks.details.childIds as string[])].sort(),
        [ids.get('Tobi'), ids.get('Ada')].sort(),
      );
    });

    test('a referrer’s list, the front door’s and the short breaks queue are audited with their children', async () => {
      await database.db
        .insertInto('referrals')
        .values({
          la_code: DEMO_COUNCIL.laCode,
          child_id: ids.get('Zofia')!,
          kind: 'professional',
          source_code: '2A',
          requested_by: people.get(REFERRER)!,
          status: 'new',
          reference: 'RF-A0D17E57',
        })
        .execute();
      await database.db
        .insertInto('short_break_applications')
        .values({
          la_code: DEMO_COUNCIL.laCode,
          child_id: ids.get('Maryam')!,
          status: 'submitted',
          submitted_at: new Date(),
          reference: 'SB-A0D17E57',
        })
        .execute();
      assert.equal((await (await signedInClient(app, REFERRER)).get('/referrals/mine')).statusCode, 200);
      const mine = await latest('view-own-referrals');
      assert.deepEqual(mine.details.childIds, [ids.get('Zofia')]);
      assert.equal((mine.details.referralIds as string[]).length, 1);
      assert.equal((await (await signedInClient(app, TRIAGE)).get('/referrals')).statusCode, 200);
      assert.ok(((await latest('view-new-referrals')).details.childIds as string[]).includes(ids.get('Zofia')!));
      assert.equal((await (await signedInClient(app, OFFICER)).get('/short-breaks/queue')).statusCode, 200);
      assert.ok(((await latest('view-short-breaks-queue')).details.childIds as string[]).includes(ids.get('Maryam')!));
    });

    test('by child: the child’s record and the lists that showed them, in plain English, named', async () => {
      const page = await admin.get('/admin/audit?child=tobi');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /1 child matches: Tobi Okafor/);
      const rows = rowsOf(page.body);
      assert.ok(rows.length >= 2);
      assert.ok(rows.some((row) => /Viewed their children/.test(row) && /Sam Okafor/.test(row)));
      assert.ok(rows.some((row) => /Viewed their children’s short breaks/.test(row)));
      assert.ok(
        rows.every((row) => /Tobi Okafor/.test(row)),
        'every event names the child',
      );
      assert.doesNotMatch(page.body, /view-family-children/, 'never the raw action code');
      assert.doesNotMatch(page.body, /Zofia/, 'other children’s events are left out');
      const byId = await admin.get(`/admin/audit?child=${ids.get('Zofia')!}`);
      assert.ok(rowsOf(byId.body).some((row) => /Viewed the referrals they sent/.test(row)));
      assert.doesNotMatch(byId.body, /Viewed their children</);
      const nobody = await admin.get('/admin/audit?child=Nobodyatall');
      assert.match(nobody.body, /No child’s name holds those words/);
      assert.match(nobody.body, /No events match these filters/);
    });

    test('by person and by dates; dates that are not dates are explained, with the answers kept', async () => {
      const parentId = people.get(PARENT)!;
      const byPerson = await admin.get(`/admin/audit?person=${parentId}`);
      const rows = rowsOf(byPerson.body);
      assert.ok(rows.length >= 3);
      assert.ok(rows.every((row) => /Sam Okafor/.test(row)));
      assert.ok(rows.some((row) => /Parent or carer/.test(row)));
      const [year, month, day] = toIsoDate(new Date()).split('-') as [string, string, string];
      const today = `fromDay=${day}&fromMonth=${month}&fromYear=${year}&toDay=${day}&toMonth=${month}&toYear=${year}`;
      assert.ok(rowsOf((await admin.get(`/admin/audit?person=${parentId}&${today}`)).body).length >= 3);
      const future = await admin.get(`/admin/audit?person=${parentId}&fromDay=1&fromMonth=1&fromYear=2099`);
      assert.equal(rowsOf(future.body).length, 0);
      const wrong = await admin.get('/admin/audit?fromDay=31&fromMonth=2&fromYear=2026&child=ada');
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /govuk-error-summary/);
      assert.match(wrong.body, /href="#fromDay"/);
      assert.match(wrong.body, /value="ada"/);
      const backwards = await admin.get(
        '/admin/audit?fromDay=2&fromMonth=3&fromYear=2026&toDay=1&toMonth=3&toYear=2026',
      );
      assert.equal(backwards.statusCode, 400);
      assert.match(backwards.body, /must be the same as or after/);
      assert.equal((await admin.get('/admin/audit?person=not-an-id')).statusCode, 400);
    });

    test('a page at a time, the filters kept from page to page', async () => {
      const triageId = people.get(TRIAGE)!;
      await recordAudits(
        database.db,
        Array.from({ length: 60 }, () => ({
          laCode: DEMO_COUNCIL.laCode,
          actorUserId: triageId,
          actorRole: 'triage_worker',
          action: 'view-child-record',
          requestId: 'paging-test',
          subjectChildId: ids.get('Yusuf')!,
        })),
      );
      const first = await admin.get(`/admin/audit?person=${triageId}&child=yusuf`);
      assert.equal(rowsOf(first.body).length, 50);
      assert.match(first.body, /Page 1 of 2/);
      const next = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">/.exec(first.body)?.[1];
      assert.ok(next, 'a link to the next page');
      const second = await admin.get(next.replaceAll('&amp;', '&'));
      assert.equal(rowsOf(second.body).length, 10);
      assert.match(second.body, /Page 2 of 2/);
    });

    test('the pages after the first show the trail as it was on the first: reading it, which it records, shifts nothing', async () => {
      const total = (html: string) => Number(/([\d,]+) events/.exec(html)?.[1]?.replaceAll(',', ''));
      const first = await admin.get('/admin/audit');
      assert.equal(rowsOf(first.body).length, 50);
      // Others read and change records meanwhile (and this reading is itself recorded).
      await admin.get('/admin/audit');
      await admin.get('/admin/users');
      const next = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">/.exec(first.body)?.[1];
      assert.ok(next);
      assert.match(next, /upTo=\d+/);
      const second = await admin.get(next.replaceAll('&amp;', '&'));
      assert.equal(total(second.body), total(first.body), 'the same trail, page after page');
      const shown = Math.min(50, total(first.body) - 50);
      assert.equal(rowsOf(second.body).length, shown);
      const fresh = await admin.get('/admin/audit');
      assert.ok(total(fresh.body) > total(first.body), 'a new reading starts from now');
      assert.match(rowsOf(fresh.body)[0] ?? '', /Viewed the audit trail/);
    });

    test('the CSV: every filtered event, as an attachment, and a name that looks like a formula is text', async () => {
      await database.db
        .updateTable('users')
        .set({ display_name: '=HYPERLINK("http://evil.example","Click")' })
        .where('email', '=', TRIAGE)
        .execute();
      await signedInClient(app, TRIAGE);
      const file = await admin.get(`/admin/audit/export?person=${people.get(TRIAGE)!}`);
      assert.equal(file.statusCode, 200);
      assert.match(String(file.headers['content-type']), /^text\/csv/);
      assert.match(
        String(file.headers['content-disposition']),
        /^attachment; filename="audit-trail-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      const lines = file.body
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      assert.match(lines[0]!, /^"When \(UK time\)","Person",/);
      assert.ok(lines.length > 61, 'every event, not one page');
      assert.ok(lines.slice(1).every((line) => line.includes(`"'=HYPERLINK(""http://evil.example""`)));
      assert.ok(lines.some((line) => line.includes('"Signed in","sign-in"')));
      assert.ok(!lines.some((line) => /,"=/.test(line)), 'no cell starts with =');
      const byChild = await admin.get(`/admin/audit/export?child=${ids.get('Tobi')!}`);
      assert.ok(byChild.body.includes('"Viewed their children","view-family-children"'));
    });

    test('reading and downloading the trail are audited, with ids and dates, never the name typed', async () => {
      await admin.get('/admin/audit?child=tobi&fromDay=1&fromMonth=1&fromYear=2026');
      const viewed = await latest('view-audit-trail');
      assert.equal(viewed.actor_user_id, people.get(ADMIN));
      assert.equal(viewed.actor_role, 'administrator');
      assert.deepEqual(viewed.details.filters, { childIds: [ids.get('Tobi')], from: '2026-01-01' });
      assert.doesNotMatch(JSON.stringify(viewed.details), /tobi/i);
      // The page names children, so it is audited as a list of them: every child it showed.
      assert.ok((viewed.details.childIds as string[]).includes(ids.get('Tobi')!));
      await admin.get('/admin/audit/export?child=tobi');
      const exported = await latest('export-audit-trail');
      assert.deepEqual(exported.details.filters, { childIds: [ids.get('Tobi')] });
      assert.ok((exported.details.childIds as string[]).includes(ids.get('Tobi')!));
      assert.equal(typeof exported.details.count, 'number');
      const page = await admin.get(`/admin/audit?person=${people.get(ADMIN)!}`);
      assert.ok(rowsOf(page.body).some((row) => /Downloaded the audit trail/.test(row)));
      assert.ok(rowsOf(page.body).some((row) => /Viewed the audit trail/.test(row)));
    });
  });
}
