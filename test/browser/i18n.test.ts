// Everything a trainer or player reads is in the UI's language (issue 17): every panel of the storm
// (with a due notice, warnings, an item's, a reach's and a district's details) and of the fire day,
// and the printable after-action report, walked in Chinese and in English. In Chinese no Latin
// word may show but units, ids and named methods; in English no Chinese character at all.
import { afterEach, describe, expect, it } from 'vitest';
import '../../web/app.ts';
import type { SandtableApp } from '../../web/app.ts';
import { aarReportHtml } from '../../web/aar-report.ts';
import type { Lang } from '../../web/i18n.ts';
import { until } from './until.ts';
import { untranslatedInChinese, untranslatedInEnglish, visibleText, type Seen } from './visible-text.ts';

afterEach(() => { document.body.innerHTML = ''; });

const settle = async (app: SandtableApp) => {
  await app.updateComplete;
  await new Promise((r) => setTimeout(r, 150));
};

type Internals = {
  uiLang: Lang; computing: boolean; result?: { run: { gauges: { id: string; reach: string }[]; risk: { changes: { item: string; t_s: number; to: number }[] } } };
  manifest: { districts: { id: string; centre_m: [number, number] }[] }; injects: never[]; record(): never;
};

function check(lang: Lang, seen: Seen[]): void {
  const bad = lang === 'zh-CN' ? untranslatedInChinese(seen) : untranslatedInEnglish(seen);
  expect(bad.map((s) => `${s.text}  @${s.where}`), `untranslated in ${lang}`).toEqual([]);
}

async function seek(app: SandtableApp, hours: number): Promise<void> {
  const slider = app.shadowRoot!.querySelector('timeline-bar')!.shadowRoot!.querySelector('input[type=range]') as HTMLInputElement;
  slider.value = String(hours * 3600);
  slider.dispatchEvent(new Event('change'));
  await settle(app);
}

/** Every tab, and the details box over the map for each feature given. */
async function walk(app: SandtableApp, lang: Lang, features: (() => void)[]): Promise<Seen[]> {
  const internals = app as unknown as Internals;
  internals.uiLang = lang;
  await settle(app);
  const seen: Seen[] = [];
  const tabs = [...app.shadowRoot!.querySelectorAll('[role=tab]')] as HTMLElement[];
  expect(tabs).toHaveLength(7);
  for (const tab of tabs) {
    tab.click();
    await settle(app);
    seen.push(...visibleText(app, lang));
  }
  tabs[0].click();
  for (const show of features) {
    show();
    await settle(app);
    seen.push(...visibleText(app, lang));
  }
  return seen;
}

describe('every player-facing string in the UI\'s language', () => {
  it('the storm: every panel, a due notice, warnings and feature details; and the printed report', async () => {
    const app = document.createElement('sandtable-app');
    document.body.append(app);
    const internals = app as unknown as Internals;
    await until(() => (!internals.computing && internals.result ? true : undefined), 'the storm to be computed', 90_000);
    await seek(app, 0.75);
    (app.shadowRoot!.querySelector('timeline-bar')!.shadowRoot!.querySelectorAll('button')[1] as HTMLButtonElement).click(); // step over I1's time
    await settle(app);
    expect(app.shadowRoot!.querySelector('.due-alerts')).not.toBeNull();
    await seek(app, 42);
    const run = internals.result!.run;
    const map = app.shadowRoot!.querySelector('region-map')!;
    const select = (detail: unknown, type = 'feature-select') => () => map.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
    const red = run.risk.changes.find((c) => c.t_s <= 42 * 3600 && c.to === 4)!;
    const outlet = run.gauges.find((g) => g.id === 'G-outlet')!;
    const centre = internals.manifest.districts.find((d) => d.id === 'yuzhong')!.centre_m;
    const features = [select({ id: red.item, kind: 'item' }), select({ id: outlet.reach, kind: 'reach' }), select({ x: centre[0], y: centre[1] }, 'map-click')];

    for (const lang of ['zh-CN', 'en'] as const) {
      const seen = await walk(app, lang, features);
      // The walk saw the content that used to stay English: inject titles, warning reasons, districts, categories.
      expect(seen.length).toBeGreaterThan(300);
      check(lang, seen);
      const report = aarReportHtml(internals.record(), {
        lang, title: lang === 'zh-CN' ? '山城暴雨' : 'storm', manifest: internals.manifest as never, injects: internals.injects, timeAt: (tS) => `T+${tS}`,
      });
      const page = new DOMParser().parseFromString(report, 'text/html');
      expect(page.documentElement.lang).toBe(lang);
      check(lang, visibleText(page.body, lang).concat({ text: page.title, where: 'title' }));
    }
  }, 180_000);

  it('the fire day: the scenario panel with the fire\'s legend and a burning cell\'s details', async () => {
    const app = document.createElement('sandtable-app');
    document.body.append(app);
    const internals = app as unknown as Internals & { result?: { fireCells?: { arrivalS: Float64Array } }; manifest: { grid: { ncols: number; nrows: number; xllcorner: number; yllcorner: number; cellsize_m: number } } };
    await until(() => (!internals.computing && internals.result ? true : undefined), 'the storm to be computed', 90_000);
    const menu = app.shadowRoot!.querySelector('select.scenario-title') as HTMLSelectElement;
    menu.value = '3';
    menu.dispatchEvent(new Event('change'));
    await until(() => (!internals.computing && internals.result?.fireCells ? true : undefined), 'the fire day to be computed', 90_000);
    await seek(app, 6);
    const cells = internals.result!.fireCells!;
    const burning = cells.arrivalS.findIndex((a) => a < 6 * 3600);
    const g = internals.manifest.grid;
    const x = g.xllcorner + ((burning % g.ncols) + 0.5) * g.cellsize_m;
    const y = g.yllcorner + (g.nrows - Math.floor(burning / g.ncols) - 0.5) * g.cellsize_m;
    const map = app.shadowRoot!.querySelector('region-map')!;
    const clickFire = () => map.dispatchEvent(new CustomEvent('map-click', { detail: { x, y }, bubbles: true, composed: true }));
    for (const lang of ['zh-CN', 'en'] as const) {
      const seen = await walk(app, lang, [clickFire]);
      expect(seen.some((s) => s.where.includes('.detail'))).toBe(true);
      check(lang, seen);
    }
  }, 180_000);
});
