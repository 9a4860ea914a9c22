// The same scenario and seed give byte-identical results in Node and in the browser's engine worker.
import { describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import fireScenario from '../../scenarios/mountain-city/fire-summer.json';
import scenario from '../../scenarios/mountain-city/storm-peak-24h.json';
import radarScenario from '../../scenarios/mountain-city/storm-radar-24h.json';
import { startEngineWorker } from '../../web/engine-client.ts';
import { MOUNTAIN_CITY } from '../../web/region-urls.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    nodeRunHash(scenarioFile: string): Promise<{ results: string; files: Record<string, string> }>;
  }
}

// A run in the worker beside `sandtable run` in Node: 41–54 s each at load 20–28 on 2 cores, where
// 90 s was the limit.
const RUN_MS = 180_000;

describe('determinism across Node and the browser', () => {
  it('storm-peak-24h: the worker\'s results hash equals `sandtable run`\'s', async () => {
    const engine = startEngineWorker();
    const [browser, node] = await Promise.all([
      engine.runScenario(scenario, MOUNTAIN_CITY),
      commands.nodeRunHash('scenarios/mountain-city/storm-peak-24h.json'),
    ]);
    expect(browser.resultsSha256).toMatch(/^[0-9a-f]{64}$/);
    // Compare file by file first, so a difference names the output it is in.
    expect(browser.fileSha256).toEqual(node.files);
    expect(browser.resultsSha256).toBe(node.results);
    expect(browser.summary.risk_list.items).toBe(227);
  }, RUN_MS);

  it('storm-radar-24h: rain grids fetched by the worker give `sandtable run`\'s results', async () => {
    const engine = startEngineWorker();
    const [browser, node] = await Promise.all([
      engine.runScenario(radarScenario, MOUNTAIN_CITY),
      commands.nodeRunHash('scenarios/mountain-city/storm-radar-24h.json'),
    ]);
    expect(browser.fileSha256).toEqual(node.files);
    expect(browser.resultsSha256).toBe(node.results);
  }, RUN_MS);

  // The fire's host-side setup (wind and slope vectors, fuel beds, the stencil) runs on dmath and
  // the wasm fireBeds: with V8's Math.sin/cos/tan there, Chromium's last bits would move the front.
  it('fire-summer: the fire day\'s results hash equals `sandtable run`\'s', async () => {
    const engine = startEngineWorker();
    const [browser, node] = await Promise.all([
      engine.runScenario(fireScenario, MOUNTAIN_CITY),
      commands.nodeRunHash('scenarios/mountain-city/fire-summer.json'),
    ]);
    expect(Object.keys(node.files)).toContain('fire/arrival_time_s.asc');
    expect(browser.fileSha256).toEqual(node.files);
    expect(browser.resultsSha256).toBe(node.results);
  }, RUN_MS);
});
