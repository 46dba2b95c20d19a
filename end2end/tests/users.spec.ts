import { expect, open, PASSWORD, readOutbox, signedIn as signIn, test } from './helpers';

test('an admin searches the users list', async ({ page }) => {
  await signIn(page, 'adam.admin@contoso-dental.example', PASSWORD);
  await open(page, '/users');
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  // Other tests add people to the same server, so only the shape of the count is known.
  await expect(page.getByRole('status').filter({ hasText: /^\d+ people$/ })).toBeVisible();
  // On a phone the filters wait behind a button.
  const phone = (page.viewportSize()?.width ?? 1280) <= 640;
  const toggle = page.getByRole('button', { name: /^Filters/ });
  if (phone) {
    await expect(page.getByLabel('Search')).toBeHidden();
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  }
  await page.getByLabel('Search').fill('hann');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/q=hann/);
  await expect(page.getByRole('status').filter({ hasText: /^1 person$/ })).toBeVisible();
  await expect(page.getByText('hannah.lee@contoso-dental.example').filter({ visible: true })).toBeVisible();
  if (phone) {
    // The filter in force is a chip; tapping it removes it, and the count follows.
    await expect(toggle).toHaveText('Filters (1)');
    await page.getByRole('link', { name: 'Remove the filter “hann”' }).click();
    await expect(page).not.toHaveURL(/q=hann/);
    await expect(toggle).toHaveText('Filters');
    await expect(page.getByRole('link', { name: /^Remove the filter/ })).toHaveCount(0);
    await expect(page.getByLabel('Search')).toHaveValue('');
  }
});

test('a new person is invited, activates from the email and signs in', async ({ page, browser, watch }) => {
  // Adding the same address twice is refused.
  watch.allow(/status of 422/);
  const phone = (page.viewportSize()?.width ?? 1280) <= 640;
  const email = `newbie.${phone ? 'phone' : 'desktop'}@contoso-dental.example`;

  await signIn(page, 'olivia.owner@contoso-dental.example', PASSWORD);
  // First an admin...
  await open(page, '/users/new');
  await page.getByLabel('Name').fill('Ada Admin');
  await page.getByLabel('Email (sign-in)').fill(`ada.${phone ? 'phone' : 'desktop'}@contoso-dental.example`);
  await page.getByLabel(/Admin — manages the whole account/).check();
  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Ada Admin was added' })).toBeVisible();
  await open(page, `/users?q=ada.${phone ? 'phone' : 'desktop'}`);
  // A wide list has a Role column; a phone's compact row says the role under the name.
  const row = page.getByRole('row').filter({ hasText: `ada.${phone ? 'phone' : 'desktop'}@` });
  await expect(phone ? row.locator('.phone-only') : row.getByRole('cell').nth(2)).toContainText('Admin');

  // ...then a user, who activates their account from the email.
  await open(page, '/users/new');
  await page.getByLabel('Name').fill('Nora Newbie');
  await page.getByLabel('Email (sign-in)').fill(email);
  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Nora Newbie was added' })).toBeVisible();

  // A duplicate is refused with a clear message next to the field.
  await page.getByLabel('Name').fill('Nora Again');
  await page.getByLabel('Email (sign-in)').fill(email.toUpperCase());
  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByText('A person with this email already exists.')).toBeVisible();

  // The activation email, opened from the developer outbox in a fresh browser.
  // The admin reads the outbox (only the account's managers may: it holds live links).
  await open(page, '/dev/outbox');
  const mail = page.getByRole('article').filter({ hasText: `To ${email}` }).first();
  const activation = await mail.getByRole('link', { name: /\/activate\?token=/ }).getAttribute('href');
  const context = await browser.newContext({ viewport: page.viewportSize() ?? undefined });
  const newbie = await context.newPage();
  await open(newbie, activation!);
  await expect(newbie.getByRole('heading', { name: 'Activate your account' })).toBeVisible();
  await newbie.getByLabel('New password').fill('Nora-password-1');
  await newbie.getByLabel('Repeat the password').fill('Nora-password-1');
  await newbie.getByRole('button', { name: 'Activate and sign in' }).click();
  await expect(newbie.getByRole('heading', { name: 'My services', level: 1 })).toBeVisible();
  await newbie.screenshot({ path: `test-results/activated-${phone ? 'phone' : 'desktop'}.png` });
  await context.close();
});

test('an admin manages a user but cannot demote the owner', async ({ page }) => {
  await signIn(page, 'adam.admin@contoso-dental.example', PASSWORD);
  await open(page, '/users');
  await page.getByRole('link', { name: 'Grace Kim' }).click();
  await expect(page.getByRole('heading', { name: 'Grace Kim', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Make admin' }).click();
  await expect(page.getByRole('button', { name: 'Make user' })).toBeVisible();
  // Back as it was, so the other viewport's run starts from the same state.
  await page.getByRole('button', { name: 'Make user' }).click();
  await expect(page.getByRole('button', { name: 'Make admin' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Sign-in history' })).toBeVisible();

  // Give Grace a Zoom license, then take it back.
  await page.getByRole('button', { name: 'Assign Zoom Workplace Pro — Licenses' }).click();
  await expect(page.getByRole('button', { name: 'Unassign Zoom Workplace Pro — Licenses' })).toBeVisible();
  // Of whatever limit the Zoom subscription has now: the resources journey raises it.
  await expect(page.getByText(/Licenses · 4 of \d+ assigned/)).toBeVisible();
  await page.getByRole('button', { name: 'Unassign Zoom Workplace Pro — Licenses' }).click();
  await expect(page.getByRole('button', { name: 'Assign Zoom Workplace Pro — Licenses' })).toBeVisible();

  await open(page, '/users?role=owner');
  await page.getByRole('link', { name: 'Olivia Owner' }).click();
  await expect(page.getByRole('heading', { name: 'Olivia Owner', level: 1 })).toBeVisible();
  await expect(page.getByText('The owner cannot be demoted, disabled or deleted.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Make user' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Delete/ })).toHaveCount(0);
  await page.screenshot({ path: `test-results/owner-${(page.viewportSize()?.width ?? 1280) <= 640 ? 'phone' : 'desktop'}.png`, fullPage: true });
});

test('a person who forgot their password resets it from the emailed link', async ({ page, browser }) => {
  const phone = (page.viewportSize()?.width ?? 1280) <= 640;
  const email = phone ? 'marco.silva@contoso-dental.example' : 'hannah.lee@contoso-dental.example';
  await open(page, '/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible();
  await page.locator('body[data-hydrated="true"]').waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByRole('status')).toContainText('If this address has an account');

  const reset = await readOutbox(browser, (outbox) =>
    outbox
      .getByRole('article')
      .filter({ hasText: `To ${email}` })
      .first()
      .getByRole('link', { name: /\/reset-password\?token=/ })
      .getAttribute('href'),
  );
  await open(page, reset!);
  await page.getByLabel('New password').fill('Fresh-password-42');
  await page.getByLabel('Repeat the password').fill('Fresh-password-42');
  await page.getByRole('button', { name: 'Save and sign in' }).click();
  await expect(page.getByRole('heading', { name: 'My services', level: 1 })).toBeVisible();
});

test('the owner reads the activity log', async ({ page }) => {
  await signIn(page, 'olivia.owner@contoso-dental.example', PASSWORD);
  await open(page, '/activity');
  await expect(page.getByRole('heading', { name: 'Activity', level: 1 })).toBeVisible();
  // Earlier tests changed people; whichever ran, the log shows people changes.
  await expect(page.getByRole('cell', { name: /person/ }).first()).toBeVisible();
  await page.screenshot({ path: `test-results/activity-${(page.viewportSize()?.width ?? 1280) <= 640 ? 'phone' : 'desktop'}.png`, fullPage: true });
});

test('an admin imports people from a CSV file after checking it', async ({ page }) => {
  const tag = (page.viewportSize()?.width ?? 1280) <= 640 ? 'phone' : 'desktop';
  await signIn(page, 'adam.admin@contoso-dental.example', PASSWORD);
  await open(page, '/users');
  await page.getByRole('link', { name: 'Import' }).click();
  await expect(page.getByRole('heading', { name: 'Import users', level: 1 })).toBeVisible();
  await page.locator('body[data-hydrated="true"]').waitFor();

  // A file with a bad row: every problem shown, nothing to import.
  const bad = `name,email,role\nCsv One,csv1.${tag}@contoso-dental.example,user\nCsv Two,not-an-email,admin\n`;
  await page.getByLabel('CSV file').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await expect(page.getByText('1 of 2 rows have problems')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Import \d+ people$/ })).toHaveCount(0);

  // Fixed in place, checked again, imported.
  await page.getByLabel('Or paste the rows').fill(bad.replace('not-an-email', `csv2.${tag}@contoso-dental.example`));
  await page.getByRole('button', { name: 'Check the rows' }).click();
  await expect(page.getByText('All 2 rows are ready to import.')).toBeVisible();
  await page.getByRole('button', { name: 'Import 2 people' }).click();
  await expect(page.getByText('2 people were added.')).toBeVisible();
  await page.screenshot({ path: `test-results/import-${tag}.png`, fullPage: true });
});
