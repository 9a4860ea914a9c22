// A grid landslide ensemble's folder opened off the page's thread (web/ensemble-open.worker.ts
// through web/ensemble-opener.ts): the same view the reader gives in-process, its .prj checked
// against the region there (the kernels' math loaded in the worker), the P layer's pixels made
// there too, progress through reading,
// checking and parsing, refusals carried back as the same InputError, Cancel at once, and the page
// answering a timer throughout a folder of a million cells per grid (on the page's own thread its
// parse was one long task: benchmarks/web/grid-open.ts measured 8.9 s at 4 M cells).
import { describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { InputError } from '../../models/errors.ts';
import type { RegionManifest } from '../../models/scenario/region.ts';
import type { GridOpenProgress } from '../../web/ensemble-grid-open.ts';
import { EnsembleOpener, OpenCancelled } from '../../web/ensemble-opener.ts';
import { gridRaster, maxPooled, OVERVIEW_FACTOR } from '../../web/ensemble-layers.ts';
import { probabilityRgba } from '../../web/probability-ramp.ts';
import { MOUNTAIN_CITY } from '../../web/region-urls.ts';
import { bigFolder } from './big-grid-folder.ts';
import type { NodeGridEnsemble } from './stage-grid-ensemble.ts';
import { watchTimerGaps } from './timer-gaps.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    nodeGridEnsemble(which: 'city' | 'demo'): Promise<NodeGridEnsemble>;
  }
}

const blobs = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([n, t]) => [n, new Blob([t])]));

describe('opening a grid ensemble in its worker', () => {
  it('gives the in-process reader\'s view, checks the .prj there, reports progress and carries refusals back', async () => {
    const region = await (await fetch(MOUNTAIN_CITY.manifest)).json() as RegionManifest;
    const city = await commands.nodeGridEnsemble('city');
    const opener = new EnsembleOpener();
    const steps: GridOpenProgress[] = [];
    const { view, info, pLayer } = await opener.openGrid(blobs(city.files), region, (p) => steps.push(p));
    // The P layer's pixels, made in the worker, are those the tab would make here (ensemble-layers.ts).
    const pooled = maxPooled(view.slope!, OVERVIEW_FACTOR);
    expect(pLayer.raster).toEqual(gridRaster(view.slope!, region.grid.cellsize_m));
    expect(pLayer.overview).toEqual({ rgba: probabilityRgba(pooled, 210), width: pooled.ncols, height: pooled.nrows });
    // The CLI wrote the DEM's .prj beside each grid; the worker compared it with the region's CRS.
    expect(info.prj).toBe('WGS_1984_UTM_Zone_48N');
    expect(info.atTimes.map((a) => a.tS)).toEqual([3600, 10800, 21600, 43200]);
    expect([view.members, view.goodMembers, view.slope!.ncols, view.slope!.nrows]).toEqual([12, 12, 56, 40]);
    expect(view.slope!.values).toBeInstanceOf(Float64Array);
    const p = city.files['p_fs_below_1.asc'].trim().split('\n').slice(6).flatMap((l) => l.trim().split(/\s+/).map(Number));
    expect(Array.from(view.slope!.values, (v) => (Number.isNaN(v) ? -9999 : v))).toEqual(p);
    // Reading each file, then each product's SHA-256, then each grid (P, 4 output times, 3 quantiles).
    await new Promise((r) => setTimeout(r, 50)); // the last progress call may land after the result
    const last = (stage: string) => steps.filter((s) => s.stage === stage).at(-1);
    expect([...new Set(steps.map((s) => s.stage))]).toEqual(['read', 'check', 'parse']);
    expect(last('read')).toEqual({ stage: 'read', done: Object.keys(city.files).length, total: Object.keys(city.files).length });
    expect(last('parse')).toEqual({ stage: 'parse', done: 8, total: 8 });
    // A refusal crosses the worker as the InputError it is.
    const tampered = { ...city.files, 'members.csv': city.files['members.csv'] + '\n' };
    const error = await opener.openGrid(blobs(tampered), region).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems[0]).toMatchObject({ path: 'members.csv', message: 'has changed since landslide fs wrote it' });
    opener.dispose();
  }, 60_000);

  it('keeps the page answering while a million cells a grid are opened, and cancels at once', async () => {
    const region = await (await fetch(MOUNTAIN_CITY.manifest)).json() as RegionManifest;
    const folder = await bigFolder(region, 1000);
    const opener = new EnsembleOpener();
    const gaps = watchTimerGaps();
    try {
      const started = performance.now();
      const { view, info } = await opener.openGrid(folder, region);
      const tookMs = performance.now() - started;
      expect([view.slope!.ncols, view.slope!.nrows, info.cellsOutside]).toEqual([1000, 1000, 0]);
      expect(view.firstFailure!.q95.values[1]).toBe(10800);
      // The page's own thread only posts the files and takes the grids back (transferred, not copied).
      expect(gaps.longestMs, `the longest gap of a 20 ms timer while opening (${Math.round(tookMs)} ms)`).toBeLessThan(500);

      // Cancel mid-open: rejected at once, the worker ended; the next open starts a fresh one.
      const steps: GridOpenProgress[] = [];
      const opening = opener.openGrid(folder, region, (p) => steps.push(p));
      while (!steps.some((s) => s.stage === 'read')) await new Promise((r) => setTimeout(r, 5));
      // "At once" is counted in tasks, not milliseconds, which a loaded machine stretches: rejected
      // before the next task runs, so nothing from the worker (a message is a task) was waited for.
      let cancelled: unknown;
      opening.catch((e: unknown) => { cancelled = e; });
      opener.cancel();
      await new Promise((r) => setTimeout(r, 0));
      expect(cancelled).toBeInstanceOf(OpenCancelled);
      expect(opener.opening).toBe(false);
      expect((await opener.openGrid(folder, region)).info.runId).toBe('big00000');
    } finally {
      gaps.stop();
      opener.dispose();
    }
  }, 90_000);
});
