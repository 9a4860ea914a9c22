// The page in real Chromium: the app starts the engine worker, the worker runs the wasm kernel,
// and the chart receives its hydrographs (Chow 8.4.1: peak 641.75 m³/s at 10 h).
import { describe, expect, it, vi } from 'vitest';
import '../../web/app.ts';
import type { HydrographChart } from '../../web/components/hydrograph-chart.ts';
import type { RegionMap } from '../../web/components/region-map.ts';

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const start = performance.now();
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('sandtable-app in Chromium', () => {
  it('draws inflow and outflow computed by the wasm kernel in the worker', async () => {
    const consoleErrors = vi.spyOn(console, 'error');
    const app = document.createElement('sandtable-app');
    document.body.append(app);
    const chart = await until(() => {
      const c = app.shadowRoot?.querySelector<HydrographChart>('hydrograph-chart');
      return c && c.pointCount > 0 ? c : undefined;
    }, 'the chart to get data from the worker');
    expect(chart.pointCount).toBe(20);
    expect(chart.series.map((s) => s.label)).toEqual(['inflow', 'outflow A']);
    const outflow = Array.from(chart.series[1].values);
    expect(Math.max(...outflow)).toBeCloseTo(641.75, 2);
    expect(outflow.indexOf(Math.max(...outflow))).toBe(10);
    expect(chart.shadowRoot!.querySelector('canvas')).not.toBeNull();
    expect(app.shadowRoot!.querySelector('[role=status]')!.textContent).toMatch(/routed in the worker/);
    // The worker renders the region's base map and the canvas shows it (pixels not background).
    const map = await until(() => {
      const m = app.shadowRoot?.querySelector<RegionMap>('region-map');
      return m?.drawn ? m : undefined;
    }, 'the region map to be drawn', 40_000);
    const canvas = map.shadowRoot!.querySelector('canvas')!;
    const pixel = canvas.getContext('2d')!.getImageData(canvas.width / 2, canvas.height / 2, 1, 1).data;
    expect(Array.from(pixel)).not.toEqual([223, 227, 232, 255]);
    expect(consoleErrors).not.toHaveBeenCalled();
    app.remove();
  });
});
