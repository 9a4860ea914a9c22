// Starter scenarios for a built region (`region scenario DIR --template storm|fire`): a valid
// scenario a newcomer runs at once and then edits. The storm is a 24-hour design storm over all
// the region's districts; the fire starts on the region's most flammable ridge.
import { parseAsciiGrid } from '../../grid/ascii.ts';
import { REGION_GRIDS, type RegionData, type RegionManifest } from '../../scenario/region.ts';

/** What the fire's ignition is chosen from: the grid's geometry, its fuel models and HAND. */
export type RidgeRegion = Pick<RegionData, 'manifest' | 'fuel' | 'hand'>;

/**
 * 24 hourly rain rates (mm/h), 200 mm in all, peaking in hour 10: an alternating-block design
 * hyetograph (Chow, Maidment & Mays 1988, §14.4) of this project's choosing, of the order of a
 * 50–100-year daily rainfall in south-west China.
 */
export const DESIGN_STORM_MM_PER_H = [2, 2, 3, 3, 4, 5, 6, 8, 12, 18, 30, 24, 16, 11, 9, 7, 6, 5, 4, 4, 3, 3, 2, 2, 0];

/**
 * Burnable fuel models, most flammable first (Scott & Burgan 2005 spread rates in their
 * reference conditions, highest first among the models a region builder writes): SH5 145,
 * TU5 165, TL8 188, GR2 102, GR1 101; Anderson 4 (chaparral) leads the Anderson set.
 */
const FLAMMABILITY = [4, 145, 147, 165, 188, 2, 102, 101];

/** The ignition cell: the most flammable fuel present, on its highest ground above the drainage (a ridge). */
export function flammableRidge(region: RidgeRegion): { x_m: number; y_m: number; fuel: number } | undefined {
  const { grid } = region.manifest;
  const fuels = region.fuel.values; const hand = region.hand.values;
  for (const fuel of FLAMMABILITY) {
    let best = -1; let bestHand = -Infinity;
    for (let i = 0; i < fuels.length; i++) {
      const r = Math.floor(i / grid.ncols); const c = i % grid.ncols;
      // Not on the edge: a fire there would leave the grid at once.
      if (fuels[i] !== fuel || r < 3 || c < 3 || r >= grid.nrows - 3 || c >= grid.ncols - 3) continue;
      const h = Number.isNaN(hand[i]) ? -1 : hand[i];
      if (h > bestHand) { bestHand = h; best = i; }
    }
    if (best >= 0) {
      const c = best % grid.ncols; const r = Math.floor(best / grid.ncols);
      return { x_m: grid.xllcorner + (c + 0.5) * grid.cellsize_m, y_m: grid.yllcorner + (grid.nrows - r - 0.5) * grid.cellsize_m, fuel };
    }
  }
  // Any burnable cell (fuel models 1–13 and 101–204) as a last resort.
  const i = Array.from(fuels).findIndex((f) => (f >= 1 && f <= 13) || (f >= 101 && f <= 204));
  if (i < 0) return undefined;
  return { x_m: grid.xllcorner + ((i % grid.ncols) + 0.5) * grid.cellsize_m, y_m: grid.yllcorner + (grid.nrows - Math.floor(i / grid.ncols) - 0.5) * grid.cellsize_m, fuel: fuels[i] };
}

// Only the manifest: a region just built in a worker has no parsed grids to hand over.
function base(region: Pick<RegionData, 'manifest'>, regionPath: string, kind: 'storm' | 'fire') {
  const name = (region.manifest as { name?: string }).name ?? 'the region';
  const nameZh = (region.manifest as { name_zh?: string }).name_zh || name;
  return {
    schema: 'sandtable.scenario/1',
    id: `${kind}-starter`,
    title: kind === 'storm' ? `Design storm over ${name} (24 h)` : `Fire on the most flammable ridge of ${name} (12 h)`,
    title_zh: kind === 'storm' ? `${nameZh}设计暴雨（24小时）` : `${nameZh}森林火险（12小时）`,
    description: 'Starter scenario written by `sandtable region scenario`: edit the forcing and add injects for your exercise.',
    region: regionPath,
  };
}

export function stormScenario(region: Pick<RegionData, 'manifest'>, regionPath: string) {
  const baseflow = (areaKm2: number) => 0.02 * areaKm2;
  return {
    ...base(region, regionPath, 'storm'),
    start_time: '2026-07-15T00:00:00+08:00', duration_s: 86400, step_s: 900, seed: 1, exercise: true,
    forcing: {
      rain: { period_s: 3600, mm_per_h: DESIGN_STORM_MM_PER_H.slice(0, 24), district_factors: Object.fromEntries(region.manifest.districts.map((d) => [d.id, 1])) },
      river_inflows: region.manifest.river_entries.filter((e) => e.reach).map((e) => ({
        river: e.river, period_s: 3600,
        // Baseflow rising to three times over the day: the upstream catchment's own flood wave.
        m3_per_s: Array.from({ length: 25 }, (_, h) => Math.round(baseflow(e.upstream_area_km2) * (1 + 2 * Math.max(0, 1 - Math.abs(h - 16) / 12)))),
      })),
      wind: [{ t_s: 0, speed_10m_m_per_s: 6, from_deg: 160 }],
      fuel_moisture_percent: { d1h: 18, d10h: 20, d100h: 22, live_herb: 120, live_woody: 150 },
    },
    models: { flood: { routing: 'muskingum-cunge', runoff: 'xinanjiang', manning_n: 0.035 }, landslide: { targets: 'slope-items', basal_boundary: 'finite' }, fire: { enabled: false } },
    injects: [
      { id: 'S1', sequence: 1, trigger: { type: 'time', t_s: 21600 }, kind: 'model-change', title: 'Rainstorm orange signal', description: 'Orange signal: 50 mm in 3 h expected.', from: 'Met Bureau', to: 'Duty officer',
        action: { type: 'warning-issue', id: 'W-RAIN-ORANGE', hazard: 'rainstorm', level: 3, area: 'all' }, expected_action: 'Raise the flood-control response', objective: 'O1 early warning' },
    ],
  };
}

export function fireScenario(region: Pick<RegionData, 'manifest'>, regionPath: string, at: { x_m: number; y_m: number }) {
  return {
    ...base(region, regionPath, 'fire'),
    start_time: '2026-08-18T11:00:00+08:00', duration_s: 43200, step_s: 600, seed: 1, exercise: true,
    forcing: {
      rain: { period_s: 3600, mm_per_h: new Array(12).fill(0) },
      wind: [{ t_s: 0, speed_10m_m_per_s: 6, from_deg: 300 }, { t_s: 21600, speed_10m_m_per_s: 8, from_deg: 250 }],
      // Hot, dry summer day (the shipped fire-summer.json's values).
      fuel_moisture_percent: { d1h: 4, d10h: 5, d100h: 7, live_herb: 45, live_woody: 75 },
    },
    models: { flood: { enabled: false }, landslide: { enabled: false }, fire: { spread: 'ellipse-minimum-travel-time' } },
    injects: [
      { id: 'F1', sequence: 1, trigger: { type: 'time', t_s: 1800 }, kind: 'model-change', title: 'Smoke reported on the ridge', description: 'A lookout reports smoke on the region\'s most flammable ridge.', from: 'Forest lookout', to: 'Forest-fire HQ',
        action: { type: 'ignition', x_m: Math.round(at.x_m * 100) / 100, y_m: Math.round(at.y_m * 100) / 100 }, expected_action: 'Dispatch crews; warn the districts downwind', objective: 'O1 initial attack' },
    ],
  };
}

/** A starter as `region scenario` writes it: one-space JSON and a final newline. */
export const starterText = (scenario: object) => JSON.stringify(scenario, null, 1) + '\n';

/** The starters beside a region built in the browser, named by template. */
export const STARTER_FILES = { storm: 'storm-starter.json', fire: 'fire-starter.json' } as const;

const gridText = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

/**
 * Both starters for a built region's files as bytes (region.json, fuel.asc, hand.asc), as the
 * browser's build worker has them, byte for byte as `region scenario DIR --template storm|fire`
 * writes them. The grids are parsed as that command reads them from disk, so the ignition is
 * found on the HAND grid as written (rounded), not on the builder's unrounded one. A region with
 * no burnable cell gets no fire starter (the command refuses to write one).
 */
export function starterFiles(files: Readonly<Record<string, Uint8Array>>, regionPath = 'region.json'): Record<string, Uint8Array> {
  const encoder = new TextEncoder();
  const manifest = JSON.parse(gridText(files['region.json'])) as RegionManifest;
  const out: Record<string, Uint8Array> = { [STARTER_FILES.storm]: encoder.encode(starterText(stormScenario({ manifest }, regionPath))) };
  const region: RidgeRegion = { manifest, fuel: parseAsciiGrid(gridText(files[REGION_GRIDS.fuel]), REGION_GRIDS.fuel), hand: parseAsciiGrid(gridText(files[REGION_GRIDS.hand]), REGION_GRIDS.hand) };
  const at = flammableRidge(region);
  if (at) out[STARTER_FILES.fire] = encoder.encode(starterText(fireScenario(region, regionPath, at)));
  return out;
}
