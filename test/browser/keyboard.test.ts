// The console by keyboard (issue 17): the tabs follow WAI-ARIA's tabs pattern (arrows, Home, End;
// only the open tab in the Tab order), Space plays and pauses the clock and "." steps it, but not
// while the trainer types in a field; focus is visible; and the running clock does not talk to
// screen readers (no live region around it), while a due inject is announced politely.
import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import '../../web/app.ts';
import type { SandtableApp } from '../../web/app.ts';
import { until } from './until.ts';

afterEach(() => { document.body.innerHTML = ''; });

type Internals = { computing: boolean; result?: unknown; clockSnapshot: { state: string; timeS: number } };

const settle = async (app: SandtableApp) => {
  await app.updateComplete;
  await new Promise((r) => setTimeout(r, 100));
};

/** The element with the focus, through shadow roots. */
function focused(): Element | null {
  let el: Element | null = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
}

describe('the console by keyboard', () => {
  it('tabs move with the arrow keys; Space plays and pauses, "." steps, not while typing; the clock is no live region', async () => {
    const app = document.createElement('sandtable-app');
    document.body.append(app);
    const internals = app as unknown as Internals;
    await until(() => (!internals.computing && internals.result ? true : undefined), 'the storm to be computed', 90_000);
    const root = app.shadowRoot!;
    const tabs = () => [...root.querySelectorAll('[role=tab]')] as HTMLElement[];
    const open = () => tabs().findIndex((t) => t.getAttribute('aria-selected') === 'true');

    // Only the open tab is in the Tab order; arrows move along the tabs, wrapping, and open them.
    expect(tabs().map((t) => t.tabIndex)).toEqual([0, -1, -1, -1, -1, -1, -1]);
    tabs()[0].focus();
    await userEvent.keyboard('{ArrowRight}');
    await settle(app);
    expect(open()).toBe(1);
    expect(focused()).toBe(tabs()[1]);
    expect(root.querySelector('risk-table')).not.toBeNull();
    expect(root.querySelector('[role=tabpanel]')!.getAttribute('aria-labelledby')).toBe(tabs()[1].id);
    await userEvent.keyboard('{ArrowLeft}{ArrowLeft}');
    await settle(app);
    expect(open()).toBe(6); // wrapped round to the last
    await userEvent.keyboard('{Home}');
    await settle(app);
    expect(open()).toBe(0);
    expect(focused()).toBe(tabs()[0]);
    // Focus is visible on a tab reached by keyboard.
    expect(getComputedStyle(tabs()[0]).outlineStyle).toBe('solid');

    // Away from the tabs (the panel has the focus): "." steps one step, Space plays, Space pauses.
    (root.querySelector('[role=tabpanel]') as HTMLElement).focus();
    await userEvent.keyboard('.');
    await settle(app);
    expect(internals.clockSnapshot.timeS).toBe(900);
    await userEvent.keyboard(' ');
    await settle(app);
    expect(internals.clockSnapshot.state).toBe('running');
    await userEvent.keyboard(' ');
    await settle(app);
    expect(internals.clockSnapshot.state).toBe('paused');
    const pausedAt = internals.clockSnapshot.timeS;

    // Typing in a field: a space is a space, a full stop a full stop; the clock does not move.
    tabs()[4].click(); // what-if has no text field; the MSEL's editor does
    tabs()[2].click();
    await settle(app);
    const title = root.querySelector('inject-list')!.shadowRoot!.querySelector('inject-form')!.shadowRoot!.querySelector('input[name=title]') as HTMLInputElement;
    title.focus();
    await userEvent.keyboard('a b.');
    await settle(app);
    expect(title.value).toBe('a b.');
    expect(internals.clockSnapshot).toMatchObject({ state: 'paused', timeS: pausedAt });

    // The buttons name their shortcuts; the running clock's time is no live region.
    const bar = root.querySelector('timeline-bar')!.shadowRoot!;
    expect([...bar.querySelectorAll('button')].map((b) => b.getAttribute('aria-keyshortcuts'))).toEqual(['Space', '.', 'Home']);
    // Said outright: the clock's times are never announced as they tick.
    expect([...bar.querySelectorAll('.time')].map((e) => e.getAttribute('aria-live'))).toEqual(['off', 'off']);
    expect([...bar.querySelectorAll('[aria-live]')].filter((e) => e.getAttribute('aria-live') !== 'off')).toEqual([]);
    expect(root.querySelector('[aria-live=assertive]')).toBeNull();
  }, 120_000);

  it('risk-table rows, and the map\'s warned districts and items, take the focus and open their details with Enter', async () => {
    const app = document.createElement('sandtable-app');
    document.body.append(app);
    const internals = app as unknown as Internals;
    await until(() => (!internals.computing && internals.result ? true : undefined), 'the storm to be computed', 90_000);
    const root = app.shadowRoot!;
    const detailTitle = () => root.querySelector('.detail h3')?.textContent ?? '';
    (root.querySelectorAll('[role=tab]')[1] as HTMLElement).click();
    await settle(app);
    const table = root.querySelector('risk-table')!.shadowRoot!;
    const rows = [...table.querySelectorAll('tbody tr')] as HTMLElement[];
    // One Tab stop for the table: its first row.
    expect(rows.filter((r) => r.tabIndex === 0)).toHaveLength(1);
    rows[0].focus();
    await userEvent.keyboard('{ArrowDown}');
    expect(focused()).toBe(rows[1]);
    await userEvent.keyboard('{Enter}');
    await settle(app);
    expect(detailTitle()).toContain(rows[1].dataset.item!);
    // Space on a row opens it too, and does not start the clock.
    rows[2].focus();
    await userEvent.keyboard(' ');
    await settle(app);
    expect(detailTitle()).toContain(rows[2].dataset.item!);
    expect(internals.clockSnapshot.state).not.toBe('running');

    // The map at the storm's peak: "]" reaches the districts under a warning, then the items, one
    // by one (named to screen readers); Enter opens the one reached.
    (root.querySelector('.detail .close') as HTMLButtonElement).click();
    const slider = root.querySelector('timeline-bar')!.shadowRoot!.querySelector('input[type=range]') as HTMLInputElement;
    slider.value = String(42 * 3600);
    slider.dispatchEvent(new Event('change'));
    await settle(app);
    const canvas = root.querySelector('region-map')!.shadowRoot!.querySelector('canvas')!;
    canvas.focus();
    await userEvent.keyboard(']');
    await settle(app);
    const district = canvas.getAttribute('aria-label')!.split(': ')[1];
    expect(district).toMatch(/^[\u4e00-\u9fff]+ · 预警 [蓝黄橙红] .+$/);
    await userEvent.keyboard('{Enter}');
    await settle(app);
    expect(detailTitle()).toBe(`区县 · ${district.split(' · ')[0]}`);
    let reached = '';
    for (let k = 0; k < 20 && !/: [A-Z]+-\d+ · /.test(reached); k++) {
      await userEvent.keyboard(']');
      reached = canvas.getAttribute('aria-label')!;
    }
    const id = reached.split(': ')[1].split(' · ')[0];
    expect(reached).toMatch(/^山城地形与土地覆盖: [A-Z]+-\d+ · .+ · .+$/);
    await userEvent.keyboard('{Enter}');
    await settle(app);
    expect(detailTitle()).toContain(id);
  }, 120_000);

  it('the warning feed\'s warnings, and a fire break on the map, take the focus, are named, and open their details with Enter', async () => {
    const app = document.createElement('sandtable-app');
    document.body.append(app);
    const internals = app as unknown as Internals & { result?: { run: { warnings: { id: string; t_s: number }[] } } };
    await until(() => (!internals.computing && internals.result ? true : undefined), 'the storm to be computed', 90_000);
    const root = app.shadowRoot!;
    const detail = () => root.querySelector('.detail');
    const slider = root.querySelector('timeline-bar')!.shadowRoot!.querySelector('input[type=range]') as HTMLInputElement;
    slider.value = String(42 * 3600);
    slider.dispatchEvent(new Event('change'));
    await settle(app);

    // The scenario tab's feed: one Tab stop, the arrows move, each warning named, Enter opens it.
    const feed = root.querySelector('warning-feed')!;
    await feed.updateComplete;
    const rows = [...feed.shadowRoot!.querySelectorAll('li')] as HTMLElement[];
    expect(rows.length).toBeGreaterThan(2);
    expect(rows.map((r) => r.tabIndex).filter((i) => i === 0)).toHaveLength(1);
    expect(rows[0].tabIndex).toBe(0);
    rows[0].focus();
    await userEvent.keyboard('{ArrowDown}');
    expect(focused()).toBe(rows[1]);
    expect(rows[1].getAttribute('aria-label')).toMatch(/^T\+\d+:\d\d [蓝黄橙红] \S+ (暴雨|洪水|地质灾害) · [\u4e00-\u9fff、，]+$/); // e.g. "T+41:00 红 重大 暴雨 · 北碚"
    await userEvent.keyboard('{Enter}');
    await settle(app);
    const warning = internals.result!.run.warnings.find((w) => w.id === rows[1].dataset.warning)!;
    expect(detail()!.getAttribute('aria-label')).toMatch(/^预警 · (暴雨|洪水|地质灾害) [蓝黄橙红] \S+$/);
    expect(detail()!.querySelector('h3')!.textContent).toBe(detail()!.getAttribute('aria-label'));
    expect(detail()!.textContent).toContain(`发布 T+${Math.floor(warning.t_s / 3600)}:`);
    expect(detail()!.textContent).toContain('原因');
    // Space opens the next one and does not start the clock.
    rows[2].focus();
    await userEvent.keyboard(' ');
    await settle(app);
    expect(internals.clockSnapshot.state).not.toBe('running');
    expect(detail()!.textContent).toContain(`T+${Math.floor(internals.result!.run.warnings.find((w) => w.id === rows[2].dataset.warning)!.t_s / 3600)}:`);

    // The fire day: the fire break F3, once delivered, is reached on the map by "]", named, and opened.
    const select = root.querySelector('select.scenario-title') as HTMLSelectElement;
    select.value = '3';
    select.dispatchEvent(new Event('change'));
    await settle(app);
    await until(() => (!internals.computing && internals.result && (root.querySelector('.status')?.textContent ?? '').includes('·') ? true : undefined), 'the fire day to be computed', 90_000);
    const before = internals.result;
    (root.querySelectorAll('[role=tab]')[2] as HTMLElement).click();
    await settle(app);
    root.querySelector('inject-list')!.dispatchEvent(new CustomEvent('inject-command', { detail: { command: 'deliver', id: 'F3' }, bubbles: true, composed: true }));
    await until(() => (!internals.computing && internals.result !== before ? true : undefined), 'the run with the fire break', 90_000);
    await settle(app);
    const canvas = root.querySelector('region-map')!.shadowRoot!.querySelector('canvas')!;
    canvas.focus();
    let reached = '';
    for (let k = 0; k < 40 && !reached.includes('F3'); k++) {
      await userEvent.keyboard(']');
      reached = canvas.getAttribute('aria-label')!;
    }
    expect(reached.split(': ')[1]).toBe('隔离带 / 封路 · F3 · 沿山脚道路开设防火隔离带 · T+0:00');
    await userEvent.keyboard('{Enter}');
    await settle(app);
    expect(detail()!.querySelector('h3')!.textContent).toBe('隔离带 / 封路 · F3');
    expect(detail()!.textContent).toContain('沿山脚道路开设防火隔离带');
    expect(detail()!.textContent).toContain('已下达 T+0:00 · 7.1 km');
    // In English both name it in English.
    (root.querySelector('header button.lang-toggle') as HTMLButtonElement).click();
    await settle(app);
    expect(detail()!.querySelector('h3')!.textContent).toBe('Fire break / barrier · F3');
    expect(detail()!.textContent).toContain('Crews cut a fire break along the ridge-foot road');
    // The map still has the fire break reached, now named in English.
    expect(canvas.getAttribute('aria-label')).toMatch(/: Fire break \/ barrier · F3 · Fire break cut along the ridge road · T\+0:00$/);
  }, 240_000);
});
