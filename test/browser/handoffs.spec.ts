// Every child is someone's work, in a real browser with axe on every page: a team manager allocates from the team's
// unallocated work, the worker finds the child under "My cases", and a step-down out of specialist work waits for
// the manager, who refuses it with a reason.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  assertAccessible,
  skipWithoutBrowser,
  startBrowserHarness,
  type BrowserHarness,
  signedInPage,
} from '../helpers/browser.ts';
import { seedDemoPathway } from '../../src/demo/pathway.ts';

/** Whether the page scrolls sideways: nothing on it may be wider than a phone's screen. */
async function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

describe('handoffs in the browser', { timeout: 180_000 }, () => {
  let harness: BrowserHarness | string;

  before(async () => {
    harness = await startBrowserHarness();
    // The demo pathway: Maryam open to the short breaks team, unallocated; Ibrahim with the social work team.
    if (typeof harness !== 'string') await seedDemoPathway(harness.app.deps.database.db);
  });
  after(async () => {
    if (typeof harness !== 'string') await harness.close();
  });

  test('a manager allocates from unallocated work; the worker finds the child in My cases', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const manager = await signedInPage(harness, 'short.breaks.manager@demo.pathway.test');
    const base = harness.baseUrl;
    await manager.getByRole('link', { name: 'Unallocated work' }).click();
    await assertAccessible(manager);
    await manager.setViewportSize({ width: 375, height: 900 });
    await manager.goto(`${base}/unallocated`);
    await assertAccessible(manager);
    assert.equal(await overflowsSideways(manager), false, 'unallocated work at 375 px');
    assert.match(await manager.locator('main').innerText(), /Maryam Hussain/);
    await manager.getByLabel('Allocate Maryam Hussain to').selectOption({ label: 'Aisha Begum (open cases: 0)' });
    await manager.getByRole('button', { name: 'Allocate Maryam Hussain' }).click();
    await manager.waitForURL(/\/unallocated$/);
    await assertAccessible(manager);
    const after = await manager.locator('main').innerText();
    assert.doesNotMatch(after, /Maryam Hussain/);
    assert.match(after, /Aisha Begum\s+1/);

    const officer = await signedInPage(harness, 'short.breaks@demo.pathway.test');
    await officer.setViewportSize({ width: 375, height: 900 });
    await officer.goto(`${base}/my-cases`);
    await assertAccessible(officer);
    assert.equal(await overflowsSideways(officer), false, 'my cases at 375 px');
    await officer.getByRole('link', { name: 'Maryam Hussain' }).click();
    await assertAccessible(officer);
    assert.match(await officer.locator('main').innerText(), /Worker\s+Aisha Begum/);
  });

  test('work lists fit a phone: the front door’s referrals and a team’s caseload scroll within their own region', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const base = harness.baseUrl;
    for (const [email, path] of [
      ['triage@demo.pathway.test', '/referrals'],
      ['manager@demo.pathway.test', '/caseload'],
    ] as const) {
      const page = await signedInPage(harness, email);
      await page.setViewportSize({ width: 375, height: 900 });
      await page.goto(`${base}${path}`);
      await assertAccessible(page);
      assert.equal(await overflowsSideways(page), false, `${path} at 375 px`);
      await page.context().close();
    }
  });

  test('a social worker proposes a step-down out of specialist work; the manager refuses it', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const worker = await signedInPage(harness, 'social.worker@demo.pathway.test');
    await worker.getByRole('link', { name: 'My cases' }).click();
    await worker.getByRole('link', { name: 'Ibrahim Hussain' }).click();
    await assertAccessible(worker);
    assert.match(await worker.locator('main').innerText(), /waits for a team manager of the child’s team to agree/);
    await worker.getByLabel('Targeted: the short breaks team').check();
    await worker.getByLabel('Why', { exact: true }).fill('Short breaks alone may now be enough.');
    await worker.getByRole('button', { name: 'Save the move' }).click();
    await worker.getByRole('heading', { name: 'Step-down waiting for a manager' }).waitFor();
    assert.match(await worker.locator('main').innerText(), /Specialist: the disabled children's social work team/);
    await assertAccessible(worker);

    const manager = await signedInPage(harness, 'manager@demo.pathway.test');
    await manager.goto(worker.url());
    await manager.getByRole('button', { name: 'Save the decision' }).click();
    assert.match(await manager.locator('.govuk-error-summary').innerText(), /Select whether you agree/);
    await assertAccessible(manager);
    await manager.getByLabel('Refuse: the child stays where they are').check();
    await manager.getByLabel('Your reason').fill('Not until the review has been held.');
    await manager.getByRole('button', { name: 'Save the decision' }).click();
    await manager.getByRole('heading', { name: 'Timeline' }).waitFor();
    const record = await manager.locator('main').innerText();
    assert.match(
      record,
      /Refused the proposed step-down to targeted \(the Short breaks team\): Not until the review has been held\./,
    );
    assert.doesNotMatch(record, /Step-down waiting for a manager/);
    await assertAccessible(manager);
  });
  test('a safety worry: read from the record and by its referrer, and closed only with a reason', async (context) => {
    if (skipWithoutBrowser(harness, context)) return;
    const { db } = harness.app.deps.database;
    const ibrahim = await db
      .selectFrom('children')
      .select('id')
      .where('given_name', '=', 'Ibrahim')
      .executeTakeFirstOrThrow();
    const [referrer, triage] = await Promise.all(
      ['referrer@demo.pathway.test', 'triage@demo.pathway.test'].map((email) =>
        db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow(),
      ),
    );
    const episode = await db
      .selectFrom('episodes')
      .select('id')
      .where('child_id', '=', ibrahim.id)
      .where('ended_at', 'is', null)
      .executeTakeFirstOrThrow();
    // A school's referral with a worry, decided by the front door and passed to the social work team holding him.
    const referral = await db
      .insertInto('referrals')
      .values({
        la_code: 'Z99',
        child_id: ibrahim.id,
        kind: 'professional',
        source_code: '2A',
        requested_by: referrer!.id,
        status: 'decided',
        reference: 'RF-B0A1B2C3',
        details: JSON.stringify({
          givenName: 'Ibrahim',
          familyName: 'Hussain',
          needs: 'He is not sleeping.',
          tried: 'A sleep clinic.',
          consent: 'no',
          safeguarding: 'yes',
          safeguardingDetails: 'A bruise on his arm he would not explain.',
        }),
        safeguarding_concern: true,
        outcome: 'specialist',
        outcome_reason: 'A worry about his safety: his social worker must see him.',
        decided_by: triage!.id,
        decided_at: new Date(),
        decision_effect: 'passed_to_case_holder',
        episode_id: episode.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('timeline_events')
      .values({
        la_code: 'Z99',
        child_id: ibrahim.id,
        kind: 'referral',
        summary: 'Referral RF-B0A1B2C3 from a professional',
        referral_id: referral.id,
      })
      .execute();

    const manager = await signedInPage(harness, 'manager@demo.pathway.test');
    await manager.setViewportSize({ width: 375, height: 900 });
    await manager.goto(`${harness.baseUrl}/children/${ibrahim.id}`);
    const banner = manager.getByRole('region', { name: 'Open worry about the child’s safety' });
    assert.match(await banner.innerText(), /A bruise on his arm he would not explain\./);
    await assertAccessible(manager);
    assert.equal(await overflowsSideways(manager), false, 'the record with a worry at 375 px');
    await banner.getByRole('link', { name: 'Read RF-B0A1B2C3' }).click();
    await manager.getByRole('heading', { name: 'Referral RF-B0A1B2C3' }).waitFor();
    assert.match(await manager.locator('main').innerText(), /Passed to the Disabled children's social work team/);
    await assertAccessible(manager);
    assert.equal(await overflowsSideways(manager), false, 'the referral at 375 px');
    await manager.getByRole('link', { name: /^Back to the child/ }).click();
    await manager.getByRole('button', { name: 'Close the worry' }).click();
    assert.match(await manager.locator('.govuk-error-summary').innerText(), /Enter why the worry can be closed/);
    await assertAccessible(manager);
    await manager.getByLabel('Why the worry can be closed').fill('The strategy discussion found an accidental injury.');
    await manager.getByRole('button', { name: 'Close the worry' }).click();
    await manager.getByRole('heading', { name: 'Timeline' }).waitFor();
    const record = await manager.locator('main').innerText();
    assert.doesNotMatch(record, /Open worry about the child’s safety/);
    assert.match(
      record,
      /Safety worry in referral RF-B0A1B2C3 closed: The strategy discussion found an accidental injury\./,
    );

    const teacher = await signedInPage(harness, 'referrer@demo.pathway.test');
    await teacher.setViewportSize({ width: 375, height: 900 });
    await teacher.goto(`${harness.baseUrl}/referrals/mine`);
    await assertAccessible(teacher);
    assert.equal(await overflowsSideways(teacher), false, 'the referrer’s referrals at 375 px');
    await teacher.getByRole('link', { name: 'RF-B0A1B2C3' }).click();
    const own = await teacher.locator('main').innerText();
    assert.match(own, /Who to contact\s+Megan Lewis, social\.worker@demo\.pathway\.test/);
    assert.match(own, /A bruise on his arm he would not explain\./);
    await assertAccessible(teacher);
  });
});
