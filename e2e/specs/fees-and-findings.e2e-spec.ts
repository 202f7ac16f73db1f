import { expect, test } from '@playwright/test';
import { DEMO, artifact, signedInPage, signedInUserId } from '../support/session.js';

test('the fee summary names each payment rule it applied and warns when the RVU year is not the date of service year', async ({
  browser,
}) => {
  const coder = await signedInPage(browser, DEMO.coder);
  const coderId = await signedInUserId(coder.page);
  const line = (code: string, modifiers: string[] = []) => ({
    code,
    modifiers,
    units: 1,
    pointers: ['A'],
  });
  const created = await coder.page.request.post('/api/encounters', {
    data: {
      patient: {
        mrn: `E2E-FEES-${Date.now()}`,
        name: `Penny Payment ${Date.now() % 100000}`,
        dateOfBirth: '1961-07-19',
      },
      dateOfService: '2026-03-02',
      provider: { name: 'Dana Whitfield, MD', npi: '1234567893' },
      placeOfService: '11',
      clinicalNote: 'Two lesions excised and a wound repaired; both knees injected; blood drawn.',
      diagnoses: ['M17.0'],
      // 12032 and 11402 carry multiple procedure indicator 2; 20610 is bilateral indicator 1; 36415 is a lab draw (status X).
      lines: [line('12032'), line('11402'), line('20610', ['50']), line('36415')],
      coderId,
    },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  await coder.page.goto(`/encounters/${id}`);
  await expect(coder.page.getByTestId('connection-status')).toHaveText('Live');

  const adjustments = coder.page.getByTestId('fee-adjustment');
  await expect(adjustments).toHaveCount(3);
  await expect(adjustments.nth(0)).toContainText('Line 2 11402');
  await expect(adjustments.nth(0).getByTestId('fee-adjustment-reason')).toContainText(
    'multiple procedure reduction: 50%',
  );
  await expect(adjustments.nth(1).getByTestId('fee-adjustment-reason')).toContainText(
    'Bilateral (indicator 1): 150% of the fee',
  );
  await expect(adjustments.nth(2).getByTestId('fee-adjustment-reason')).toContainText(
    'clinical lab fee schedule',
  );
  await expect(coder.page.getByTestId('fee-warning')).toContainText(
    /Priced with the 2025 RVUs \(edition (demo-)?2025\); no 2026 RVU edition is loaded\./,
  );
  await expect(coder.page.getByTestId('fee-source')).toContainText(
    'conversion factor 2026 33.4009',
  );

  await coder.page
    .locator('cs-fee-summary')
    .screenshot({ path: artifact('fee-summary-rules.png') });
  await coder.context.close();
});
