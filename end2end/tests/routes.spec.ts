import { type Page } from '@playwright/test';
import { expect, isPhone, open, signedIn, test } from './helpers';

// Every route, as each role that may see it, loaded cold again and again, reloaded, walked back
// and forward, and left through the sidebar: a page that fails to hydrate (a panic shows up as a
// page error, which fails the test) or stops navigating afterwards is caught here.
const COLD_LOADS = Number(process.env.E2E_COLD_LOADS ?? '10');

/** The address of the first link on `listPath` that leads to a detail page under `prefix`. */
async function firstDetail(page: Page, listPath: string, prefix: string): Promise<string> {
  await open(page, listPath);
  const link = page.locator(`main a[href^="${prefix}"]`).first();
  await link.waitFor();
  const href = await link.getAttribute('href');
  expect(href, `a link to ${prefix}… on ${listPath}`).toBeTruthy();
  return href!;
}

async function walk(page: Page, routes: string[], sidebar: { link: string; path: string }) {
  for (const route of routes) {
    for (let i = 0; i < COLD_LOADS; i++) {
      await open(page, route);
      await expect(page.getByRole('heading', { level: 1 }), `${route}, load ${i + 1}`).toBeVisible();
    }
    await page.reload();
    await page.locator('body[data-hydrated="true"]').waitFor();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }
  // Back and forward through what was visited, then away through the sidebar.
  for (const route of [...routes].reverse().slice(1, 4)) {
    await page.goBack();
    await expect(page).toHaveURL(new RegExp(`${escape(route)}$`));
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }
  await page.goForward();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  if (isPhone(page)) await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: sidebar.link }).click();
  await expect(page).toHaveURL(new RegExp(`${escape(sidebar.path)}$`));
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('every page of the owner survives cold loads, reloads, back and forward', async ({ page }) => {
  test.setTimeout(240_000);
  await signedIn(page, 'olivia.owner@contoso-dental.example');
  const subscription = await firstDetail(page, '/subscriptions', '/subscriptions/');
  const order = await firstDetail(page, '/orders', '/orders/');
  const document = await firstDetail(page, '/billing', '/billing/');
  const product = await firstDetail(page, '/marketplace', '/marketplace/');
  // A person who is not the owner (the owner's own page has fewer actions).
  await open(page, '/users');
  const person = await page
    .locator('main a[href^="/users/"]')
    .filter({ hasText: 'Uma User' })
    .first()
    .getAttribute('href');
  const routes = [
    '/',
    '/marketplace',
    product,
    '/subscriptions',
    subscription,
    '/orders',
    order,
    '/billing',
    document,
    '/users',
    person!,
    '/users/new',
    '/users/import',
    '/activity',
    '/notifications',
    '/profile',
  ];
  await walk(page, routes, { link: 'Home', path: '/' });
});

test('every page of a service user survives cold loads, reloads, back and forward', async ({ page }) => {
  test.setTimeout(120_000);
  await signedIn(page, 'uma.user@contoso-dental.example');
  await walk(page, ['/my-services', '/notifications', '/profile'], { link: 'My services', path: '/my-services' });
});

test('the reseller panel survives cold loads, reloads, back and forward', async ({ page }) => {
  test.setTimeout(120_000);
  await signedIn(page, 'rita.reseller@northwind-cloud.example');
  await walk(page, ['/reseller', '/notifications', '/profile'], { link: 'Customers', path: '/reseller' });
});
