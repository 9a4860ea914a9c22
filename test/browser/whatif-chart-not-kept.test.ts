// A what-if chart too large for the saved session (its variant's curves past MAX_KEPT_CHART_VALUES,
// models/limits.ts) does not vanish after a reload: its comparison returns with settings and
// results, the chart with the base's curve, and a note says why the what-if's curve is not there
// and how to see it again, in the trainer's language: on screen together at the trainer's two
// window sizes, not only present as text.
import { afterEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import '../../web/app.ts';
import type { SandtableApp } from '../../web/app.ts';
import type { HydrographChart } from '../../web/components/hydrograph-chart.ts';
import type { WorkerScenarioRun } from '../../web/engine.worker.ts';
import { parseScenario } from '../../models/scenario/schema.ts';
import { whatIfRecord } from '../../models/scenario/whatif.ts';
import { SCHEMA, SessionStore } from '../../web/session-store.ts';
import { SHIPPED_SCENARIOS } from '../../web/shipped.ts';
import { chartNotKeptText } from '../../web/whatif-text.ts';
import { TRAINER_SIZES, trainerScreens } from './trainer-screens.ts';
import { until } from './until.ts';
import { computedApp } from './computed-app.ts';
import { notOnScreen } from './on-screen.ts';

type Internals = { computing: boolean; result?: WorkerScenarioRun; uiLang: 'zh-CN' | 'en'; restoreSession(): Promise<void> };

afterEach(async () => {
  document.body.innerHTML = '';
  await page.viewport(1440, 900);
});


describe('a what-if chart past the saved session\'s bound', () => {
  it('comes back after a reload with its results and a note of why its curve does not', async () => {
    const { app, internals } = await computedApp<Internals>();
    const base = internals.result!.resultsSha256;
    const storm = SHIPPED_SCENARIOS[0].json;
    const rows = [{ key: 'G-main peak', metric: 'gauge_peak' as const, gauge: 'G-main', base: 31124, variant: 47001.5, unit: 'm³/s' }];
    const left = { curves: 40, values: 160_040 };
    await new SessionStore().putRaw({
      schema: SCHEMA, saved: '2026-12-05T15:00:00Z', scenarioJson: storm, injects: parseScenario(storm).injects, delivered: [], cancelled: [], decisions: [], ratings: [], clockS: 0,
      // Of a region of many gauges, say: the record kept its first peaks and counted the rest.
      whatifs: [{ ...whatIfRecord(9 * 3600, { rainFactor: 1.5 }, rows, 'c'.repeat(64)), gauge_rows_left_out: 44 }],
      whatif_chart: { base_results_sha256: base, index: 0, shown: 'G-main', series_left_out: left },
    });
    // The reload's own path (the session read and opened as a new page's app does), in the same
    // page: its worker answers the storm's models from its memo (models/scenario/memo.ts) rather
    // than computing the 72-hour storm a second time, the results identical.
    await internals.restoreSession();
    await until(() => (!internals.computing && internals.result && internals.result.resultsSha256 === base ? true : undefined), 'the session\'s storm', 90_000);

    (app.shadowRoot!.querySelectorAll('.tabs button')[4] as HTMLButtonElement).click();
    await app.updateComplete;
    const panel = app.shadowRoot!.querySelector('whatif-panel') as unknown as SandtableApp;
    await until(() => panel.shadowRoot!.querySelector('.settings') ?? undefined, 'the comparison to return');
    // Nothing dropped: the session read it as it was saved.
    expect(app.shadowRoot!.querySelector('.session-dropped')).toBeNull();
    for (const lang of ['zh-CN', 'en'] as const) {
      internals.uiLang = lang;
      await app.updateComplete;
      await panel.updateComplete;
      expect(panel.shadowRoot!.querySelector('.settings')!.textContent).toBe(lang === 'zh-CN' ? '本次假设设置: 雨量倍数 ×1.5' : 'Settings of this what-if: Rain factor ×1.5');
      expect(panel.shadowRoot!.querySelectorAll('table.compare tbody tr')).toHaveLength(1);
      // The rows the record did not keep are named under the table, not left to be missed.
      expect(panel.shadowRoot!.querySelector('p.rows-left-out')!.textContent).toBe(lang === 'zh-CN' ? '另有 44 个水文站的洪峰未记录（每个假设推演最多记录 56 个水文站）' : '44 more gauges\' peaks not recorded (at most 56 gauges per what-if)');
      // The base's curve, and no what-if curve: the note says why.
      const chart = panel.shadowRoot!.querySelector('hydrograph-chart') as HydrographChart;
      expect(chart.series.map((c) => c.label)).toEqual([lang === 'zh-CN' ? '基准' : 'Base']);
      expect(panel.shadowRoot!.querySelector('p.chart-not-kept')!.textContent).toBe(chartNotKeptText(left, true, lang));
    }
    // On screen, not only in the page: at both sizes and in both languages, the settings, the kept
    // results, the note on the rows left out, the note why the curve is gone and the chart that
    // lacks it are in the window together, none covered or cut off by the panel's scroller.
    const shown = ['.settings', 'table.compare', 'p.rows-left-out', 'p.chart-not-kept', 'hydrograph-chart'];
    const offScreen: string[] = [];
    let shots = 0;
    await trainerScreens(app, 'whatif-chart-not-kept', { beforeShot: () => {
      panel.shadowRoot!.querySelector('.settings')!.scrollIntoView({ block: 'start' });
      shots++;
      for (const selector of shown) {
        const why = notOnScreen(panel.shadowRoot!.querySelector(selector)!);
        if (why) offScreen.push(`${window.innerWidth}×${window.innerHeight} ${internals.uiLang} ${selector}: ${why}`);
      }
    } });
    expect(shots).toBe(TRAINER_SIZES.length * 2); // each size in Chinese and English
    expect(offScreen).toEqual([]);
    // And the check sees the difference: a box laid over the note hides it.
    const note = panel.shadowRoot!.querySelector('p.chart-not-kept')!;
    const r = note.getBoundingClientRect();
    const cover = Object.assign(document.createElement('div'), { style: `position: fixed; z-index: 9999; background: #000; left: ${r.left}px; top: ${r.top}px; width: ${r.width}px; height: ${r.height}px` });
    document.body.append(cover);
    expect(notOnScreen(note)).toMatch(/^covered at \d+,\d+ by div$/);
    cover.remove();
    expect(notOnScreen(note)).toBeUndefined();
  }, 240_000);
});
