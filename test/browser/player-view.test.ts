// The players' window (`?view=player`, issue 17): kept in step with the trainer's console over a
// BroadcastChannel, it shows the clock, the injects delivered so far, the warnings issued and the
// map without forecast layers (no flood extent, no rain grid, no modelled slope failures), and no
// control of the exercise. Both run here in one page: each has its own channel, as two windows do.
import { afterEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import '../../web/app.ts';
import '../../web/player-view.ts';
import type { SandtableApp } from '../../web/app.ts';
import type { RegionMap } from '../../web/components/region-map.ts';
import type { PlayerView } from '../../web/player-view.ts';
import { SLOPE_FAILED_COLOUR } from '../../web/scenario-overlay.ts';
import { until } from './until.ts';

afterEach(() => { document.body.innerHTML = ''; });

type Internals = { computing: boolean; result?: { run: { warnings: { id: string; t_s: number }[] } }; clockSnapshot: { timeS: number }; uiLang: string };

describe('the players\' view', () => {
  it('follows the trainer\'s clock: delivered injects, warnings issued, the map without forecast layers; no controls', async () => {
    const app = document.createElement('sandtable-app') as SandtableApp;
    document.body.append(app);
    const internals = app as unknown as Internals;
    await until(() => (!internals.computing && internals.result ? true : undefined), 'the storm to be computed', 90_000);
    // The players' window opens after the trainer's: it asks for the picture and gets it.
    const player = document.createElement('player-view') as PlayerView;
    document.body.append(player);
    const proot = player.shadowRoot!;
    await until(() => proot.querySelector('header'), 'the first picture');
    const seek = async (hours: number) => {
      const slider = app.shadowRoot!.querySelector('timeline-bar')!.shadowRoot!.querySelector('input[type=range]') as HTMLInputElement;
      slider.value = String(hours * 3600);
      slider.dispatchEvent(new Event('change'));
      await app.updateComplete;
    };
    await seek(42);
    await until(() => (proot.querySelector('.clock')?.textContent?.includes('T+42:00') ? true : undefined), 'the players\' clock at T+42');
    // I1 (T+1), I2 (T+37) and I4 (fired by the model at T+36) have gone out by T+42; I6 (T+20)? scheduled too.
    const delivered = () => [...proot.querySelectorAll('.injects li')].map((li) => li.getAttribute('data-inject'));
    expect(delivered()).toContain('I1');
    expect(delivered()).toContain('I4');
    expect(delivered()).not.toContain('I7'); // held for the trainer
    expect(proot.querySelector('.injects')!.textContent).toContain('暴雨蓝色预警信号发布'); // in the trainer's language
    // The briefing the players are given, in the console's language (and on the console too).
    expect(proot.querySelector('.briefing')!.textContent).toContain('连续三天的暴雨过程');
    expect(app.shadowRoot!.querySelector('.briefing')!.textContent).toContain('情景简介：连续三天的暴雨过程');
    const feed = proot.querySelector('warning-feed')!;
    await feed.updateComplete;
    const issued = internals.result!.run.warnings.filter((w) => w.t_s <= 42 * 3600).length;
    expect(feed.shadowRoot!.querySelectorAll('li')).toHaveLength(issued);
    expect(feed.shadowRoot!.querySelector('button.cap')).toBeNull();

    // The trainer's map has the forecast flood extent, rain and failed slopes; the players' has none.
    const trainerMap = app.shadowRoot!.querySelector('region-map') as RegionMap;
    expect(trainerMap.overlay!.rasters!.length).toBeGreaterThan(0);
    expect(trainerMap.overlay!.areas.some((a) => a.fill.startsWith(SLOPE_FAILED_COLOUR))).toBe(true);
    const playerMap = proot.querySelector('region-map') as RegionMap;
    expect(playerMap.overlay!.rasters).toBeUndefined();
    expect(playerMap.overlay!.areas.some((a) => a.fill.startsWith(SLOPE_FAILED_COLOUR))).toBe(false);
    expect(playerMap.overlay!.points).toHaveLength(trainerMap.overlay!.points.length);
    // No control of the exercise in the players' window.
    expect(proot.querySelector('timeline-bar, inject-list, button')).toBeNull();

    // A warning's row opens its details, as the console's does: Enter on the focused row (the newest), in the console's language.
    const rows = () => [...feed.shadowRoot!.querySelectorAll('li')] as HTMLElement[];
    const newest = rows()[0];
    newest.focus();
    newest.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    const detail = await until(() => proot.querySelector('.warning-detail') as HTMLElement | null, 'the warning\'s details');
    const lines = () => [...proot.querySelector('.warning-detail')!.querySelectorAll('h3, div')].map((e) => e.textContent!.trim());
    expect(newest.dataset.warning).toBe(internals.result!.run.warnings.filter((w) => w.t_s <= 42 * 3600).sort((a, b) => b.t_s - a.t_s)[0].id);
    expect(lines()).toEqual(['预警 · 地质灾害 黄 一般', '● 黄 一般 · 发布 T+42:00', '范围: 北碚', '原因: 14 处监测边坡中 0 处安全系数 < 1，1 处 < 1.1']);
    expect(proot.activeElement).toBe(detail);
    expect(internals.clockSnapshot.timeS).toBe(42 * 3600); // opening details does not move the clock
    // Escape closes them and gives the row its focus back; a click opens another.
    detail.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await player.updateComplete;
    expect(proot.querySelector('.warning-detail')).toBeNull();
    expect(feed.shadowRoot!.activeElement).toBe(newest);
    rows().at(-1)!.click();
    await player.updateComplete;
    // A lifted warning says so, with both times.
    expect(lines()).toEqual(['预警 · 暴雨 蓝 低', '● 蓝 低 · 发布 T+12:45 · 已解除 T+13:45', '范围: 江北', '原因: 3小时雨量 30 mm，6小时 34 mm，12小时 52 mm']);
    // Screens for a trainer to judge: the players' window with a warning's details open (the console hidden).
    app.style.display = 'none';
    await until(() => (player as unknown as { baseMap?: unknown }).baseMap, 'the players\' base map', 60_000);
    const screens = async (lang: string) => {
      for (const [width, height] of [[1440, 900], [1024, 768]]) {
        await page.viewport(width, height);
        await new Promise((r) => setTimeout(r, 300));
        await page.screenshot({ path: `../../test-results/screens/player-warning-${width}x${height}-${lang}.png` });
      }
    };
    await screens('zh-CN');
    // In English when the console is: the details follow the picture's language.
    internals.uiLang = 'en';
    await app.updateComplete;
    await until(() => (proot.querySelector('h1')?.textContent?.includes('Players') ? true : undefined), 'the players\' view in English');
    await player.updateComplete;
    expect(lines()).toEqual(['warning · Rainstorm blue', '● blue · Issued T+12:45 · lifted T+13:45', 'Areas: Jiangbei', 'Cause: rain 30 mm in 3 h, 34 mm in 6 h, 52 mm in 12 h']);
    await screens('en');
    app.style.display = '';
    await page.viewport(1440, 900);
    internals.uiLang = 'zh-CN';
    await app.updateComplete;

    // Back in time and in English: the players' picture follows.
    await seek(0.5);
    internals.uiLang = 'en';
    await app.updateComplete;
    await until(() => (proot.querySelector('.clock')?.textContent?.includes('T+0:30') ? true : undefined), 'the players\' clock at T+0:30');
    expect(delivered()).toEqual([]);
    // Before the warning was issued, its details are not there to see.
    await until(() => (proot.querySelector('.warning-detail') ? undefined : true), 'the details to leave with their warning');
    // The seek and the language switch go out as two pictures: the clock can arrive before the language.
    await until(() => (proot.querySelector('h1')?.textContent?.includes('Players') ? true : undefined), 'the players\' view in English');
    expect(proot.querySelector('h1')!.textContent).toContain('Players');
    expect(proot.querySelector('.briefing')!.textContent).toContain('Briefing');
    expect(proot.querySelector('.briefing')!.textContent).toContain('A three-day rainstorm');
  }, 120_000);
});
