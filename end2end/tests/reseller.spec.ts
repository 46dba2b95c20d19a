import { type Page } from '@playwright/test';
import { expect, isPhone, open, signedIn, test } from './helpers';

const RITA = 'rita.reseller@northwind-cloud.example';
const OWNER_PASSWORD = 'Woodgrove-pass-2026';

const hydrated = (page: Page) => page.locator('body[data-hydrated="true"]').waitFor();

// The journey of the reseller panel, at both widths against one server: each run creates its
// own customer, so it reads no state another run left.
test('a reseller creates a customer who activates, orders and asks to cancel; the reseller acts in its panel, returns and approves', async ({
  page,
  browser,
  watch,
}) => {
  test.setTimeout(180_000);
  // Refused on purpose: the taken owner email (422), the reseller panel from a customer's panel
  // (403).
  watch.allow(/status of (422|403)/);
  const width = isPhone(page) ? 'phone' : 'desktop';
  const shot = (p: Page, name: string) =>
    p.screenshot({ path: `test-results/reseller-${name}-${width}.png`, fullPage: true });
  const stamp = `${width}-${Date.now()}`;
  const company = `Woodgrove Bank ${stamp}`;
  const ownerEmail = `wendy.${stamp}@woodgrove.example`;

  // --- The reseller creates the customer; a taken owner email is refused beside its field ---
  await signedIn(page, RITA);
  await expect(page.getByRole('heading', { name: 'Reseller panel', level: 1 })).toBeVisible();
  await open(page, '/reseller/customers/new');
  await page.getByLabel('Company name').fill(company);
  await page.getByLabel('Address').fill('1 Quay Street\nWellington 6011');
  await page.getByLabel('Country').selectOption('NZ');
  await page.getByLabel('Contact name').fill('Casey Contact');
  await page.getByLabel('Contact email').fill('office@woodgrove.example');
  await page.getByLabel("Owner's name").fill('Wendy Owner');
  await page.getByLabel("Owner's email (their sign-in)").fill('olivia.owner@contoso-dental.example');
  await page.getByRole('button', { name: 'Create customer' }).click();
  await expect(page.getByText('A person with this email already exists.')).toBeVisible();
  await page.getByLabel("Owner's email (their sign-in)").fill(ownerEmail);
  await page.getByRole('button', { name: 'Create customer' }).click();
  await expect(page.getByRole('heading', { name: company, level: 1 })).toBeVisible();
  const customerPage = new URL(page.url()).pathname;
  await expect(page.getByText('Owner not activated yet').or(page.getByText('Invited')).first()).toBeVisible();
  await shot(page, 'new-customer');

  // --- The owner activates from the welcome email in the outbox ---
  await page.getByRole('link', { name: 'See it in the email outbox' }).click();
  await expect(page.getByRole('heading', { name: 'Email outbox' })).toBeVisible();
  const welcome = page.getByRole('article').filter({ hasText: `To ${ownerEmail}` }).first();
  await expect(welcome).toContainText(`Your sign-in: ${ownerEmail}`);
  const activation = await welcome.getByRole('link', { name: /\/activate\?token=/ }).getAttribute('href');
  const context = await browser.newContext({ viewport: page.viewportSize() ?? undefined, isMobile: isPhone(page) });
  const owner = await context.newPage();
  await open(owner, activation!);
  await owner.getByLabel('New password').fill(OWNER_PASSWORD);
  await owner.getByLabel('Repeat the password').fill(OWNER_PASSWORD);
  await owner.getByRole('button', { name: 'Activate and sign in' }).click();
  await expect(owner.getByRole('heading', { name: 'Home', level: 1 })).toBeVisible();

  // --- The owner orders Microsoft Defender for Business (monthly, 7 days of full refund) ---
  await open(owner, '/marketplace');
  await owner.getByLabel('Search').fill('microsoft defender');
  await owner.getByRole('button', { name: 'Search' }).click();
  await owner.getByRole('link', { name: 'Microsoft Defender for Business' }).click();
  await owner.getByRole('link', { name: /^Order Monthly/ }).click();
  await hydrated(owner);
  await owner.getByLabel('Licenses', { exact: true }).fill('2');
  await expect(owner.getByRole('cell', { name: '$7.20' }).last()).toBeVisible();
  await owner.getByRole('button', { name: 'Place order' }).click();
  await owner.getByRole('link', { name: 'View subscription' }).click();
  await expect(owner.getByRole('heading', { name: 'Microsoft Defender for Business', level: 1 })).toBeVisible();

  // --- ...and asks to cancel it, reading the full refund first ---
  await hydrated(owner);
  await owner.getByRole('link', { name: 'Cancel subscription' }).click();
  await expect(owner.getByRole('heading', { name: 'Cancel Microsoft Defender for Business', level: 1 })).toBeVisible();
  await expect(owner).toHaveURL(/\/cancel\?key=[0-9a-f]{32}/);
  await hydrated(owner);
  await owner.getByLabel('Reason').selectOption('switching_provider');
  await owner.getByLabel('Comment (optional)').fill('Moving to another vendor.');
  await expect(owner.getByText(/full refund/i).first()).toBeVisible();
  await owner.getByRole('button', { name: 'Request cancellation' }).click();
  // The request is an order waiting for the reseller; the subscription says so.
  await expect(owner.getByRole('heading', { name: /^Order SO-\d+$/, level: 1 })).toBeVisible();
  await expect(owner.getByText('Pending approval').first()).toBeVisible();
  await shot(owner, 'cancellation-requested');
  await owner.getByRole('link', { name: 'View subscription' }).click();
  await expect(owner.getByText(/Cancellation requested: it waits for your reseller's decision/)).toBeVisible();

  // --- The reseller opens the customer's page and logs in to its panel ---
  await open(page, customerPage);
  await page.getByRole('button', { name: 'Log in to Customer Control Panel' }).click();
  const banner = page.getByRole('region', { name: 'Acting for a customer' });
  await expect(banner).toContainText(`Acting for ${company} as Rita Reseller`);
  await open(page, '/subscriptions');
  await expect(banner).toBeVisible();
  await expect(page.getByText('Cancellation pending').filter({ visible: true }).first()).toBeVisible();
  await shot(page, 'acting');
  // The reseller panel is not reachable from the customer's panel.
  await open(page, '/reseller/customers');
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Customers');

  // --- ...returns, and approves the request ---
  await open(page, '/');
  await banner.getByRole('button', { name: 'Return to reseller panel' }).click();
  await expect(page.getByRole('heading', { name: company, level: 1 })).toBeVisible();
  await expect(banner).toHaveCount(0);
  await open(page, '/reseller');
  const request = page.getByRole('listitem').filter({ hasText: company });
  await expect(request).toContainText('Reason: We are moving to another provider');
  await request.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: company })).toHaveCount(0);
  await open(page, '/reseller/activity');
  await expect(page.getByText(`Rita Reseller (Northwind Cloud Partners) for Wendy Owner`).first()).toBeVisible();

  // --- The customer sees the subscription terminated, the credit note and the notification ---
  // Approved, the request is an order the vendor completes a moment later.
  await open(owner, '/subscriptions');
  await owner.getByRole('table').getByRole('link', { name: 'Microsoft Defender for Business' }).click();
  await expect(owner.getByRole('heading', { name: 'Microsoft Defender for Business', level: 1 })).toBeVisible();
  await expect(async () => {
    await owner.reload();
    await expect(owner.getByText('Terminated').filter({ visible: true }).first()).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await open(owner, '/billing');
  await expect(owner.getByText(/^CN-/).filter({ visible: true }).first()).toBeVisible();
  await open(owner, '/notifications');
  await expect(owner.getByText('Microsoft Defender for Business has been cancelled').first()).toBeVisible();
  await shot(owner, 'cancelled');
  await context.close();
});
