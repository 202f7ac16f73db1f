import { expect, test } from '@playwright/test';
import { DEMO, artifact, createEncounter, signedInPage } from '../support/session.js';

test('a coder adds a line and the reviewer sees it live, with the coder in presence', async ({
  browser,
}) => {
  const coder = await signedInPage(browser, DEMO.coder);
  const reviewer = await signedInPage(browser, DEMO.reviewer);
  const patient = `Morgan Live ${Date.now() % 100000}`;
  const encounterId = await createEncounter(coder.page, patient);

  // The reviewer finds the chart on the worklist and opens it.
  await reviewer.page.goto('/worklist?queue=all');
  await reviewer.page.getByTestId('worklist-row').filter({ hasText: patient }).click();
  await expect(reviewer.page).toHaveURL(new RegExp(`/encounters/${encounterId}$`));
  await expect(reviewer.page.getByTestId('encounter-patient')).toHaveText(patient);
  await expect(reviewer.page.getByTestId('connection-status')).toHaveText('Live');

  await coder.page.goto(`/encounters/${encounterId}`);
  await expect(coder.page.getByTestId('connection-status')).toHaveText('Live');

  // Each sees the other in presence.
  await expect(
    reviewer.page.locator(`[data-testid="presence-member"][aria-label^="${DEMO.coder.name}"]`),
  ).toBeVisible();
  await expect(
    coder.page.locator(`[data-testid="presence-member"][aria-label^="${DEMO.reviewer.name}"]`),
  ).toBeVisible();

  // The coder adds a line with the keyboard.
  await coder.page.getByTestId('new-line-code').fill('20610');
  await coder.page.getByTestId('new-line-modifiers').fill('RT');
  await coder.page.getByTestId('new-line-units').fill('1');
  await coder.page.getByTestId('new-line-pointers').fill('A');
  await coder.page.getByTestId('new-line-pointers').press('Enter');
  await expect(coder.page.getByTestId('claim-line')).toHaveCount(1);

  // The reviewer sees it without a reload.
  const reviewerLine = reviewer.page.getByTestId('claim-line');
  await expect(reviewerLine).toHaveCount(1);
  await expect(reviewerLine.first()).toContainText('20610');
  await expect(reviewerLine.first()).toContainText('RT');

  // And an edit travels the same way.
  await coder.page.getByTestId('edit-line').first().click();
  await coder.page.getByTestId('edit-line-modifiers').fill('RT, 59');
  await coder.page.getByTestId('edit-line-modifiers').press('Enter');
  await expect(reviewerLine.first()).toContainText('59');

  await reviewer.page.screenshot({ path: artifact('live-room-reviewer.png'), fullPage: false });
  await coder.page.screenshot({ path: artifact('live-room-coder.png'), fullPage: false });

  // When the coder leaves, the reviewer's presence drops them.
  await coder.context.close();
  await expect(
    reviewer.page.locator(`[data-testid="presence-member"][aria-label^="${DEMO.coder.name}"]`),
  ).toHaveCount(0);
  await reviewer.context.close();
});
