// River flood → inundation depth over the land, by height above nearest drainage (HAND): a cell
// floods when its reach's water rises above bankfull by more than the cell stands above the stream
// it drains to. The channel holds bankfull flow; the excess spreads over the floodplain.
// A first-order map (no backwater from the main river into creeks, no levees): what the centre
// needs to see which blocks go under, and how many people and buildings are in them.
import type { RouteOutput } from '../flood/route.ts';
import type { Grid } from '../grid/ascii.ts';
import { dmath } from '../dmath.ts';
import { GEOMETRY, normalDepthM, type FloodSetup } from './flood-coupling.ts';
import type { RegionData } from './region.ts';

/** Water at least this deep counts as flooded for people and buildings (wading becomes unsafe). */
export const FLOODED_DEPTH_M = 0.3;

export interface Inundation {
  /** Deepest water over each cell during the run, m (0 dry; NaN on rivers, the reservoir, outside every sub-basin). */
  maxDepthM: Float32Array;
  floodedAreaKm2: number;
  people: number;
  buildings: number;
}

/**
 * Over the banks the water spreads across the floodplain (the divided-channel method: the channel
 * carries bankfull flow, the floodplain the rest as a wide Manning section). Its width and
 * roughness are this project's assumptions for the reference city's valleys: ten times the
 * channel's bankfull top width, n = 0.06 (trees, fields, streets).
 */
export const FLOODPLAIN = { widthPerChannelWidth: 10, manningN: 0.06 } as const;

/** How far each reach's water stands above its bankfull level at its peak, m. */
export function peakExcessStageM(region: RegionData, route: RouteOutput, setup: FloodSetup): Float64Array {
  return Float64Array.from(region.manifest.reaches, (reach) => {
    const h = setup.hydraulics.get(reach.id)!;
    const overbank = (route.reaches[reach.id]?.peak_m3_per_s ?? 0) - h.bankfullM3PerS;
    if (!(overbank > 0)) return 0;
    const topWidth = h.bottomWidthM + 2 * GEOMETRY.sideSlope * normalDepthM(h, h.bankfullM3PerS, setup.manningN);
    const width = FLOODPLAIN.widthPerChannelWidth * topWidth;
    // Wide section: Q = (1/n) W y^(5/3) √S, solved for y.
    return dmath.pow((FLOODPLAIN.manningN * overbank) / (width * Math.sqrt(Math.max(h.slope, 1e-5))), 0.6);
  });
}

export function floodInundation(region: RegionData, excessStageM: Float64Array): Inundation {
  const { basins, hand, landcover, population, buildings } = region;
  const water = [region.manifest.landcover_codes.river, region.manifest.landcover_codes.reservoir];
  const maxDepthM = new Float32Array(basins.values.length);
  const cellKm2 = (region.manifest.grid.cellsize_m ** 2) / 1e6;
  let flooded = 0; let people = 0; let houses = 0;
  for (let i = 0; i < maxDepthM.length; i++) {
    const basin = basins.values[i];
    const height = hand.values[i];
    if (!(basin >= 0) || Number.isNaN(height) || water.includes(landcover.values[i])) { maxDepthM[i] = NaN; continue; }
    const depth = Math.max(0, excessStageM[basin] - height);
    maxDepthM[i] = depth;
    if (depth >= FLOODED_DEPTH_M) {
      flooded++;
      people += population.values[i] > 0 ? population.values[i] : 0;
      houses += buildings.values[i] > 0 ? buildings.values[i] : 0;
    }
  }
  return { maxDepthM, floodedAreaKm2: flooded * cellKm2, people: Math.round(people), buildings: Math.round(houses) };
}

/** The depth grid as the region's grid, for `run --out` (centimetre precision). */
export function depthGrid(region: RegionData, depth: Float32Array): Grid {
  const { ncols, nrows, xllcorner, yllcorner, cellsize_m } = region.manifest.grid;
  return { ncols, nrows, xllcorner, yllcorner, cellsize: cellsize_m, nodata: -9999, values: Float64Array.from(depth, (d) => Math.round(d * 100) / 100) };
}
