import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { DEMO, signedInPage } from '../support/session.js';

/**
 * Charts in from the UI: a coder types a new encounter and corrects its header while it is a
 * draft; a supervisor imports a small CSV with one bad row, sees it marked, imports the good
 * rows, opens a created chart, and importing the same file again creates nothing new.
 */

test('a coder creates an encounter from the form, then edits its header while a draft', async ({
  browser,
}) => {
  const { page } = await signedInPage(browser, DEMO.coder);
  const name = `Ada Intake ${Date.now() % 100000}`;
  await page.getByTestId('new-encounter').click();
  await expect(page).toHaveURL(/\/encounters\/new$/);

  // Nothing sent while fields are missing: each says what is wrong.
  await page.getByTestId('form-submit').click();
  await expect(page.getByTestId('error-patient.name')).toHaveText('Patient name is required');

  await page.getByTestId('field-patient-name').fill(name);
  await page.getByTestId('field-mrn').fill('MRN-E2E-1');
  await page.getByTestId('field-dob').fill('1980-02-29');
  await page.getByTestId('field-dos').fill('2025-10-14');
  await page.getByTestId('field-provider-name').fill('Dana Lee, MD');
  await page.getByTestId('field-npi').fill('1234567893');
  await page.getByTestId('field-note').fill('Follow-up for type 2 diabetes. A1c 7.1.');
  await page.getByTestId('form-new-diagnosis').fill('E11.9');
  await page.getByTestId('form-new-diagnosis').press('Enter');
  await expect(page.getByTestId('form-diagnosis')).toHaveCount(1);
  await page.getByTestId('field-assign-me').locator('input').check();
  await page.getByTestId('form-submit').click();

  await expect(page).toHaveURL(/\/encounters\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('encounter-patient')).toHaveText(name);
  await expect(page.getByTestId('connection-status')).toHaveText('Live');
  await expect(page.getByTestId('diagnosis')).toHaveCount(1);

  await page.getByTestId('edit-header').click();
  await page.getByTestId('field-provider-name').fill('Dana Lee-Park, MD');
  await page.getByTestId('form-submit').click();
  await expect(page.getByTestId('encounter-form')).toHaveCount(0);
  await expect(page.locator('.facts')).toContainText('Dana Lee-Park, MD');
});

test('a supervisor imports a CSV: the bad row is marked, the good rows are created, a second import creates nothing', async ({
  browser,
}) => {
  const { page } = await signedInPage(browser, DEMO.supervisor);
  const run = Date.now() % 1_000_000;
  const csv = [
    'source_system,source_id,patient_name,mrn,date_of_birth,date_of_service,provider_name,provider_npi,place_of_service,diagnoses,note_text',
    `e2e-${run},V-1,Bea Import ${run},MRN-I1,1970-01-02,2025-10-14,Dana Lee MD,1234567893,11,E11.9,Visit one`,
    `e2e-${run},V-2,Cal Import ${run},MRN-I2,1971-03-04,2025-10-15,Dana Lee MD,,11,,Visit two`,
    `e2e-${run},V-3,Dee Import ${run},MRN-I3,1972-05-06,2025-13-40,Dana Lee MD,,11,,Visit three`,
  ].join('\n');
  const file = { name: 'visits.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) };

  await page.getByTestId('open-import').click();
  await expect(page).toHaveURL(/\/import$/);
  await page.getByTestId('import-file').setInputFiles(file);
  await expect(page.getByTestId('import-preview')).toBeVisible();
  await expect(page.getByTestId('import-row')).toHaveCount(3);
  const bad = page.locator('[data-testid="import-row"][data-action="invalid"]');
  await expect(bad).toHaveCount(1);
  await expect(bad.getByTestId('row-error')).toContainText('date_of_service');
  await expect(page.getByTestId('import-all')).toBeDisabled();
  await expect(page.getByTestId('import-all-reason')).toContainText('1 row is invalid');

  await page.getByTestId('import-good').click();
  await expect(page.getByTestId('import-summary')).toContainText('2 charts created');
  await expect(page.getByTestId('import-created').locator('a')).toHaveCount(2);
  await page.getByTestId('import-created').getByText(`Bea Import ${run}`).click();
  await expect(page.getByTestId('encounter-patient')).toHaveText(`Bea Import ${run}`);

  await page.goto('/import');
  await page.getByTestId('import-file').setInputFiles(file);
  await expect(page.locator('[data-testid="import-row"][data-action="exists"]')).toHaveCount(2);
  await expect(page.getByTestId('import-good')).toBeDisabled();
});

test('a supervisor imports a FHIR Bundle from the page and opens a chart it created', async ({
  browser,
}) => {
  const { page } = await signedInPage(browser, DEMO.supervisor);
  const run = Date.now() % 1_000_000;
  const path = fileURLToPath(
    new URL('../../server/test/intake/fixtures/good-bundle.json', import.meta.url),
  );
  // The fixture's encounters under ids of this run, so a second run imports them anew.
  const text = (await readFile(path, 'utf8')).replace(/FHIR-ENC-(\d)/g, `FHIR-ENC-$1-${run}`);
  await page.getByTestId('open-import').click();
  await page.getByTestId('import-file').setInputFiles({
    name: 'bundle.json',
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
  await expect(page.getByTestId('import-preview')).toBeVisible();
  await expect(page.locator('[data-testid="import-row"][data-action="create"]')).toHaveCount(2);
  await page.getByTestId('import-all').click();
  await expect(page.getByTestId('import-summary')).toContainText('2 charts created');
  await page.getByTestId('import-created').getByText('Avery Quinlan').click();
  await expect(page.getByTestId('encounter-patient')).toHaveText('Avery Quinlan');
  await expect(page.getByTestId('diagnosis')).toHaveCount(2);
});
