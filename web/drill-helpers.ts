// What the console works out from the scenario and the run without state of its own: the engine
// actions a decision or an inject can start from, the fire breaks in place, and what a map click
// lands on (a cell the fire reaches, else a district). Plain functions, tested through the app.
import { decisionInjects, type Decision } from '../models/scenario/aar.ts';
import type { Inject } from '../models/scenario/injects.ts';
import type { RegionItem, RegionManifest } from '../models/scenario/region.ts';
import { districtLevels, levelsAt } from '../models/scenario/timeline.ts';
import { districtName, injectText } from './content-text.ts';
import type { FireCells, PageRun } from './engine.worker.ts';
import { translate, type Lang } from './i18n.ts';
import { levelName } from './levels.ts';
import type { MapOverlay } from './components/region-map.ts';
import type { MapLayers } from './map-legend.ts';
import { scenarioOverlay } from './scenario-overlay.ts';
import { districtLabels } from './shipped.ts';
import { elapsedText } from './time-format.ts';

export interface TemplateSource { manifest?: RegionManifest; items: readonly RegionItem[]; injects: readonly Inject[]; decisions: readonly Decision[]; run?: PageRun }

/** Ready-made engine actions a decision can take, filled from this scenario and run. */
export function decisionTemplates(s: TemplateSource): Record<string, unknown> {
  const districts = s.manifest?.districts.map((d) => d.id) ?? [];
  const release = s.injects.find((i) => i.action?.type === 'dam-release')?.action;
  const barrier = s.injects.find((i) => i.action?.type === 'barrier')?.action;
  const lifts = [...(s.run?.warnings ?? []), ...s.decisions.map((d) => d.action).filter((a) => a?.type === 'warning-issue') as { id?: string }[]]
    .filter((w) => (w as { source?: string }).source !== 'rule' && w.id);
  const next = s.decisions.length + 1;
  return {
    'warning-issue': { type: 'warning-issue', id: `W-DEC-${next}`, hazard: s.run?.fire ? 'forest-fire' : 'flood', level: 3, areas: districts.slice(0, 1) },
    'warning-lift': { type: 'warning-lift', id: lifts.at(-1)?.id ?? 'W-…' },
    'dam-release': release ?? { type: 'dam-release', reservoir: 'clear-creek-dam', m3_per_s: 500, duration_s: 21600 },
    barrier: barrier ?? { type: 'barrier', polyline_m: [[646400, 3271500], [647400, 3278500]] },
    evacuation: { type: 'evacuation', areas: districts.slice(0, 1) },
  };
}

/** Every model change the MSEL editor can start from: the decisions' actions and the trainer's own. */
export function mselTemplates(s: TemplateSource): Record<string, unknown> {
  const districts = s.manifest?.districts.map((d) => d.id) ?? [];
  const item = s.items[0]?.id ?? 'WL-001';
  const ignition = s.injects.find((i) => i.action?.type === 'ignition')?.action;
  return {
    rain: { type: 'rain', factor: 1.5, areas: districts.slice(0, 1), duration_s: 10800 },
    ignition: ignition ?? { type: 'ignition', x_m: 645200, y_m: 3274500 },
    'sensor-reading': { type: 'sensor-reading', item, factor: 'depth_cm', value: 35 },
    ...decisionTemplates(s),
  };
}

/** Fire breaks and barriers in place by `tS` (MSEL or decisions), as the crews cut them. */
export function barriersAt(run: PageRun, injects: readonly Inject[], decisions: readonly Decision[], tS: number): [number, number][][] {
  return barrierInjectsAt(run, injects, decisions, tS).map((b) => b.path);
}

/** The same, with the inject (or decision's inject, `DEC-D1`) that cut each and when. */
export function barrierInjectsAt(run: PageRun, injects: readonly Inject[], decisions: readonly Decision[], tS: number): { inject: Inject; t_s: number; path: [number, number][] }[] {
  const engineInjects = [...injects, ...decisionInjects(decisions)];
  return run.delivered.filter((d) => d.t_s <= tS).flatMap((d) => {
    const inject = engineInjects.find((i) => i.id === d.id);
    const action = inject?.action as { type?: string; polyline_m?: [number, number][] } | undefined;
    return inject && action?.type === 'barrier' && Array.isArray(action.polyline_m) ? [{ inject, t_s: d.t_s, path: action.polyline_m }] : [];
  });
}

/** What the map names a barrier by when the keyboard reaches it: kind, inject, title, since when. */
export function barrierLabel(id: string, run: PageRun | undefined, injects: readonly Inject[], decisions: readonly Decision[], tS: number, lang: Lang): string {
  const barrier = run ? barrierInjectsAt(run, injects, decisions, tS).find((b) => b.inject.id === id) : undefined;
  if (!barrier) return id;
  return [translate(lang, 'fireBreakLine'), id, injectText(barrier.inject, 'title', lang), elapsedText(barrier.t_s)].join(' · ');
}

/** The region cell at a map point, when the fire reaches it within the scenario. */
export function fireCellAt(cells: FireCells | undefined, g: RegionManifest['grid'] | undefined, x: number, y: number): number | undefined {
  if (!cells || !g) return undefined;
  const col = Math.floor((x - g.xllcorner) / g.cellsize_m);
  const row = g.nrows - 1 - Math.floor((y - g.yllcorner) / g.cellsize_m);
  if (col < 0 || row < 0 || col >= g.ncols || row >= g.nrows) return undefined;
  const cell = row * g.ncols + col;
  return Number.isFinite(cells.arrivalS[cell]) ? cell : undefined;
}

/** The district whose outline holds a map point (even-odd rule). */
export function districtAt(outlines: ReadonlyMap<string, [number, number][]>, x: number, y: number): string | undefined {
  const inside = (ring: [number, number][]) => {
    let odd = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]; const [xj, yj] = ring[j];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
    }
    return odd;
  };
  return [...outlines].find(([, ring]) => inside(ring))?.[0];
}

/**
 * What the map names to the keyboard, in the UI's language: a risk item's id, name and level at `tS`,
 * or a district under a warning with the warning's level.
 */
export function itemLabel(id: string, items: readonly RegionItem[], run: PageRun | undefined, tS: number, lang: Lang, manifest?: RegionManifest): string {
  const district = run && manifest?.districts.some((d) => d.id === id) ? districtLevels(run.warnings, tS).get(id) : undefined;
  if (district) return `${districtName(manifest, id, lang)} · ${translate(lang, 'warning')} ${levelName(lang, district)}`;
  const item = items.find((i) => i.id === id);
  const level = run ? levelsAt(run, tS, [id]).get(id) : undefined;
  return [id, item ? (lang === 'zh-CN' ? item.name_zh : item.name) : '', level ? levelName(lang, level) : ''].filter((x) => x).join(' · ');
}

/** What the drill's map needs at the clock, from the app's state. */
export interface DrillPictureSource {
  run: PageRun | undefined; whatIfRun: PageRun | undefined; manifest: RegionManifest | undefined; items: readonly RegionItem[];
  outlines: Map<string, [number, number][]>; injects: readonly Inject[]; decisions: readonly Decision[]; layers: MapLayers;
  levels: Map<string, number>; nowS: number; lang: Lang;
}

/**
 * The drill's map at the clock: the base run, or the what-if's when the trainer shows it on the
 * map, with the fire breaks and barriers in place by now (drawn as the crews cut them) and the
 * district names in the UI's language.
 */
export function drillOverlay(source: DrillPictureSource): { mapRun: PageRun | undefined; overlay: MapOverlay | undefined } {
  const { run, manifest, items, nowS } = source;
  const mapRun = source.whatIfRun ?? run;
  if (!mapRun || !manifest) return { mapRun, overlay: undefined };
  const levels = mapRun === run ? source.levels : levelsAt(mapRun, nowS, items.map((i) => i.id));
  const overlay = scenarioOverlay(mapRun, manifest, items, source.outlines, levels, nowS,
    { slopes: source.layers.layers.slopes, rasters: source.layers.rasters(mapRun, nowS, manifest) });
  for (const { inject, path } of barrierInjectsAt(mapRun, source.injects, source.decisions, nowS)) overlay.lines.push({ path, colour: '#4a235a', width: 4, id: inject.id, kind: 'barrier' });
  overlay.labels = districtLabels(manifest, source.lang);
  return { mapRun, overlay };
}
