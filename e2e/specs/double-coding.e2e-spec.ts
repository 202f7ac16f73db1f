import { expect, test, type Page } from '@playwright/test';
import { DEMO, NOTE, addClaimLine, artifact, claimLine, signedInPage } from '../support/session.js';

const JORDAN = { email: 'jordan.coder@riverside.example', name: 'Jordan Coder' };
const TAYLOR = { email: 'taylor.coder@riverside.example', name: 'Taylor Coder' };

/** A coder opens their blind copy of the chart from the double-coding list. */
async function openCopy(page: Page, patient: string): Promise<void> {
  await page.goto('/double-codings');
  const row = page.getByTestId('double-coding-row').filter({ hasText: patient });
  await expect(row).toHaveCount(1);
  await row.getByTestId('double-coding-open-copy').click();
  await expect(page.getByTestId('connection-status')).toHaveText('Live');
  await expect(page.getByTestId('blind-banner')).toContainText(
    "Blind copy — you code this chart on your own; the other coder's work is hidden until you both submit",
  );
}

test('two coders code one chart blind, a reviewer reconciles, and the pair’s agreement shows', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const supervisor = await signedInPage(browser, DEMO.supervisor);
  const patient = `Blake Blind ${Date.now() % 100000}`;

  // The supervisor has a new, uncoded chart and sends it to Jordan and Taylor from its room.
  const created = await supervisor.page.request.post('/api/encounters', {
    data: {
      patient: { mrn: `E2E-DC-${Date.now()}`, name: patient, dateOfBirth: '1961-07-19' },
      dateOfService: '2026-03-02',
      provider: { name: 'Dana Whitfield, MD', npi: '1234567893' },
      placeOfService: '11',
      clinicalNote: NOTE,
      diagnoses: ['M17.11', 'I10'],
    },
  });
  expect(created.status()).toBe(201);
  const chartId = (await created.json()).id as string;
  await supervisor.page.goto(`/encounters/${chartId}`);
  await supervisor.page.getByTestId('send-to-two-coders').click();
  await supervisor.page.getByTestId('send-first').selectOption({ label: JORDAN.name });
  await supervisor.page.getByTestId('send-second').selectOption({ label: TAYLOR.name });
  await supervisor.page.getByTestId('confirm-send').click();
  await expect(supervisor.page.getByTestId('double-coding-note')).toContainText(
    'Sent to two coders (Jordan Coder and Taylor Coder): 0 of 2 submitted',
  );

  // Two coders, two browsers: each codes a blind copy and sees only their own lines.
  const jordan = await signedInPage(browser, JORDAN);
  const taylor = await signedInPage(browser, TAYLOR);
  await openCopy(jordan.page, patient);
  await addClaimLine(jordan.page, '99213');
  await addClaimLine(jordan.page, '20610', 'RT');
  await openCopy(taylor.page, patient);
  // Jordan's lines are nowhere in Taylor's room.
  await expect(taylor.page.getByTestId('claim-line')).toHaveCount(0);
  await taylor.page.screenshot({ path: artifact('double-coding-taylor-banner.png') });
  await addClaimLine(taylor.page, '99213');
  await addClaimLine(taylor.page, '20610', 'LT');
  await expect(claimLine(taylor.page, '20610')).toContainText('LT');
  await expect(claimLine(taylor.page, '20610')).not.toContainText('RT');
  // And Taylor's distinctive LT line is nowhere in Jordan's room.
  await expect(jordan.page.getByTestId('claim-line')).toHaveCount(2);
  await expect(claimLine(jordan.page, '20610')).not.toContainText('LT');
  await jordan.page.screenshot({ path: artifact('double-coding-jordan-blind.png') });
  await taylor.page.screenshot({ path: artifact('double-coding-taylor-blind.png') });

  await jordan.page.getByTestId('transition-submit').click();
  await expect(jordan.page.getByTestId('encounter-status')).toHaveText('Submitted');
  // Still blind after one submit: Taylor's room shows only Taylor's lines.
  await expect(taylor.page.getByTestId('claim-line')).toHaveCount(2);
  await expect(claimLine(taylor.page, '20610')).not.toContainText('RT');
  await taylor.page.getByTestId('transition-submit').click();
  await expect(taylor.page.getByTestId('encounter-status')).toHaveText('Submitted');
  // Both in: the banner links to the reconciliation.
  await taylor.page.reload();
  await expect(taylor.page.getByTestId('blind-reconciliation-link')).toBeVisible();

  // The reviewer reconciles: rows aligned, the modifier difference highlighted, a reason each.
  const reviewer = await signedInPage(browser, DEMO.reviewer);
  await reviewer.page.goto('/double-codings?status=reconciling');
  const waiting = reviewer.page.getByTestId('double-coding-row').filter({ hasText: patient });
  await waiting.getByTestId('double-coding-open-reconciliation').click();
  const rows = reviewer.page.getByTestId('reconciliation-row');
  await expect(rows).toHaveCount(2);
  const same = rows.filter({ hasText: '99213' });
  const differs = rows.filter({ hasText: '20610' });
  await expect(same.getByTestId('row-differences')).toHaveText('Same line');
  await expect(same.getByTestId('row-reason')).toHaveValue('Both coders agree');
  await expect(differs.getByTestId('row-differences')).toHaveText('modifiers');
  await expect(differs.locator('.mods.diff')).toHaveCount(2);
  await expect(reviewer.page.getByTestId('reconciliation-agreement')).toContainText(
    'codes 100% (2 of 2 codes), lines 33% (1 of 3 lines)',
  );
  // Reconcile without deciding the differing row: told what is missing, nothing sent.
  await reviewer.page.getByTestId('reconcile').click();
  await expect(reviewer.page.getByTestId('reconcile-problems')).toContainText(
    'Row 2: choose what the chart keeps',
  );
  const firstIsJordan = (await differs.getByTestId('first-line').textContent())?.includes('RT');
  await differs.getByTestId('row-choice').selectOption(firstIsJordan ? 'first' : 'second');
  await differs.getByTestId('row-reason').fill('The note documents the right knee injected');
  await reviewer.page.screenshot({ path: artifact('double-coding-reconcile.png'), fullPage: true });
  await reviewer.page.getByTestId('reconcile').click();
  const decisions = reviewer.page.getByTestId('decision-row');
  await expect(decisions).toHaveCount(2);
  await expect(decisions.filter({ hasText: 'right knee' })).toContainText('20610-RT ×1');
  await expect(reviewer.page.getByTestId('reconciled-chart-link')).toBeVisible();
  await reviewer.page.screenshot({ path: artifact('double-coding-decisions.png'), fullPage: true });
  // The chart goes on through the normal review, with the reconciled lines.
  await reviewer.page.getByTestId('reconciled-chart-link').click();
  await expect(reviewer.page.getByTestId('encounter-status')).toHaveText('Submitted');
  await expect(claimLine(reviewer.page, '20610')).toContainText('RT');

  // The supervisor's agreement dashboard: the pair's figure, and this chart behind it.
  await supervisor.page.goto('/quality');
  await supervisor.page.getByTestId('quality-agreement-link').click();
  const pair = supervisor.page
    .getByTestId('agreement-pair')
    .filter({ hasText: 'Jordan Coder & Taylor Coder' });
  await expect(pair).toHaveCount(1);
  await expect(supervisor.page.getByTestId('agreement-explanation')).toBeVisible();
  await pair.getByRole('button').click();
  await expect(supervisor.page.getByTestId('agreement-charts-heading')).toHaveText(
    'Charts behind Jordan Coder & Taylor Coder',
  );
  const chart = supervisor.page.getByTestId('agreement-chart').filter({ hasText: patient });
  await expect(chart).toHaveCount(1);
  await expect(chart).toContainText('100% 2 of 2 codes');
  await expect(chart).toContainText('33% 1 of 3 lines');
  await expect(
    supervisor.page.getByTestId('agreement-trend-chart').locator('[data-ready="true"]'),
  ).toHaveCount(1);
  await supervisor.page.screenshot({
    path: artifact('double-coding-agreement.png'),
    fullPage: true,
  });
  await chart.getByTestId('agreement-chart-link').click();
  await expect(supervisor.page.getByTestId('reconciliation-decisions')).toBeVisible();

  for (const session of [supervisor, jordan, taylor, reviewer]) await session.context.close();
});
