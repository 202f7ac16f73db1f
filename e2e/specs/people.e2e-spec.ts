import { expect, test } from '@playwright/test';
import { DEMO, artifact, signedInPage } from '../support/session.js';

test('an admin adds a person, who sets a password through the link and signs in', async ({
  browser,
}) => {
  const admin = await signedInPage(browser, DEMO.admin);
  await admin.page.getByTestId('nav-people').click();
  await expect(admin.page).toHaveURL(/\/admin\/people$/);
  await expect(admin.page.getByTestId('person-row').first()).toBeVisible();

  const name = `Noor Newcomer ${Date.now() % 100000}`;
  const email = `noor.${Date.now()}@riverside.example`;
  await admin.page.getByTestId('add-person').click();
  // The dialog focuses its first field once it has opened: filling before that can land the
  // next field's text in the name, when the focus moves in the middle of a fill.
  await expect(admin.page.getByTestId('person-name')).toBeFocused();
  await admin.page.getByTestId('person-name').fill(name);
  await admin.page.getByTestId('person-email').fill(email);
  await admin.page.getByTestId('person-role').selectOption('reviewer');
  await admin.page.getByTestId('add-person-submit').click();
  const linkField = admin.page.getByTestId('password-link');
  await expect(linkField).toHaveValue(/\/set-password\/[A-Za-z0-9_-]{43}$/);
  await expect(admin.page.getByText('Shown once.')).toBeVisible();
  const link = await linkField.inputValue();
  await admin.page.screenshot({ path: artifact('people-link.png') });
  await admin.page.getByTestId('link-done').click();
  const row = admin.page.getByTestId('person-row').filter({ hasText: name });
  await expect(row.getByTestId('person-status')).toHaveText('Invited');

  // The new person, in a browser of their own.
  const fresh = await browser.newContext();
  const page = await fresh.newPage();
  await page.goto(link);
  await expect(page.getByTestId('set-password-whom')).toContainText(name);
  await page.getByTestId('set-password').fill('reviewing all day long');
  await page.getByTestId('set-password-repeat').fill('reviewing all day long');
  await page.getByTestId('set-password-submit').click();
  await expect(page).toHaveURL(/\/login\?/);
  await expect(page.getByTestId('password-set')).toBeVisible();
  await expect(page.getByTestId('login-email')).toHaveValue(email);
  await page.getByTestId('login-password').fill('reviewing all day long');
  await page.getByTestId('login-password').press('Enter');
  await expect(page.getByTestId('current-user')).toContainText(name);
  await expect(page.getByTestId('current-user')).toContainText('reviewer');

  // The link worked once.
  await page.goto(link);
  await expect(page.getByTestId('set-password-link-error')).toBeVisible();

  // The admin sees them active, and the history names who did what.
  await admin.page.reload();
  await expect(row.getByTestId('person-status')).toHaveText('Active');
  await expect(admin.page.getByTestId('people-chain')).toHaveAttribute('data-ok', 'true');
  await expect(
    admin.page.getByTestId('people-event').filter({ hasText: `${DEMO.admin.name} added ${name}` }),
  ).toHaveCount(1);

  // Deactivated (confirmed): signed out, and cannot sign in again.
  await row.getByTestId('person-deactivate').click();
  await admin.page.getByTestId('confirm-action').click();
  await expect(row.getByTestId('person-status')).toHaveText('Deactivated');
  await page.goto('/worklist');
  await expect(page).toHaveURL(/\/login/);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill('reviewing all day long');
  await page.getByTestId('login-password').press('Enter');
  await expect(page.getByTestId('login-error')).toBeVisible();

  await fresh.close();
  await admin.context.close();
});
