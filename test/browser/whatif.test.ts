// The what-if comparison as a trainer uses it on the storm: only the rain lever (no wind, no fire
// break where nothing burns), flooded area and people beside the base taken from the runs'
// summaries, the settings named, the chart's gauge chosen, the variant on the map, and the
// what-if kept in the after-action record.
import { afterEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import '../../web/app.ts';
import type { SandtableApp } from '../../web/app.ts';
import type { RegionMap } from '../../web/components/region-map.ts';
import type { HydrographChart } from '../../web/components/hydrograph-chart.ts';
import type { WorkerScenarioRun } from '../../web/engine.worker.ts';
import { until } from './until.ts';
import { formatQuantity } from '../../web/quantity-format.ts';
import { trainerScreens } from './trainer-screens.ts';
import type { ModelWarning } from '../../models/scenario/model-warnings.ts';

afterEach(async () => {
  document.body.innerHTML = '';
  await page.viewport(1440, 900);
});

type Internals = { computing: boolean; result?: WorkerScenarioRun; record(): { whatifs?: { settings: unknown; outcomes: { key: string; variant: number | null }[] }[] } };

describe('what-if on the storm', () => {
  it('compares flood outcomes from the runs, names its settings, picks the gauge, shows the variant on the map and keeps it in the record', async () => {
    const app = document.createElement('sandtable-app') as SandtableApp;
    document.body.append(app);
    const internals = app as unknown as Internals;
    const root = app.shadowRoot!;
    await until(() => (!internals.computing && internals.result ? true : undefined), 'the storm to be computed', 90_000);
    (root.querySelectorAll('.tabs button')[4] as HTMLButtonElement).click();
    await app.updateComplete;
    const panel = root.querySelector('whatif-panel')!;
    await panel.updateComplete;
    const shadow = panel.shadowRoot!;
    // A storm without fire: the rain lever only.
    expect([...shadow.querySelectorAll('.controls label')].map((l) => l.textContent)).toEqual(['雨量倍数']);
    (shadow.querySelector('button.run') as HTMLButtonElement).click();
    await until(() => shadow.querySelector('table') ?? undefined, 'the comparison', 90_000);
    const cells = (key: string) => [...shadow.querySelector(`tbody tr[data-key="${key}"]`)!.querySelectorAll('td')].map((td) => td.textContent);
    const base = internals.result!.summary.inundation!;
    expect(cells('flooded area').slice(0, 2)).toEqual(['淹没面积（水深 ≥ 0.3 m） (km²)', base.flooded_area_km2.toFixed(2)]);
    expect(cells('people in flooded cells').slice(0, 2)).toEqual(['淹没网格内人口', formatQuantity(base.people_in_flooded_cells, 'count', 'zh-CN')]);
    expect(Number(cells('people in flooded cells')[2]!.replace(/,/g, ''))).toBeGreaterThan(base.people_in_flooded_cells); // 1.5 × the rain floods more homes
    // Every number in the table one way (web/quantity-format.ts): thousands marked, no stray decimals
    // (counts whole, flows whole above 100 m³/s, areas to 0.01 km²), and base + Δ = variant as printed.
    const numbers = [...shadow.querySelectorAll('table:not(.history) tbody tr')].map((tr) => [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent!));
    const decimalsOf = (text: string) => text.split('.')[1]?.length ?? 0;
    for (const [tr, [b, v, d]] of [...shadow.querySelectorAll('table:not(.history) tbody tr')].map((tr, k) => [tr, numbers[k]] as const)) {
      for (const text of [b, v, d]) expect(text).toMatch(/^[+-]?\d{1,3}(,\d{3})*(\.\d\d?)?$/);
      const value = (text: string) => Number(text.replace(/,/g, ''));
      expect(value(b) + value(d)).toBeCloseTo(value(v), 6);
      const key = tr.getAttribute('data-key')!;
      if (!key.includes('area')) expect([b, v, d].map(decimalsOf)).toEqual([0, 0, 0]);
    }
    expect(shadow.querySelector('.settings')!.textContent).toBe('本次假设设置: 雨量倍数 ×1.5');
    // The chart follows the gauge the trainer picks.
    const select = shadow.querySelector('select[name=chart]') as HTMLSelectElement;
    select.value = 'G-main';
    select.dispatchEvent(new Event('change'));
    await app.updateComplete; await panel.updateComplete;
    const chart = shadow.querySelector('hydrograph-chart') as HydrographChart;
    const run = internals.result!.run;
    const reach = run.gauges.find((g) => g.id === 'G-main')!.reach;
    expect(chart.series[0].values).toEqual(run.route!.reaches[reach].outflow_m3_per_s);
    // The variant on the map: its run's overlay and a banner saying so.
    const map = root.querySelector('region-map') as RegionMap;
    const baseOverlay = map.overlay;
    (shadow.querySelector('input[name=on-map]') as HTMLInputElement).click();
    await app.updateComplete;
    expect(root.querySelector('.variant-banner')!.textContent).toBe('地图显示假设结果：雨量倍数 ×1.5');
    expect(map.overlay).not.toBe(baseOverlay);
    // The record keeps the what-if with its settings and results.
    const kept = internals.record().whatifs!;
    expect(kept).toHaveLength(1);
    expect(kept[0].settings).toEqual({ rain_factor: 1.5 });
    expect(kept[0].outcomes.find((o) => o.key === 'flooded area')!.variant).toBeGreaterThan(base.flooded_area_km2);

    // The what-if tab shows the variant's own model warnings (kept in its record), not the base run's:
    // 1.5 × the rain drives its outflows below zero at other reach-steps than the base.
    const notice = root.querySelector('model-warnings-notice')!;
    const variantWarnings = (kept[0] as { model_warnings?: ModelWarning[] }).model_warnings!;
    expect(notice.warnings).toEqual(variantWarnings);
    expect(notice.shadowRoot!.querySelector('summary')!.textContent).toBe(`本次假设推演 · 模型数值警告 ${variantWarnings.filter((w) => w.severity === 'warning').length} 条：结果可能不准确`);
    const belowZero = (ws: readonly ModelWarning[]) => ws.find((w) => w.code === 'flood.negative_outflow')!.params.reach_steps;
    expect(belowZero(variantWarnings)).not.toBe(belowZero(run.modelWarnings));
    expect([...notice.shadowRoot!.querySelectorAll('details.warnings > ol > li')].some((li) => li.textContent!.includes(`出流在 ${belowZero(variantWarnings)} 个河段·时步降至零以下`))).toBe(true);

    // Screens for a person to judge (test-results/screens/): the comparison with the variant on the map.
    await trainerScreens(app, 'whatif');
  }, 180_000);
});
