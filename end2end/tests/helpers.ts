import { expect, type Page } from '@playwright/test';

export const PASSWORD = 'Demo-pass-2026';

/** Opens a page and waits until it is hydrated, as a person waits for it to finish loading. */
export async function open(page: Page, path: string) {
  await page.goto(path);
  await page.locator('body[data-hydrated="true"]').waitFor();
}

export async function signIn(page: Page, email: string, password: string) {
  await open(page, '/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in and waits for the first page after sign-in. */
export async function signedIn(page: Page, email: string, password = PASSWORD) {
  await signIn(page, email, password);
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Sign in');
}

export const isPhone = (page: Page) => (page.viewportSize()?.width ?? 1280) <= 640;
