#!/usr/bin/env node
// The drill app's speed as a trainer meets it (issue: first frame < 3 s after build; ×600 at
// 30+ frames/s on the 1024² map; no main-thread task over 50 ms while playing). Serves the
// production build (run `npm run build` first) with `vite preview`, drives it in Debian's
// Chromium, prints one JSON line per run. A measurement, not a test: numbers depend on the machine.
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';

const PORT = 4199;
const runs = Number(process.argv[2] ?? 3);
const server = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--port', String(PORT), '--strictPort'], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 2500));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  for (let k = 0; k < runs; k++) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(() => {
      window.__long = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push({ start: e.startTime, duration: e.duration }); })
        .observe({ type: 'longtask', buffered: true });
    });
    const opened = Date.now();
    await page.goto(`http://127.0.0.1:${PORT}/`);
    await page.waitForFunction(() => document.querySelector('sandtable-app')?.shadowRoot?.querySelector('region-map')?.drawn, null, { timeout: 60000 });
    const firstFrameMs = Date.now() - opened;
    await page.waitForFunction(() => document.querySelector('sandtable-app')?.shadowRoot?.querySelector('.status')?.textContent.includes('·'), null, { timeout: 120000 });
    const scenarioComputedMs = Date.now() - opened;
    const playing = await page.evaluate(async () => {
      const bar = document.querySelector('sandtable-app').shadowRoot.querySelector('timeline-bar').shadowRoot;
      const speed = bar.querySelector('select');
      speed.value = '600';
      speed.dispatchEvent(new Event('change'));
      const before = window.__long.length;
      const start = performance.now();
      bar.querySelectorAll('button')[0].click();
      let frames = 0;
      await new Promise((resolve) => { const f = () => { frames++; if (performance.now() - start < 8000) requestAnimationFrame(f); else resolve(); }; requestAnimationFrame(f); });
      bar.querySelectorAll('button')[0].click();
      const longTasks = window.__long.slice(before);
      return { fps: Number((frames / ((performance.now() - start) / 1000)).toFixed(1)), long_tasks: longTasks.length, longest_task_ms: Math.round(Math.max(0, ...longTasks.map((t) => t.duration))) };
    });
    process.stdout.write(JSON.stringify({ first_frame_ms: firstFrameMs, scenario_computed_ms: scenarioComputedMs, speed: 600, ...playing }) + '\n');
    await page.close();
  }
} finally {
  await browser.close();
  server.kill();
}
