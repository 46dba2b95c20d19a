import { type Page } from '@playwright/test';
import { expect, isPhone, open, PASSWORD, signedIn, test } from './helpers';

const ADMIN = 'adam.admin@contoso-dental.example';

async function openNav(page: Page) {
  if (isPhone(page)) {
    await page.getByRole('button', { name: 'Menu' }).click();
  }
}

test('an admin finds a product, orders it, watches it become active and finds the invoice', async ({ page, watch }) => {
  // The test types a quantity below the minimum: the server refuses to price it.
  watch.allow(/status of 422/);
  const shot = (name: string) =>
    page.screenshot({ path: `test-results/${name}-${isPhone(page) ? 'phone' : 'desktop'}.png`, fullPage: true });
  await signedIn(page, ADMIN, PASSWORD);

  await openNav(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Marketplace' }).click();
  await expect(page.getByRole('heading', { name: 'Marketplace', level: 1 })).toBeVisible();
  await page.locator('body[data-hydrated="true"]').waitFor();
  await page.getByLabel('Search').fill('microsoft defender');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/q=microsoft/);
  // Every word must match: "Bitdefender" is not a Microsoft product.
  await expect(page.getByRole('status').filter({ hasText: '1 product matches “microsoft defender”' })).toBeVisible();
  await shot('marketplace');
  await page.getByRole('link', { name: 'Microsoft Defender for Business' }).click();

  await expect(page.getByRole('heading', { name: 'Microsoft Defender for Business', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Plans' })).toBeVisible();
  await page.getByRole('link', { name: /^Order Monthly/ }).click();

  // The form gets its idempotency key in the address once it runs in the browser.
  await expect(page).toHaveURL(/key=[0-9a-f]{32}/);
  const formUrl = page.url();
  await expect(page.getByRole('heading', { name: 'Order Microsoft Defender for Business' })).toBeVisible();
  const licenses = page.getByLabel('Licenses', { exact: true });
  await licenses.fill('0');
  await expect(page.getByText('At least 1.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Place order' })).toBeDisabled();
  await licenses.fill('3');
  // 3 licenses at $3.60.
  await expect(page.getByRole('cell', { name: '$10.80' }).last()).toBeVisible();
  await shot('checkout');

  // Mark the page: a full reload would lose this.
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
  await page.getByRole('button', { name: 'Place order' }).dblclick();
  await expect(page).toHaveURL(/\/orders\/\d+$/);
  await expect(page.getByRole('heading', { name: /^Order SO-\d+$/ })).toBeVisible();
  // In progress first, then completed, without reloading the page.
  await expect(page.getByText(/This page updates by itself/)).toBeVisible();
  await expect(page.locator('.order-status')).toHaveText('Completed', { timeout: 30_000 });
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  await expect(page.getByRole('list').filter({ hasText: 'Vendor reference' })).toBeVisible();
  await shot('order');
  const orderUrl = page.url();

  // Reopening the spent order form (a reload, a retry) and confirming again places no second
  // order: it leads to the same one.
  await open(page, formUrl);
  await page.getByLabel('Licenses', { exact: true }).fill('3');
  await expect(page.getByRole('cell', { name: '$10.80' }).last()).toBeVisible();
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(orderUrl);

  // The subscription is active...
  await page.getByRole('link', { name: 'View subscription' }).click();
  await expect(page.getByRole('heading', { name: 'Microsoft Defender for Business', level: 1 })).toBeVisible();
  await expect(page.getByText('Active').first()).toBeVisible();
  await page.goBack();

  // ...and the invoice has the lines as ordered.
  await page.getByRole('link', { name: 'View invoice' }).click();
  await expect(page.getByRole('heading', { name: /^Invoice INV-\d+$/ })).toBeVisible();
  const invoice = page.getByRole('article');
  await expect(invoice.getByRole('row').filter({ hasText: 'Licenses' })).toContainText('$10.80');
  await expect(invoice.getByRole('row').filter({ hasText: 'Total' })).toContainText('$10.80');
  // Each line names what it is for; the invoice is open, due in 14 days, all of it left to pay.
  await expect(invoice.getByRole('row').filter({ hasText: 'Licenses' })).toContainText(
    'Microsoft Defender for Business — Monthly',
  );
  await expect(invoice.getByText('Open', { exact: true })).toBeVisible();
  await expect(invoice.getByRole('row').filter({ hasText: 'Amount due' })).toContainText('$10.80');
  await shot('invoice');
  const number = (await page.getByRole('heading', { level: 1 }).textContent())!.replace('Invoice ', '').trim();

  // Billing says what is due, never a bare balance, and lists the invoice as open. (The list
  // stacks into cards on a phone, where a table row may lose its role: found by element.)
  await open(page, '/billing');
  await expect(page.getByRole('heading', { name: 'Amount due' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Paid in the last 12 months' })).toBeVisible();
  await expect(page.getByText('Balance')).toHaveCount(0);
  await expect(page.locator('tr').filter({ hasText: number })).toContainText('Open');
  await shot('billing');

  // The bell counts the completion; the notification links back to the order.
  await open(page, '/notifications');
  await expect(page.getByRole('link', { name: 'Microsoft Defender for Business is ready' }).first()).toBeVisible();
});

test('a refused order fails with the vendor reason and no charge', async ({ page }) => {
  await signedIn(page, ADMIN, PASSWORD);
  await open(page, '/marketplace?q=fax');
  await page.getByRole('link', { name: 'Legacy Fax Gateway' }).click();
  await page.getByRole('link', { name: /^Order / }).first().click();
  await expect(page).toHaveURL(/key=/);
  await expect(page.getByRole('cell', { name: 'Setup fee' })).toBeVisible();
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page.locator('.order-status')).toHaveText('Failed', { timeout: 30_000 });
  await expect(page.getByRole('status').filter({ hasText: 'no longer accepts new orders' })).toContainText(
    'You have not been charged.',
  );
  await expect(page.getByRole('link', { name: 'View invoice' })).toHaveCount(0);
});

test('a service user cannot open the marketplace', async ({ page, watch }) => {
  watch.allow(/status of 403/);
  await signedIn(page, 'uma.user@contoso-dental.example', PASSWORD);
  await open(page, '/marketplace');
  await expect(page.getByRole('heading', { name: 'Not available for your role', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: /Microsoft/ })).toHaveCount(0);
});

test("an order address naming another product's plan prices and places the product on screen", async ({ page }) => {
  await signedIn(page, ADMIN, PASSWORD);
  await open(page, '/marketplace');
  // Any two products: the plan of the second, in the order address of the first.
  const products = page.locator('main a[href^="/marketplace/"]');
  const first = (await products.nth(0).getAttribute('href'))!;
  const second = (await products.nth(1).getAttribute('href'))!;
  await open(page, second);
  const otherPlan = new URL(
    (await page.getByRole('link', { name: /^Order / }).first().getAttribute('href'))!,
    'http://x',
  ).searchParams.get('plan');
  await open(page, `${first}/order?plan=${otherPlan}&key=21111111222243338444555555555556`);
  // The address is corrected to a plan of the product shown, with the same key.
  await expect(page).not.toHaveURL(new RegExp(`plan=${otherPlan}&`));
  await expect(page).toHaveURL(/key=21111111222243338444555555555556/);
  await expect(page.getByRole('radio', { checked: true })).toHaveCount(1);
});
