// The players' window (`?view=player`, issue 17): kept in step with the trainer's console over a
// BroadcastChannel, it shows the clock, the injects delivered so far, the warnings issued and the
// map without forecast layers (no flood extent, no rain grid, no modelled slope failures), and no
// control of the exercise. Both run here in one page: each has its own channel, as two windows do.
import { afterEach, describe, expect, it } from 'vitest';
import '../../web/app.ts';
import '../../web/player-view.ts';
import type { SandtableApp } from '../../web/app.ts';
import type { RegionMap } from '../../web/components/region-map.ts';
import type { PlayerView } from '../../web/player-view.ts';
import { SLOPE_FAILED_COLOUR } from '../../web/scenario-overlay.ts';
import { until } from './until.ts';

afterEach(() => { document.body.innerHTML = ''; });

type Internals = { computing: boolean; result?: { run: { warnings: { t_s: number }[] } }; clockSnapshot: { timeS: number }; uiLang: string };

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

    // Back in time and in English: the players' picture follows.
    await seek(0.5);
    internals.uiLang = 'en';
    await app.updateComplete;
    await until(() => (proot.querySelector('.clock')?.textContent?.includes('T+0:30') ? true : undefined), 'the players\' clock at T+0:30');
    expect(delivered()).toEqual([]);
    // The seek and the language switch go out as two pictures: the clock can arrive before the language.
    await until(() => (proot.querySelector('h1')?.textContent?.includes('Players') ? true : undefined), 'the players\' view in English');
    expect(proot.querySelector('h1')!.textContent).toContain('Players');
    expect(proot.querySelector('.briefing')!.textContent).toContain('Briefing');
    expect(proot.querySelector('.briefing')!.textContent).toContain('A three-day rainstorm');
  }, 120_000);
});
