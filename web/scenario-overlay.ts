// What the map draws over the base map at one scenario time: districts shaded by their highest
// active warning, rivers by flow against warning flow, risk items by level.
import { districtLevels, valueAt } from '../models/scenario/timeline.ts';
import type { RegionItem, RegionManifest } from '../models/scenario/region.ts';
import { rainMapPixels, type RainMap } from '../models/scenario/rain-map.ts';
import type { PageRun } from './engine.worker.ts';
import type { MapOverlay } from './components/region-map.ts';
import { LEVEL_COLOURS } from './levels.ts';

const FLOW_COLOURS = ['#2f6fb0', '#1f4e8c', '#e67e22', '#c0392b'];

/** Colour of slope blocks whose factor of safety has fallen below 1. */
export const SLOPE_FAILED_COLOUR = '#6e2c00';

/** Colour of the fire's earlier fronts, one an hour (isochrones of arrival time). */
export const FIRE_ISOCHRONE_COLOUR = '#7b2d26';

/** Which layers are on; rasters (rain, flood extent) come rendered, bottom first. */
export interface OverlayLayers { rasters?: NonNullable<MapOverlay['rasters']>; slopes: boolean }

export function scenarioOverlay(
  run: PageRun, manifest: RegionManifest, items: readonly RegionItem[], outlines: Map<string, [number, number][]>,
  levels: Map<string, number>, tS: number, layers: OverlayLayers = { slopes: true },
): MapOverlay {
  const areas = [...districtLevels(run.warnings, tS)].map(([district, level]) => ({
    ring: outlines.get(district) ?? [], fill: `${LEVEL_COLOURS[level]}2e`, stroke: `${LEVEL_COLOURS[level]}55`, id: district,
  })) as MapOverlay['areas'];
  // Slope blocks that have failed by t (FS < 1 since their first-failure time).
  const slopes = run.slopeGrid;
  if (layers.slopes && slopes) {
    const { ncols, nrows, xllcorner, yllcorner, cellsize } = slopes.firstBelow1S;
    slopes.firstBelow1S.values.forEach((first, i) => {
      if (!(first <= tS)) return;
      const x = xllcorner + (i % ncols) * cellsize; const y = yllcorner + (nrows - 1 - Math.floor(i / ncols)) * cellsize;
      areas.push({ ring: [[x, y], [x + cellsize, y], [x + cellsize, y + cellsize], [x, y + cellsize]], fill: `${SLOPE_FAILED_COLOUR}bb`, stroke: `${SLOPE_FAILED_COLOUR}00` });
    });
  }
  const route = run.route;
  const lines: MapOverlay['lines'] = !route ? [] : manifest.reaches.map((reach) => {
    const flow = valueAt(route.reaches[reach.id].outflow_m3_per_s, run.grid.stepS, tS);
    const ratio = flow / run.warningFlowByReach[reach.id];
    const colour = FLOW_COLOURS[ratio >= 1.3 ? 3 : ratio >= 1 ? 2 : ratio >= 0.5 ? 1 : 0];
    // Width grows with the logarithm of flow: creeks stay visible beside the great river.
    return { id: reach.id, path: reach.path_m, colour, width: Math.max(1, Math.min(9, 0.8 + 1.1 * Math.log10(1 + flow))) };
  });
  // The fire's edge at the last step end before t, over the rivers and under the items; under it
  // the edge at every whole hour before, so the spacing shows where the fire ran fast.
  const fire = run.fire;
  const step = Math.min(Math.floor(tS / run.grid.stepS), fire?.perimeters.length ?? 0) - 1;
  if (fire && step >= 0) {
    for (let j = 0; j < step; j++) {
      if (((j + 1) * run.grid.stepS) % 3600 !== 0) continue;
      for (const path of fire.perimeters[j]) lines.push({ path: path as [number, number][], colour: FIRE_ISOCHRONE_COLOUR, width: 1.2 });
    }
    for (const path of fire.perimeters[step]) lines.push({ path: path as [number, number][], colour: '#ff3d00', width: 2.5 });
  }
  const points = items.map((item) => {
    const level = levels.get(item.id) ?? 1;
    return { id: item.id, x: item.x_m, y: item.y_m, colour: LEVEL_COLOURS[level], radius: level >= 3 ? 5.5 : 4 };
  });
  return { areas, lines, points, ...(layers.rasters?.length ? { rasters: layers.rasters } : {}) };
}

const drawnRain = new WeakMap<HTMLCanvasElement, { map: RainMap; period: number }>();

/**
 * The rain layer at time t: the rain map's period holding t, one pixel per block, drawn into
 * `canvas` (reused, so stepping through an hour repaints nothing).
 */
export function rainLayer(map: RainMap, tS: number, canvas: HTMLCanvasElement): NonNullable<MapOverlay['rasters']>[number] {
  const period = Math.max(0, Math.min(map.periods - 1, Math.floor(tS / map.periodS)));
  const drawn = drawnRain.get(canvas);
  if (drawn?.map !== map || drawn.period !== period) {
    canvas.width = map.ncols;
    canvas.height = map.nrows;
    canvas.getContext('2d')!.putImageData(new ImageData(rainMapPixels(map, period), map.ncols, map.nrows), 0, 0);
    drawnRain.set(canvas, { map, period });
  }
  // Translucent: at the storm's peak the rain would otherwise hide the warnings and the flood under it.
  return { image: canvas, cols: map.ncols * map.blockCells, rows: map.nrows * map.blockCells, smooth: true, alpha: 0.6 };
}
