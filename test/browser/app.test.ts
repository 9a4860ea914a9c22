// The app in real Chromium: the engine worker runs the wasm kernel and renders the map; the drill
// shell's clock delivers injects as scenario time passes and reverts them when sought back.
import { elapsedText } from '../../web/time-format.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commands, page } from 'vitest/browser';

declare module 'vitest/browser' {
  interface BrowserCommands {
    nodeGaugeScores(scenarioFile: string): Promise<Record<string, { nse: number; kge_2012: number; qualified: boolean }>>;
  }
}
import '../../web/app.ts';
import type { SandtableApp } from '../../web/app.ts';
import type { HydrographChart } from '../../web/components/hydrograph-chart.ts';
import type { RegionMap } from '../../web/components/region-map.ts';
import type { FireCells } from '../../web/engine.worker.ts';
import { FIRE_ISOCHRONE_COLOUR, SLOPE_FAILED_COLOUR } from '../../web/scenario-overlay.ts';
import { until } from './until.ts';

function mount(): SandtableApp {
  const app = document.createElement('sandtable-app');
  document.body.append(app);
  return app;
}

const deep = (root: Element, ...selectors: string[]): Element | null => {
  let node: Element | null = root;
  for (const s of selectors) node = (node?.shadowRoot ?? node)?.querySelector(s) ?? null;
  return node;
};

afterEach(() => { document.body.innerHTML = ''; });

/** Keeps a screenshot of what the trainer sees, as a test artifact (test-results/screens/). */
async function screen(name: string): Promise<void> {
  await new Promise((r) => setTimeout(r, 300));
  await page.screenshot({ path: `../../test-results/screens/${name}.png` });
}

const tab = (app: Element, index: number) => (app.shadowRoot!.querySelectorAll('.tabs button')[index] as HTMLButtonElement).click();

describe('sandtable-app in Chromium', () => {
  it('computes the storm in the worker; seeking shows the storm on the map and in the risk list', async () => {
    const app = mount();
    const root = app.shadowRoot!;
    await until(() => (root.querySelector('.status')?.textContent?.includes('·') ? true : undefined), 'the scenario to be computed', 90_000);
    const map = deep(app, 'region-map') as RegionMap;
    await until(() => (map.drawn ? true : undefined), 'the map');
    const redItems = () => (map.overlay?.points ?? []).filter((p) => p.colour === '#c0392b').length;
    const seek = async (hours: number) => {
      const slider = deep(app, 'timeline-bar', 'input[type=range]') as HTMLInputElement;
      slider.value = String(hours * 3600);
      slider.dispatchEvent(new Event('change'));
      await app.updateComplete;
    };
    const failedSlopes = () => map.overlay!.areas.filter((a) => a.fill.startsWith(SLOPE_FAILED_COLOUR)).length;
    await seek(0);
    expect(map.overlay!.points).toHaveLength(227);
    expect(failedSlopes()).toBe(0);
    const calm = redItems();
    await seek(42); // an hour after the red-signal burst
    expect(redItems()).toBeGreaterThan(calm + 50);
    expect(map.overlay!.areas.length).toBeGreaterThan(0); // districts under warning are shaded
    // The forecast flood extent is drawn, and slope blocks that have failed by now.
    expect(map.overlay!.rasters).toHaveLength(2); // rain under the flood extent
    expect(failedSlopes()).toBeGreaterThan(0);
    await screen('1-scenario-storm-T42h');
    // Layers switch off from the legend.
    const toggles = [...root.querySelectorAll('.legend input[type=checkbox]')] as HTMLInputElement[];
    expect(toggles).toHaveLength(3);
    for (const box of toggles) box.click();
    await app.updateComplete;
    expect(map.overlay!.rasters).toBeUndefined();
    expect(failedSlopes()).toBe(0);
    for (const box of toggles) box.click();
    await app.updateComplete;
    (root.querySelectorAll('.tabs button')[1] as HTMLButtonElement).click(); // the risk list
    await app.updateComplete;
    const table = root.querySelector('risk-table')!;
    await table.updateComplete;
    const firstRow = table.shadowRoot!.querySelector('tbody tr')!;
    expect(firstRow.querySelector('.chip')!.textContent).toBe('红 重大'); // sorted by level, red first
    // Clicking an item on the list selects it on the map.
    (firstRow as HTMLElement).click();
    await app.updateComplete;
    expect(map.selected).toBe(firstRow.getAttribute('data-item'));
    expect(root.querySelector('.detail h3')!.textContent).toContain(firstRow.getAttribute('data-item')!);
    // The change log below: every change up to the clock (T+42 h), newest first, each with its cause.
    const log = root.querySelector('risk-log')!;
    await log.updateComplete;
    const changes = (app as unknown as { result: { run: { risk: { changes: { t_s: number; item: string }[] } } } }).result.run.risk.changes.filter((c) => c.t_s <= 42 * 3600);
    expect(changes.length).toBeGreaterThan(100);
    expect(log.shadowRoot!.querySelector('h3')!.textContent).toBe(`等级变化日志 (${changes.length})`);
    const logRows = [...log.shadowRoot!.querySelectorAll('tbody tr')];
    expect(logRows).toHaveLength(Math.min(200, changes.length));
    const newest = changes.reduce((a, b) => (b.t_s >= a.t_s ? b : a));
    expect(logRows[0].querySelector('td')!.textContent).toBe(elapsedText(newest.t_s));
    expect(logRows.every((r) => r.querySelector('.why')!.textContent!.trim() !== '')).toBe(true);
    (logRows[0] as HTMLElement).click();
    await app.updateComplete;
    expect(map.selected).toBe(logRows[0].getAttribute('data-item'));
    (firstRow as HTMLElement).click();
    await app.updateComplete;
    await screen('2-risk-list-selected');

    // A slope's detail shows its factor of safety through the storm.
    app.dispatchEvent(new CustomEvent('feature-select', { detail: { id: 'SL-001' } }));
    root.querySelector('region-map')!.dispatchEvent(new CustomEvent('feature-select', { detail: { id: 'SL-001' }, bubbles: true, composed: true }));
    await app.updateComplete;
    const fsChart = await until(() => {
      const c = root.querySelector('.detail hydrograph-chart') as HydrographChart | null;
      return c && c.pointCount > 0 ? c : undefined;
    }, 'the slope FS chart');
    const fs = Array.from(fsChart.series[0].values) as number[];
    expect(fs.length).toBe(72);
    expect(Math.min(...fs)).toBeLessThan(fs[0]); // the storm lowers it
  });

  it('what-if: rain ×1.5 beside the base raises the outlet peak and the count of red items', async () => {
    const app = mount();
    const root = app.shadowRoot!;
    await until(() => (root.querySelector('.status')?.textContent?.includes('·') ? true : undefined), 'the scenario to be computed', 90_000);
    tab(app, 4);
    await app.updateComplete;
    const panel = root.querySelector('whatif-panel')!;
    await panel.updateComplete;
    (panel.shadowRoot!.querySelector('button') as HTMLButtonElement).click(); // default change: rain ×1.5
    await until(() => (panel.shadowRoot!.querySelector('table') ? true : undefined), 'the comparison', 90_000);
    const row = (key: string) => panel.shadowRoot!.querySelector(`tbody tr[data-key="${key}"]`)!;
    // Rows are named in the UI's language (the app opens in Chinese), not by their English keys.
    expect(row('G-outlet peak').firstElementChild!.textContent).toBe('G-outlet 洪峰流量 (m³/s)');
    expect(row('items reaching red').firstElementChild!.textContent).toBe('升至红色的风险点');
    const cells = (key: string) => [...row(key).querySelectorAll('td')].map((td) => Number(td.textContent!.replace(/,/g, '')));
    const [, basePeak, variantPeak] = cells('G-outlet peak');
    expect(variantPeak).toBeGreaterThan(basePeak);
    const [, baseRed, variantRed] = cells('items reaching red');
    expect(variantRed).toBeGreaterThanOrEqual(baseRed);
    await screen('5-what-if-rain-1.5');
  });


  it('routes Chow 8.4.1 in the wasm worker (peak 641.75 m³/s at 10 h) and draws the region map', async () => {
    const consoleErrors = vi.spyOn(console, 'error');
    const app = mount();
    const chart = await until(() => {
      const c = deep(app, 'routing-lab', 'hydrograph-chart') as HydrographChart | null;
      return c && c.pointCount > 0 ? c : undefined;
    }, 'the routing chart to get data from the worker');
    expect(chart.pointCount).toBe(20);
    expect(chart.series.map((s) => s.label)).toEqual(['入流', '出流 A']); // zh-CN, the default UI language
    const outflow = Array.from(chart.series[1].values) as number[];
    expect(Math.max(...outflow)).toBeCloseTo(641.75, 2);
    expect(outflow.indexOf(Math.max(...outflow))).toBe(10);
    const map = await until(() => {
      const m = deep(app, 'region-map') as RegionMap | null;
      return m?.drawn ? m : undefined;
    }, 'the region map to be drawn', 40_000);
    const canvas = map.shadowRoot!.querySelector('canvas')!;
    const pixel = canvas.getContext('2d')!.getImageData(canvas.width / 2, canvas.height / 2, 1, 1).data;
    expect(Array.from(pixel)).not.toEqual([223, 227, 232, 255]); // the map, not the background
    tab(app, 5);
    await app.updateComplete;
    expect(deep(app, 'routing-lab')!.shadowRoot!.querySelector('h2')!.textContent).toContain('河段 A');
    await screen('14-routing-lab-zh');
    expect(consoleErrors).not.toHaveBeenCalled();
  });

  it('shows the EXERCISE banner; the clock steps, seeks and plays, delivering injects on time', async () => {
    const app = mount();
    await app.updateComplete;
    const root = app.shadowRoot!;
    expect(root.querySelector('.exercise')!.textContent).toContain('EXERCISE');
    expect(root.querySelector('.exercise')!.textContent).toContain('演练');
    const timeline = root.querySelector('timeline-bar')!;
    const buttons = () => [...timeline.shadowRoot!.querySelectorAll('button')];
    const injectState = (id: string) => deep(app, 'inject-list', `tr[data-inject=${id}] .state`)?.textContent;
    // The clock steps and plays over a computed run only (issue 17 item 8).
    await until(() => (root.querySelector('.status')?.textContent?.includes('·') ? true : undefined), 'the scenario to be computed', 90_000);
    (root.querySelectorAll('.tabs button')[2] as HTMLButtonElement).click(); // the MSEL tab
    await until(() => (injectState('I1') ? true : undefined), 'the MSEL table');
    expect(injectState('I1')).toBe('已计划');

    // Step four 15-minute steps: I1 is due at 1 h.
    for (let k = 0; k < 4; k++) {
      buttons()[1].click();
      await app.updateComplete;
    }
    await until(() => (injectState('I1') === '已下达' ? true : undefined), 'I1 to be delivered at T+1:00');
    expect(timeline.shadowRoot!.textContent).toContain('T+1:00');

    // Seek back before 1 h: the inject is scheduled again.
    const slider = timeline.shadowRoot!.querySelector('input[type=range]') as HTMLInputElement;
    slider.value = '1800';
    slider.dispatchEvent(new Event('change'));
    await until(() => (injectState('I1') === '已计划' ? true : undefined), 'I1 to revert after seeking back');

    // Play at ×3600 for a moment: time moves forward on its own, then pause holds it.
    const speed = timeline.shadowRoot!.querySelector('select')!;
    speed.value = '3600';
    speed.dispatchEvent(new Event('change'));
    buttons()[0].click();
    await until(() => (timeline.shadowRoot!.textContent!.includes('T+3:') ? true : undefined), 'the clock to reach T+3 h while playing', 10_000);
    buttons()[0].click();
    await app.updateComplete;
    const paused = timeline.shadowRoot!.querySelector('.time strong')!.textContent;
    await new Promise((r) => setTimeout(r, 400));
    expect(timeline.shadowRoot!.querySelector('.time strong')!.textContent).toBe(paused);

    // Rewind returns to the start; the language switch turns the UI to English.
    buttons()[2].click();
    await app.updateComplete;
    expect(timeline.shadowRoot!.textContent).toContain('T+0:00');
    (root.querySelector('header button') as HTMLButtonElement).click();
    await app.updateComplete;
    await until(() => (injectState('I1') === 'scheduled' ? true : undefined), 'English inject states');
    expect(root.querySelector('h1')!.textContent).toBe('Sandtable · Mountain City');
  });
});

describe('what a trainer does during a drill', () => {
  it('adds a rain inject through the MSEL, delivers it, and sees the hydrograph rise; the record replays identically', async () => {
    const app = mount();
    const root = app.shadowRoot!;
    const computed = () => (root.querySelector('.status')?.textContent?.match(/·/) ? true : undefined);
    await until(computed, 'the scenario to be computed', 90_000);
    const internals = app as unknown as { result: { run: { gauges: { id: string; peakM3PerS: number }[] } }; injects: { id: string }[]; record(): unknown };
    const outletPeak = () => internals.result.run.gauges.find((g) => g.id === 'G-outlet')!.peakM3PerS;
    const before = outletPeak();

    // The MSEL as CSV, plus one row: a cloudburst the trainer will deliver by hand.
    const { injectsToCsv } = await import('../../models/scenario/injects.ts');
    const csv = injectsToCsv(internals.injects as never) + 'X1,9,manual,,,,,Cloudburst over the city,Rain doubles for 6 h,Trainer,Duty officer,model-change,Close underpasses,O2 waterlogging response,on-hold,"{""type"":""rain"",""factor"":2,""duration_s"":21600}"\r\n';
    (root.querySelectorAll('.tabs button')[2] as HTMLButtonElement).click();
    await app.updateComplete;
    const list = root.querySelector('inject-list')!;
    list.dispatchEvent(new CustomEvent('msel-import', { detail: { text: csv, fileName: 'msel.csv' }, bubbles: true, composed: true }));
    await until(() => (list.shadowRoot!.querySelector('tr[data-inject=X1]') ? true : undefined), 'the imported inject');
    await until(computed, 'the recomputation after the import', 90_000);

    // Deliver it at T+36 h, before the main burst.
    const slider = deep(app, 'timeline-bar', 'input[type=range]') as HTMLInputElement;
    slider.value = String(36 * 3600);
    slider.dispatchEvent(new Event('change'));
    await app.updateComplete;
    await list.updateComplete;
    (list.shadowRoot!.querySelector('tr[data-inject=X1] .actions button') as HTMLButtonElement).click();
    await until(() => (root.querySelector('.status')?.textContent?.includes('…') ? true : undefined), 'the recomputation to start', 10_000).catch(() => true);
    await until(() => (computed() && outletPeak() !== before ? true : undefined), 'the hydrograph to change', 90_000);
    expect(outletPeak()).toBeGreaterThan(before);
    await screen('3-msel-inject-delivered');

    // A decision, a rating; then export the record and import it again: the replay is identical.
    (root.querySelectorAll('.tabs button')[3] as HTMLButtonElement).click();
    await app.updateComplete;
    const panel = root.querySelector('aar-panel')!;
    panel.dispatchEvent(new CustomEvent('decision-add', { detail: { role: 'Duty officer', text: 'Close the Yuzhong underpasses' }, bubbles: true, composed: true }));
    panel.dispatchEvent(new CustomEvent('rating-change', { detail: { id: 'O2 waterlogging response', rating: 'S', notes: 'late' }, bubbles: true, composed: true }));
    await app.updateComplete;
    const text = JSON.stringify(internals.record());
    expect(JSON.parse(text).decisions[0].state.items_by_level).toBeDefined();
    panel.dispatchEvent(new CustomEvent('aar-import', { detail: { text, fileName: 'aar.json' }, bubbles: true, composed: true }));
    await until(() => (panel.shadowRoot!.querySelector('.replay') ? true : undefined), 'the replay verdict', 90_000);
    expect(panel.shadowRoot!.querySelector('.replay')!.classList.contains('ok')).toBe(true);
    await screen('4-after-action-replayed');
  });
});

describe('the MSEL editor', () => {
  it('adds an inject from the form, refuses a bad model change by path (keeping the draft), and edits a row in place', async () => {
    const app = mount();
    const root = app.shadowRoot!;
    await app.updateComplete;
    tab(app, 2);
    await app.updateComplete;
    const list = root.querySelector('inject-list')!;
    await list.updateComplete;
    const editor = list.shadowRoot!.querySelector('inject-form')!;
    const form = editor.shadowRoot!.querySelector('form')!;
    const set = (name: string, value: string) => { (form.elements.namedItem(name) as HTMLInputElement).value = value; };
    set('title', 'Landslide blocks the ridge road');
    set('hours', '30');
    set('kind', 'model-change');
    set('action', '{"type": "avalanche"}');
    form.requestSubmit();
    await app.updateComplete;
    await list.updateComplete;
    await editor.updateComplete;
    expect(editor.shadowRoot!.querySelector('.problems')!.textContent).toContain('$.injects[7].action.type: is not a model change the engine knows (got "avalanche"');
    expect((form.elements.namedItem('title') as HTMLInputElement).value).toBe('Landslide blocks the ridge road'); // a refused draft stays

    set('action', '{"type": "sensor-reading", "item": "SL-001", "factor": "rain_24h_mm", "value": 160}');
    form.requestSubmit();
    await app.updateComplete;
    await list.updateComplete;
    const added = list.shadowRoot!.querySelector('tr[data-inject=T8]')!;
    expect(added.textContent).toContain('Landslide blocks the ridge road');
    expect(added.querySelector('.due')!.textContent).toBe('T+30:00');
    await editor.updateComplete;
    expect(editor.shadowRoot!.querySelector('.problems')).toBeNull();

    // Edit it (its Edit button): move it to 32 h.
    (added.querySelector('button.edit') as HTMLButtonElement).click();
    await list.updateComplete;
    await editor.updateComplete;
    expect(form.querySelector('h3')!.textContent).toContain('T8');
    (form.elements.namedItem('hours') as HTMLInputElement).value = '32';
    form.requestSubmit();
    await app.updateComplete;
    await list.updateComplete;
    await editor.updateComplete;
    expect(list.shadowRoot!.querySelectorAll('tr[data-inject=T8]')).toHaveLength(1);
    expect(list.shadowRoot!.querySelector('tr[data-inject=T8] .due')!.textContent).toBe('T+32:00');

    // Saved, the form is back to adding: a new inject started from the rain template gets the
    // action filled in and the kind follows.
    expect(form.querySelector('h3')!.textContent).toBe('新增注入');
    const template = form.querySelector('#actionType') as HTMLSelectElement;
    template.value = 'rain';
    template.dispatchEvent(new Event('change'));
    await editor.updateComplete;
    expect(JSON.parse((form.elements.namedItem('action') as HTMLTextAreaElement).value)).toMatchObject({ type: 'rain', factor: 1.5 });
    expect((form.elements.namedItem('kind') as HTMLSelectElement).value).toBe('model-change');
    await screen('6-msel-editor');
  });
});

describe('forecast against observed', () => {
  it('draws the observed series beside the forecast and shows the scores Node computes for the same data', async () => {
    const consoleErrors = vi.spyOn(console, 'error');
    const node = commands.nodeGaugeScores('scenarios/mountain-city/storm-72h.json');
    const app = mount();
    const root = app.shadowRoot!;
    const section = await until(() => root.querySelector('section.observed') ?? undefined, 'the observed-vs-forecast section', 90_000);
    const chart = await until(() => {
      const c = section.querySelector('hydrograph-chart') as HydrographChart | null;
      return c && c.pointCount > 0 ? c : undefined;
    }, 'the observed chart');
    expect(chart.series.map((s) => s.label)).toEqual(['G-outlet 预报', 'G-outlet 实测']);
    const dots = Array.from(chart.series[1].values).filter((v) => v !== null);
    expect(dots).toHaveLength(73); // hourly observations over 72 h
    const shown = Object.fromEntries([...section.querySelectorAll('tbody tr')].map((tr) => [tr.getAttribute('data-gauge'), tr.querySelector('.nse')!.textContent]));
    const fromNode = await node;
    expect(Object.keys(shown)).toEqual(['G-main', 'G-tributary', 'G-outlet']);
    for (const [gauge, s] of Object.entries(fromNode)) expect(shown[gauge]).toBe(s.nse.toFixed(3));
    // Choosing another gauge charts it.
    (section.querySelector('tr[data-gauge=G-tributary]') as HTMLElement).click();
    await app.updateComplete;
    await until(() => (chart.series[0].label.startsWith('G-tributary') ? true : undefined), 'the tributary chart');
    section.scrollIntoView();
    await screen('7-observed-vs-forecast-zh');
    (root.querySelector('header button') as HTMLButtonElement).click();
    await app.updateComplete;
    expect(section.querySelector('h2')!.textContent).toContain('Forecast against observed');
    root.querySelector('section.observed')!.scrollIntoView();
    await screen('8-observed-vs-forecast-en');
    expect(consoleErrors).not.toHaveBeenCalled();
  }, 120_000);
});

describe('decisions that act', () => {
  it('a fire break decided by a player bars the fire; the after-action record replays it identically', async () => {
    const consoleErrors = vi.spyOn(console, 'error');
    const app = mount();
    const root = app.shadowRoot!;
    const internals = app as unknown as { result?: { run: { fire?: { burnedAreaM2: number[] } } }; computing: boolean; record(): unknown; decisions: { action?: unknown }[] };
    const computed = () => (!internals.computing && internals.result ? true : undefined);
    await until(computed, 'the storm to be computed', 90_000);
    const select = root.querySelector('select.scenario-title') as HTMLSelectElement;
    select.value = String([...select.options].findIndex((o) => o.textContent!.includes('西山夏季森林火险'))); // the summer fire day
    select.dispatchEvent(new Event('change'));
    await until(() => (computed() && internals.result!.run.fire ? true : undefined), 'the fire day to be computed', 90_000);
    const burned = () => internals.result!.run.fire!.burnedAreaM2.at(-1)!;
    const before = burned();
    expect(before).toBeGreaterThan(1e6);

    const slider = deep(app, 'timeline-bar', 'input[type=range]') as HTMLInputElement;
    slider.value = String(2 * 3600);
    slider.dispatchEvent(new Event('change'));
    await app.updateComplete;
    // At T+2 h: the front now, and under it the front at T+1 h (ignition at T+0:30).
    const map = deep(app, 'region-map') as RegionMap;
    const isochrones = () => map.overlay!.lines.filter((l) => l.colour === FIRE_ISOCHRONE_COLOUR).length;
    expect(isochrones()).toBeGreaterThan(0);
    expect(map.overlay!.lines.filter((l) => l.colour === '#ff3d00').length).toBeGreaterThan(0);
    // A click where the fire started: burned at ignition, with its head rate and intensity there;
    // a cell the fire reaches later says when it is expected, with the same numbers as the worker's.
    const clickAt = async (x: number, y: number) => {
      map.dispatchEvent(new CustomEvent('map-click', { detail: { x, y }, bubbles: true, composed: true }));
      await app.updateComplete;
      return root.querySelector('.detail')!.textContent!;
    };
    const ignitionCell = await clickAt(645200, 3274500);
    expect(ignitionCell).toContain('过火时间 T+0:30');
    expect(ignitionCell).toMatch(/火线强度 \d+ kW\/m/);
    const shown = internals as unknown as { result: { fireCells: FireCells }; manifest: { grid: { ncols: number; nrows: number; cellsize_m: number; xllcorner: number; yllcorner: number } } };
    const cells = shown.result.fireCells;
    const later = cells.arrivalS.findIndex((t) => t > 6 * 3600 && t < 7 * 3600);
    const g = shown.manifest.grid;
    const laterText = await clickAt(g.xllcorner + ((later % g.ncols) + 0.5) * g.cellsize_m, g.yllcorner + (g.nrows - Math.floor(later / g.ncols) - 0.5) * g.cellsize_m);
    expect(laterText).toContain('预计到达 T+6:');
    expect(laterText).toContain(`${cells.intensityKwPerM[later].toFixed(0)} kW/m`);
    await screen('9a-fire-cell-isochrones-zh');
    tab(app, 3);
    await app.updateComplete;
    const panel = root.querySelector('aar-panel')!;
    await panel.updateComplete;
    const form = panel.shadowRoot!.querySelector('form')!;
    const actionSelect = form.querySelector('select[name=actionType]') as HTMLSelectElement;
    actionSelect.value = 'barrier';
    actionSelect.dispatchEvent(new Event('change'));
    await panel.updateComplete;
    expect(JSON.parse((form.querySelector('textarea') as HTMLTextAreaElement).value)).toEqual({ type: 'barrier', polyline_m: [[646400, 3271500], [647400, 3278500]] });
    const text = form.querySelector('input[name=text]') as HTMLInputElement;
    text.value = 'Cut a fire break along the ridge-foot road';
    text.dispatchEvent(new Event('input'));
    form.requestSubmit();
    await until(() => (computed() && burned() !== before ? true : undefined), 'the run with the fire break', 90_000);
    expect(burned()).toBeLessThan(before);
    const withBreak = burned();
    await panel.updateComplete;
    expect(panel.shadowRoot!.querySelector('tr[data-decision=D1] .acts')!.textContent).toContain('隔离带'); // the UI's language
    await screen('9-decision-fire-break-zh');

    // A bad action is refused by its path and changes nothing.
    actionSelect.value = 'evacuation';
    actionSelect.dispatchEvent(new Event('change'));
    await panel.updateComplete;
    const area = form.querySelector('textarea') as HTMLTextAreaElement;
    area.value = '{"type": "evacuate"}';
    area.dispatchEvent(new Event('input'));
    text.value = 'Evacuate';
    text.dispatchEvent(new Event('input'));
    form.requestSubmit();
    await app.updateComplete;
    await panel.updateComplete;
    expect(panel.shadowRoot!.querySelector('.problems')!.textContent).toContain('decision D2.action.type: is not a model change the engine knows');
    expect(internals.decisions).toHaveLength(1);

    // Export the record and load it again: the decision comes back and acts again, identically.
    const record = JSON.stringify(internals.record());
    panel.dispatchEvent(new CustomEvent('aar-import', { detail: { text: record, fileName: 'aar.json' }, bubbles: true, composed: true }));
    await until(() => (panel.shadowRoot!.querySelector('.replay') ? true : undefined), 'the replay verdict', 90_000);
    expect(panel.shadowRoot!.querySelector('.replay')!.classList.contains('ok')).toBe(true);
    expect(burned()).toBe(withBreak);
    expect(internals.decisions[0].action).toEqual({ type: 'barrier', polyline_m: [[646400, 3271500], [647400, 3278500]] });
    (root.querySelector('header button') as HTMLButtonElement).click();
    await app.updateComplete;
    await panel.updateComplete;
    await screen('10-decision-replayed-en');
    expect(consoleErrors).not.toHaveBeenCalled();
  }, 240_000);
});

describe('feature details with their history', () => {
  it('an item shows its level over time with causes; a reach its flow against warning flow; a district its people per level', async () => {
    const consoleErrors = vi.spyOn(console, 'error');
    const app = mount();
    const root = app.shadowRoot!;
    const internals = app as unknown as { result?: { run: { risk: { changes: { item: string; t_s: number; to: number }[] }; route: { reaches: Record<string, { outflow_m3_per_s: Float64Array }> }; gauges: { id: string; reach: string }[]; residentsByDistrict: Record<string, number> } }; computing: boolean };
    await until(() => (!internals.computing && internals.result ? true : undefined), 'the storm to be computed', 90_000);
    const slider = deep(app, 'timeline-bar', 'input[type=range]') as HTMLInputElement;
    slider.value = String(48 * 3600);
    slider.dispatchEvent(new Event('change'));
    const map = root.querySelector('region-map')!;
    const historyChart = () => until(() => {
      const c = root.querySelector('.detail hydrograph-chart.history') as HydrographChart | null;
      return c && c.pointCount > 0 ? c : undefined;
    }, 'the history chart');

    // An item that changed level: its step series ends at its level now, and its causes are listed.
    const run = internals.result!.run;
    const change = run.risk.changes.find((c) => c.t_s <= 48 * 3600 && c.to === 4)!;
    map.dispatchEvent(new CustomEvent('feature-select', { detail: { id: change.item, kind: 'item' }, bubbles: true, composed: true }));
    await app.updateComplete;
    const itemChart = await historyChart();
    const levels = Array.from(itemChart.series[0].values) as number[];
    expect(levels).toHaveLength(289);
    expect(levels[Math.round(change.t_s / 900)]).toBe(4);
    expect(Math.min(...levels)).toBeLessThan(4);
    const rows = root.querySelectorAll('.detail table.changes tr');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0].textContent).toMatch(/T\+\d+:\d\d/);
    await screen('11-item-history-zh');

    // The outlet gauge's reach: flow and warning flow through the storm.
    const outlet = run.gauges.find((g) => g.id === 'G-outlet')!;
    map.dispatchEvent(new CustomEvent('feature-select', { detail: { id: outlet.reach, kind: 'reach' }, bubbles: true, composed: true }));
    await app.updateComplete;
    const reachChart = await until(() => {
      const c = root.querySelector('.detail hydrograph-chart.history') as HydrographChart | null;
      return c && c.pointCount > 0 && c.series[0].label.startsWith(outlet.reach) ? c : undefined;
    }, 'the reach chart');
    expect(Array.from(reachChart.series[0].values)).toEqual(Array.from(run.route.reaches[outlet.reach].outflow_m3_per_s));
    expect(root.querySelector('.detail h3')!.textContent).toContain('G-outlet');
    await screen('12-reach-history-zh');

    // A click in a district (its centre): its residents under each warning level, step by step.
    const { districtOutlines } = await import('../../models/scenario/districts.ts');
    const manifest = (app as unknown as { manifest: Parameters<typeof districtOutlines>[0] }).manifest;
    const ring = districtOutlines(manifest).get('yuzhong')!;
    const centre = (manifest as unknown as { districts: { id: string; centre_m: [number, number] }[] }).districts.find((d) => d.id === 'yuzhong')!.centre_m;
    expect(ring.length).toBeGreaterThan(3);
    map.dispatchEvent(new CustomEvent('map-click', { detail: { x: centre[0], y: centre[1] }, bubbles: true, composed: true }));
    await app.updateComplete;
    const districtChart = await until(() => {
      const c = root.querySelector('.detail hydrograph-chart.history') as HydrographChart | null;
      return c && c.series.length === 4 && c.pointCount > 0 ? c : undefined;
    }, 'the district chart');
    const residents = run.residentsByDistrict.yuzhong;
    expect(residents).toBeGreaterThan(0);
    for (let j = 0; j < 289; j++) {
      const total = districtChart.series.reduce((sum, s) => sum + ((s.values[j] as number) ?? 0), 0);
      expect([0, residents]).toContain(total); // at one level at a time, or under none
    }
    expect(districtChart.series[0].values).toContain(residents); // red at some time
    (root.querySelector('header button') as HTMLButtonElement).click();
    await app.updateComplete;
    await screen('13-district-history-en');
    expect(consoleErrors).not.toHaveBeenCalled();
  }, 180_000);
});
