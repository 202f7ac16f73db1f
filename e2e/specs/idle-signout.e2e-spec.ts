import { expect, test } from '@playwright/test';
import { DEMO, artifact } from '../support/session.js';

/**
 * Automatic logoff, with the browser's clock fast-forwarded (the server's idle period is the
 * default 15 minutes): a warning a minute before, "Stay signed in" keeps the session, and an
 * unattended tab is signed out and told why.
 */
test('an unattended tab is warned a minute before the idle sign-out, can stay, and is signed out when nobody answers', async ({
  page,
}) => {
  await page.clock.install();
  // The server's clock does not move with the browser's fast-forwarded one: its answers about
  // the session are shifted by the idle time the browser skipped since the last activity.
  let skippedSeconds = 0;
  const forward = async (minutesSeconds: string) => {
    const [m, s] = minutesSeconds.split(':').map(Number);
    skippedSeconds += m! * 60 + s!;
    await page.clock.fastForward(minutesSeconds);
  };
  await page.route('**/api/auth/session', async (route) => {
    const response = await route.fetch();
    if (response.status() !== 200) return route.fulfill({ response });
    const body = (await response.json()) as { idleRemainingSeconds: number };
    await route.fulfill({
      response,
      json: {
        ...body,
        idleRemainingSeconds: Math.max(0, body.idleRemainingSeconds - skippedSeconds),
      },
    });
  });
  page.on('response', (r) => {
    if (r.url().endsWith('/api/auth/activity') && r.status() === 200) skippedSeconds = 0;
  });
  await page.goto('/login');
  await page.getByTestId('login-email').fill(DEMO.reviewer.email);
  await page.getByTestId('login-password').fill(DEMO.password);
  await page.getByTestId('login-password').press('Enter');
  await expect(page.getByTestId('current-user')).toContainText(DEMO.reviewer.name);

  // Fourteen minutes with nobody at the keyboard: the warning.
  await forward('14:01');
  const warning = page.getByTestId('idle-warning');
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('signed out in');
  await page.screenshot({ path: artifact('idle-warning.png') });

  // "Stay signed in" reports activity; the warning goes and the person is still signed in.
  const renewed = page.waitForResponse(
    (r) => r.url().endsWith('/api/auth/activity') && r.status() === 200,
  );
  await page.getByTestId('stay-signed-in').click();
  await renewed;
  await expect(warning).toBeHidden();
  await expect(page.getByTestId('current-user')).toBeVisible();

  // Nobody there again: warned, then signed out at the deadline, and the login page says why.
  await forward('14:01');
  await expect(warning).toBeVisible();
  const loggedOut = page.waitForResponse((r) => r.url().endsWith('/api/auth/logout'));
  await forward('01:01');
  await loggedOut;
  await expect(page.getByTestId('signed-out-idle')).toBeVisible();
  await page.screenshot({ path: artifact('signed-out-idle.png') });
  // The session really ended on the server.
  expect((await page.request.get('/api/auth/session')).status()).toBe(401);
});
