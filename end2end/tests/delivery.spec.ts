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
    const asset = assets.find((a) => a.url.endsWith(kind));
    expect(asset, `a ${kind} asset was loaded`).toBeTruthy();
    // ccp.<hash>.wasm: a new build is a new name.
    expect(asset!.url).toMatch(/^\/pkg\/ccp\.[A-Za-z0-9_-]{10,}\.(wasm|js|css)$/);
    expect(asset!.encoding, asset!.url).toBe('br');
    expect(asset!.cache, asset!.url).toBe('public, max-age=31536000, immutable');
    // A shared cache must keep the brotli body apart from the plain one.
    const again = await page.request.get(asset!.url, { headers: { 'accept-encoding': 'br' } });
    expect(again.headers()['vary'] ?? '', asset!.url).toMatch(/accept-encoding/i);
  }
  expect(assets.find((a) => a.url.endsWith('.wasm'))!.type).toBe('application/wasm');
});
