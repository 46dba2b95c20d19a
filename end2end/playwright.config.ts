import { defineConfig } from '@playwright/test';

// The server under test: the release binary on a free port with a fresh database, started by
// scripts/test.sh's environment. Playwright polls /readyz until it answers; no fixed sleeps.
const port = process.env.E2E_PORT ?? '3100';
// Sign-in attempts one address may make at once. The suite signs the demo owner in more often
// than a person would; the rate-limit test reads the same figure.
process.env.E2E_ACCOUNT_LIMIT ??= '40';
const baseURL = `http://127.0.0.1:${port}`;

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL,
    launchOptions: chromium,
    screenshot: 'only-on-failure',
    trace: 'off',
  },
  projects: [
    { name: 'desktop', use: { viewport: { width: 1280, height: 800 } } },
    { name: 'phone', use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
  ],
  webServer: {
    command: `"${process.env.E2E_SERVER ?? '../target/release/server'}" serve`,
    url: `${baseURL}/readyz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    env: {
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? 'sqlite::memory:',
      CCP_LISTEN: `127.0.0.1:${port}`,
      CCP_SITE_ROOT: process.env.E2E_SITE_ROOT ?? '../target/site',
      CCP_MODE: 'demo',
      // Every test signs in from 127.0.0.1: the per-client limit would throttle the suite, and
      // the demo owner signs in more often than the per-address limit allows a person.
      CCP_SIGN_IN_LIMIT_PER_CLIENT: '1000',
      CCP_SIGN_IN_LIMIT_PER_ACCOUNT: process.env.E2E_ACCOUNT_LIMIT,
      RUST_LOG: 'warn',
    },
  },
});
