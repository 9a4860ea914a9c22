// Ensembles in the browser: the engine worker runs the CLI's members and reduces them to the CLI's
// products, byte for byte (4 members of a 6-hour storm, the seed of the fixture's scenario).
import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import storm from '../ensemble/fixtures/storm-6h.json';
import { startEngineWorker } from '../../web/engine-client.ts';
import { MOUNTAIN_CITY } from '../../web/region-urls.ts';
import type { NodeEnsemble } from './stage-ensemble.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    nodeEnsemble(scenarioFile: string, members: number): Promise<NodeEnsemble>;
  }
}

const FIXTURE = 'test/ensemble/fixtures/storm-6h.json';

describe('ensembles in the browser', () => {
  it('4 members of the 6-hour storm: every product is `sandtable ensemble`\'s, byte for byte', async () => {
    const engine = startEngineWorker();
    const steps: number[] = [];
    const [browser, node] = await Promise.all([
      engine.runEnsemble(storm as Record<string, unknown>, MOUNTAIN_CITY, { members: 4 }, Comlink.proxy((done: number) => { steps.push(done); })),
      commands.nodeEnsemble(FIXTURE, 4),
    ]);
    expect(browser.members).toBe(4);
    expect(browser.seed).toBe(node.manifest.seed);
    // File by file first, so a difference names the product it is in.
    expect(browser.productSha256).toEqual(node.manifest.product_sha256);
    expect(browser.productsSha256).toBe(node.manifest.products_sha256);
    expect(Object.keys(browser.productSha256)).toContain('flood/p_depth_over_0.3m.asc');
    expect(steps).toEqual([0, 1, 2, 3, 4]);
  }, 120_000);
});
