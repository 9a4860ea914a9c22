// The record tab shows what the after-action record holds of the run (the forecast against the
// observed gauges, the run's hydrographs, every note of curves left out) as the printed report
// prints it, each run's model warnings grouped as the notice groups them, from one reading of the
// record (web/aar-facts.ts); and the record's JSON export round-trips: exported, imported and
// exported again it is the same bytes (but the export time), corrected and withdrawn decisions
// included, while a corrupt part (a correction naming a later decision among them) is refused by
// its JSON path and leaves the session as it was.
import { afterEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import '../../web/app.ts';
import type { SandtableApp } from '../../web/app.ts';
import type { WorkerScenarioRun } from '../../web/engine.worker.ts';
import { objectivesOf } from '../../models/scenario/aar.ts';
import type { Scenario } from '../../models/scenario/schema.ts';
import { whatIfRecord, type WhatIfRecord } from '../../models/scenario/whatif.ts';
import { translate } from '../../web/i18n.ts';
import { curvesOmittedText } from '../../web/whatif-text.ts';
import { trainerScreens } from './trainer-screens.ts';
import { until } from './until.ts';
import { untranslatedInChinese, visibleText } from './visible-text.ts';

type Internals = {
  computing: boolean; result?: WorkerScenarioRun; uiLang: 'zh-CN' | 'en'; scenario: Scenario; observedScores?: unknown[];
  decisions: unknown[]; ratings: Map<string, unknown>; whatIfDesk: { history: WhatIfRecord[] };
  aarDesk: { reportHtml(): string }; record(): Record<string, unknown>;
  requestUpdate(): void;
};

afterEach(async () => {
  document.body.innerHTML = '';
  await page.viewport(1440, 900);
});

/** The record as the export button writes it, its export time (the one thing a new export changes) set aside. */
const exportText = (internals: Internals) => JSON.stringify(internals.record(), null, 1).replace(/\n "exported": "[^"]*",/, '');

describe('the record tab and the record\'s export', () => {
  it('show the facts the printed report prints, and the export round-trips byte for byte', async () => {
    const app = document.createElement('sandtable-app') as SandtableApp;
    document.body.append(app);
    const internals = app as unknown as Internals;
    await until(() => (!internals.computing && internals.result && internals.observedScores ? true : undefined), 'the storm and its scores', 90_000);
    // The trainer's work: a decision, a rating, and a what-if whose curves the record's budget left out.
    const objective = objectivesOf(internals.scenario)[0];
    // Decisions as the drill logs them: D1 corrected by D2 (at D1's time), D3 withdrawn by hand.
    internals.decisions = [
      { id: 'D1', t_s: 600, role: 'Trainer', text: 'Open the Yuzhong shelters', withdrawn: { t_s: 900, at: '2026-12-05T20:15:00.000Z', by: 'Trainer', replaced_by: 'D2' } },
      { id: 'D2', t_s: 600, role: 'Trainer', text: 'Open the Yuzhong and Nan\'an shelters', corrects: 'D1' },
      { id: 'D3', t_s: 1800, role: '防汛指挥部', text: '关闭下穿隧道', withdrawn: { t_s: 2400, at: '2026-12-05T20:20:00.000Z', by: 'Trainer' } },
    ];
    internals.ratings = new Map([[objective, { id: objective, rating: 'S', notes: 'late by 20 min' }]]);
    const rows = [{ key: 'G-main peak', metric: 'gauge_peak' as const, gauge: 'G-main', base: 4000, variant: 5200.5, unit: 'm³/s' }];
    internals.whatIfDesk.history = [whatIfRecord(9 * 3600, { rainFactor: 1.5 }, rows, 'c'.repeat(64), undefined, { reason: 'record-budget', curves: 3 })];
    (app.shadowRoot!.querySelectorAll('.tabs button')[3] as HTMLButtonElement).click();
    await app.updateComplete;
    const view = app.shadowRoot!.querySelector('aar-record')!;
    await (view as unknown as SandtableApp).updateComplete;

    const frame = document.createElement('iframe');
    document.body.append(frame);
    for (const lang of ['zh-CN', 'en'] as const) {
      internals.uiLang = lang;
      await app.updateComplete;
      await (view as unknown as SandtableApp).updateComplete;
      frame.srcdoc = internals.aarDesk.reportHtml();
      await new Promise((r) => { frame.onload = r; });
      const doc = frame.contentDocument!;
      const tab = view.shadowRoot!;
      // The forecast's scores: the same rows, cell for cell.
      const cells = (table: Element) => [...table.querySelectorAll('tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)).filter((r) => r.length);
      const reportScores = [...doc.querySelectorAll('table')].find((t) => t.querySelector('tr')!.textContent!.includes('NSE'))!;
      expect(cells(tab.querySelector('table.observed')!)).toEqual(cells(reportScores));
      expect(cells(tab.querySelector('table.observed')!)).toHaveLength(3);
      // The run's hydrographs: the same charts, point for point, with the same peak lines.
      const charts = (root: ParentNode) => [...root.querySelectorAll('.run-charts svg.curve-chart')].map((svg) => [
        [...svg.querySelectorAll('text')].slice(0, 2).map((t) => t.textContent), svg.querySelector('polyline.base')!.getAttribute('points')]);
      expect(charts(tab)).toEqual(charts(doc));
      expect(charts(tab).map(([texts]) => texts![0])).toEqual(['G-main (m³/s)', 'G-tributary (m³/s)', 'G-outlet (m³/s)']);
      // The note of the what-if whose curves were left out: the same words, with its time and settings.
      const note = curvesOmittedText({ reason: 'record-budget', curves: 3 }, lang);
      const notes = (root: ParentNode) => [...root.querySelectorAll('li.curves-omitted')].map((li) => li.textContent);
      expect(notes(tab)).toEqual(notes(doc));
      expect(notes(tab)).toHaveLength(1);
      expect(notes(tab)[0]!.endsWith(note)).toBe(true);
      expect(notes(tab)[0]).toMatch(lang === 'zh-CN' ? /\(T\+9:00\) · 雨量倍数 ×1\.5：/ : /\(T\+9:00\) · Rain factor ×1\.5: /);
      // The run's model warnings, grouped as the run's notice groups them: each line of the tab is a
      // row of the report's table, whose place names every reach of a group.
      const tabLines = [...tab.querySelectorAll('.model-warnings > ul > li')].map((li) => (li.querySelector('summary') ?? li).textContent);
      const head = [translate(lang, 'modelWarningsRun'), translate(lang, 'modelWarningsKind')].join('');
      const reportTable = [...doc.querySelectorAll('table')].find((t) => t.querySelector('tr')!.textContent!.startsWith(head))!;
      expect(tabLines).toEqual(cells(reportTable).map(([, kind, model, where, what]) => `${kind} · ${model} · ${where!.split(': ')[0]}: ${what}`));
      const group = tab.querySelector('.model-warnings li[data-places]')!;
      const places = Number(group.getAttribute('data-places'));
      expect(places).toBeGreaterThan(1);
      expect(group.querySelectorAll('ul.places > li')).toHaveLength(places);
      expect(group.querySelector('summary')!.textContent).toContain(lang === 'zh-CN' ? ` ${places} 个河段: ` : ` ${places} reaches: `);
      if (lang === 'zh-CN') expect(untranslatedInChinese(visibleText(view, lang))).toEqual([]);
    }
    frame.remove();

    // Exported, imported (the same work: no question asked) and exported again: the same bytes.
    const panel = app.shadowRoot!.querySelector('aar-panel')!;
    const importText = async (text: string) => {
      panel.dispatchEvent(new CustomEvent('aar-import', { detail: { text, fileName: 'aar.json' }, bubbles: true, composed: true }));
      await new Promise((r) => setTimeout(r, 100));
      await until(() => (!internals.computing && internals.result ? true : undefined), 'the import to be computed', 90_000);
      await app.updateComplete;
    };
    const exported = exportText(internals);
    expect(exported).toContain('"curves_omitted"');
    const before = internals.result;
    await importText(JSON.stringify(internals.record(), null, 1));
    // Identity, not `not.toBe`: on objects that differ, Vitest's toBe deep-compares them for its
    // message even when negated, ~35 s over two 72-hour runs' arrays on a busy machine.
    expect(Object.is(internals.result, before), 'the import ran the record again').toBe(false);
    await until(() => internals.observedScores ?? undefined, 'the scores of the imported run');
    expect(panel.shadowRoot!.querySelector('.replay.ok')).not.toBeNull();
    expect(exportText(internals)).toBe(exported);

    // A corrupt part is refused by its JSON path, and the session stays as it was.
    const corrupt = JSON.parse(exported) as { objectives: { rating: unknown }[]; injects_cancelled: unknown; decisions: { corrects?: string }[] };
    corrupt.objectives[0].rating = 'excellent';
    corrupt.injects_cancelled = 'none';
    corrupt.decisions[1].corrects = 'D3';
    await importText(JSON.stringify(corrupt));
    expect(panel.shadowRoot!.querySelector('.import-problem')!.textContent).toContain([
      'aar.json: error: $.decisions[0].withdrawn.replaced_by: names a decision that does not correct it (got "D2", expected the id of a later decision with "corrects": "D1", or no field when withdrawn by hand)',
      'error: $.decisions[1].corrects: names a decision not listed before it (got "D3", expected the id of an earlier decision withdrawn with "replaced_by": "D2")',
      'error: $.injects_cancelled: must be an array (got "none", expected the injects cancelled)',
      'error: $.objectives[0].rating: is not a rating (got "excellent", expected one of P, S, M, U, or null when not rated)',
    ].join('\n'));
    expect(exportText(internals)).toBe(exported);

    // Screens for a trainer to judge: the record tab with the run's facts, zh and en at both sizes.
    await trainerScreens(app, 'aar-record', { beforeShot: () => view.scrollIntoView() });
    // And its model warnings, a group of reaches opened on its places.
    const warnings = view.shadowRoot!.querySelector('.model-warnings')!;
    warnings.querySelector('details')!.open = true;
    await trainerScreens(app, 'aar-record-warnings', { beforeShot: () => warnings.scrollIntoView({ block: 'start' }) });
  }, 240_000);
});
