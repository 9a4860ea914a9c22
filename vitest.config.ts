import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { sharedViteOptions } from './vite.config.ts';

// Browser tests run in Debian's Chromium; nothing downloads a browser of its own.
const chromium = playwright({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  },
});

/**
 * Commands the browser tests run in Node: the same scenario through `sandtable run`, so a test can
 * check that the browser worker reproduces Node's results byte for byte.
 */
const commands = {
  nodeRunHash(_context: unknown, scenarioFile: string): { results: string; files: Record<string, string> } {
    const cli = fileURLToPath(new URL('./bin/sandtable.js', import.meta.url));
    const out = mkdtempSync(join(tmpdir(), 'sandtable-node-run-'));
    try {
      const run = spawnSync(process.execPath, [cli, 'run', scenarioFile, '--out', out], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`sandtable run ${scenarioFile} failed: ${run.stderr}`);
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
      return { results: manifest.results_sha256, files: manifest.file_sha256 };
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
};

export default defineConfig({
  ...sharedViteOptions,
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['test/**/*.test.ts'], exclude: ['test/browser/**'], environment: 'node', testTimeout: 120_000, setupFiles: ['test/setup-kernels.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 60_000,
          // 1440 × 900: the screen size trainers' screenshots are judged at (test-results/screens/).
          browser: { enabled: true, headless: true, provider: chromium, instances: [{ browser: 'chromium' }], screenshotFailures: false, commands, viewport: { width: 1440, height: 900 } },
        },
      },
    ],
  },
});
