// The ensemble worker pool's bad members, listed by index and reason (escaped), as the CLI leaves
// them out; a refused scenario named by its JSON path; the CLI's bytes when the members reach the
// pool out of order. (Run, progress and Cancel in the app: ensemble-cancel.ts, called by ensemble.test.ts.)
import { describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import storm from '../ensemble/fixtures/storm-6h.json';
import rainX5 from '../ensemble/fixtures/storm-6h-rain-x5.json';
import { InputError } from '../../models/errors.ts';
import '../../web/components/ensemble-run.ts';
import { EnsemblePool } from '../../web/ensemble-pool.ts';
import { MOUNTAIN_CITY } from '../../web/region-urls.ts';
import type { NodeEnsemble } from './stage-ensemble.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    nodeEnsemble(scenarioFile: string, members: number): Promise<NodeEnsemble>;
  }
}

const RAIN_X5 = 'test/ensemble/fixtures/storm-6h-rain-x5.json';

describe('the ensemble run controls', () => {
  it('lists bad members by index and reason, as the CLI leaves them out; a refused scenario is named by its path', async () => {
    const twoWorkers = new EnsemblePool();
    const [result, node] = await Promise.all([
      twoWorkers.run(rainX5 as Record<string, unknown>, MOUNTAIN_CITY, { members: 4 }, { size: 2 }),
      commands.nodeEnsemble(RAIN_X5, 4),
    ]);
    twoWorkers.dispose();
    expect(result.productSha256).toEqual(node.manifest.product_sha256);
    // Rain × 5.37, 4.96 and 5.15 put the 61 mm/h peak past the 300 mm/h a scenario may have (members.csv).
    expect(result.badMembers).toEqual([0, 2, 3].map((index) => ({ index, problem: '$.forcing.rain.mm_per_h[3]: out of range' })));

    const pool = new EnsemblePool();
    const refused = await pool.run({ ...storm, ensemble: { members: 4, perturbations: { rain_scale: { distribution: 'uniform', min: 2, max: 1 } } } }, MOUNTAIN_CITY, { members: 4 }, { size: 2 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as InputError).problems[0].path).toBe('$.ensemble.perturbations.rain_scale.max');
    expect(pool.size).toBe(2); // a refused scenario keeps the workers
    pool.dispose();

    // A worker that cannot start fails the run with a reason instead of leaving it pending, and is dropped.
    const broken = new EnsemblePool(() => new Worker('/no-such-ensemble-worker.js', { type: 'module' }));
    await expect(broken.run(storm, MOUNTAIN_CITY, { members: 2 }, { size: 2 })).rejects.toThrow(/^an ensemble worker failed/);
    expect([broken.size, broken.running]).toEqual([0, false]);

    // The reasons are text, never markup; the list says which member each is.
    const controls = document.createElement('ensemble-run-controls');
    controls.lang = 'en';
    controls.bad = [{ index: 7, problem: '<img src=x onerror="window.pwned=1">$.models.flood: &amp;' }, ...result.badMembers];
    document.body.append(controls);
    await controls.updateComplete;
    const items = [...controls.shadowRoot!.querySelectorAll('li')].map((li) => li.textContent);
    expect(controls.shadowRoot!.querySelector('img')).toBeNull();
    expect(items[0]).toBe('member 7: <img src=x onerror="window.pwned=1">$.models.flood: &amp;');
    expect(items[1]).toBe('member 0: $.forcing.rain.mm_per_h[3]: out of range');
    expect(controls.shadowRoot!.querySelector('summary')!.textContent).toBe('Bad members (left out of the probabilities): 4');
    controls.remove();
  }, 120_000);

  it('gives the CLI\'s bytes when member 0 reaches the pool last (1, 2, 3, then 0 on 2 workers)', async () => {
    let release!: () => void;
    const memberThreeCounted = new Promise<void>((resolve) => { release = resolve; });
    const counted: number[] = [];
    const pool = new EnsemblePool();
    const [result, node] = await Promise.all([
      pool.run(rainX5 as Record<string, unknown>, MOUNTAIN_CITY, { members: 4 }, {
        size: 2,
        // Member 0's result is held until 1, 2 and 3 are counted: the worker that ran it waits, the other runs the rest.
        arrived: async (index) => { if (index === 0) await memberThreeCounted; counted.push(index); },
        progress: (p) => { if (p.done === 3) release(); },
      }),
      commands.nodeEnsemble(RAIN_X5, 4),
    ]);
    pool.dispose();
    expect(counted).toEqual([1, 2, 3, 0]);
    expect(result.productSha256).toEqual(node.manifest.product_sha256);
    expect(result.productsSha256).toBe(node.manifest.products_sha256);
    // The bad members in index order, whatever order they came in (2 and 3 before 0).
    expect(result.badMembers.map((b) => b.index)).toEqual([0, 2, 3]);
  }, 120_000);
});
