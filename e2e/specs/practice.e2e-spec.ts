import { expect, test, type Page } from '@playwright/test';
import { DEMO, artifact, signedInPage } from '../support/session.js';

/**
 * Practice charts (docs/domain.md section 11.1): the demo trainee opens a course, codes a gold
 * chart in the ordinary room (typeahead, findings and fees all work), submits it for scoring and
 * sees the score with the answer key's explanations; the supervisor sees their progress and
 * promotes them from the offer.
 */
const TRAINEE = { email: 'morgan.trainee@riverside.example', name: 'Morgan Trainee' };
const COURSE = 'Modifier 25 and 59';
const CHART = 'Knee injection with a separate problem';

const line = (page: Page, code: string) => page.getByTestId('claim-line').filter({ hasText: code });

async function addLine(page: Page, code: string, modifiers: string, pointers: string) {
  await page.getByTestId('new-line-code').fill(code);
  await page.getByTestId('new-line-modifiers').fill(modifiers);
  await page.getByTestId('new-line-units').fill('1');
  await page.getByTestId('new-line-pointers').fill(pointers);
  await page.getByTestId('add-line').click();
  await expect(line(page, code)).toHaveCount(1);
}

test('a trainee codes a practice chart, sees the score and explanations, and is promoted', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const supervisor = await signedInPage(browser, DEMO.supervisor);
  const s = supervisor.page;
  // Morgan is a trainee (again, when this spec ran before and promoted them).
  const people = (await (await s.request.get('/api/users')).json()).items;
  const morgan = (people as Array<{ id: string; email: string }>).find(
    (p) => p.email === TRAINEE.email,
  )!;
  expect(
    (
      await s.request.put(`/api/practice/trainees/${morgan.id}`, { data: { trainee: true } })
    ).status(),
  ).toBe(200);

  // The supervisor turns a signed-off chart into a practice chart from its room.
  const signedOff = await (
    await s.request.get('/api/encounters?status=signed_off&pageSize=200')
  ).json();
  // A chart the room opens: some generated history charts have ids that are not RFC UUIDs.
  const source = (signedOff.items as Array<{ id: string; lineCount: number }>).find(
    (c) => c.lineCount > 0 && /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab]/.test(c.id),
  )!;
  // Its billed lines (those a reviewer did not reject) become the key, one explanation each.
  const chart = (await (await s.request.get(`/api/encounters/${source.id}`)).json()) as {
    lines: Array<{ review: { state: string } }>;
  };
  const billed = chart.lines.filter((line) => line.review.state !== 'rejected').length;
  await s.goto(`/encounters/${source.id}`);
  await s.getByTestId('make-practice-chart').click();
  const title = `From a signed-off chart ${Date.now() % 100000}`;
  await s.getByTestId('make-course').selectOption({ label: 'E/M levels' });
  await s.getByTestId('make-title').fill(title);
  const explanations = s.getByTestId('make-explanation');
  await expect(explanations).toHaveCount(billed);
  for (let i = 0; i < billed; i++)
    await explanations.nth(i).fill(`Explanation ${i + 1} written by the supervisor`);
  await s.screenshot({ path: artifact('practice-make.png'), fullPage: true });
  await s.getByTestId('make-save').click();
  await expect(s.getByTestId('manage-course').filter({ hasText: 'E/M levels' })).toContainText(
    title,
  );

  const trainee = await signedInPage(browser, TRAINEE);
  const t = trainee.page;
  await t.getByTestId('nav-practice').click();
  const course = t.getByTestId('practice-course').filter({ hasText: COURSE });
  await expect(course).toBeVisible();
  await expect(course.getByTestId('course-progress')).toContainText('pass mark 75%');
  await course
    .getByTestId('practice-chart-row')
    .filter({ hasText: CHART })
    .getByTestId('practice-start')
    .click();

  // The ordinary room, in practice mode: no answer key, no review workflow.
  await expect(t.getByTestId('practice-banner')).toContainText(
    'Practice chart — the answer key is shown when you submit',
  );
  await expect(t.getByTestId('connection-status')).toHaveText('Live');
  await expect(t.getByTestId('transition-submit')).toHaveCount(0);
  await expect(t.locator('body')).not.toContainText('RT says which side');
  await addLine(t, '99213', '25', 'B');
  await addLine(t, '20610', '', 'A');
  await t.screenshot({ path: artifact('practice-room.png'), fullPage: true });
  await t.getByTestId('practice-submit').click();

  // The score: the visit right, the injection without its side modifier, the explanations.
  await expect(t.getByTestId('practice-score')).toContainText('7 of 8 elements right');
  const lines = t.getByTestId('score-line');
  await expect(lines).toHaveCount(2);
  await expect(lines.nth(0).getByTestId('score-verdict')).toContainText('Right');
  await expect(lines.nth(1).getByTestId('score-verdict')).toContainText('Differs');
  await expect(lines.nth(1)).toContainText('Modifier missing: RT');
  await expect(lines.nth(1).getByTestId('score-explanation')).toContainText('RT says which side');
  await expect(t.getByTestId('practice-dollars')).toBeVisible();
  await t.screenshot({ path: artifact('practice-score.png'), fullPage: true });

  // The supervisor sees the progress and promotes from the offer.
  await s.goto('/practice');
  const row = s.getByTestId('trainee-row').filter({ hasText: TRAINEE.name });
  await expect(row).toContainText('Trainee');
  await expect(row).toContainText('Passed');
  const offer = s.getByTestId('promotion-offer').filter({ hasText: TRAINEE.name });
  await expect(offer).toContainText(COURSE);
  await s.screenshot({ path: artifact('practice-supervisor.png'), fullPage: true });
  await offer.getByTestId('promote').click();
  await expect(s.getByTestId('promotion-offer').filter({ hasText: TRAINEE.name })).toHaveCount(0);
  await expect(row).toContainText('Promoted');

  await trainee.context.close();
  await supervisor.context.close();
});
