import { expect, test, type Page } from '@playwright/test';
import { DEMO, artifact, createEncounter, signedInPage } from '../support/session.js';

/**
 * Review rigour (docs/domain.md section 10.1), in four browsers: the reviewer suggests, the coder
 * disputes, the reviewer escalates, a supervisor finds it in the Disputes queue and upholds it
 * with a reason (recorded as a precedent), and the reviewer approves once every line is reviewed.
 */
const line = (page: Page, code: string) => page.getByTestId('claim-line').filter({ hasText: code });

async function addLine(page: Page, code: string, modifiers: string): Promise<void> {
  await page.getByTestId('new-line-code').fill(code);
  await page.getByTestId('new-line-modifiers').fill(modifiers);
  await page.getByTestId('new-line-units').fill('1');
  await page.getByTestId('new-line-pointers').fill('A');
  await page.getByTestId('add-line').click();
  await expect(line(page, code)).toHaveCount(1);
}

test('a disputed suggestion goes to a supervisor, whose decision settles it before approval', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const coder = await signedInPage(browser, DEMO.coder);
  const reviewer = await signedInPage(browser, DEMO.reviewer);
  const supervisor = await signedInPage(browser, DEMO.supervisor);
  const patient = `Dana Dispute ${Date.now() % 100000}`;
  const encounterId = await createEncounter(coder.page, patient);

  await coder.page.goto(`/encounters/${encounterId}`);
  await expect(coder.page.getByTestId('connection-status')).toHaveText('Live');
  await addLine(coder.page, '99213', '');
  await addLine(coder.page, '20610', 'RT');
  await coder.page.getByTestId('transition-submit').click();
  await expect(coder.page.getByTestId('encounter-status')).toHaveText('Submitted');

  const r = reviewer.page;
  await r.goto(`/encounters/${encounterId}`);
  await expect(r.getByTestId('connection-status')).toHaveText('Live');
  await r.getByTestId('transition-review.start').click();
  await expect(r.getByTestId('encounter-status')).toHaveText('In review');

  // Approval needs every line reviewed.
  await r.getByTestId('transition-approve').click();
  await expect(r.getByTestId('workflow-error')).toContainText('lines 1 and 2 are not reviewed');

  await line(r, '20610').getByTestId('accept-line').click();
  await expect(line(r, '20610')).toHaveAttribute('data-review', 'accepted');
  await line(r, '99213').getByTestId('suggest-line').click();
  await r.getByTestId('suggest-modifiers').fill('25');
  await r.getByTestId('suggest-comment').fill('Separately identifiable E/M on the injection day');
  await r.getByTestId('send-suggest').click();

  // The coder disputes it.
  const c = coder.page;
  const coderCard = c.getByTestId('suggestion');
  await coderCard.getByTestId('dispute-suggestion').click();
  await c.getByTestId('dispute-comment').fill('The visit was only for the knee that was injected');
  await c.getByTestId('send-dispute').click();
  await expect(coderCard).toHaveAttribute('data-status', 'disputed');
  await expect(coderCard.getByTestId('accept-suggestion')).toBeVisible();
  await expect(coderCard.getByTestId('escalate-suggestion')).toHaveText(/Escalate to a supervisor/);

  const reviewerCard = r.getByTestId('suggestion');
  await expect(reviewerCard).toHaveAttribute('data-status', 'disputed');
  await r.getByTestId('transition-approve').click();
  await expect(r.getByTestId('workflow-error')).toContainText(
    '1 dispute is open: withdraw the suggestion, or escalate it to a supervisor',
  );
  await expect(reviewerCard.getByTestId('withdraw-suggestion')).toBeVisible();
  await r.screenshot({ path: artifact('rigour-dispute-open.png') });

  // The reviewer escalates it with why.
  await reviewerCard.getByTestId('escalate-suggestion').click();
  await r.getByTestId('reason').fill('The note documents blood pressure management too');
  await r.getByTestId('confirm-reason').click();
  await expect(reviewerCard).toHaveAttribute('data-status', 'escalated');
  await expect(coderCard).toContainText('Waiting for a supervisor');
  await expect(coderCard.getByTestId('suggestion-escalation')).toHaveText(
    'Escalated by Riley Reviewer: “The note documents blood pressure management too”',
  );
  await expect(coderCard.getByTestId('accept-suggestion')).toHaveCount(0);
  await expect(r.getByTestId('workflow-error')).toContainText(
    '1 dispute is waiting for a supervisor’s decision',
  );
  await c.screenshot({ path: artifact('rigour-escalated-coder.png') });

  // The supervisor finds it in the Disputes queue.
  const s = supervisor.page;
  await s.goto('/worklist?queue=disputes');
  const row = s.getByTestId('worklist-row').filter({ hasText: patient });
  await expect(row).toHaveCount(1);
  await s.screenshot({ path: artifact('rigour-disputes-queue.png') });
  await row.click();
  await expect(s.getByTestId('connection-status')).toHaveText('Live');
  const supervisorCard = s.getByTestId('suggestion');
  await expect(supervisorCard.getByTestId('overrule-suggestion')).toHaveText(
    'Keep the coder’s line',
  );
  await supervisorCard.getByTestId('uphold-suggestion').click();
  await s.getByTestId('confirm-reason').click();
  await expect(s.getByText('Give a reason')).toBeVisible();
  await s
    .getByTestId('reason')
    .fill('Hypertension was managed separately from the knee: 25 applies');
  await s.screenshot({ path: artifact('rigour-decide-dialog.png') });
  await s.getByTestId('confirm-reason').click();

  await expect(reviewerCard).toHaveAttribute('data-status', 'upheld');
  await expect(reviewerCard.getByTestId('suggestion-decision')).toHaveText(
    'Suggestion upheld by Sam Supervisor: “Hypertension was managed separately from the knee: 25 applies”',
  );
  await expect(reviewerCard.getByTestId('suggestion-precedent')).toHaveText(
    /Recorded as precedent \d+/,
  );
  await expect(line(r, '99213')).toHaveAttribute('data-review', 'accepted');
  await expect(line(c, '99213')).toContainText('25');
  await r.screenshot({ path: artifact('rigour-decided-reviewer.png') });
  await reviewerCard.screenshot({ path: artifact('rigour-decided-card.png') });

  // 25 bypasses the NCCI edit with the injection: the reviewer acknowledges it, then approves.
  const bypass = r.locator('[data-testid="finding"][data-rule="ptp-modifier-bypass"]');
  await bypass.getByTestId('acknowledge-finding').click();
  await r.getByTestId('reason').fill('Separate E/M: blood pressure managed');
  await r.getByTestId('confirm-reason').click();
  await expect(bypass.getByTestId('finding-ack')).toContainText('Acknowledged by Riley Reviewer');
  await r.getByTestId('transition-approve').click();
  await expect(r.getByTestId('encounter-status')).toHaveText('Approved');
  await expect(c.getByTestId('encounter-status')).toHaveText('Approved');
  await r.screenshot({ path: artifact('rigour-approved.png') });

  for (const person of [coder, reviewer, supervisor]) await person.context.close();
});
