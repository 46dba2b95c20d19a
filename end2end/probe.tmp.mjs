import { chromium } from '@playwright/test';
const base = 'http://127.0.0.1:3222';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const [name, opts] of [['desktop', { viewport: { width: 1280, height: 800 } }], ['phone', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }]]) {
  const context = await browser.newContext(opts);
  const page = await context.newPage();
  page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') console.log(name, m.type(), m.text().slice(0, 1500)); });
  page.on('pageerror', e => console.log(name, 'pageerror', e.message.slice(0, 1500)));
  await page.goto(base + '/login');
  await page.locator('body[data-hydrated="true"]').waitFor();
  await page.getByLabel('Email').fill('adam.admin@contoso-dental.example');
  await page.getByLabel('Password').fill('Demo-pass-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Home', level: 1 }).waitFor();
  for (let i = 0; i < 3; i++) {
    await page.goto(base + '/marketplace/12/order?plan=23&key=0123456789abcdef0123456789abcdef');
    try {
      await page.locator('body[data-hydrated="true"]').waitFor({ timeout: 8000 });
      console.log(name, 'hydrated', i);
    } catch (e) { console.log(name, 'NOT hydrated', i); }
  }
  await context.close();
}
await browser.close();
