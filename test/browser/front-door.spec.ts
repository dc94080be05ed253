// A professional refers a child and the front door decides, in a real browser with axe on every page.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertAccessible, browserSuite, signedInPage } from '../helpers/browser.ts';

describe('the front door in the browser', { timeout: 180_000 }, () => {
  const suite = browserSuite();

  test('a teacher refers a child; the front door decides the same day', async (context) => {
    const harness = suite.harnessFor(context);
    if (!harness) return;
    const teacher = await signedInPage(harness, 'referrer@demo.pathway.test');
    await teacher.getByRole('link', { name: 'Your referrals' }).click();
    await assertAccessible(teacher);
    await teacher.getByRole('link', { name: 'Make a referral to the front door' }).first().click();
    await assertAccessible(teacher);
    await teacher.getByLabel('Where do you work?').selectOption('A school');
    await teacher.getByRole('button', { name: 'Start' }).click();

    await teacher.getByRole('button', { name: 'Continue' }).click();
    assert.match(await teacher.locator('.govuk-error-summary').innerText(), /Enter the child’s first name/);
    await assertAccessible(teacher);
    await teacher.getByLabel('First name').fill('Mia');
    await teacher.getByLabel('Last name').fill('Lowe');
    await teacher.getByLabel('Day').fill('4');
    await teacher.getByLabel('Month').fill('2');
    await teacher.getByLabel('Year').fill('2017');
    await teacher.getByLabel('Postcode where the child lives').fill('NM1 2AB');
    await teacher.getByRole('button', { name: 'Continue' }).click();

    await assertAccessible(teacher);
    await teacher.getByLabel("The child's disability or illness").check();
    await teacher.getByLabel('What do the child and family need?').fill('A break for her parents at weekends.');
    await teacher.getByLabel('What has been tried so far?').fill('Nothing yet.');
    await teacher.getByRole('button', { name: 'Continue' }).click();

    await assertAccessible(teacher);
    await teacher.getByRole('group', { name: 'Does the family agree to this referral?' }).getByLabel('Yes').check();
    await teacher.getByRole('group', { name: "Are you worried about the child's safety?" }).getByLabel('No').check();
    await teacher.getByRole('button', { name: 'Continue' }).click();

    await teacher.waitForURL(/\/check$/);
    await assertAccessible(teacher);
    await teacher.getByRole('button', { name: 'Send referral' }).click();
    await teacher.waitForURL(/\/sent$/);
    assert.match(await teacher.locator('.govuk-panel').innerText(), /Referral sent[\s\S]*RF-[0-9A-F]{8}/);
    await assertAccessible(teacher);

    const triage = await signedInPage(harness, 'triage@demo.pathway.test');
    await triage.getByRole('link', { name: 'New referrals' }).click();
    await assertAccessible(triage);
    await triage.getByRole('link', { name: 'Mia Lowe' }).click();
    await assertAccessible(triage);
    assert.match(await triage.locator('main').innerText(), /No child the council knows looks like this child/);
    await triage.getByRole('button', { name: 'Make a new record for this child' }).click();
    await triage.getByRole('link', { name: "Open Mia Lowe's record" }).waitFor();
    await assertAccessible(triage);
    await triage.getByLabel('Targeted help from the short breaks team').check();
    await triage.getByLabel('Why').fill('Short breaks would give the family a rest.');
    await triage.getByRole('button', { name: 'Save decision' }).click();
    assert.match(await triage.locator('main').innerText(), /Targeted help from the short breaks team: Short breaks/);
    await assertAccessible(triage);
    await triage.context().close();

    await teacher.goto(`${harness.baseUrl}/referrals/mine`);
    assert.match(await teacher.locator('main').innerText(), /Short breaks team: the family is invited to apply/);
    await assertAccessible(teacher);
    await teacher.context().close();
  });

  test('a parent asks the council for help for their child', async (context) => {
    const harness = suite.harnessFor(context);
    if (!harness) return;
    const parent = await signedInPage(harness, 'parent@demo.pathway.test');
    await parent.getByRole('link', { name: 'Ask for help' }).click();
    await assertAccessible(parent);
    await parent.getByRole('button', { name: 'Send' }).click();
    assert.match(await parent.locator('.govuk-error-summary').innerText(), /Tell us what would help/);
    await assertAccessible(parent);
    await parent.getByLabel('Tobi Okafor').check();
    await parent.getByLabel('What would help your child and your family?').fill('A rest at weekends.');
    await parent.getByRole('group', { name: "Are you worried about anyone's safety?" }).getByLabel('No').check();
    await parent.getByRole('button', { name: 'Send' }).click();
    await parent.waitForURL(/\/ask-for-help\/sent/);
    assert.match(await parent.locator('.govuk-panel').innerText(), /We have your request[\s\S]*RF-[0-9A-F]{8}/);
    await assertAccessible(parent);
    await parent.getByRole('link', { name: 'Ask for help' }).click();
    assert.match(await parent.locator('main').innerText(), /Your requests[\s\S]*Waiting for the front door/);
    await assertAccessible(parent);
    // The confirmation is among the council's messages to them, opened by keyboard as by mouse, in Urdu too.
    await parent.getByRole('link', { name: 'Messages' }).click();
    await parent.getByText('We have your request for help for Tobi').first().click();
    assert.match(await parent.locator('main').innerText(), /within one working day/);
    await assertAccessible(parent);
    await parent.goto(`${harness.baseUrl}/messages?lang=ur`);
    await parent.getByRole('heading', { name: 'کونسل کے پیغامات' }).waitFor();
    assert.equal(await parent.locator('.govuk-details__summary-text').first().getAttribute('dir'), 'ltr');
    await assertAccessible(parent);
    await parent.context().close();
  });
});
