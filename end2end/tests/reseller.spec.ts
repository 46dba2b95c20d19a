import { expect, isPhone, open, signedIn, test } from './helpers';

const RITA = 'rita.reseller@northwind-cloud.example';

// Runs at both widths against one server: each run creates its own customer, and acting for
// Fabrikam changes nothing but the audit log.
test('a reseller creates a customer, logs in to a customer panel, sees the banner and returns', async ({
  page,
  watch,
}) => {
  // The form refused on purpose once (422).
  watch.allow(/status of 422/);
  const width = isPhone(page) ? 'phone' : 'desktop';
  const shot = (name: string) => page.screenshot({ path: `test-results/${name}-${width}.png`, fullPage: true });
  await signedIn(page, RITA);
  await expect(page.getByRole('heading', { name: 'Reseller panel', level: 1 })).toBeVisible();

  // A new customer; a taken owner email is refused beside its field.
  const stamp = `${width} ${Date.now()}`;
  const company = `Woodgrove Bank ${stamp}`;
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
  await page.getByLabel("Owner's email (their sign-in)").fill(`wendy.${Date.now()}.${width}@woodgrove.example`);
  await page.getByRole('button', { name: 'Create customer' }).click();
  await expect(page.getByRole('heading', { name: company, level: 1 })).toBeVisible();
  await expect(page.getByText("The customer was created, and the owner's welcome email is on its way.")).toBeVisible();
  await expect(page.getByText('Owner not activated yet').or(page.getByText('Invited'))).toBeVisible();
  await shot('reseller-new-customer');

  // The list finds it by name.
  await open(page, '/reseller/customers');
  await page.getByLabel('Name or contact email').fill(stamp);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('link', { name: company })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Contoso Dental Group' })).toHaveCount(0);

  // Fabrikam's page, then its panel, acting with its owner's rights.
  await page.getByLabel('Name or contact email').fill('Fabrikam');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: 'Fabrikam Logistics' }).click();
  await expect(page.getByRole('heading', { name: 'Fabrikam Logistics', level: 1 })).toBeVisible();
  await page.locator('body[data-hydrated="true"]').waitFor();
  await page.getByRole('button', { name: 'Log in to Customer Control Panel' }).click();
  const banner = page.getByRole('region', { name: 'Acting for a customer' });
  await expect(banner).toContainText('Acting for Fabrikam Logistics as Rita Reseller');
  await page.locator('body[data-hydrated="true"]').waitFor();
  await shot('reseller-acting-home');
  // The waiting cancellation request shows on the subscriptions of the customer.
  await open(page, '/subscriptions');
  await expect(banner).toBeVisible();
  await expect(page.getByText('Cancellation pending').first()).toBeVisible();
  // The reseller panel is not reachable from the customer's panel.
  watch.allow(/status of 403/);
  await open(page, '/reseller/customers');
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Customers');

  // Back to the reseller's own panel, signed in as before.
  await open(page, '/');
  await banner.getByRole('button', { name: 'Return to reseller panel' }).click();
  await expect(page.getByRole('heading', { name: 'Fabrikam Logistics', level: 1 })).toBeVisible();
  await expect(banner).toHaveCount(0);
  await page.locator('body[data-hydrated="true"]').waitFor();
  await open(page, '/reseller/activity');
  await expect(page.getByText('Opened the customer\'s panel').first()).toBeVisible();
  await expect(page.getByText(/Rita Reseller \(Northwind Cloud Partners\) for Fiona Owner/).first()).toBeVisible();
  await shot('reseller-activity');
});
