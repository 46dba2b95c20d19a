import { chromium } from '@playwright/test';
const base = 'http://127.0.0.1:3222';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
const page = await context.newPage();
let panics = 0;
page.on('pageerror', e => { panics++; });
await page.goto(base + '/login');
await page.locator('body[data-hydrated="true"]').waitFor();
await page.getByLabel('Email').fill('adam.admin@contoso-dental.example');
await page.getByLabel('Password').fill('Demo-pass-2026');
await page.getByRole('button', { name: 'Sign in' }).click();
await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
for (const path of ['/', '/marketplace', '/marketplace/12', '/marketplace/12/order?plan=23&key=0123456789abcdef0123456789abcdef', '/marketplace/12/order?plan=23', '/orders', '/billing', '/notifications', '/subscriptions', '/users']) {
  let ok = 0, bad = 0;
  for (let i = 0; i < 5; i++) {
    panics = 0;
    await page.goto(base + path);
    try { await page.locator('body[data-hydrated="true"]').waitFor({ timeout: 5000 }); ok++; } catch { bad++; }
  }
  console.log(path, 'hydrated', ok, 'failed', bad);
}
await browser.close();
