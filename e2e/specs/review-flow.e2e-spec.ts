import { expect, test, type Page } from '@playwright/test';
import { DEMO, artifact, createEncounter, selectInNote, signedInPage } from '../support/session.js';

/** The claim line row with `code`. */
const line = (page: Page, code: string) => page.getByTestId('claim-line').filter({ hasText: code });
/** The detail row under the line with `code` (rationale, evidence, review, suggestions, forms). */
const detail = async (page: Page, code: string) =>
  page.locator(
    `[data-testid="line-detail"][data-line-id="${await line(page, code).getAttribute('data-line-id')}"]`,
  );

async function addLine(
  page: Page,
  code: string,
  fields: { modifiers?: string; pointers: string; rationale?: string; units?: string },
) {
  await page.getByTestId('new-line-code').fill(code);
  await page.getByTestId('new-line-modifiers').fill(fields.modifiers ?? '');
  await page.getByTestId('new-line-units').fill(fields.units ?? '1');
  await page.getByTestId('new-line-pointers').fill(fields.pointers);
  await page.getByTestId('new-line-rationale').fill(fields.rationale ?? '');
  await page.getByTestId('add-line').click();
  await expect(line(page, code)).toHaveCount(1);
}

test('coder, reviewer and supervisor review one chart live, from first line to sign-off', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const coder = await signedInPage(browser, DEMO.coder);
  const reviewer = await signedInPage(browser, DEMO.reviewer);
  const supervisor = await signedInPage(browser, DEMO.supervisor);
  const patient = `Avery Review ${Date.now() % 100000}`;
  const encounterId = await createEncounter(coder.page, patient);

  // The reviewer watches the review queue; the supervisor is already in the room.
  await reviewer.page.goto('/worklist?queue=review');
  await expect(reviewer.page.getByTestId('worklist-live')).toHaveText('Live');
  await supervisor.page.goto(`/encounters/${encounterId}`);
  await expect(supervisor.page.getByTestId('connection-status')).toHaveText('Live');

  // The coder proposes three lines, with pointers, rationale and evidence from the note.
  await coder.page.goto(`/encounters/${encounterId}`);
  await expect(coder.page.getByTestId('connection-status')).toHaveText('Live');
  await addLine(coder.page, '99214', {
    pointers: 'B',
    rationale: 'Blood pressure reviewed, medication adjusted',
  });
  await selectInNote(coder.page, 'the right knee was injected with 40 mg triamcinolone');
  await coder.page.getByTestId('attach-evidence-new').click();
  await expect(coder.page.getByTestId('draft-evidence')).toContainText(
    'the right knee was injected',
  );
  await coder.page.getByTestId('new-line-code').fill('20610');
  await coder.page.screenshot({ path: artifact('review-coder-evidence.png') });
  await addLine(coder.page, '20610', {
    modifiers: 'RT',
    pointers: 'A',
    rationale: 'Knee injection',
  });
  await addLine(coder.page, '73562', { modifiers: 'RT', pointers: 'A' });
  await expect(await detail(coder.page, '20610')).toContainText(
    'the right knee was injected with 40 mg triamcinolone',
  );
  await expect(coder.page.getByTestId('evidence-mark')).toHaveCount(1);
  await expect(supervisor.page.getByTestId('claim-line')).toHaveCount(3);
  // The server's edits of the chart: the findings panel and the fee total follow every change.
  await expect(coder.page.getByTestId('findings-panel')).toBeVisible();
  await expect(coder.page.getByTestId('findings-count')).toBeVisible();
  await expect(coder.page.getByTestId('fee-total')).toContainText('Chart total');

  await coder.page.getByTestId('transition-submit').click();
  await expect(coder.page.getByTestId('encounter-status')).toHaveText('Submitted');

  // The chart arrives in the reviewer's queue without a reload.
  const row = reviewer.page.getByTestId('worklist-row').filter({ hasText: patient });
  await expect(row).toHaveCount(1);
  await row.click();
  await expect(reviewer.page.getByTestId('connection-status')).toHaveText('Live');
  await reviewer.page.getByTestId('transition-review.start').click();
  await expect(reviewer.page.getByTestId('encounter-status')).toHaveText('In review');
  await expect(coder.page.getByTestId('encounter-status')).toHaveText('In review');
  await expect(coder.page.getByTestId('reviewer-name')).toHaveText(DEMO.reviewer.name);

  // The shortcuts are one key away.
  await reviewer.page.keyboard.press('?');
  await expect(reviewer.page.getByTestId('shortcut-help')).toContainText('Accept the line');
  await reviewer.page.screenshot({ path: artifact('review-shortcuts.png') });
  await reviewer.page.keyboard.press('Escape');
  await expect(reviewer.page.getByTestId('shortcut-help')).toHaveCount(0);

  // Accept the injection, with the keyboard: focus its row and press a.
  await line(reviewer.page, '20610').focus();
  await reviewer.page.keyboard.press('a');
  await expect(line(reviewer.page, '20610')).toHaveAttribute('data-review', 'accepted');

  // Suggest modifier 25 on the visit; the coder sees the soft lock while the reviewer works on it.
  await line(reviewer.page, '99214').getByTestId('suggest-line').click();
  await expect(coder.page.getByTestId('soft-lock-note')).toContainText(
    'Riley is reviewing this line',
  );
  await reviewer.page.getByTestId('suggest-modifiers').fill('25');
  await expect(reviewer.page.getByTestId('suggest-category')).toHaveValue('missing-modifier');
  await reviewer.page
    .getByTestId('suggest-comment')
    .fill('Separately identifiable E/M on the day of the injection');
  await reviewer.page.getByTestId('send-suggest').click();
  const reviewerSuggestion = (await detail(reviewer.page, '99214')).getByTestId('suggestion');
  await expect(reviewerSuggestion).toContainText('Missing modifier');
  await expect(reviewerSuggestion.getByTestId('suggestion-diff')).toContainText('—');
  await expect(reviewerSuggestion.getByTestId('suggestion-diff')).toContainText('25');

  // Reject the x-ray: nothing in the note supports it.
  await line(reviewer.page, '73562').getByTestId('reject-line').click();
  await reviewer.page.getByTestId('reject-category').selectOption('unsupported');
  await reviewer.page.getByTestId('reject-comment').fill('No imaging was done today');
  await reviewer.page.getByTestId('send-reject').click();
  await expect(line(reviewer.page, '73562')).toHaveAttribute('data-review', 'rejected');
  await expect(await detail(reviewer.page, '73562')).toContainText(
    'Not supported by documentation',
  );

  // Add the drug supply the coder missed.
  await addLine(reviewer.page, 'J3301', {
    units: '4',
    pointers: 'A',
    rationale: 'Triamcinolone 40 mg is billed by 10 mg units',
  });
  await expect(line(reviewer.page, 'J3301').getByTestId('missed-badge')).toBeVisible();

  // A comment on the rejected line that mentions the coder.
  await line(reviewer.page, '73562').getByTestId('line-comments').click();
  const field = reviewer.page.getByTestId('comment-field').last();
  await field.fill('@Cas');
  await reviewer.page.getByTestId('mention-option').filter({ hasText: DEMO.coder.name }).click();
  await field.pressSequentially('the note says no imaging today; bill it on the day it is done.');
  await reviewer.page.getByTestId('send-comment').last().click();
  await expect(reviewer.page.getByTestId('mention')).toHaveText(`@${DEMO.coder.name}`);
  await reviewer.page.screenshot({ path: artifact('review-thread-mention.png') });
  await reviewer.page.keyboard.press('Escape');
  await reviewer.page.screenshot({ path: artifact('review-reviewer-suggestion.png') });

  // The coder sees it all live, and the suggestion as a diff with Accept.
  const coderSuggestion = (await detail(coder.page, '99214')).getByTestId('suggestion');
  await expect(coderSuggestion).toContainText('Riley Reviewer');
  await expect(line(coder.page, '73562').getByTestId('line-comments')).toContainText('1');
  await expect(coder.page.getByTestId('claim-line')).toHaveCount(4);
  await coder.page.screenshot({ path: artifact('review-coder-suggestion.png') });

  // Approving now is refused with the server's gate.
  await reviewer.page.getByTestId('transition-approve').click();
  await expect(reviewer.page.getByTestId('workflow-error')).toContainText(
    'The chart cannot be approved yet: 1 suggestion is not answered',
  );

  await coderSuggestion.getByTestId('accept-suggestion').click();
  await expect(line(coder.page, '99214')).toContainText('25');
  await expect(line(reviewer.page, '99214')).toHaveAttribute('data-review', 'accepted');
  await expect(line(reviewer.page, '99214')).toContainText('25');
  await coder.page.screenshot({ path: artifact('review-coder-accepted.png') });

  // With 25 the office visit bypasses the NCCI edit with the injection: a warning the reviewer
  // acknowledges with the reason the note gives, before approving.
  const bypass = reviewer.page.locator('[data-testid="finding"][data-rule="ptp-modifier-bypass"]');
  await expect(bypass).toHaveCount(1);
  await bypass.getByTestId('acknowledge-finding').click();
  await reviewer.page
    .getByTestId('reason')
    .fill('Separate E/M: blood pressure reviewed and medication adjusted');
  await reviewer.page.getByTestId('confirm-reason').click();
  await expect(bypass.getByTestId('finding-ack')).toContainText('Acknowledged by Riley Reviewer');

  await reviewer.page.getByTestId('transition-approve').click();
  await expect(reviewer.page.getByTestId('encounter-status')).toHaveText('Approved');

  // The supervisor, in the room all along, sees the approval and signs off.
  await expect(supervisor.page.getByTestId('encounter-status')).toHaveText('Approved');
  await supervisor.page.getByTestId('transition-sign-off').click();
  for (const { page } of [coder, reviewer, supervisor]) {
    await expect(page.getByTestId('encounter-status')).toHaveText('Signed off');
    await expect(page.getByTestId('locked')).toBeVisible();
    await expect(page.getByTestId('add-line')).toHaveCount(0);
    await expect(page.getByTestId('edit-line')).toHaveCount(0);
    await expect(page.getByTestId('accept-line')).toHaveCount(0);
  }
  await coder.page.screenshot({ path: artifact('review-signed-off.png') });

  // The timeline has every step, in order.
  await supervisor.page.getByTestId('open-history').click();
  const steps = supervisor.page.getByTestId('timeline-entry');
  await expect(steps).toHaveCount(15);
  await expect(steps).toHaveText([
    /Casey Coder created the chart/,
    /Casey Coder added line 99214/,
    /Casey Coder added line 20610-RT/,
    /Casey Coder added line 73562-RT/,
    /Casey Coder submitted the chart for review/,
    /Riley Reviewer started the review/,
    /Riley Reviewer accepted 20610/,
    /Riley Reviewer suggested modifier 25 on 99214 \(Missing modifier\)/,
    /Riley Reviewer rejected 73562 \(Not supported by documentation\): “No imaging was done today”/,
    /Riley Reviewer added missed line J3301 × 4 \(Missed code\)/,
    /Riley Reviewer commented on 73562: “@Casey Coder the note says no imaging today/,
    /Casey Coder accepted the suggestion on 99214 \(modifier 25\)/,
    /Riley Reviewer acknowledged “.+”: “Separate E\/M: blood pressure reviewed/,
    /Riley Reviewer approved the chart/,
    /Sam Supervisor signed the chart off/,
  ]);

  // The chart as it stood when the suggestion was made: open suggestion, no missed line yet.
  await steps.filter({ hasText: 'suggested modifier 25' }).click();
  await expect(supervisor.page.getByTestId('history-banner')).toContainText('Viewing history');
  await expect(supervisor.page.getByTestId('encounter-status')).toHaveText('In review');
  await expect(supervisor.page.getByTestId('claim-line')).toHaveCount(3);
  await expect(supervisor.page.getByTestId('suggestion')).toHaveAttribute('data-status', 'open');
  await supervisor.page.screenshot({ path: artifact('review-history.png') });
  await supervisor.page.getByTestId('back-to-live').click();
  await expect(supervisor.page.getByTestId('encounter-status')).toHaveText('Signed off');
  await expect(supervisor.page.getByTestId('claim-line')).toHaveCount(4);

  // The worklist shows the signed-off chart in All.
  await reviewer.page.goto('/worklist?queue=all');
  await expect(
    reviewer.page.getByTestId('worklist-row').filter({ hasText: patient }),
  ).toContainText('Signed off');
  await reviewer.page.screenshot({ path: artifact('review-worklist.png') });

  for (const { context } of [coder, reviewer, supervisor]) await context.close();
});
