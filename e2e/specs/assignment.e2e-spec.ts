import { expect, test } from '@playwright/test';
import { DEMO, NOTE, artifact, signedInPage } from '../support/session.js';

/**
 * A draft nobody codes is not a dead end: the coder claims it from the chart page, the
 * supervisor assigns its reviewer in the dialog, and both see each change live and in the history.
 */
test('a coder claims an unassigned chart and a supervisor assigns its reviewer, seen live by both', async ({
  browser,
}) => {
  const supervisor = await signedInPage(browser, DEMO.supervisor);
  const coder = await signedInPage(browser, DEMO.coder);
  const created = await supervisor.page.request.post('/api/encounters', {
    data: {
      patient: { mrn: `E2E-${Date.now()}`, name: 'Jordan Unassigned', dateOfBirth: '1961-07-19' },
      dateOfService: '2026-03-02',
      provider: { name: 'Dana Whitfield, MD', npi: '1234567893' },
      placeOfService: '11',
      clinicalNote: NOTE,
      diagnoses: ['M17.11'],
    },
  });
  expect(created.status()).toBe(201);
  const id = ((await created.json()) as { id: string }).id;

  for (const { page } of [supervisor, coder]) {
    await page.goto(`/encounters/${id}`);
    await expect(page.getByTestId('connection-status')).toHaveText('Live');
    await expect(page.getByTestId('next-step')).toHaveText(
      'Unassigned: waiting for a coder to claim it.',
    );
  }
  await expect(supervisor.page.getByTestId('claim-chart')).toHaveCount(0);

  await coder.page.getByTestId('claim-chart').click();
  await expect(coder.page.getByTestId('next-step')).toHaveText(
    'Coding: waiting for you to submit.',
  );
  await expect(supervisor.page.getByTestId('coder-name')).toHaveText(DEMO.coder.name);

  await supervisor.page.getByTestId('assign-chart').click();
  await supervisor.page.getByTestId('assign-reviewer').selectOption({ label: DEMO.reviewer.name });
  await supervisor.page.screenshot({ path: artifact('assignment-dialog.png') });
  await supervisor.page.getByTestId('confirm-assign').click();
  await expect(supervisor.page.locator('cs-assign-dialog')).toHaveCount(0);
  await expect(coder.page.getByTestId('reviewer-name')).toHaveText(DEMO.reviewer.name);

  await coder.page.getByTestId('open-history').click();
  const history = coder.page.locator('cs-history-panel');
  await expect(history).toContainText(`${DEMO.coder.name} claimed the chart`);
  await expect(history).toContainText(
    `${DEMO.supervisor.name} assigned ${DEMO.reviewer.name} as reviewer`,
  );
  await coder.page.screenshot({ path: artifact('assignment-history.png') });
});
