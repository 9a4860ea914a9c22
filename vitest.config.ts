import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { nodeEnsemble, nodeEnsembleZip } from './test/browser/stage-ensemble.ts';
import { nodeGridEnsemble } from './test/browser/stage-grid-ensemble.ts';
import { defineConfig } from 'vitest/config';
import { forecastScores } from './models/flood/scores.ts';
import { forecastAt, observationsFromCsv } from './models/scenario/observations.ts';
import { sharedViteOptions } from './vite.config.ts';
import { liveCommands } from './test/browser/live-commands.ts';
import { flatRegionSize, rendererMemoryMiB, stageFlatRegion, stageLinkedRegion } from './test/browser/stage-region.ts';
import { nodeRegionBuild } from './test/browser/stage-build.ts';

// Every test sees UTC, as CI's machine is: the live page writes local times (2026-07-01 00:02:00 for
// t = 120 s after a midnight-UTC epoch), and Chromium and the test workers inherit this zone.
process.env.TZ = 'UTC';

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
  // `sandtable ensemble` on a scenario, its folder read back (test/browser/ensemble.test.ts).
  nodeEnsemble, nodeEnsembleZip,
  // `sandtable landslide fs --members N` on a grid case, its folder read back (test/browser/ensemble-grid.test.ts).
  nodeGridEnsemble,
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

/** `sandtable run` in Node, then its gauges' flows (flows.csv) scored against the scenario's observation CSVs. */
function nodeGaugeScores(_context: unknown, scenarioFile: string): Record<string, { nse: number; kge_2012: number; qualified: boolean }> {
  const cli = fileURLToPath(new URL('./bin/sandtable.js', import.meta.url));
  const out = mkdtempSync(join(tmpdir(), 'sandtable-node-scores-'));
  try {
    const run = spawnSync(process.execPath, [cli, 'run', scenarioFile, '--out', out], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`sandtable run ${scenarioFile} failed: ${run.stderr}`);
    const scenario = JSON.parse(readFileSync(scenarioFile, 'utf8'));
    const clock = { startEpochMs: Date.parse(scenario.start_time), durationS: scenario.duration_s };
    const rows = readFileSync(join(out, 'flows.csv'), 'utf8').trim().split('\n').map((line) => line.split(','));
    const gauges = readFileSync(join(out, 'gauges.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
    const scores: Record<string, { nse: number; kge_2012: number; qualified: boolean }> = {};
    for (const [gauge, { file }] of Object.entries(scenario.observations as Record<string, { file: string }>)) {
      const reach = gauges.find((g) => g[0] === gauge)![2];
      const column = rows[0].indexOf(`${reach}_m3_per_s`);
      const flows = rows.slice(1).map((r) => Number(r[column]));
      const observed = observationsFromCsv(readFileSync(join(dirname(scenarioFile), file), 'utf8'), file, gauge, clock);
      const s = forecastScores(forecastAt(flows, scenario.step_s, observed.tS), observed.m3PerS, observed.tS[1] - observed.tS[0]);
      scores[gauge] = { nse: s.nse, kge_2012: s.kge_2012, qualified: s.gb_t_22482.qualified };
    }
    return scores;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

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
          setupFiles: ['test/browser/fresh-session.ts'],
          testTimeout: 60_000,
          // 1440 × 900: the screen size trainers' screenshots are judged at (test-results/screens/).
          browser: { enabled: true, headless: true, provider: chromium, instances: [{ browser: 'chromium' }], screenshotFailures: false, commands: { ...commands, ...liveCommands, nodeGaugeScores, stageLinkedRegion, stageFlatRegion, rendererMemoryMiB, flatRegionSize, nodeRegionBuild }, viewport: { width: 1440, height: 900 } },
        },
      },
    ],
  },
});
