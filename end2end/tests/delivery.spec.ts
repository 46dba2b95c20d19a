import { expect, open, signedIn, test } from './helpers';

const OWNER = 'olivia.owner@contoso-dental.example';

// What the browser downloads to show a page: hashed names, served compressed, cached for a
// year; the page itself compressed and never stored.
test('assets are compressed and cached for good, pages never stored', async ({ page }) => {
  const assets: { url: string; encoding?: string; cache?: string; type?: string }[] = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith('/pkg/')) {
      const headers = response.headers();
      assets.push({
        url: url.pathname,
        encoding: headers['content-encoding'],
        cache: headers['cache-control'],
        type: headers['content-type'],
      });
    }
  });
  await signedIn(page, OWNER);
  const home = await page.request.get('/', { headers: { 'accept-encoding': 'br, gzip' } });
  expect(home.headers()['content-encoding']).toBe('br');
  expect(home.headers()['cache-control']).toBe('no-store');
  await open(page, '/');

  for (const kind of ['.wasm', '.js', '.css']) {
    expect(assets.find((a) => a.url.endsWith(kind)), `a ${kind} asset was loaded`).toBeTruthy();
  }
  // The page's own code came as a chunk beside the main bundle.
  expect(assets.filter((a) => a.url.endsWith('.wasm')).length, 'wasm files').toBeGreaterThan(1);
  for (const asset of assets) {
    // <name>.<md5 in base64url>.<ext>: a new build is a new name.
    expect(asset.url).toMatch(/^\/pkg\/[A-Za-z0-9_.-]+\.[A-Za-z0-9_-]{22}\.(wasm|js|css)$/);
    expect(asset.encoding, asset.url).toBe('br');
    expect(asset.cache, asset.url).toBe('public, max-age=31536000, immutable');
    // A shared cache must keep the brotli body apart from the plain one.
    const again = await page.request.get(asset.url, { headers: { 'accept-encoding': 'br' } });
    expect(again.headers()['vary'] ?? '', asset.url).toMatch(/accept-encoding/i);
    if (asset.url.endsWith('.wasm')) expect(asset.type, asset.url).toBe('application/wasm');
  }
});

// What a first visit to each page downloads (wasm and js, compressed as sent), from an empty
// cache: the main bundle plus the page's chunks. The table goes into the report. Home, the page
// most people land on, may not grow past what it downloads today (386 KB on 2026-12-01; 410 KB
// on 2026-12-03, after renewal amounts, usage warnings and the date and usage helpers that several
// pages share; 429 KB on 2026-12-04, after the cancel page, the reseller panel's five pages, whose
// template text the splitter keeps in the main module, and the acting banner in the shell); the
// aim is 300 KB, which the framework's share of the main bundle alone nearly fills (see
// ARCHITECTURE.md, "The browser bundle").
const HOME_CEILING = 440 * 1024;

test('code downloaded by a cold load, per page', async ({ browser, page }, info) => {
  test.skip(info.project.name !== 'desktop', 'the bytes do not depend on the width');
  test.setTimeout(120_000);
  await signedIn(page, OWNER);
  const storageState = await page.context().storageState();
  const rows: string[] = [];
  const sizes = new Map<string, number>();
  for (const path of ['/', '/marketplace', '/subscriptions', '/orders', '/billing', '/users', '/users/new', '/users/import', '/activity', '/notifications', '/profile', '/login']) {
    const context = await browser.newContext(path === '/login' ? {} : { storageState });
    const visit = await context.newPage();
    const files: Promise<[string, number]>[] = [];
    visit.on('requestfinished', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/pkg/') && /\.(wasm|js)$/.test(url.pathname)) {
        files.push(request.sizes().then((s) => [url.pathname, s.responseBodySize] as [string, number]));
      }
    });
    await open(visit, path);
    await visit.waitForLoadState('networkidle');
    const downloaded = await Promise.all(files);
    const total = downloaded.reduce((sum, [, size]) => sum + size, 0);
    sizes.set(path, total);
    rows.push(`| ${path} | ${downloaded.length} | ${(total / 1024).toFixed(1)} KB |`);
    await context.close();
  }
  const table = [
    'Code a cold load downloads (wasm + js, brotli as sent)',
    '| page | files | bytes |',
    '| --- | ---: | ---: |',
    ...rows,
  ].join('\n');
  console.log(table);
  await info.attach('bundle per page', { body: table, contentType: 'text/markdown' });
  expect(sizes.get('/')!, `Home downloads at most ${HOME_CEILING / 1024} KB of code`).toBeLessThanOrEqual(HOME_CEILING);
});

// A tab opened before a new version went out asks for chunk names the server no longer has.
// The page loads its address again, which brings the new names, instead of dying.
test('a page whose code chunk is gone is loaded again instead of breaking', async ({ page, watch }) => {
  // The failed fetch and the loader's panic are reported on the console before the reload.
  watch.allow(/load callback should succeed|Failed to load resource|net::ERR_FAILED|panicked at|unreachable|HTTP status code is not ok/);
  await signedIn(page, OWNER);
  await open(page, '/');
  let refused = 0;
  // The Billing page's own chunk is missing once, as after a deployment.
  await page.route(/\/pkg\/split___billing_route_view_[^/]*\.wasm$/, async (route) => {
    if (refused++ === 0) await route.fulfill({ status: 404, body: 'gone' });
    else await route.continue();
  });
  const menu = page.getByRole('navigation', { name: 'Main' });
  if ((page.viewportSize()?.width ?? 1280) <= 640) await page.getByRole('button', { name: 'Menu' }).click();
  await menu.getByRole('link', { name: 'Billing' }).click();
  await expect(page).toHaveURL(/\/billing$/);
  await expect(page.getByRole('heading', { name: 'Billing', level: 1 })).toBeVisible();
  await page.locator('body[data-hydrated="true"]').waitFor();
  expect(refused, 'the missing chunk was asked for, then asked for again').toBeGreaterThanOrEqual(2);
});
