// A manager steps a child up and allocates a worker; the worker steps the child down: in a real browser with axe
// on every page.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertAccessible, browserSuite, signedInOnChildRecord, signedInPage } from '../helpers/browser.ts';

describe('the pathway in the browser', { timeout: 180_000 }, () => {
  const suite = browserSuite();

  test('a manager steps a child up and allocates; the social worker steps the child down', async (context) => {
    const harness = suite.harnessFor(context);
    if (!harness) return;
    const manager = await signedInOnChildRecord(harness, 'manager@demo.pathway.test', 'Zofia');
    await assertAccessible(manager);
    await manager.getByLabel("Specialist: the disabled children's social work team").check();
    await manager.getByRole('button', { name: 'Save the move' }).click();
    assert.match(await manager.locator('.govuk-error-summary').innerText(), /Enter why/);
    await assertAccessible(manager);
    await manager.getByLabel("Specialist: the disabled children's social work team").check();
    await manager.getByLabel('Why').fill('A safety worry raised by her school.');
    await manager.getByRole('button', { name: 'Save the move' }).click();
    await manager.getByLabel('Allocate to').selectOption('Megan Lewis');
    await manager.getByRole('button', { name: 'Allocate' }).click();
    assert.match(await manager.locator('main').innerText(), /Allocated to Megan Lewis/);
    await assertAccessible(manager);
    await manager.getByRole('button', { name: 'Authorise the assessment' }).click();
    await manager.getByLabel(/Learning disability: concerns about the child’s learning disability/).check();
    await manager.getByRole('button', { name: 'Record the assessment' }).click();
    assert.match(await manager.locator('main').innerText(), /Social work assessment completed \(census factors 5A\)/);
    await manager.getByLabel("Diagnosed with autism or Asperger's syndrome").check();
    await manager.getByRole('button', { name: 'Save disabilities' }).click();
    assert.match(await manager.locator('main').innerText(), /Disabilities recorded \(census codes AUT\)/);
    await assertAccessible(manager);
    await manager.context().close();

    const worker = await signedInPage(harness, 'social.worker@demo.pathway.test');
    await worker.getByRole('link', { name: 'Caseload' }).click();
    await assertAccessible(worker);
    await worker.getByRole('link', { name: 'Zofia Nowak' }).click();
    await worker.getByLabel('Universal: close the episode').check();
    await worker.getByLabel('Why').fill('The assessment found no further need.');
    await worker.getByLabel(/Reason for closing/).selectOption('Closed after assessment: no further action');
    await worker.getByRole('button', { name: 'Save the move' }).click();
    // Out of specialist work, the worker's move waits for a manager of the child's team to agree.
    assert.match(await worker.locator('main').innerText(), /Step-down waiting for a manager/);
    await assertAccessible(worker);
    const recordUrl = worker.url();
    await worker.context().close();

    const agreeing = await signedInPage(harness, 'manager@demo.pathway.test');
    await agreeing.goto(recordUrl);
    await agreeing.getByLabel('Agree: make the move').check();
    await agreeing.getByLabel('Your reason').fill('Agreed: the assessment found no further need.');
    await agreeing.getByRole('button', { name: 'Save the decision' }).click();
    assert.match(
      await agreeing.locator('main').innerText(),
      /Stepped down from specialist \(the Disabled children's social work team\) to universal \(services open to every family\)/,
    );
    await assertAccessible(agreeing);
    await agreeing.context().close();
  });

  test('a triage worker corrects a child’s details and adds a grandparent to the record', async (context) => {
    const harness = suite.harnessFor(context);
    if (!harness) return;
    const triage = await signedInOnChildRecord(harness, 'triage@demo.pathway.test', 'Tobi');
    await triage.getByRole('link', { name: "Change the child's details" }).click();
    await assertAccessible(triage);
    await triage.getByLabel(/Unique pupil number/).fill('A123456789123');
    await triage.getByRole('button', { name: "Save the child's details" }).click();
    assert.match(await triage.locator('.govuk-error-summary').innerText(), /Enter a real unique pupil number/);
    await assertAccessible(triage);
    await triage.getByLabel(/Unique pupil number/).fill('Y351201321005');
    await triage.getByLabel('Postcode').fill('NM1 2AB');
    await triage.getByRole('button', { name: "Save the child's details" }).click();
    assert.match(await triage.locator('main').innerText(), /Record corrected: postcode, unique pupil number/);

    await triage.getByRole('link', { name: "Add a person in the child's life" }).click();
    await triage.getByRole('button', { name: 'Add this person' }).click();
    assert.match(await triage.locator('.govuk-error-summary').innerText(), /Enter the person’s name/);
    await assertAccessible(triage);
    await triage.getByLabel('Their full name').fill('Grace Okafor');
    await triage.getByLabel('grandparent').check();
    await triage
      .getByRole('group', { name: /parental responsibility/ })
      .getByLabel('No')
      .check();
    await triage
      .getByRole('group', { name: /live with the child/ })
      .getByLabel('No')
      .check();
    await triage.getByRole('button', { name: 'Add this person' }).click();
    assert.match(await triage.locator('main').innerText(), /Grace Okafor \(grandparent; lives elsewhere\)/);
    await assertAccessible(triage);
    await triage.context().close();
  });
});
