import { expect, isPhone, open, signedIn, test } from './helpers';

const ADMIN = 'adam.admin@contoso-dental.example';

// Runs at both widths against one server, so it reads the limit it starts from and leaves
// auto-renew as it found it.
test('an admin adds a license at its prorated price, sees the new limit and the invoice line, and sets auto-renew', async ({
  page,
  watch,
}) => {
  // The only error answer expected: confirming a spent form (409). A limit the rules refuse is
  // not even sent to be priced.
  watch.allow(/status of 409/);
  const shot = (name: string) =>
    page.screenshot({ path: `test-results/${name}-${isPhone(page) ? 'phone' : 'desktop'}.png`, fullPage: true });
  await signedIn(page, ADMIN);
  await open(page, '/subscriptions');
  await page.getByRole('link', { name: 'Add or remove resources of Zoom Workplace Pro' }).click();
  await expect(page.getByRole('heading', { name: 'Add or remove resources', level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/subscriptions\/\d+\/resources\?key=[0-9a-f]{32}/);
  await page.locator('body[data-hydrated="true"]').waitFor();

  const licenses = page.getByLabel('Licenses', { exact: true });
  const now = Number(await licenses.inputValue());
  // How many people hold one, from the field's hint ("Now 4 licenses · 3 assigned · …").
  const hint = page.locator(`#${await licenses.getAttribute('aria-describedby')}`);
  const held = Number((await hint.textContent())!.match(/(\d+) assigned/)![1]);
  expect(held).toBeLessThan(now);
  const formUrl = page.url();
  // What is typed stays as typed (found by the break-it review: "1.5" became 51).
  await licenses.fill('');
  await licenses.pressSequentially('1.5');
  await expect(licenses).toHaveValue('1.5');
  await expect(page.getByText('Enter a whole number.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Confirm change' })).toBeDisabled();
  // Too many digits for a number is above the maximum, said as that; back at today's limit
  // nothing is sent to be priced (both found by the break-it review).
  await licenses.fill('99999999999999999999');
  await expect(page.getByText(/^Licenses: at most \d+\.$/)).toBeVisible();
  await licenses.fill(String(now));
  await expect(page.getByText('Set a new limit to see the price.')).toBeVisible();
  // Below the people who hold one: refused beside the field, with the reason.
  await licenses.fill(String(held - 1));
  await expect(
    page.getByText(`Licenses: ${held} are assigned to people; unassign some before lowering the limit to ${held - 1}.`),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Confirm change' })).toBeDisabled();
  await expect(page.getByText('Correct the limits marked to see the price.')).toBeVisible();

  // Down to the people who hold one: the window has closed, so it waits for the renewal, and
  // can be scheduled; cancelled again here.
  await licenses.fill(String(held));
  await expect(page.getByText(/^Licenses can be lowered only early in a period/)).toBeVisible();
  await page.getByRole('button', { name: new RegExp(`^Reduce to ${held} at the renewal on `) }).click();
  await expect(page.getByText(new RegExp(`^Scheduled: ${held} licenses from the renewal on `))).toBeVisible();
  // The page loaded again: its buttons work once it has hydrated.
  await page.locator('body[data-hydrated="true"]').waitFor();
  await page.getByRole('button', { name: 'Cancel the reduction' }).click();
  await expect(page.getByText(/^Scheduled: /)).toHaveCount(0);
  await page.locator('body[data-hydrated="true"]').waitFor();

  await licenses.fill(String(now + 1));
  await expect(page.getByText(`Licenses: ${now} → ${now + 1}`)).toBeVisible();
  const line = page.getByRole('row').filter({ hasText: `Licenses ${now} → ${now + 1}` });
  await expect(line).toContainText(/\d+ of \d+ days/);
  const charged = page.getByRole('row').filter({ hasText: 'Charged now' });
  await expect(charged).toContainText('$');
  const amount = (await charged.locator('td').last().textContent())!.trim();
  await expect(page.getByText(/From the renewal on .*: \$[\d,.]+ per month \(now \$[\d,.]+\)/)).toBeVisible();
  await shot('resources');

  await page.getByRole('button', { name: 'Confirm change' }).click();
  await expect(page).toHaveURL(/\/orders\/\d+$/);
  await expect(page.locator('.order-status')).toHaveText('Completed', { timeout: 30_000 });
  await page.getByRole('link', { name: 'View invoice' }).click();
  const invoice = page.getByRole('article');
  const invoiced = invoice.getByRole('row').filter({ hasText: `Licenses ${now} → ${now + 1}` });
  await expect(invoiced).toContainText(amount);
  await expect(invoiced).toContainText(/prorated for \d+ of \d+ days/);
  await expect(invoiced).toContainText('Zoom Workplace Pro');
  await shot('change-invoice');

  // The spent form, opened again (a second tab, a lost answer): confirming says why not and
  // offers a new form (found by the break-it review: the refusal was swallowed).
  await open(page, formUrl);
  await page.locator('body[data-hydrated="true"]').waitFor();
  await page.getByLabel('Licenses', { exact: true }).fill(String(now + 2));
  await page.getByRole('button', { name: 'Confirm change' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'already used for another order' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Start a new change' })).toBeVisible();

  await open(page, new URL(formUrl).pathname.replace(/\/resources$/, ''));
  await expect(page.getByRole('heading', { name: 'Zoom Workplace Pro', level: 1 })).toBeVisible();
  // At phone width each cell also names its column.
  await expect(page.getByRole('cell', { name: new RegExp(`^(Limit )?${now + 1} licenses`) })).toBeVisible();

  // Auto-renew off shows the end date; on again, the renewal.
  await page.locator('body[data-hydrated="true"]').waitFor();
  const renew = page.getByRole('switch', { name: 'Renew automatically' });
  await expect(renew).toBeChecked();
  await renew.uncheck();
  await expect(page.getByText(/^Ends on /)).toBeVisible();
  await shot('auto-renew-off');
  await renew.check();
  await expect(page.getByText(/^Renews automatically on /)).toBeVisible();
});
