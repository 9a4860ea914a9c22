// A region generated on the fly — a flat grass plain with one district, no rivers, no reservoir,
// fields a built region may leave out — opens by link and runs a fire. 256² in the suite;
// REGION_FLAT_N=4096 by hand measures what a 4096² region costs (README, drill app).
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import '../../web/app.ts';
import type { RegionMap } from '../../web/components/region-map.ts';
import { regionSource } from '../../web/region-source.ts';
import { until } from './until.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    stageFlatRegion(n: number): Promise<{ region: string; scenario: string }>;
    flatRegionSize(): Promise<number>;
    rendererMemoryMiB(): Promise<number>;
  }
}

afterAll(async () => { document.body.innerHTML = ''; await regionSource.useShipped(); });

describe('a generated flat region (issue 18: any region, memory)', () => {
  it('opens by link, draws its map at its size and burns from the ignition', async () => {
    const n = await commands.flatRegionSize();
    const { region, scenario } = await commands.stageFlatRegion(n);
    const before = await commands.rendererMemoryMiB();
    const started = performance.now();
    await regionSource.start(`?region=${region}&scenario=${scenario}`);
    expect(regionSource.problem).toBeUndefined();
    expect(regionSource.current).toMatchObject({ origin: 'link', name: `Flat ${n}`, nameZh: `平原 ${n}` });
    const opened = performance.now();
    const app = document.createElement('sandtable-app');
    document.body.append(app);
    const map = await until(() => app.shadowRoot!.querySelector('region-map') as RegionMap | null, 'the map element');
    await until(() => (map.drawn ? true : undefined), 'the map', 600_000);
    expect((app as unknown as { baseMap: { width: number } }).baseMap.width).toBe(n);
    const drawn = performance.now();
    await until(() => {
      const status = app.shadowRoot!.querySelector('.status');
      // A failed run is an answer too: fail now with its message rather than wait out the timeout.
      if (status?.classList.contains('failed')) throw new Error(`the run failed: ${app.shadowRoot!.textContent?.match(/error: [^\n]*/)?.[0] ?? status.textContent}`);
      return status?.textContent?.includes('·') ? true : undefined;
    }, 'the fire run', 600_000);
    const run = (app as unknown as { result: { run: { fire?: { burnedAreaM2: number[] } } } }).result.run;
    expect(Math.max(...run.fire!.burnedAreaM2)).toBeGreaterThan(0);
    const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
    console.log(`${n}² flat region: read+checked+kept ${((opened - started) / 1000).toFixed(1)} s, map ${((drawn - opened) / 1000).toFixed(1)} s, run ${((performance.now() - drawn) / 1000).toFixed(1)} s; `
      + `page JS heap ${memory ? (memory.usedJSHeapSize / 2 ** 20).toFixed(0) : '?'} MiB; renderer resident ${before} → ${await commands.rendererMemoryMiB()} MiB`);
  }, 1_200_000);
});
