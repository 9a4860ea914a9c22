// The after-action record carries each what-if's curves (base beside variant, bounded) and the
// printed report draws them as inline SVG charts a reader can print: no script, no style attribute,
// every word in the report's language. An imported record's curves are checked by JSON path.
import { afterEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import '../../web/app.ts';
import type { SandtableApp } from '../../web/app.ts';
import type { WorkerScenarioRun } from '../../web/engine.worker.ts';
import type { WhatIfCurves } from '../../models/scenario/whatif-curves.ts';
import { until } from './until.ts';
import { formatQuantity } from '../../web/quantity-format.ts';
import { untranslatedInChinese, visibleText } from './visible-text.ts';

type Internals = {
  computing: boolean; result?: WorkerScenarioRun; uiLang: string; playback: { seek(t: number): void };
  aarDesk: { reportHtml(): string };
  record(): Record<string, unknown> & { outcomes: { curves?: { step_s: number; series: { id: string; unit: string; values: number[] }[] } }; whatifs?: { t_s: number; curves?: WhatIfCurves; outcomes: { metric: string; gauge?: string; base: number; variant: number }[] }[] };
};

afterEach(async () => {
  document.body.innerHTML = '';
  await page.viewport(1440, 900);
});

const CJK = /[\u3400-\u9fff\uff00-\uffef]/;

describe('what-if curves in the after-action record and report', () => {
  it('are recorded bounded, checked on import by JSON path, and printed as charts in either language', async () => {
    const app = document.createElement('sandtable-app') as SandtableApp;
    document.body.append(app);
    const internals = app as unknown as Internals;
    await until(() => (!internals.computing && internals.result ? true : undefined), 'the storm to be computed', 90_000);
    internals.playback.seek(30 * 3600);
    (app.shadowRoot!.querySelectorAll('.tabs button')[4] as HTMLButtonElement).click();
    await app.updateComplete;
    const panel = app.shadowRoot!.querySelector('whatif-panel')!;
    await (panel as unknown as SandtableApp).updateComplete;
    (panel.shadowRoot!.querySelector('button.run') as HTMLButtonElement).click();
    await until(() => internals.record().whatifs?.length === 1 || undefined, 'the what-if', 90_000);

    // The record: one curve per gauge, base and variant at the storm's 289 quarter-hours, their
    // peaks those of the outcome rows to the four digits kept.
    const record = internals.record();
    const whatIf = record.whatifs![0];
    const run = internals.result!.run;
    expect(whatIf.curves!.step_s).toBe(900);
    expect(whatIf.curves!.series.map((c) => [c.id, c.unit, c.base.length, c.variant.length])).toEqual(run.gauges.map((g) => [g.id, 'm³/s', 289, 289]));
    for (const c of whatIf.curves!.series) {
      const row = whatIf.outcomes.find((r) => r.metric === 'gauge_peak' && r.gauge === c.id)!;
      expect(Math.abs(Math.max(...c.base) - row.base) / row.base).toBeLessThan(5e-4);
      expect(Math.abs(Math.max(...c.variant) - row.variant) / row.variant).toBeLessThan(5e-4);
    }
    expect(whatIf.curves!.series[0].base).toEqual(Array.from(run.route!.reaches[run.gauges[0].reach].outflow_m3_per_s, (v) => Number(v.toPrecision(4))));
    // And the run's own hydrographs, the same way: what the report's key outcomes draw.
    const own = record.outcomes.curves!;
    const gaugePeaks = (record.outcomes as unknown as { gauges: { id: string; peak_m3_per_s: number }[] }).gauges;
    expect([own.step_s, own.series.map((c) => [c.id, c.unit, c.values.length])]).toEqual([900, run.gauges.map((g) => [g.id, 'm³/s', 289])]);
    expect(own.series.map((c) => c.values)).toEqual(whatIf.curves!.series.map((c) => c.base));

    // A record whose curve holds a word where a number belongs is refused by that value's path.
    (app.shadowRoot!.querySelectorAll('.tabs button')[3] as HTMLButtonElement).click();
    await app.updateComplete;
    const aar = app.shadowRoot!.querySelector('aar-panel')!;
    const bad = structuredClone(record);
    (bad.whatifs![0].curves!.series[1].variant as unknown[])[40] = 'high';
    aar.dispatchEvent(new CustomEvent('aar-import', { detail: { text: JSON.stringify(bad), fileName: 'aar.json' }, bubbles: true, composed: true }));
    await until(() => aar.shadowRoot!.querySelector('.import-problem') ?? undefined, 'the refusal');
    expect(aar.shadowRoot!.querySelector('.import-problem')!.textContent).toContain(
      `aar.json: error: $.whatifs[0].curves.series[1].variant[40]: must be a number (got "high", expected a finite number)`);

    // The printed report, as the print button makes it, in each language and at two screen sizes.
    const frame = document.createElement('iframe');
    document.body.append(frame);
    for (const lang of ['zh-CN', 'en'] as const) {
      internals.uiLang = lang;
      await app.updateComplete;
      const html = internals.aarDesk.reportHtml();
      // Printable anywhere and under a strict CSP: no script, no style attribute, no event handler.
      expect(html).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
      frame.srcdoc = html;
      await new Promise((r) => { frame.onload = r; });
      const doc = frame.contentDocument!;
      const hydrographs = [...doc.querySelectorAll('.run-charts svg.curve-chart')];
      expect(hydrographs.map((svg) => [svg.querySelector('text')!.textContent, svg.querySelectorAll('text')[1].textContent, svg.querySelector('polyline.base')!.getAttribute('points')!.split(' ').length, svg.querySelector('polyline.variant')]))
        .toEqual(own.series.map((c) => [`${c.id} (m³/s)`, `${lang === 'zh-CN' ? '峰值：' : 'Peak: '}${formatQuantity(gaugePeaks.find((g) => g.id === c.id)!.peak_m3_per_s, 'flow', lang)}`, 289, null]));
      // The exact peak, as the key outcomes' table prints it, not the curve's four digits (31,124, not 31,120).
      expect(doc.querySelector('.run-charts svg.curve-chart')!.querySelectorAll('text')[1].textContent).toContain(
        [...doc.querySelectorAll('table')][1].querySelectorAll('tr')[1].querySelectorAll('td')[2].textContent!);
      const charts = [...doc.querySelectorAll('figure.curves svg.curve-chart')];
      expect(charts).toHaveLength(3);
      expect(charts.map((svg) => svg.querySelector('text')!.textContent)).toEqual(run.gauges.map((g) => `${g.id} (m³/s)`));
      // The peaks in numbers under each title: the outcome rows' exact peaks, as the what-if table writes them.
      const peaks = whatIf.curves!.series.map((c) => {
        const row = whatIf.outcomes.find((r) => r.metric === 'gauge_peak' && r.gauge === c.id)!;
        return [row.base, row.variant].map((v) => formatQuantity(v, 'flow', lang));
      });
      expect(charts.map((svg) => svg.querySelectorAll('text')[1].textContent)).toEqual(peaks.map(([b, v]) => (lang === 'zh-CN' ? `峰值：基准 ${b} → 假设 ${v}` : `Peak: base ${b} → what-if ${v}`)));
      // Each curve drawn point for point, the variant dashed.
      for (const svg of charts) {
        expect(svg.querySelector('polyline.base')!.getAttribute('points')!.split(' ')).toHaveLength(289);
        expect(svg.querySelector('polyline.variant')!.getAttribute('stroke-dasharray')).toBe('5 3');
      }
      expect(doc.querySelector('figure.curves figcaption')!.textContent).toMatch(lang === 'zh-CN' ? /\(T\+30:00\) · 雨量倍数 ×1\.5$/ : /\(T\+30:00\) · Rain factor ×1\.5$/);
      // Counts with thousands marked and areas to the hectare, as the what-if table writes them ("12,538 人", not "12538 人").
      const o = record.outcomes as unknown as { flooded_area_km2: number; people_in_flooded_cells: number; buildings_in_flooded_cells: number };
      expect(o.people_in_flooded_cells).toBeGreaterThan(999);
      const flooded = [...doc.querySelectorAll('li')].map((li) => li.textContent!).find((text) => text.includes('0.3 m'));
      expect(flooded).toBe(lang === 'zh-CN'
        ? `淹没深度超过 0.3 m：${o.flooded_area_km2.toFixed(2)} km²，常住人口 ${formatQuantity(o.people_in_flooded_cells, 'count', lang)} 人，建筑 ${formatQuantity(o.buildings_in_flooded_cells, 'count', lang)} 栋`
        : `Flooded deeper than 0.3 m: ${o.flooded_area_km2.toFixed(2)} km², ${formatQuantity(o.people_in_flooded_cells, 'count', lang)} residents, ${formatQuantity(o.buildings_in_flooded_cells, 'count', lang)} buildings`);
      expect(flooded).toMatch(/ \d{1,3}(,\d{3})+ (人|residents)/);
      // Read as a reader sees it (the frame's nodes are of another realm: read a copy in this page).
      const copy = document.createElement('div');
      copy.attachShadow({ mode: 'open' }).innerHTML = `<style>${doc.querySelector('style')!.textContent}</style>${doc.body.innerHTML}`;
      document.body.append(copy);
      const seen = visibleText(copy, lang);
      copy.remove();
      expect(seen.some((s) => s.where.includes('svg'))).toBe(true);
      if (lang === 'zh-CN') expect(untranslatedInChinese(seen)).toEqual([]);
      else expect(seen.filter((s) => CJK.test(s.text))).toEqual([]);
      for (const [width, height] of [[1440, 900], [1024, 768]]) {
        await page.viewport(width, height);
        frame.width = String(width);
        frame.height = String(height);
        for (const [section, selector] of [['curves', 'h3'], ['hydrographs', '.run-charts']]) {
          doc.querySelector(selector)!.scrollIntoView();
          await new Promise((r) => setTimeout(r, 200));
          await page.screenshot({ path: `../../test-results/screens/aar-${section}-${width}x${height}-${lang}.png`, element: frame });
        }
      }
    }
  }, 240_000);
});
