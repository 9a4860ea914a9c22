// A what-if whose curves the after-action record cannot keep (its 120,000-number curve budget spent
// by earlier what-ifs, models/limits.ts) is named, with the reason, beside the comparison, in the
// panel's list of what-ifs and in the printed report, in either language: a trainer never reads a
// missing chart as "no change".
import { afterEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import '../../web/app.ts';
import type { SandtableApp } from '../../web/app.ts';
import type { WorkerScenarioRun } from '../../web/engine.worker.ts';
import { MAX_RECORD_CURVE_VALUES } from '../../models/limits.ts';
import { whatIfRecord, type WhatIfRecord } from '../../models/scenario/whatif.ts';
import { curvesOmittedText } from '../../web/whatif-text.ts';
import { until } from './until.ts';

afterEach(async () => {
  document.body.innerHTML = '';
  await page.viewport(1440, 900);
});

type Internals = {
  computing: boolean; result?: WorkerScenarioRun; uiLang: string;
  whatIfDesk: { history: WhatIfRecord[] }; aarDesk: { reportHtml(): string }; record(): { whatifs?: WhatIfRecord[] };
};

/** 69 earlier what-ifs of the storm's 3 hydrographs (289 points, base and variant): 119,646 numbers. */
function spentHistory(): WhatIfRecord[] {
  const curve = (id: string) => ({ id, unit: 'm³/s' as const, base: new Array(289).fill(1), variant: new Array(289).fill(2) });
  const rows = [{ key: 'G-main peak', metric: 'gauge_peak' as const, gauge: 'G-main', base: 1, variant: 2, unit: 'm³/s' }];
  return Array.from({ length: 69 }, (_, k) => ({ ...whatIfRecord(k * 900, { rainFactor: 1.2 }, rows, k.toString(16).padStart(64, '0')), curves: { step_s: 900, series: ['G-main', 'G-tributary', 'G-outlet'].map(curve) } }));
}

describe('what-if curves past the record\'s budget', () => {
  it('are left out of the record and the trainer is told which and why, in the panel and the report', async () => {
    const app = document.createElement('sandtable-app') as SandtableApp;
    document.body.append(app);
    const internals = app as unknown as Internals;
    await until(() => (!internals.computing && internals.result ? true : undefined), 'the storm to be computed', 90_000);
    internals.whatIfDesk.history = spentHistory();
    (app.shadowRoot!.querySelectorAll('.tabs button')[4] as HTMLButtonElement).click();
    await app.updateComplete;
    const panel = app.shadowRoot!.querySelector('whatif-panel')! as unknown as SandtableApp;
    await panel.updateComplete;
    (panel.shadowRoot!.querySelector('button.run') as HTMLButtonElement).click();
    await until(() => internals.record().whatifs?.length === 70 || undefined, 'the what-if', 90_000);
    const latest = internals.record().whatifs!.at(-1)!;
    // 119,646 + 3 × 289 × 2 = 121,380 > 120,000: no curves, and the record says so.
    expect(119_646 + 3 * 289 * 2).toBeGreaterThan(MAX_RECORD_CURVE_VALUES);
    expect(latest.curves).toBeUndefined();
    expect(latest.curves_omitted).toEqual({ reason: 'record-budget', curves: 3 });

    const frame = document.createElement('iframe');
    document.body.append(frame);
    for (const lang of ['zh-CN', 'en'] as const) {
      internals.uiLang = lang;
      await app.updateComplete;
      await panel.updateComplete;
      const note = curvesOmittedText({ reason: 'record-budget', curves: 3 }, lang);
      expect(note).toContain(lang === 'zh-CN' ? '120,000 个数值' : '120,000 numbers');
      // Beside the comparison shown, and on its row of the what-ifs run (only there: the others kept theirs).
      expect(panel.shadowRoot!.querySelector('p.curves-omitted')!.textContent).toBe(note);
      const history = [...panel.shadowRoot!.querySelectorAll('table.history tbody tr')];
      expect(history.map((tr) => tr.querySelector('.curves-omitted')?.textContent ?? null)).toEqual([...new Array(69).fill(null), note]);
      // The printed report names it under the what-if curves, with its time and settings.
      const html = internals.aarDesk.reportHtml();
      frame.srcdoc = html;
      await new Promise((r) => { frame.onload = r; });
      const doc = frame.contentDocument!;
      const items = [...doc.querySelectorAll('li.curves-omitted')].map((li) => li.textContent!);
      expect(items).toHaveLength(1);
      expect(items[0]).toMatch(lang === 'zh-CN' ? /\(T\+0:00\) · 雨量倍数 ×1\.5：/ : /\(T\+0:00\) · Rain factor ×1\.5: /);
      expect(items[0].endsWith(`${lang === 'zh-CN' ? '：' : ': '}${note}`)).toBe(true);
      for (const [width, height] of [[1440, 900], [1024, 768]]) {
        await page.viewport(width, height);
        // The report's frame below the app makes the page scroll: the app's screen is judged unscrolled.
        panel.shadowRoot!.querySelector('p.curves-omitted')!.scrollIntoView({ block: 'nearest' });
        window.scrollTo(0, 0);
        await new Promise((r) => setTimeout(r, 200));
        await page.screenshot({ path: `../../test-results/screens/whatif-curves-omitted-${width}x${height}-${lang}.png` });
        frame.width = String(width);
        frame.height = String(height);
        doc.querySelector('li.curves-omitted')!.scrollIntoView();
        await new Promise((r) => setTimeout(r, 200));
        await page.screenshot({ path: `../../test-results/screens/aar-curves-omitted-${width}x${height}-${lang}.png`, element: frame });
      }
    }
  }, 180_000);
});
