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
});
