import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where screenshots worth looking at go (git-ignored). */
export function artifact(name: string): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '.artifacts', name);
}

/** Demo logins seeded on first start (server/src/demo/demo-users.ts). */
export const DEMO = {
  password: 'countersign-demo',
  coder: { email: 'coder@riverside.example', name: 'Casey Coder' },
  reviewer: { email: 'reviewer@riverside.example', name: 'Riley Reviewer' },
  supervisor: { email: 'supervisor@riverside.example', name: 'Sam Supervisor' },
} as const;

/** A separate browser (own cookies) signed in through the login page. */
export async function signedInPage(browser: Browser, user: { email: string; name: string }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByTestId('login-email').fill(user.email);
  await page.getByTestId('login-password').fill(DEMO.password);
  await page.getByTestId('login-password').press('Enter');
  await expect(page.getByTestId('current-user')).toContainText(user.name);
  return { context, page };
}

/** Creates a fresh encounter through the API as the signed-in user, so each run starts clean. */
export async function createEncounter(page: Page, patientName: string): Promise<string> {
  const response = await page.request.post('/api/encounters', {
    data: {
      patient: { mrn: `E2E-${Date.now()}`, name: patientName, dateOfBirth: '1961-07-19' },
      dateOfService: '2026-03-02',
      provider: { name: 'Dana Whitfield, MD', npi: '1234567893' },
      placeOfService: '11',
      clinicalNote:
        'Established patient with right knee osteoarthritis. Pain worse over two weeks. ' +
        'After consent, the right knee was injected with 40 mg triamcinolone under sterile technique.',
      diagnoses: ['M17.11'],
    },
  });
  expect(response.status()).toBe(201);
  return (await response.json()).id as string;
}
