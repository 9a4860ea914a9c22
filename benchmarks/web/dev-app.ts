// The app as the browser benchmarks drive it: Vite's dev server on a fixed port and headless
// Chromium, started together and stopped together.
import { spawn } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';

export interface DevApp { browser: Browser; url: string; close(): Promise<void>; computedPage(): Promise<Page> }

/** Starts the dev server and the browser, and returns once the server answers (up to 2 minutes). */
export async function startDevApp(port: number): Promise<DevApp> {
  const server = spawn(process.execPath, ['node_modules/vite/bin/vite.js', '--port', String(port), '--strictPort'], { stdio: 'ignore' });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'] });
  const close = async () => { await browser.close(); server.kill(); };
  const url = `http://127.0.0.1:${port}/`;
  try {
    for (let waited = 0; !(await fetch(url).then((r) => r.ok, () => false)); waited += 500) {
      if (waited > 120_000) throw new Error(`the dev server did not answer on port ${port}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { browser, url, close, computedPage: () => computedPage(browser, url) };
}

type App = HTMLElement & { computing: boolean; result?: unknown };

/** A 1440×900 page of the app with its first scenario computed; crashes and console errors go to stderr. */
async function computedPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('crash', () => process.stderr.write('the page crashed\n'));
  page.on('console', (m) => { if (m.type() === 'error') process.stderr.write(`console: ${m.text()}\n`); });
  // tsx names the functions a benchmark hands the page with a helper the page lacks.
  await page.addInitScript('window.__name = (f) => f');
  await page.goto(url);
  // The dev server may re-bundle a dependency and reload once: wait for the computed first scenario.
  await page.waitForFunction(() => { const a = document.querySelector('sandtable-app') as unknown as App | null; return a && !a.computing && a.result; }, null, { timeout: 300_000, polling: 1000 });
  return page;
}
