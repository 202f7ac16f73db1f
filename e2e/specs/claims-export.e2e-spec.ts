import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { DEMO, artifact, createEncounter, signedInPage } from '../support/session.js';

/** The claim line row with `code`. */
const line = (page: Page, code: string) => page.getByTestId('claim-line').filter({ hasText: code });

async function addLine(page: Page, code: string, units: string, pointers: string) {
  await page.getByTestId('new-line-code').fill(code);
  await page.getByTestId('new-line-modifiers').fill('');
  await page.getByTestId('new-line-units').fill(units);
  await page.getByTestId('new-line-pointers').fill(pointers);
  await page.getByTestId('add-line').click();
  await expect(line(page, code)).toHaveCount(1);
}

interface ClaimJson {
  resourceType: string;
  id: string;
  status: string;
  diagnosis: Array<{
    sequence: number;
    diagnosisCodeableConcept: { coding: Array<{ code: string }> };
  }>;
  item: Array<{
    sequence: number;
    productOrService: { coding: Array<{ system: string; code: string }> };
    quantity: { value: number };
    diagnosisSequence: number[];
  }>;
}

test('a signed-off chart leaves as a FHIR Claim and in the bulk export, rejected line left out', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const coder = await signedInPage(browser, DEMO.coder);
  const reviewer = await signedInPage(browser, DEMO.reviewer);
  const supervisor = await signedInPage(browser, DEMO.supervisor);
  const patient = `Erin Export ${Date.now() % 100000}`;
  const encounterId = await createEncounter(coder.page, patient);

  await coder.page.goto(`/encounters/${encounterId}`);
  await expect(coder.page.getByTestId('connection-status')).toHaveText('Live');
  await addLine(coder.page, '99213', '1', 'B');
  await addLine(coder.page, 'J3301', '4', 'A');
  await addLine(coder.page, '73562', '1', 'A');

  // Before sign-off the menu says the export is on request, a draft.
  await coder.page.getByTestId('export-menu').click();
  await expect(coder.page.getByTestId('export-on-request')).toContainText('draft');
  await coder.page.keyboard.press('Escape');

  await coder.page.getByTestId('transition-submit').click();
  await expect(coder.page.getByTestId('encounter-status')).toHaveText('Submitted');

  await reviewer.page.goto(`/encounters/${encounterId}`);
  await expect(reviewer.page.getByTestId('connection-status')).toHaveText('Live');
  await reviewer.page.getByTestId('transition-review.start').click();
  await expect(reviewer.page.getByTestId('encounter-status')).toHaveText('In review');
  for (const code of ['99213', 'J3301']) {
    await line(reviewer.page, code).getByTestId('accept-line').click();
    await expect(line(reviewer.page, code)).toHaveAttribute('data-review', 'accepted');
  }
  await line(reviewer.page, '73562').getByTestId('reject-line').click();
  await reviewer.page.getByTestId('reject-category').selectOption('unsupported');
  await reviewer.page.getByTestId('reject-comment').fill('No imaging was done today');
  await reviewer.page.getByTestId('send-reject').click();
  await expect(line(reviewer.page, '73562')).toHaveAttribute('data-review', 'rejected');
  await reviewer.page.getByTestId('transition-approve').click();
  await expect(reviewer.page.getByTestId('encounter-status')).toHaveText('Approved');

  await supervisor.page.goto(`/encounters/${encounterId}`);
  await supervisor.page.getByTestId('transition-sign-off').click();
  await expect(supervisor.page.getByTestId('encounter-status')).toHaveText('Signed off');

  // The chart's Export menu: the FHIR Claim, read back.
  await supervisor.page.getByTestId('export-menu').click();
  await expect(supervisor.page.getByTestId('export-on-request')).toHaveCount(0);
  await supervisor.page.screenshot({ path: artifact('export-menu.png') });
  const [download] = await Promise.all([
    supervisor.page.waitForEvent('download'),
    supervisor.page.getByTestId('export-fhir').click(),
  ]);
  expect(download.suggestedFilename()).toBe(`claim-${encounterId}.json`);
  const claim = JSON.parse(await readFile(await download.path(), 'utf8')) as ClaimJson;
  expect(claim).toMatchObject({ resourceType: 'Claim', id: encounterId, status: 'active' });
  expect(claim.diagnosis.map((d) => d.diagnosisCodeableConcept.coding[0]!.code)).toEqual([
    'M17.11',
    'I10',
  ]);
  expect(
    claim.item.map((i) => [
      i.sequence,
      i.productOrService.coding[0]!.code,
      i.quantity.value,
      i.diagnosisSequence,
    ]),
  ).toEqual([
    [1, '99213', 1, [2]],
    [2, 'J3301', 4, [1]],
  ]);
  expect(claim.item[1]!.productOrService.coding[0]!.system).toBe(
    'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
  );

  // The bulk export page: today's sign-offs as NDJSON hold this chart.
  await supervisor.page.getByTestId('nav-exports').click();
  await expect(supervisor.page).toHaveURL(/\/exports$/);
  await supervisor.page.getByRole('radio', { name: /FHIR NDJSON/ }).check();
  await expect(supervisor.page.getByTestId('export-download')).toHaveAttribute(
    'href',
    /format=ndjson/,
  );
  await supervisor.page.screenshot({ path: artifact('export-bulk.png') });
  const [bulk] = await Promise.all([
    supervisor.page.waitForEvent('download'),
    supervisor.page.getByTestId('export-download').click(),
  ]);
  expect(bulk.suggestedFilename()).toMatch(/^claims-signed-off-.*\.ndjson$/);
  const claims = (await readFile(await bulk.path(), 'utf8'))
    .trim()
    .split('\n')
    .map((text) => JSON.parse(text) as ClaimJson);
  expect(
    claims.find((c) => c.id === encounterId)?.item.map((i) => i.productOrService.coding[0]!.code),
  ).toEqual(['99213', 'J3301']);

  for (const person of [coder, reviewer, supervisor]) await person.context.close();
});
