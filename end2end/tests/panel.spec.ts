import { type Page } from '@playwright/test';
import { expect, isPhone, open, PASSWORD, signIn, test } from './helpers';

const OWNER = 'olivia.owner@contoso-dental.example';

async function openNav(page: Page) {
  if (isPhone(page)) {
    await page.getByRole('button', { name: 'Menu' }).click();
  }
}

test('the owner signs in, sees the dashboard and a subscription, and signs out', async ({ page }) => {
  await signIn(page, OWNER, PASSWORD);

  await expect(page.getByRole('heading', { name: 'Home', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Recent orders' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Renewals in the next 30 days' })).toBeVisible();
  await expect(page.getByText('Contoso Dental Group').first()).toBeVisible();

  await openNav(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Subscriptions' }).click();
  await expect(page.getByRole('heading', { name: 'Subscriptions', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Microsoft 365 Business Basic', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Microsoft 365 Business Basic', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Resources' })).toBeVisible();
  await expect(page.getByText('6 assigned')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Licenses assigned' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Unassign Adam Admin' })).toBeVisible();
  await page.screenshot({ path: `test-results/subscription-${isPhone(page) ? 'phone' : 'desktop'}.png`, fullPage: true });

  await page.locator('summary', { hasText: 'Account menu' }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  // Someone else signs in on the same page, without a reload: the shell shows them, not the
  // person it was first drawn for.
  await page.getByLabel('Email').fill('adam.admin@contoso-dental.example');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Home', level: 1 })).toBeVisible();
  await expect(page.locator('summary', { hasText: 'Account menu' })).toContainText('Adam Admin');
  await page.locator('summary', { hasText: 'Account menu' }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  // The session is gone: the panel sends us back to sign in.
  await page.goto('/subscriptions');
  await expect(page).toHaveURL(/\/login$/);
});

test('assigning a license from the people picker updates every count on the page', async ({ page }) => {
  await signIn(page, OWNER, PASSWORD);
  await expect(page.getByRole('heading', { name: 'Home', level: 1 })).toBeVisible();
  await open(page, '/subscriptions');
  await page.getByRole('link', { name: 'Microsoft 365 Business Basic', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Microsoft 365 Business Basic', level: 1 })).toBeVisible();
  await page.locator('body[data-hydrated="true"]').waitFor();
  const resources = page.getByRole('region', { name: 'Resources' });
  const holders = page.getByRole('region', { name: 'Licenses assigned' });
  await expect(resources).toContainText('6 assigned');
  await expect(holders).toContainText('6 of 10 in use');

  // Typing part of a name offers the people it matches; the choice fills in their address.
  const field = page.getByRole('combobox', { name: 'Assign to' });
  await field.pressSequentially('Grace');
  const option = page.locator('datalist option[value="grace.kim@contoso-dental.example"]');
  await expect(option).toHaveCount(1);
  await expect(option).toHaveText('Grace Kim');
  await field.fill((await option.getAttribute('value'))!);
  await page.getByRole('button', { name: 'Assign', exact: true }).click();

  // Both counts move together, and the field is empty for the next person.
  await expect(holders.getByRole('link', { name: 'Grace Kim' })).toBeVisible();
  await expect(resources).toContainText('7 assigned');
  await expect(holders).toContainText('7 of 10 in use');
  await expect(page.getByRole('combobox', { name: 'Assign to' })).toHaveValue('');

  await page.getByRole('button', { name: 'Unassign Grace Kim' }).click();
  await expect(resources).toContainText('6 assigned');
  await expect(holders).toContainText('6 of 10 in use');
});

test('a wrong password shows an error and keeps you on the sign-in page', async ({ page, watch }) => {
  watch.allow(/status of 401/);
  await signIn(page, OWNER, 'not-the-password-1');
  // The same answer as for an unknown address or a locked account, with the way out.
  await expect(page.getByRole('alert')).toContainText('The email or password is incorrect.');
  await expect(page.getByRole('alert')).toContainText('Forgot your password?');
  await expect(page).toHaveURL(/\/login$/);
});

test('a service user sees only their own area', async ({ page }) => {
  await signIn(page, 'uma.user@contoso-dental.example', PASSWORD);
  await expect(page.getByRole('heading', { name: 'My services', level: 1 })).toBeVisible();
  await expect(page.getByText('Microsoft 365 Business Basic')).toBeVisible();
  await openNav(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('listitem')).toHaveText(['My services', 'Profile']);
});

test('on a phone the menu button opens the navigation', async ({ page }) => {
  test.skip(!isPhone(page), 'phone layout only');
  await signIn(page, OWNER, PASSWORD);
  await expect(page.getByRole('heading', { name: 'Home', level: 1 })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeHidden();
  const button = page.getByRole('button', { name: 'Menu' });
  await expect(button).toHaveAttribute('aria-expanded', 'false');
  await button.click();
  await expect(button).toHaveAttribute('aria-expanded', 'true');
  await expect(nav.getByRole('link', { name: 'Subscriptions' })).toBeVisible();
  await page.screenshot({ path: 'test-results/phone-menu.png' });
  await nav.getByRole('link', { name: 'Subscriptions' }).click();
  await expect(page.getByRole('heading', { name: 'Subscriptions', level: 1 })).toBeVisible();
  await expect(nav).toBeHidden();
  // Escape closes it again (found by the break-it review).
  await button.click();
  await expect(nav).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(button).toHaveAttribute('aria-expanded', 'false');
  await expect(nav).toBeHidden();
});

test('an unknown address shows the not-found page', async ({ page, watch }) => {
  // The page answers 404, as it should.
  watch.allow(/status of 404/);
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});
