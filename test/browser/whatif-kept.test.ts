// What-ifs outlive the page that ran them: an imported after-action record brings its what-ifs back
// into the drill's list (checked field by field, their text shown as text), and the next export
// carries them as they came.
import { afterEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import '../../web/app.ts';
import type { SandtableApp } from '../../web/app.ts';
import type { WorkerScenarioRun } from '../../web/engine.worker.ts';
import { until } from './until.ts';

type WhatIf = { t_s: number; settings: Record<string, unknown>; described: string; results_sha256: string; outcomes: Record<string, unknown>[] };
type Internals = { computing: boolean; result?: WorkerScenarioRun; record(): { results_sha256: string; whatifs?: WhatIf[] } & Record<string, unknown> };

afterEach(async () => {
  document.body.innerHTML = '';
  await page.viewport(1440, 900);
});

const $ = <T extends Element>(app: SandtableApp, selector: string) => app.shadowRoot!.querySelector(selector) as T | null;

async function computedApp(): Promise<{ app: SandtableApp; internals: Internals }> {
  const app = document.createElement('sandtable-app') as SandtableApp;
  document.body.append(app);
  const internals = app as unknown as Internals;
  await until(() => (!internals.computing && internals.result ? true : undefined), 'the storm to be computed', 90_000);
  return { app, internals };
}

async function openTab(app: SandtableApp, index: number): Promise<void> {
  (app.shadowRoot!.querySelectorAll('.tabs button')[index] as HTMLButtonElement).click();
  await app.updateComplete;
}

// A gauge id a hand-edited record could carry: shown, it must stay text.
const MARKUP_GAUGE = '<img src=x onerror="window.__whatIfInjected=1">';
const IMPORTED: WhatIf[] = [
  { t_s: 5 * 3600, settings: { rain_factor: 2 }, described: 'rain ×2', results_sha256: 'c'.repeat(64), outcomes: [
    { key: `${MARKUP_GAUGE} peak`, metric: 'gauge_peak', gauge: MARKUP_GAUGE, base: 4000, variant: 6100.5, unit: 'm³/s' },
    { key: 'people in flooded cells', metric: 'people_flooded', base: 1200, variant: 2400, unit: '' },
  ] },
  { t_s: 9 * 3600, settings: { rain_factor: 0.5 }, described: 'rain ×0.5', results_sha256: 'd'.repeat(64), outcomes: [
    { key: 'items reaching red', metric: 'items_red', base: 12, variant: 3, unit: '' },
  ] },
];

describe('what-ifs in an imported after-action record', () => {
  it('come back into the drill\'s list, their text shown as text, and the next export carries them unchanged', async () => {
    const { app, internals } = await computedApp();
    const exported = internals.record();
    expect(exported.whatifs).toBeUndefined();
    await openTab(app, 3);
    const panel = $(app, 'aar-panel')!;
    const importRecord = async (record: unknown) => {
      panel.dispatchEvent(new CustomEvent('aar-import', { detail: { text: JSON.stringify(record), fileName: 'aar.json' }, bubbles: true, composed: true }));
      await new Promise((r) => setTimeout(r, 50));
      await until(() => (!internals.computing ? true : undefined), 'the import to be computed', 90_000);
      await app.updateComplete;
    };

    // A what-if with a field the record form does not have is refused by its path, and nothing is taken.
    await importRecord({ ...exported, whatifs: [{ ...IMPORTED[1], settings: { rain_factor: 40 } }] });
    expect($(app, 'aar-panel')!.shadowRoot!.textContent).toContain('$.whatifs[0].settings.rain_factor: is not a setting the what-if offers (got 40, expected a number in [0.5, 2.5])');
    expect(internals.record().whatifs).toBeUndefined();

    await importRecord({ ...exported, whatifs: IMPORTED });
    expect(internals.record().whatifs).toEqual(IMPORTED);
    await openTab(app, 4);
    const whatIf = $(app, 'whatif-panel') as SandtableApp;
    await whatIf.updateComplete;
    const rows = [...whatIf.shadowRoot!.querySelectorAll('table.history tbody tr')];
    expect(rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent))).toEqual([
      ['T+5:00', '雨量倍数 ×2.0', `${MARKUP_GAUGE} 洪峰流量 (m³/s): 4,000 → 6100.5; 淹没网格内人口: 1,200 → 2,400`],
      ['T+9:00', '雨量倍数 ×0.5', '升至红色的风险点: 12 → 3'],
    ]);
    expect(whatIf.shadowRoot!.querySelector('img')).toBeNull();
    expect((window as { __whatIfInjected?: number }).__whatIfInjected).toBeUndefined();

    // Exported again, the record carries them as imported: export → import → export is a fixed point.
    const again = internals.record();
    expect(again.whatifs).toEqual(IMPORTED);
    expect(again.results_sha256).toBe(exported.results_sha256);
  }, 180_000);
});
