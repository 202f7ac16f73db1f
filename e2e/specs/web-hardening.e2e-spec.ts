import { expect, test, type Page } from '@playwright/test';
import { artifact, createEncounter, DEMO, NOTE, signedInPage } from '../support/session.js';

/**
 * The built client runs under the server's Content Security Policy: signing in, the worklist
 * and a live chart load with no CSP violation (no inline script, no inline event handler, no
 * eval, nothing from another origin); its own REST writes and socket pass the Origin check;
 * the API's answers are not cached.
 */
test('the client works under the CSP with no violation', async ({ browser }) => {
  const violations: string[] = [];
  const watch = async (page: Page) => {
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text()))
        violations.push(message.text());
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) =>
        console.error(`Refused to load: CSP ${event.violatedDirective} ${event.blockedURI}`),
      );
    });
  };

  const context = await browser.newContext();
  const login = await context.newPage();
  await watch(login);
  const response = await login.goto('/login');
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  await context.close();

  const { context: signedIn, page } = await signedInPage(browser, DEMO.coder);
  await watch(page);
  const encounterId = await createEncounter(page, 'Csp Patient');
  await page.goto(`/encounters/${encounterId}`);
  await expect(page.getByTestId('clinical-note')).toContainText(NOTE.slice(0, 40));
  await expect(page.getByTestId('connection-status').first()).toContainText('Live');
  // Styles applied (the stylesheet was not held back by a blocked onload handler).
  const background = await page.evaluate(() =>
    getComputedStyle(document.body).getPropertyValue('--mat-sys-background').trim(),
  );
  expect(background).not.toBe('');
  // A REST write from the page itself (PATCH with If-Match, sent with the page's Origin) passes.
  const patch = page.waitForResponse(
    (r) => r.request().method() === 'PATCH' && r.url().includes(`/api/encounters/${encounterId}`),
  );
  await page.getByRole('button', { name: /Remove diagnosis B/ }).click();
  expect((await patch).status()).toBe(200);
  await expect(page.getByTestId('diagnosis')).toHaveCount(1);
  const api = await page.request.get(`/api/encounters/${encounterId}`);
  expect(api.headers()['cache-control']).toBe('no-store');
  await page.screenshot({ path: artifact('web-hardening-chart.png'), fullPage: false });
  expect(violations).toEqual([]);
  await signedIn.close();
});
