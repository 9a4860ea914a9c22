// The production build works offline once loaded (DRILLS.md rooms lose their network): build,
// serve, load once in Chromium, cut the network, reload — the map and the scenario come back.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PORT = 4198;
let server: ChildProcess;
let browser: Browser;

beforeAll(async () => {
  // Vitest sets NODE_ENV=test, and Vite would honour it: build as production, as `npm run build` does.
  const built = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--outDir', '../dist/web-offline-test', '--emptyOutDir'],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  if (built.status !== 0) throw new Error(`vite build failed: ${built.stderr}`);
  server = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--outDir', '../dist/web-offline-test', '--port', String(PORT), '--strictPort'], { cwd: ROOT, stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 2500));
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.kill();
});

describe('Content-Security-Policy (issue 17: no inline script, no eval)', () => {
  it('the built app computes the scenario with no violation, and an inline script injected into it does not run', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __violations: string[] }).__violations = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(`http://127.0.0.1:${PORT}/`);
    await page.waitForFunction(() => {
      const root = document.querySelector('sandtable-app')?.shadowRoot;
      return root?.querySelector('region-map')?.drawn && root.querySelector('.status')?.textContent?.includes('·');
    }, null, { timeout: 90_000 });
    const policy = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'));
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    // What a hostile text would try if it ever reached the DOM as markup: the policy stops it.
    const ran = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.append(script);
      await new Promise((r) => setTimeout(r, 100));
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([expect.stringMatching(/^script-src/)]);
    await context.close();
  }, 150_000);
});

describe('offline', () => {
  it('reloads with the network cut: the map draws and the scenario computes from the cache', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const ready = () => page.waitForFunction(() => {
      const root = document.querySelector('sandtable-app')?.shadowRoot;
      return root?.querySelector('region-map')?.drawn && root.querySelector('.status')?.textContent?.includes('·');
    }, null, { timeout: 90_000 });
    const precached = new Promise<void>((resolve) => page.exposeFunction('__precached', resolve));
    await page.addInitScript(() => {
      navigator.serviceWorker?.addEventListener('message', (event) => {
        if (event.data?.type === 'precached') (window as unknown as { __precached(): void }).__precached();
      });
      // A service worker's messages wait in a queue until the page starts it.
      navigator.serviceWorker?.startMessages();
    });
    await page.goto(`http://127.0.0.1:${PORT}/`);
    await ready();
    // One visit: the page, the kernels and the region's grids are kept.
    await Promise.race([precached, new Promise((_, fail) => setTimeout(() => fail(new Error('the service worker never reported its cache filled')), 60_000))]);
    // The ensemble pool's worker, never started on this visit, is kept too (Run works offline).
    const kept = await page.evaluate(async () => (await (await caches.open('sandtable-v1')).keys()).map((r) => r.url));
    expect(kept.some((url) => /ensemble\.worker[^/]*\.js$/.test(url)), kept.join('\n')).toBe(true);
    await context.setOffline(true);
    await page.reload();
    await ready();
    const status = await page.evaluate(() => document.querySelector('sandtable-app')!.shadowRoot!.querySelector('.status')!.textContent);
    expect(status).toMatch(/·/);
    await context.close();
  }, 150_000);
});
