import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { DEMO, artifact, signedInPage } from '../support/session.js';

/**
 * Issue 11's day one, from the UI alone: a supervisor types a new encounter, finds it on the
 * worklist and assigns it; the coder codes and submits it; the reviewer approves it; the
 * supervisor signs it off and exports it, and the FHIR Claim that comes out is read back.
 */

const line = (page: Page, code: string) => page.getByTestId('claim-line').filter({ hasText: code });

interface ClaimJson {
  resourceType: string;
  id: string;
  status: string;
  use: string;
  patient: { reference: string };
  contained: Array<{ resourceType: string; name?: Array<{ text?: string }> }>;
  diagnosis: Array<{
    sequence: number;
    diagnosisCodeableConcept: { coding: Array<{ system: string; code: string }> };
  }>;
  item: Array<{
    sequence: number;
    productOrService: { coding: Array<{ system: string; code: string }> };
    modifier?: Array<{ coding: Array<{ code: string }> }>;
    quantity: { value: number };
    diagnosisSequence: number[];
    servicedDate: string;
  }>;
}

test('a supervisor creates, assigns, signs off and exports a chart the coder coded and the reviewer approved', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const supervisor = await signedInPage(browser, DEMO.supervisor);
  const coder = await signedInPage(browser, DEMO.coder);
  const reviewer = await signedInPage(browser, DEMO.reviewer);
  const patient = `Noor Dayone ${Date.now() % 100000}`;

  // The supervisor types the encounter in.
  const s = supervisor.page;
  await s.getByTestId('new-encounter').click();
  await s.getByTestId('field-patient-name').fill(patient);
  await s.getByTestId('field-mrn').fill(`D1-${Date.now() % 100000}`);
  await s.getByTestId('field-dob').fill('1958-06-30');
  await s.getByTestId('field-dos').fill('2026-03-02');
  await s.getByTestId('field-provider-name').fill('Dana Whitfield, MD');
  await s.getByTestId('field-npi').fill('1234567893');
  await s
    .getByTestId('field-note')
    .fill(
      'Established patient, knee pain right knee. Osteoarthritis. Injection given. Blood pressure reviewed, medication adjusted.',
    );
  for (const code of ['M17.11', 'I10']) {
    await s.getByTestId('form-new-diagnosis').fill(code);
    await s.getByTestId('form-new-diagnosis').press('Enter');
  }
  await expect(s.getByTestId('form-diagnosis')).toHaveCount(2);
  await s.screenshot({ path: artifact('day-one-new-encounter.png'), fullPage: true });
  await s.getByTestId('form-submit').click();
  await expect(s).toHaveURL(/\/encounters\/[0-9a-f-]{36}$/);
  const encounterId = s.url().split('/').pop()!;

  // It waits on the worklist, found by name; the supervisor assigns coder and reviewer from there.
  await s.goto('/worklist?queue=unassigned');
  await s.getByTestId('worklist-search').fill(patient.split(' ')[1]!);
  await expect(s).toHaveURL(/q=Dayone/);
  const row = s.getByTestId('worklist-row').filter({ hasText: patient });
  await expect(row).toHaveCount(1);
  await row.getByTestId('select-row').locator('input').check();
  await s.getByTestId('bulk-assign').click();
  await s.getByTestId('assign-coder').selectOption({ label: DEMO.coder.name });
  await s.getByTestId('assign-reviewer').selectOption({ label: DEMO.reviewer.name });
  await s.screenshot({ path: artifact('day-one-assign.png') });
  await s.getByTestId('confirm-assign').click();
  await expect(s.locator('cs-assign-dialog')).toHaveCount(0);
  await expect(row).toHaveCount(0); // no longer unassigned

  // The coder codes it and submits.
  const c = coder.page;
  await c.goto(`/encounters/${encounterId}`);
  await expect(c.getByTestId('connection-status')).toHaveText('Live');
  for (const [code, modifiers, units, pointers] of [
    ['99213', '25', '1', 'B'],
    ['20610', 'RT', '1', 'A'],
  ] as const) {
    await c.getByTestId('new-line-code').fill(code);
    await c.getByTestId('new-line-modifiers').fill(modifiers);
    await c.getByTestId('new-line-units').fill(units);
    await c.getByTestId('new-line-pointers').fill(pointers);
    await c.getByTestId('add-line').click();
    await expect(line(c, code)).toHaveCount(1);
  }
  await c.getByTestId('transition-submit').click();
  await expect(c.getByTestId('encounter-status')).toHaveText('Submitted');

  // The reviewer accepts both lines and approves.
  const r = reviewer.page;
  await r.goto(`/encounters/${encounterId}`);
  await expect(r.getByTestId('connection-status')).toHaveText('Live');
  await r.getByTestId('transition-review.start').click();
  await expect(r.getByTestId('encounter-status')).toHaveText('In review');
  for (const code of ['99213', '20610']) {
    await line(r, code).getByTestId('accept-line').click();
    await expect(line(r, code)).toHaveAttribute('data-review', 'accepted');
  }
  // 25 bypasses the NCCI edit with the injection: a warning the reviewer acknowledges.
  const bypass = r.locator('[data-testid="finding"][data-rule="ptp-modifier-bypass"]');
  await bypass.getByTestId('acknowledge-finding').click();
  await r.getByTestId('reason').fill('Separate E/M: blood pressure reviewed');
  await r.getByTestId('confirm-reason').click();
  await expect(bypass.getByTestId('finding-ack')).toContainText('Acknowledged by Riley Reviewer');
  await r.getByTestId('transition-approve').click();
  await expect(r.getByTestId('encounter-status')).toHaveText('Approved');

  // The supervisor signs it off and exports the claim.
  await s.goto(`/encounters/${encounterId}`);
  await s.getByTestId('transition-sign-off').click();
  await expect(s.getByTestId('encounter-status')).toHaveText('Signed off');
  await s.getByTestId('export-menu').click();
  const [download] = await Promise.all([
    s.waitForEvent('download'),
    s.getByTestId('export-fhir').click(),
  ]);
  const claim = JSON.parse(await readFile(await download.path(), 'utf8')) as ClaimJson;
  expect(claim).toMatchObject({ resourceType: 'Claim', id: encounterId, status: 'active' });
  expect(claim.use).toBe('claim');
  expect(JSON.stringify(claim.contained)).toContain(patient);
  expect(
    claim.diagnosis.map((d) => [
      d.sequence,
      ...d.diagnosisCodeableConcept.coding.map((x) => x.code),
    ]),
  ).toEqual([
    [1, 'M17.11'],
    [2, 'I10'],
  ]);
  expect(claim.diagnosis[0]!.diagnosisCodeableConcept.coding[0]!.system).toBe(
    'http://hl7.org/fhir/sid/icd-10-cm',
  );
  expect(
    claim.item.map((i) => [
      i.productOrService.coding[0]!.code,
      (i.modifier ?? []).map((m) => m.coding[0]!.code),
      i.quantity.value,
      i.diagnosisSequence,
      i.servicedDate,
    ]),
  ).toEqual([
    ['99213', ['25'], 1, [2], '2026-03-02'],
    ['20610', ['RT'], 1, [1], '2026-03-02'],
  ]);
  await s.screenshot({ path: artifact('day-one-signed-off.png') });

  for (const person of [supervisor, coder, reviewer]) await person.context.close();
});
