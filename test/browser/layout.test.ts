// The drill console at the screens trainers bring (1024×768 projectors, 1280×720 laptops, 1440×900):
// the timeline stays one row, nothing runs off the window, the header and the tabs fit, and the
// map's legend and details box do not cover each other. Screenshots of each size in both
// languages at the storm's peak are kept in test-results/screens/ for a person to judge.
import { afterEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import '../../web/app.ts';
import type { SandtableApp } from '../../web/app.ts';
import type { RegionMap } from '../../web/components/region-map.ts';
import type { Lang } from '../../web/i18n.ts';
import { until } from './until.ts';

afterEach(async () => {
  document.body.innerHTML = '';
  await page.viewport(1440, 900);
});

const SIZES: [number, number][] = [[1024, 768], [1280, 720], [1440, 900]];

type Internals = { uiLang: Lang; computing: boolean; result?: { run: { risk: { changes: { item: string; t_s: number; to: number }[] } } } };

const settle = async (app: SandtableApp) => {
  await app.updateComplete;
  await new Promise((r) => setTimeout(r, 250));
};

/** Rectangles that share area (touching edges do not count). */
const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;

function layoutProblems(app: SandtableApp, width: number, height: number, selectedAt?: [number, number]): string[] {
  const root = app.shadowRoot!;
  const problems: string[] = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > width) problems.push(`the page is ${doc.scrollWidth} px wide in a ${width} px window`);
  if (app.getBoundingClientRect().bottom > height + 1) problems.push(`the app runs below the window (${app.getBoundingClientRect().bottom} > ${height})`);
  const bar = root.querySelector('timeline-bar')!;
  const parts = [...bar.shadowRoot!.children].filter((e) => e instanceof HTMLElement && e.localName !== 'style' && e.getBoundingClientRect().width > 0) as HTMLElement[];
  const rows = new Set(parts.map((e) => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2)));
  const centres = [...rows];
  if (Math.max(...centres) - Math.min(...centres) > 6) problems.push(`the timeline wraps: ${parts.map((e) => `${e.localName}@${Math.round(e.getBoundingClientRect().top)}`).join(' ')}`);
  for (const e of parts) if (e.getBoundingClientRect().right > width + 1) problems.push(`timeline ${e.localName} is cut at the right edge`);
  // A label broken over lines inside a button is a wrapped timeline too.
  for (const b of bar.shadowRoot!.querySelectorAll('button')) if (b.getBoundingClientRect().height > 40) problems.push(`timeline button "${b.textContent!.trim()}" wraps its text`);
  const header = root.querySelector('header')!;
  for (const e of header.children) {
    const r = e.getBoundingClientRect();
    if (r.right > width + 1) problems.push(`header ${e.localName}.${e.className} is cut at the right edge`);
    if (e.localName !== 'span' && e.scrollWidth > e.clientWidth + 1 && e.localName !== 'select') problems.push(`header ${e.localName} clips its text`);
  }
  const tabs = root.querySelector('.tabs')!;
  if (tabs.scrollWidth > tabs.clientWidth + 1) problems.push(`the tabs do not fit (${tabs.scrollWidth} > ${tabs.clientWidth})`);
  const status = header.querySelector('.status')!;
  if (status.scrollWidth > status.clientWidth + 1 || status.getBoundingClientRect().right > width + 1) problems.push(`the run's status "${status.textContent}" is clipped`);
  const legend = root.querySelector('.legend');
  const detail = root.querySelector('.detail');
  if (legend && detail && overlap(legend.getBoundingClientRect(), detail.getBoundingClientRect())) problems.push('the details box covers the legend');
  const map = root.querySelector('region-map')!.getBoundingClientRect();
  if (detail) {
    // Compact: the box leaves most of the map to see, and never the place it describes.
    const box = detail.getBoundingClientRect();
    const share = (box.width * box.height) / (map.width * map.height);
    if (share > 0.3) problems.push(`the details box covers ${Math.round(share * 100)} % of the map`);
    if (selectedAt) {
      const [x, y] = [map.left + selectedAt[0], map.top + selectedAt[1]];
      if (x >= box.left && x <= box.right && y >= box.top && y <= box.bottom) problems.push('the details box hides the item it describes');
    }
  }
  if (map.width < 400 || map.height < 300) problems.push(`the map is ${Math.round(map.width)}×${Math.round(map.height)} px`);
  return problems;
}

describe('layout at the trainers\' screen sizes', () => {
  it('1024×768, 1280×720 and 1440×900 in Chinese and English: one-row timeline, nothing cut, a compact details box clear of the legend and of its item', async () => {
    const app = document.createElement('sandtable-app');
    document.body.append(app);
    const internals = app as unknown as Internals;
    await until(() => (!internals.computing && internals.result ? true : undefined), 'the storm to be computed', 90_000);
    const slider = app.shadowRoot!.querySelector('timeline-bar')!.shadowRoot!.querySelector('input[type=range]') as HTMLInputElement;
    slider.value = String(42 * 3600); // the storm's peak: red warnings, flood extent, failed slopes
    slider.dispatchEvent(new Event('change'));
    const red = internals.result!.run.risk.changes.find((c) => c.t_s <= 42 * 3600 && c.to === 4)!;
    app.shadowRoot!.querySelector('region-map')!.dispatchEvent(new CustomEvent('feature-select', { detail: { id: red.item, kind: 'item' }, bubbles: true, composed: true }));
    const found: string[] = [];
    for (const [width, height] of SIZES) {
      await page.viewport(width, height);
      for (const lang of ['zh-CN', 'en'] as const) {
        internals.uiLang = lang;
        await settle(app);
        const item = (app as unknown as { items: { id: string; x_m: number; y_m: number }[] }).items.find((i) => i.id === red.item)!;
        const selectedAt = (app.shadowRoot!.querySelector('region-map') as RegionMap).screenPosition(item.x_m, item.y_m);
        found.push(...layoutProblems(app, width, height, selectedAt).map((p) => `${width}×${height} ${lang}: ${p}`));
        await page.screenshot({ path: `../../test-results/screens/layout-${width}x${height}-${lang}.png` });
      }
    }
    expect(found).toEqual([]);
  }, 120_000);
});
