import { expect, test } from '@playwright/test';
import { DEMO, artifact, createEncounter, signedInPage } from '../support/session.js';

test('an admin verifies a chart’s event chain and sees who opened it', async ({ browser }) => {
  const coder = await signedInPage(browser, DEMO.coder);
  const encounterId = await createEncounter(coder.page, `Audrey Audit ${Date.now() % 100000}`);
  await coder.page.goto(`/encounters/${encounterId}`);
  await expect(coder.page.getByTestId('connection-status')).toHaveText('Live');
  await coder.page.getByTestId('new-line-code').fill('99213');
  await coder.page.getByTestId('new-line-pointers').fill('A');
  await coder.page.getByTestId('new-line-pointers').press('Enter');
  await expect(coder.page.getByTestId('claim-line')).toHaveCount(1);

  const admin = await signedInPage(browser, DEMO.admin);
  await admin.page.getByTestId('nav-audit').click();
  await expect(admin.page).toHaveURL(/\/admin\/audit$/);
  await expect(admin.page.getByTestId('audit-chart').first()).toBeVisible();

  await admin.page.goto(`/admin/audit?chart=${encounterId}`);
  const verdict = admin.page.getByTestId('audit-verdict');
  await expect(verdict).toHaveAttribute('data-ok', 'true');
  await expect(verdict).toContainText('Chain verified. 2 events');
  await expect(admin.page.getByTestId('audit-head')).toHaveText(/^[0-9a-f]{64}$/);
  const reads = admin.page.getByTestId('audit-read');
  await expect(
    reads.filter({ hasText: DEMO.coder.name }).filter({ hasText: 'socket room:join' }),
  ).not.toHaveCount(0);
  await admin.page.screenshot({ path: artifact('admin-audit.png'), fullPage: true });

  // A demo chart picked from the list verifies too. (The demo's generated review history, QH-,
  // was written in bulk without events, so only the hand-written demo charts, CS-, have a chain.)
  const demoChart = admin.page.getByTestId('audit-chart').filter({ hasText: 'CS-' }).last();
  await demoChart.click();
  await expect(verdict).toHaveAttribute('data-ok', 'true');
  await expect(demoChart).toHaveAttribute('aria-current', 'true');

  await coder.context.close();
  await admin.context.close();
});
