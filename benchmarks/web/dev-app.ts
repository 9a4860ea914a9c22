// The app as the browser benchmarks drive it: Vite's dev server on a fixed port and headless
// Chromium, started together and stopped together.
import { spawn } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

export interface DevApp { browser: Browser; url: string; close(): Promise<void> }

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
  return { browser, url, close };
}
