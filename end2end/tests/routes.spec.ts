import { type Page } from '@playwright/test';
import { expect, expectAccessible, isPhone, open, signedIn, test } from './helpers';

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

/**
 * Follows a link to `path` inside the page, as a click on any link of the panel does: the router
 * takes it in the browser (fetching the page's code chunk the first time), with no new document.
 */
async function navigateInPage(page: Page, path: string) {
  await page.evaluate((href) => {
    const link = document.createElement('a');
    link.href = href;
    link.textContent = 'go';
    document.querySelector('main')!.append(link);
    link.click();
  }, path);
  await expect(page).toHaveURL(new RegExp(`${escape(path)}$`));
}

async function walk(page: Page, routes: string[], sidebar: { link: string; path: string }) {
  const headings = new Map<string, string>();
  for (const route of routes) {
    for (let i = 0; i < COLD_LOADS; i++) {
      await open(page, route);
      await expect(page.getByRole('heading', { level: 1 }), `${route}, load ${i + 1}`).toBeVisible();
    }
    headings.set(route, (await page.getByRole('heading', { level: 1 }).textContent()) ?? '');
    // Loaded and hydrated: no serious or critical accessibility problem, then a screenshot
    // for the report.
    await expectAccessible(page, route);
    await page.screenshot({ path: shotPath(page, route), fullPage: true });
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
  // Every route again, reached from the one before inside one document: each shows the same
  // page as its cold load did.
  await open(page, routes[routes.length - 1]);
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  for (const route of routes) {
    await navigateInPage(page, route);
    await expect(page.getByRole('heading', { level: 1 }), `${route} by client navigation`).toHaveText(
      headings.get(route)!,
    );
  }
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), 'no new document').toBe(true);
  if (isPhone(page)) await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: sidebar.link }).click();
  await expect(page).toHaveURL(new RegExp(`${escape(sidebar.path)}$`));
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

function shotPath(page: Page, route: string): string {
  const name = route.replace(/^\//, '').replace(/[^a-z0-9]+/gi, '-') || 'home';
  return `test-results/pages/${isPhone(page) ? 'phone' : 'desktop'}-${name}.png`;
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
  await open(page, '/reseller/customers');
  const customer = await page.locator('main table a[href^="/reseller/customers/"]').first().getAttribute('href');
  await walk(
    page,
    ['/reseller', '/reseller/customers', customer!, '/reseller/customers/new', '/reseller/activity', '/notifications'],
    { link: 'Customers', path: '/reseller/customers' },
  );
});

test('a page of another role is refused plainly, with a way back', async ({ page, watch }) => {
  // The refusal is an HTTP 403, which the browser reports on the console.
  watch.allow(/status of 403/);
  await signedIn(page, 'uma.user@contoso-dental.example');
  for (const path of ['/users', '/users/new', '/orders', '/activity', '/billing']) {
    await open(page, path);
    await expect(page.getByRole('heading', { name: 'Not available for your role', level: 1 })).toBeVisible();
    // None of the page's own controls.
    await expect(page.getByRole('button', { name: 'Apply' })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Add user' })).toHaveCount(0);
  }
  await expectAccessible(page, 'the refusal');
  await page.getByRole('link', { name: 'Go to your start page' }).click();
  await expect(page.getByRole('heading', { name: 'My services', level: 1 })).toBeVisible();
  // The menu is the user's own, without the demo outbox.
  if (isPhone(page)) await page.getByRole('button', { name: 'Menu' }).click();
  const menu = page.getByRole('navigation', { name: 'Main' });
  await expect(menu.getByRole('link')).toHaveText(['My services', 'Profile']);
  await expect(page.getByRole('link', { name: 'Email outbox (demo)' })).toHaveCount(0);
});

test('a skip link leads to the content, and focus moves to the new page after navigating', async ({ page }) => {
  await signedIn(page, 'olivia.owner@contoso-dental.example');
  await open(page, '/orders');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main')).toBeFocused();
  if (isPhone(page)) await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeFocused();
});
