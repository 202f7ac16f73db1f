import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import {
  DEMO,
  addClaimLine,
  artifact,
  claimLine,
  createEncounter,
  signedInPage,
  signedInUserId,
} from '../support/session.js';

/**
 * The quality dashboards (docs/domain.md section 10): a reviewer approves a chart; the coder, in
 * the room, sees the review result at once and their figures on My quality; the supervisor
 * filters the team view by that coder, follows a figure to the charts behind it, opens the chart
 * and exports the list as CSV. Screenshots at 1366x900 for people to look at.
 */
const VIEWPORT = { width: 1366, height: 900 };

test('an approval shows in the room and on the dashboards, and a figure leads to its charts', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const coder = await signedInPage(browser, DEMO.coder);
  const reviewer = await signedInPage(browser, DEMO.reviewer);
  const supervisor = await signedInPage(browser, DEMO.supervisor);
  const c = coder.page;
  const r = reviewer.page;
  const s = supervisor.page;
  for (const page of [c, r, s]) await page.setViewportSize(VIEWPORT);

  // The coder bills the knee injection and an x-ray, and submits.
  const patient = `Quinn Quality ${Date.now() % 100000}`;
  const encounterId = await createEncounter(c, patient);
  // The supervisor names Riley as the reviewer up front (the assign path, not the round-robin).
  const assigned = await s.request.post('/api/assignments', {
    data: { encounterIds: [encounterId], reviewerId: await signedInUserId(r) },
  });
  expect(assigned.status()).toBe(200);
  await c.goto(`/encounters/${encounterId}`);
  await expect(c.getByTestId('connection-status')).toHaveText('Live');
  await addClaimLine(c, '20610', 'RT');
  await addClaimLine(c, '73562', 'RT');
  await c.getByTestId('transition-submit').click();
  await expect(c.getByTestId('encounter-status')).toHaveText('Submitted');
  await expect(c.getByTestId('review-result')).toHaveCount(0);

  // The reviewer accepts the injection, rejects the x-ray and approves.
  await r.goto(`/encounters/${encounterId}`);
  await expect(r.getByTestId('connection-status')).toHaveText('Live');
  await r.getByTestId('transition-review.start').click();
  await expect(r.getByTestId('encounter-status')).toHaveText('In review');
  await claimLine(r, '20610').getByTestId('accept-line').click();
  await expect(claimLine(r, '20610')).toHaveAttribute('data-review', 'accepted');
  await claimLine(r, '73562').getByTestId('reject-line').click();
  await r.getByTestId('reject-category').selectOption('unsupported');
  await r.getByTestId('reject-comment').fill('No imaging was done today');
  await r.getByTestId('send-reject').click();
  await expect(claimLine(r, '73562')).toHaveAttribute('data-review', 'rejected');
  await r.getByTestId('transition-approve').click();
  await expect(r.getByTestId('encounter-status')).toHaveText('Approved');

  // The coder, in the room all along, sees the review result without a reload.
  await expect(c.getByTestId('encounter-status')).toHaveText('Approved');
  const result = c.getByTestId('review-result');
  await expect(result).toBeVisible();
  await expect(result.getByTestId('tile-line')).toContainText('50%');
  await expect(result.getByTestId('tile-line')).toContainText('1 of 2 lines');
  await expect(result.getByTestId('tile-chart')).toContainText('0 of 1 chart');
  await expect(result.getByTestId('review-result-line')).toHaveCount(2);
  await expect(result.locator('[data-outcome="rejected"]')).toContainText('73562');
  await expect(result.getByTestId('review-result-standing')).toContainText(
    'Where this leaves you (last 12 weeks): line accuracy',
  );
  await result.scrollIntoViewIfNeeded();
  await c.screenshot({ path: artifact('quality-room-result.png') });

  // My quality: the coder's figures with counts, and the correction with the reviewer's words.
  await result.getByTestId('review-result-mine').click();
  await expect(c).toHaveURL(/\/quality\/me$/);
  await expect(c.getByTestId('my-totals').getByTestId('tile-line')).toContainText(/of \d+ lines/);
  const correction = c.getByTestId('my-correction').filter({ hasText: patient });
  await expect(correction).toHaveCount(1);
  await expect(correction).toContainText('Rejected');
  await expect(correction).toContainText('No imaging was done today');
  await expect(correction.getByTestId('my-correction-link')).toHaveAttribute(
    'href',
    `/encounters/${encounterId}`,
  );
  // Their review level, as the sampling policy gives it (the specs run every chart reviewed).
  await expect(c.getByTestId('my-review-level')).toContainText('Every chart reviewed');
  await expect(c.getByTestId('my-review-level')).toContainText(
    /100% review: \d+ of 500 reviewed charts so far/,
  );
  await c.screenshot({ path: artifact('quality-me.png') });

  // The supervisor opens Quality from the navigation and filters by the coder.
  await s.getByTestId('nav-quality').click();
  await expect(s).toHaveURL(/\/quality$/);
  await expect(s.getByTestId('quality-totals').getByTestId('tile-line')).toContainText(
    /of \d+ lines/,
  );
  await s.getByTestId('quality-coder').selectOption({ label: DEMO.coder.name });
  await expect(s).toHaveURL(/coderId=/);
  const coderRows = s.getByTestId('by-coder').getByTestId('group-row');
  await expect(coderRows).toHaveCount(1);
  await expect(coderRows).toContainText(DEMO.coder.name);
  await expect(s.getByTestId('trend-chart').locator('[data-ready="true"]')).toHaveCount(1);
  await s.screenshot({ path: artifact('quality-team.png') });

  // A figure leads to the charts behind it, the filter in words; the chart opens its room.
  await s.getByTestId('by-coder').getByTestId('group-row-link').click();
  await expect(s).toHaveURL(/\/quality\/charts\?.*coderId=/);
  await expect(s.getByTestId('charts-filter')).toContainText(`coder ${DEMO.coder.name}`);
  const chartRow = s.getByTestId('charts-row').filter({ hasText: patient });
  await expect(chartRow).toHaveCount(1);
  await expect(chartRow).toContainText('1 of 2 lines');
  await expect(chartRow).toContainText('Not supported by documentation');
  await s.screenshot({ path: artifact('quality-charts.png') });

  // The list exports as CSV.
  const [download] = await Promise.all([
    s.waitForEvent('download'),
    s.getByTestId('charts-csv').click(),
  ]);
  expect(download.suggestedFilename()).toBe('quality-charts.csv');
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv.split('\r\n')[0]).toContain('encounter_id,patient,date_of_service,coder,reviewer');
  expect(csv).toContain(
    `${encounterId},${patient},2026-03-02,${DEMO.coder.name},${DEMO.reviewer.name}`,
  );

  await chartRow.getByTestId('charts-room-link').click();
  await expect(s).toHaveURL(new RegExp(`/encounters/${encounterId}$`));
  await expect(s.getByTestId('review-result')).toContainText(
    `Where this leaves ${DEMO.coder.name}`,
  );

  for (const { context } of [coder, reviewer, supervisor]) await context.close();
});
