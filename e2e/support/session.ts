import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { DEFAULT_SAMPLING_POLICY, type SamplingPolicy } from '@countersign/shared';
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
  admin: { email: 'admin@riverside.example', name: 'Alex Admin' },
  operator: { email: 'operator@riverside.example', name: 'Olive Operator' },
} as const;

/**
 * The sampling policy the specs run under (set by global-setup.ts): every chart reviewed, since
 * no coder reaches 500 reviewed charts; the risk rules stay the defaults.
 */
export const FULL_REVIEW_POLICY: SamplingPolicy = {
  ...DEFAULT_SAMPLING_POLICY,
  newCoderCharts: 500,
  sampleRate: 1,
};

/** A separate browser (own cookies) signed in through the login page. */
export async function signedInPage(
  browser: Browser,
  user: { email: string; name: string },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByTestId('login-email').fill(user.email);
  await page.getByTestId('login-password').fill(DEMO.password);
  await page.getByTestId('login-password').press('Enter');
  await expect(page.getByTestId('current-user')).toContainText(user.name);
  return { context, page };
}

/** The id of the person signed in on `page`, from the session endpoint. */
export async function signedInUserId(page: Page): Promise<string> {
  const response = await page.request.get('/api/auth/session');
  expect(response.status()).toBe(200);
  return (await response.json()).user.id as string;
}

/** The clinical note of the charts the specs create. */
export const NOTE =
  'Established patient with right knee osteoarthritis. Pain worse over two weeks; she also asks about her blood pressure, ' +
  'which is reviewed and her medication adjusted. After consent, the right knee was injected with 40 mg triamcinolone ' +
  'under sterile technique. No imaging was done today.';

/**
 * Creates a fresh encounter through the API as the signed-in user, so each run starts clean.
 * Only the assigned coder can change lines, so the chart is assigned to the person on `page`.
 */
export async function createEncounter(page: Page, patientName: string): Promise<string> {
  const coderId = await signedInUserId(page);
  const response = await page.request.post('/api/encounters', {
    data: {
      patient: { mrn: `E2E-${Date.now()}`, name: patientName, dateOfBirth: '1961-07-19' },
      dateOfService: '2026-03-02',
      provider: { name: 'Dana Whitfield, MD', npi: '1234567893' },
      placeOfService: '11',
      clinicalNote: NOTE,
      diagnoses: ['M17.11', 'I10'],
      coderId,
    },
  });
  expect(response.status()).toBe(201);
  return (await response.json()).id as string;
}

/** Selects `text` in the clinical note, as a person dragging over it would. */
export async function selectInNote(page: Page, text: string): Promise<void> {
  await page.getByTestId('clinical-note').evaluate((note, wanted) => {
    const walker = document.createTreeWalker(note, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent?.indexOf(wanted) ?? -1;
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      const selection = document.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      return;
    }
    throw new Error(`"${wanted}" is not in the note`);
  }, text);
}

/** The claim line row with `code` in the room. */
export const claimLine = (page: Page, code: string) =>
  page.getByTestId('claim-line').filter({ hasText: code });

/** The coder adds a line (one unit, pointer A) in the room and waits for it to show. */
export async function addClaimLine(page: Page, code: string, modifiers = ''): Promise<void> {
  await page.getByTestId('new-line-code').fill(code);
  await page.getByTestId('new-line-modifiers').fill(modifiers);
  await page.getByTestId('new-line-units').fill('1');
  await page.getByTestId('new-line-pointers').fill('A');
  await page.getByTestId('add-line').click();
  await expect(claimLine(page, code)).toHaveCount(1);
}
