import { expect, test, type Page } from '@playwright/test';
import { DEMO, artifact, createEncounter, signedInPage } from '../support/session.js';

/**
 * The precedent library (docs/domain.md section 10.4), in three browsers: a dispute about
 * modifier 25 on 99213 beside 20610 is escalated and decided by a supervisor, which records
 * precedent N; another chart with the same codes shows precedent N in the room, and the
 * Precedents page finds it by code. The dispute's commands (`suggestion:escalate`,
 * `suggestion:decide`) and their buttons come from the review-rigour work (section 10.1).
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

test('a decided dispute becomes a precedent shown in another chart with the same codes', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const coder = await signedInPage(browser, DEMO.coder);
  const reviewer = await signedInPage(browser, DEMO.reviewer);
  const supervisor = await signedInPage(browser, DEMO.supervisor);
  const c = coder.page;
  const r = reviewer.page;
  const s = supervisor.page;

  // The first chart: the coder bills 99213 and 20610 and submits.
  const first = await createEncounter(c, `Paula Precedent ${Date.now() % 100000}`);
  await c.goto(`/encounters/${first}`);
  await expect(c.getByTestId('connection-status')).toHaveText('Live');
  await addLine(c, '99213', '');
  await addLine(c, '20610', 'RT');
  await c.getByTestId('transition-submit').click();
  await expect(c.getByTestId('encounter-status')).toHaveText('Submitted');

  // The reviewer suggests modifier 25; the coder disputes; the reviewer escalates.
  await r.goto(`/encounters/${first}`);
  await expect(r.getByTestId('connection-status')).toHaveText('Live');
  await r.getByTestId('transition-review.start').click();
  await expect(r.getByTestId('encounter-status')).toHaveText('In review');
  await line(r, '99213').getByTestId('suggest-line').click();
  await r.getByTestId('suggest-modifiers').fill('25');
  await r.getByTestId('suggest-comment').fill('Blood pressure managed apart from the knee');
  await r.getByTestId('send-suggest').click();
  const coderCard = c.getByTestId('suggestion');
  await coderCard.getByTestId('dispute-suggestion').click();
  await c.getByTestId('dispute-comment').fill('The visit was only for the injected knee');
  await c.getByTestId('send-dispute').click();
  await expect(coderCard).toHaveAttribute('data-status', 'disputed');
  const reviewerCard = r.getByTestId('suggestion');
  await reviewerCard.getByTestId('escalate-suggestion').click();
  await r.getByTestId('reason').fill('The note documents blood pressure management too');
  await r.getByTestId('confirm-reason').click();
  await expect(reviewerCard).toHaveAttribute('data-status', 'escalated');

  // The supervisor upholds it with a reason: it is recorded as precedent N.
  await s.goto(`/encounters/${first}`);
  await expect(s.getByTestId('connection-status')).toHaveText('Live');
  await s.getByTestId('suggestion').getByTestId('uphold-suggestion').click();
  await s.getByTestId('reason').fill('Hypertension was managed separately: 25 stands');
  await s.getByTestId('confirm-reason').click();
  await expect(reviewerCard).toHaveAttribute('data-status', 'upheld');
  const recorded = reviewerCard.getByTestId('suggestion-precedent');
  await expect(recorded).toHaveText(/Recorded as precedent \d+/);
  const number = Number((await recorded.textContent())!.match(/\d+/)![0]);

  // Another chart with 99213-25 and 20610: the room shows precedent N beside the claim lines.
  const second = await createEncounter(c, `Quinn Same Codes ${Date.now() % 100000}`);
  await c.goto(`/encounters/${second}`);
  await expect(c.getByTestId('connection-status')).toHaveText('Live');
  await addLine(c, '99213', '25');
  await expect(c.getByTestId('precedents-notice')).toHaveCount(0);
  await addLine(c, '20610', 'RT');
  const notice = c.getByTestId('precedents-notice');
  await expect(notice).toContainText(`Precedent ${number} applies to 99213 with 20610`);
  await c.screenshot({ path: artifact('precedents-room.png') });
  await notice.getByRole('link', { name: `Precedent ${number}` }).click();
  await expect(c.getByTestId('precedent-title')).toContainText(`Precedent ${number}`);
  await expect(c.getByTestId('precedent-source')).toHaveAttribute('href', `/encounters/${first}`);

  // The Precedents page finds it by code.
  await s.goto('/precedents');
  await s.getByTestId('precedent-search').fill('20610');
  const row = s.getByTestId('precedent-row').filter({ hasText: `#${number}` });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('99213');
  await expect(row).toContainText('Active');
  await s.screenshot({ path: artifact('precedents-page.png') });

  for (const person of [coder, reviewer, supervisor]) await person.context.close();
});
