import { expect, test, type Page } from '@playwright/test';
import { DEMO, artifact, createEncounter, signedInPage } from '../support/session.js';

/**
 * Nothing typed is lost. Only a chart's coder may change its lines, so the two people editing
 * one line at once are the coder at two workstations (two browsers, two sessions).
 */

/** The coder's edit row of the first line, field by field. */
const edit = (page: Page, field: 'code' | 'modifiers' | 'units' | 'pointers') =>
  page.getByTestId(`edit-line-${field}`);

async function addLine(page: Page): Promise<void> {
  await page.getByTestId('new-line-code').fill('20610');
  await page.getByTestId('new-line-modifiers').fill('RT');
  await page.getByTestId('new-line-units').fill('1');
  await page.getByTestId('new-line-pointers').fill('A');
  await page.getByTestId('new-line-pointers').press('Enter');
  await expect(page.getByTestId('claim-line')).toHaveCount(1);
}

test('a conflict rebases the draft on the other change, keeping both people’s work and asking before overwriting theirs', async ({
  browser,
}) => {
  const first = await signedInPage(browser, DEMO.coder);
  const second = await signedInPage(browser, DEMO.coder);
  const encounterId = await createEncounter(first.page, `Jordan Rebase ${Date.now() % 100000}`);
  await first.page.goto(`/encounters/${encounterId}`);
  await expect(first.page.getByTestId('connection-status')).toHaveText('Live');
  await addLine(first.page);
  await second.page.goto(`/encounters/${encounterId}`);
  await expect(second.page.getByTestId('connection-status')).toHaveText('Live');
  await expect(second.page.getByTestId('claim-line')).toHaveCount(1);

  // One starts changing the units; meanwhile the other adds modifier 59 and saves first.
  await first.page.getByTestId('edit-line').click();
  await edit(first.page, 'units').fill('2');
  await second.page.getByTestId('edit-line').click();
  await edit(second.page, 'modifiers').fill('RT, 59');
  await edit(second.page, 'modifiers').press('Enter');
  await expect(second.page.getByTestId('edit-line-code')).toHaveCount(0);
  await expect(first.page.getByText('This line changed while you were editing it')).toBeVisible();

  // Saving the stale draft is refused; the draft now has their modifiers and still the units typed.
  await edit(first.page, 'units').press('Enter');
  await expect(first.page.getByTestId('line-rebased')).toContainText('modifiers RT → RT, 59');
  await expect(edit(first.page, 'modifiers')).toHaveValue('RT, 59');
  await expect(edit(first.page, 'units')).toHaveValue('2');
  await first.page.screenshot({ path: artifact('drafts-conflict-rebased.png') });

  await edit(first.page, 'units').press('Enter');
  await expect(first.page.getByTestId('edit-line-code')).toHaveCount(0);
  for (const page of [first.page, second.page]) {
    const row = page.getByTestId('claim-line').first();
    await expect(row).toContainText('59');
    await expect(row.locator('.col-units')).toHaveText('2');
  }

  // Both change the units: shown side by side, and nothing is saved until a choice is made.
  await first.page.getByTestId('edit-line').click();
  await edit(first.page, 'units').fill('3');
  await second.page.getByTestId('edit-line').click();
  await edit(second.page, 'units').fill('4');
  await edit(second.page, 'units').press('Enter');
  await expect(second.page.getByTestId('edit-line-code')).toHaveCount(0);
  await edit(first.page, 'units').press('Enter');
  const conflict = first.page.getByTestId('line-conflict');
  await expect(conflict).toContainText('You (in another window) changed units 2 → 4; yours: 3');
  await first.page.screenshot({ path: artifact('drafts-conflict-side-by-side.png') });

  await edit(first.page, 'units').press('Enter');
  await expect(first.page.getByTestId('line-error')).toContainText(
    'Choose theirs or yours for units before saving',
  );
  await expect(second.page.getByTestId('claim-line').first().locator('.col-units')).toHaveText('4');

  await conflict.getByTestId('use-mine').click();
  await edit(first.page, 'units').press('Enter');
  await expect(first.page.getByTestId('edit-line-code')).toHaveCount(0);
  for (const page of [first.page, second.page]) {
    const row = page.getByTestId('claim-line').first();
    await expect(row.locator('.col-units')).toHaveText('3');
    await expect(row).toContainText('59');
  }

  await first.context.close();
  await second.context.close();
});

test('a half-written comment survives going offline and back, and a reload, until it is sent', async ({
  browser,
}) => {
  const coder = await signedInPage(browser, DEMO.coder);
  const reviewer = await signedInPage(browser, DEMO.reviewer);
  const encounterId = await createEncounter(coder.page, `Avery Offline ${Date.now() % 100000}`);
  const { page, context } = coder;
  await page.goto(`/encounters/${encounterId}`);
  await expect(page.getByTestId('connection-status')).toHaveText('Live');
  await reviewer.page.goto(`/encounters/${encounterId}`);
  await expect(reviewer.page.getByTestId('connection-status')).toHaveText('Live');

  await page.getByTestId('open-discussion').click();
  const field = page.locator('footer').getByTestId('comment-field');
  await field.fill('Dr Whitfield, is the knee injection documented with');

  await context.setOffline(true);
  await expect(page.getByTestId('connection-status')).toHaveText('Offline');
  await expect(field).toHaveValue('Dr Whitfield, is the knee injection documented with');
  await expect(page.getByTestId('send-comment')).toBeDisabled();
  await field.pressSequentially(' laterality?');
  await page.screenshot({ path: artifact('drafts-comment-offline.png') });

  await context.setOffline(false);
  await expect(page.getByTestId('connection-status')).toHaveText('Live');
  await expect(field).toHaveValue(
    'Dr Whitfield, is the knee injection documented with laterality?',
  );

  // A reload in the same tab brings the draft back.
  await page.reload();
  await expect(page.getByTestId('connection-status')).toHaveText('Live');
  await page.getByTestId('open-discussion').click();
  await expect(field).toHaveValue(
    'Dr Whitfield, is the knee injection documented with laterality?',
  );
  await expect(page.getByTestId('comment-draft-kept')).toBeVisible();
  await page.screenshot({ path: artifact('drafts-comment-restored.png') });

  await page.getByTestId('send-comment').click();
  await expect(field).toHaveValue('');
  await expect(reviewer.page.getByTestId('open-discussion')).toContainText('1');
  await reviewer.page.getByTestId('open-discussion').click();
  await expect(reviewer.page.getByTestId('comment-body')).toHaveText(
    'Dr Whitfield, is the knee injection documented with laterality?',
  );

  // Sent: it does not come back.
  await page.reload();
  await page.getByTestId('open-discussion').click();
  await expect(field).toHaveValue('');
  expect(
    await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('cs.draft.'))),
  ).toEqual([]);

  await coder.context.close();
  await reviewer.context.close();
});

test('a dispute being written survives the reviewer withdrawing the suggestion, and the approval gate follows the chart', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const coder = await signedInPage(browser, DEMO.coder);
  const reviewer = await signedInPage(browser, DEMO.reviewer);
  const encounterId = await createEncounter(coder.page, `Riley Withdraw ${Date.now() % 100000}`);
  await coder.page.goto(`/encounters/${encounterId}`);
  await expect(coder.page.getByTestId('connection-status')).toHaveText('Live');
  await addLine(coder.page);
  await coder.page.getByTestId('transition-submit').click();
  await expect(coder.page.getByTestId('encounter-status')).toHaveText('Submitted');

  await reviewer.page.goto(`/encounters/${encounterId}`);
  await expect(reviewer.page.getByTestId('connection-status')).toHaveText('Live');
  await reviewer.page.getByTestId('transition-review.start').click();
  await expect(reviewer.page.getByTestId('encounter-status')).toHaveText('In review');
  await reviewer.page.getByTestId('suggest-line').click();
  await reviewer.page.getByTestId('suggest-units').fill('2');
  await expect(reviewer.page.getByTestId('suggest-category')).toHaveValue('units');
  await reviewer.page.getByTestId('send-suggest').click();
  await expect(reviewer.page.getByTestId('suggestion')).toBeVisible();

  // Approving now is refused: the suggestion is not answered.
  await reviewer.page.getByTestId('transition-approve').click();
  await expect(reviewer.page.getByTestId('workflow-error')).toContainText(
    '1 suggestion is not answered',
  );

  // The coder starts disputing; the reviewer withdraws the suggestion meanwhile.
  await coder.page.getByTestId('dispute-suggestion').click();
  await coder.page
    .getByTestId('dispute-comment')
    .fill('One injection was given, so 1 unit is right; see the procedure');
  await reviewer.page.getByTestId('withdraw-suggestion').click();
  await expect(coder.page.getByTestId('suggestion')).toHaveCount(0);
  const orphan = coder.page.getByTestId('orphan-dispute');
  await expect(orphan).toContainText(
    'Riley Reviewer withdrew the suggestion while you were writing your dispute.',
  );
  await expect(orphan.getByTestId('orphan-dispute-text')).toHaveText(
    'One injection was given, so 1 unit is right; see the procedure',
  );
  await coder.page.screenshot({ path: artifact('drafts-dispute-withdrawn.png') });

  // The gate follows the chart: with the suggestion gone, what blocks approval now is the line
  // itself, which nobody has reviewed yet.
  await expect(reviewer.page.getByTestId('workflow-error')).toHaveText(
    /The chart cannot be approved yet: line 1 is not reviewed/,
  );

  await orphan.getByTestId('post-dispute-as-comment').click();
  await expect(orphan).toHaveCount(0);
  await expect(coder.page.getByTestId('comment-body')).toHaveText(
    'One injection was given, so 1 unit is right; see the procedure',
  );
  await expect(reviewer.page.getByTestId('line-comments')).toContainText('1');

  await coder.context.close();
  await reviewer.context.close();
});
