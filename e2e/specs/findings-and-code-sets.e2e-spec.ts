import { expect, test } from '@playwright/test';
import { DEMO, artifact, createEncounter, signedInPage } from '../support/session.js';

test('the findings panel names the rule, its source and the line, and takes the coder to it; the code typeahead picks by keyboard', async ({
  browser,
}) => {
  const coder = await signedInPage(browser, DEMO.coder);
  const encounterId = await createEncounter(coder.page, `Finley Findings ${Date.now() % 100000}`);
  await coder.page.goto(`/encounters/${encounterId}`);
  await expect(coder.page.getByTestId('connection-status')).toHaveText('Live');
  // A new chart has nothing to fix: only the chart-level notices about the shipped data (the
  // 2024Q3 NCCI edits applied to a 2026 date), which need no acknowledgement.
  await expect(coder.page.getByTestId('findings-count')).toHaveText('2 data notices');
  await expect(coder.page.getByTestId('chart-findings').getByTestId('finding')).toHaveCount(2);
  await expect(
    coder.page.getByTestId('chart-findings').getByTestId('acknowledge-finding'),
  ).toHaveCount(0);

  // Typing part of a code opens the typeahead; arrows and Enter pick, without adding the line.
  const code = coder.page.getByTestId('new-line-code');
  await code.click();
  // Wait for the answer to the last keystroke, so the list does not change under the arrows.
  const lastAnswer = coder.page.waitForResponse(
    (r) => r.url().includes('/api/catalog/search') && r.url().includes('q=9921'),
  );
  await code.pressSequentially('9921');
  await lastAnswer;
  const options = coder.page.getByTestId('typeahead-option');
  await expect(options.first()).toBeVisible();
  await expect(options.filter({ hasText: '99213' })).toHaveCount(1);
  await coder.page.screenshot({ path: artifact('typeahead-open.png') });
  const active = coder.page.locator('[data-testid="typeahead-option"].mat-mdc-option-active');
  const activeCode = () => active.getAttribute('data-code', { timeout: 200 }).catch(() => null);
  for (let i = 0; i < 10 && (await activeCode()) !== '99213'; i++) {
    const before = await activeCode();
    await code.press('ArrowDown');
    // Each arrow moves the active option; read it only once it has moved.
    await expect.poll(activeCode).not.toBe(before);
  }
  await code.press('Enter');
  await expect(code).toHaveValue('99213');
  await expect(coder.page.getByTestId('claim-line')).toHaveCount(0);
  await coder.page.getByTestId('new-line-pointers').fill('A');
  await coder.page.getByTestId('new-line-pointers').press('Enter');
  await expect(coder.page.getByTestId('claim-line')).toHaveCount(1);

  // A full code and Enter, without picking, still adds the line: two office visits on one date.
  await code.fill('99214');
  await coder.page.getByTestId('new-line-pointers').fill('B');
  await code.press('Enter');
  await expect(coder.page.getByTestId('claim-line')).toHaveCount(2);

  const warning = coder.page.locator('[data-testid="finding"][data-rule="office-visit-repeated"]');
  await expect(warning).toHaveCount(1);
  await expect(warning.getByTestId('finding-lines')).toHaveText('Lines 1 and 2 (99213, 99214)');
  await expect(warning.getByTestId('finding-source')).not.toBeEmpty();
  await expect(coder.page.getByTestId('findings-count')).toContainText('1 warning');
  await expect(coder.page.getByTestId('line-finding-marker')).toHaveCount(2);
  await expect(coder.page.getByTestId('fee-total')).toContainText('Chart total');

  await warning.getByTestId('finding-jump').click();
  await expect(coder.page.locator('[data-testid="claim-line"]:focus')).toHaveCount(1);

  // The coder acknowledges the warning with a reason; it stays listed with who and why.
  await warning.getByTestId('acknowledge-finding').click();
  await coder.page.getByTestId('reason').fill('Separate problem, separately documented');
  await coder.page.getByTestId('confirm-reason').click();
  await expect(warning.getByTestId('finding-ack')).toHaveText(
    'Acknowledged by Casey Coder: Separate problem, separately documented',
  );
  await expect(coder.page.getByTestId('findings-count')).toHaveText(/1 acknowledged/);
  await coder.page
    .getByTestId('findings-panel')
    .screenshot({ path: artifact('findings-panel.png') });
  await coder.page.screenshot({ path: artifact('findings-page.png') });
  await coder.context.close();
});

test('the operator previews a file on the code-sets page, confirms it, and sees it applied; an organization admin only looks', async ({
  browser,
}) => {
  const operator = await signedInPage(browser, DEMO.operator);
  const page = operator.page;
  await page.getByTestId('nav-code-sets').click();
  await expect(page).toHaveURL(/\/admin\/code-sets$/);
  await expect(page.getByRole('heading', { name: 'Code sets' })).toBeVisible();

  await page.getByTestId('import-file').setInputFiles({
    name: 'conversion-factors-e2e.tsv',
    mimeType: 'text/tab-separated-values',
    buffer: Buffer.from(
      'year\tvariant\tconversion_factor\tsource\n2025\tall\t32.3465\tCMS PFS final rule CY2025\n',
    ),
  });
  await page.getByTestId('import-kind').selectOption('conversion-factors-tsv');
  // An edition of its own per run, so a rerun on the same database previews a new edition too.
  const edition = `e2e-cf-${Date.now().toString(36)}`;
  await page.getByTestId('import-edition').fill(edition);
  await page.getByTestId('import-effective').fill('2025-01-01');
  await page.getByTestId('import-start').click();
  const preview = page.getByTestId('import-preview');
  await expect(preview.getByRole('row').first()).toContainText(/Added\s*1\s*2025 \/ standard/);
  await page.screenshot({ path: artifact('code-sets-preview.png') });
  await page.getByTestId('import-confirm').click();
  await expect(page.getByTestId('import-result')).toContainText(
    'Imported. 1 row: 1 added, 0 changed, 0 removed',
  );
  await expect(page.getByTestId('import-row').first()).toContainText('conversion-factors-e2e.tsv');
  await expect(page.getByTestId('edition-row').filter({ hasText: edition })).toHaveCount(1);
  await page.screenshot({ path: artifact('code-sets-import.png') });

  // One action puts the edition back as it was before: here, not loaded at all.
  await page.getByTestId('import-row').first().getByTestId('import-restore').click();
  await expect(page.getByTestId('import-preview-head')).toContainText(
    'Restore of the edition as it was before import #',
  );
  await expect(page.getByTestId('import-preview').getByRole('row').nth(2)).toContainText(
    /Removed\s*1\s*2025 \/ standard/,
  );
  await page.screenshot({ path: artifact('code-sets-restore-preview.png') });
  await page.getByTestId('import-confirm').click();
  await expect(page.getByTestId('import-result')).toContainText(
    'Restored. 0 rows: 0 added, 0 changed, 1 removed',
  );
  await expect(page.getByTestId('edition-row').filter({ hasText: edition })).toHaveCount(0);

  // A bad file says which line and why, and changes nothing.
  await page.getByTestId('import-file').setInputFiles({
    name: 'conversion-factors-bad.tsv',
    mimeType: 'text/tab-separated-values',
    buffer: Buffer.from('year\tvariant\tconversion_factor\tsource\n2025\tall\tnot-a-number\tx\n'),
  });
  await page.getByTestId('import-edition').fill('e2e-bad');
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-result')).toContainText(
    /Not imported, nothing changed\. Line 2:/,
  );
  await page.screenshot({ path: artifact('code-sets-import-error.png') });
  await operator.context.close();

  const admin = await signedInPage(browser, DEMO.admin);
  await admin.page.getByTestId('nav-code-sets').click();
  await expect(admin.page.getByTestId('import-read-only')).toBeVisible();
  await expect(admin.page.getByTestId('import-start')).toBeHidden();
  await expect(
    admin.page.getByTestId('edition-row').filter({ hasText: 'CF' }).first(),
  ).toBeVisible();
  await expect(admin.page.getByTestId('import-restore')).toHaveCount(0);
  await admin.context.close();
});

test('the public code sets load on first start: the deliberate PTP mistake of a demo chart is caught from the real NCCI file, and the typeahead knows every public code', async ({
  browser,
}) => {
  const coder = await signedInPage(browser, DEMO.coder);
  const worklist = await coder.page.request.get('/api/encounters');
  expect(worklist.status()).toBe(200);
  const { items } = (await worklist.json()) as { items: Array<{ id: string }> };
  // Harriet Bellamy's knee injection chart: 99213 without 25 beside 20610 (demo-encounters.ts).
  const chart = items.find((item) => JSON.stringify(item).includes('Harriet Bellamy'));
  expect(chart).toBeDefined();
  await coder.page.goto(`/encounters/${chart!.id}`);
  await expect(coder.page.getByTestId('connection-status')).toHaveText('Live');
  const ptp = coder.page.locator('[data-testid="finding"][data-rule="ptp-modifier-required"]');
  await expect(ptp).toHaveCount(1);
  await expect(ptp.getByTestId('finding-source')).toContainText(
    'NCCI PTP practitioner 2024Q3: 20610 / 99213',
  );
  await expect(ptp.getByTestId('finding-source')).toContainText(
    'ncci-ptp-practitioner-2024q3.tsv.gz',
  );
  await coder.page
    .getByTestId('findings-panel')
    .screenshot({ path: artifact('findings-real-ncci.png') });

  // A HCPCS code the demo catalogue does not hold comes from the shipped HCPCS file.
  const encounterId = await createEncounter(coder.page, `Petra Public ${Date.now() % 100000}`);
  await coder.page.goto(`/encounters/${encounterId}`);
  await expect(coder.page.getByTestId('connection-status')).toHaveText('Live');
  const code = coder.page.getByTestId('new-line-code');
  const answer = coder.page.waitForResponse(
    (r) => r.url().includes('/api/catalog/search') && r.url().includes('q=K0001'),
  );
  await code.click();
  await code.pressSequentially('K0001');
  await answer;
  await expect(
    coder.page.getByTestId('typeahead-option').filter({ hasText: 'K0001' }),
  ).toContainText('Standard wheelchair');
  await coder.page.screenshot({ path: artifact('typeahead-public-hcpcs.png') });
  await coder.context.close();
});
