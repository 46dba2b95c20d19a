import { type Page } from '@playwright/test';
import { expect, isPhone, open, PASSWORD, signedIn, signIn, test } from './helpers';

const ADMIN = 'adam.admin@contoso-dental.example';

// A CSP violation is logged as a console error, which fails the test (see `test` in helpers).
test('pages load under the Content-Security-Policy with no console error', async ({ page }) => {
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  const login = await page.goto('/login');
  const policy = login?.headers()['content-security-policy'] ?? '';
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]+'/);
  expect(policy).not.toContain('unsafe-inline');
  await page.locator('body[data-hydrated="true"]').waitFor();

  await signedIn(page, 'olivia.owner@contoso-dental.example');
  for (const path of ['/', '/users', '/marketplace', '/subscriptions', '/billing', '/orders', '/profile']) {
    await open(page, path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }
  // Client-side navigation and back/forward keep working under the policy.
  if (isPhone(page)) await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('link', { name: 'Marketplace' }).first().click();
  await expect(page.getByRole('heading', { name: 'Marketplace', level: 1 })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/\/profile$/);
  await page.goForward();
  await expect(page).toHaveURL(/\/marketplace$/);
});

test('a disabled person cannot get back in by failed sign-ins, the cool-down or a reset', async ({ page, browser }) => {
  const [name, person] = isPhone(page)
    ? ['Dr. Priya Raman', 'priya.raman@contoso-dental.example']
    : ['Tomás Ortega', 'tomas.ortega@contoso-dental.example'];
  await signedIn(page, ADMIN);
  await open(page, `/users?q=${person.split('@')[0]}`);
  await page.getByRole('link', { name }).first().click();
  await page.locator('body[data-hydrated="true"]').waitFor();
  await page.getByRole('button', { name: 'Disable' }).click();
  await expect(page.getByRole('button', { name: 'Enable' })).toBeVisible();

  const context = await browser.newContext({ viewport: page.viewportSize() ?? undefined });
  const them = await context.newPage();
  // Wrong passwords used to turn "disabled" into "locked", which then expired into "active".
  for (let i = 0; i < 6; i++) {
    await signIn(them, person, 'not-the-password-1');
    await expect(them.getByRole('alert')).toContainText('The email or password is incorrect');
  }
  await signIn(them, person, PASSWORD);
  await expect(them.getByRole('alert')).toContainText('This account is disabled');

  // "Forgot password" answers as always, and sends nothing.
  await open(them, '/forgot-password');
  await them.getByLabel('Email').fill(person);
  await them.getByRole('button', { name: 'Send the link' }).click();
  await expect(them.getByRole('status')).toContainText('If this address has an account');
  // The admin reads the outbox: the demo's own activation email to this person is there; no
  // reset link is.
  await open(page, '/dev/outbox');
  await expect(page.getByRole('article').filter({ hasText: `To ${person}` }).first()).toBeVisible();
  await expect(page.getByRole('article', { name: /Reset your/ }).filter({ hasText: `To ${person}` })).toHaveCount(0);

  // The admin still sees "Disabled"; Enable brings the person back.
  await page.goBack();
  await page.reload();
  await page.locator('body[data-hydrated="true"]').waitFor();
  await expect(page.getByText('Disabled').first()).toBeVisible();
  await page.getByRole('button', { name: 'Enable' }).click();
  await expect(page.getByRole('button', { name: 'Disable' })).toBeVisible();
  await signIn(them, person, PASSWORD);
  await expect(them.getByRole('heading', { level: 1 })).not.toHaveText('Sign in');
  await context.close();
});

test('too many sign-in attempts get a clear message to wait', async ({ page, watch }) => {
  watch.allow(/status of (401|429)/);
  // Attempts for one address are limited whether or not it has an account.
  const address = `nobody.${isPhone(page) ? 'phone' : 'desktop'}@contoso-dental.example`;
  await open(page, '/login');
  const limit = Number(process.env.E2E_ACCOUNT_LIMIT ?? '10');
  for (let i = 0; i < limit; i++) {
    await page.getByLabel('Email').fill(address);
    await page.getByLabel('Password').fill('not-the-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toContainText('The email or password is incorrect');
  }
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText(/Too many attempts\. Please wait \d+ seconds? and try again\./);
  await page.screenshot({ path: `test-results/rate-limited-${isPhone(page) ? 'phone' : 'desktop'}.png` });
});
