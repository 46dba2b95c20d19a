import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

/**
 * Every browser test runs watched: a console error, an uncaught page error (a panic in the
 * hydrated app shows up as one) or a 5xx answer fails it. A test that provokes a refusal on
 * purpose says so with `watch.allow(/status of 401/)`; browsers log refused requests as
 * console errors.
 */
export const test = base.extend<{ watch: { allow: (pattern: RegExp) => void } }>({
  watch: [
    async ({ context }, use) => {
      const problems: string[] = [];
      const allowed: RegExp[] = [];
      const track = (page: Page) => {
        page.on('console', (message) => {
          if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
        });
        page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
        page.on('response', (response) => {
          if (response.status() >= 500) problems.push(`${response.status()} from ${response.url()}`);
        });
      };
      context.pages().forEach(track);
      context.on('page', track);
      await use({ allow: (pattern) => allowed.push(pattern) });
      const unexpected = problems.filter((problem) => !allowed.some((a) => a.test(problem)));
      expect(unexpected, 'console errors, page errors and 5xx answers').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

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

/**
 * Reads the demo outbox as Contoso's owner, in a browser of its own: the outbox holds live
 * activation and reset links, so only an account's owner and admins may read it.
 */
export async function readOutbox<T>(browser: Browser, read: (outbox: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext();
  try {
    const outbox = await context.newPage();
    await signedIn(outbox, 'olivia.owner@contoso-dental.example');
    await open(outbox, '/dev/outbox');
    return await read(outbox);
  } finally {
    await context.close();
  }
}

export const isPhone = (page: Page) => (page.viewportSize()?.width ?? 1280) <= 640;

// axe-core, run inside the page. `evaluate` goes through the browser's debugging protocol, so
// the page's Content-Security-Policy (which refuses scripts without its nonce) does not block it.
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core on the page as it is and fails on any serious or critical violation, listing
 * each with the elements it concerns.
 */
export async function expectAccessible(page: Page, what: string) {
  await page.evaluate(axeSource);
  const violations: { id: string; impact: string; help: string; nodes: string[] }[] = await page.evaluate(async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const axe = (window as any).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: { id: string; impact: string; help: string; nodes: { target: string[] }[] }) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
      }));
  });
  expect(violations, `accessibility of ${what}`).toEqual([]);
}
