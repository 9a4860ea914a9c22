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
import { perRegion } from './region-memo.ts';

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

/**
 * Floodplain slopes below this are taken as this: the wide-section depth grows without bound as the
 * slope goes to 0 (on such flat ground backwater, not the local slope, sets the level). Built regions
 * floor reach slopes at 1e-4 (models/region/network.ts), so only a hand-made region meets it.
 */
export const MIN_FLOODPLAIN_SLOPE = 1e-5;

/** How far each reach's water stands above its bankfull level at its peak, m. */
export function peakExcessStageM(region: RegionData, route: RouteOutput, setup: FloodSetup): Float64Array {
  return Float64Array.from(region.manifest.reaches, (reach) => {
    const h = setup.hydraulics.get(reach.id)!;
    const overbank = (route.reaches[reach.id]?.peak_m3_per_s ?? 0) - h.bankfullM3PerS;
    if (!(overbank > 0)) return 0;
    const topWidth = h.bottomWidthM + 2 * GEOMETRY.sideSlope * normalDepthM(h, h.bankfullM3PerS, setup.manningN);
    const width = FLOODPLAIN.widthPerChannelWidth * topWidth;
    // Wide section: Q = (1/n) W y^(5/3) √S, solved for y.
    return dmath.pow((FLOODPLAIN.manningN * overbank) / (width * Math.sqrt(Math.max(h.slope, MIN_FLOODPLAIN_SLOPE))), 0.6);
  });
}

/**
 * The reaches over their banks whose slope was raised to MIN_FLOODPLAIN_SLOPE, and the cells their
 * water wetted: the depth there is what the floor gives, shallower than the true (backwater) one.
 */
export function floodplainSlopeFloor(
  region: { manifest: { reaches: readonly { id: string }[] }; basins: { values: ArrayLike<number> } },
  route: Pick<RouteOutput, 'reaches'>, setup: Pick<FloodSetup, 'hydraulics'>, maxDepthM: Float32Array,
): { reaches: string[]; cells: number } {
  const floored = region.manifest.reaches.map((reach) => {
    const h = setup.hydraulics.get(reach.id)!;
    return h.slope < MIN_FLOODPLAIN_SLOPE && (route.reaches[reach.id]?.peak_m3_per_s ?? 0) > h.bankfullM3PerS;
  });
  const reaches = region.manifest.reaches.filter((_, k) => floored[k]).map((r) => r.id);
  let cells = 0;
  if (reaches.length) for (let i = 0; i < maxDepthM.length; i++) if (floored[region.basins.values[i]] && maxDepthM[i] > 0) cells++;
  return { reaches, cells };
}

/** At most this many reach ids are named in the floor's warning; the count says how many. */
const FLOORED_IDS_NAMED = 10;

/** The floor's warning line (models/scenario/warning-codes.ts knows it as flood.floodplain_slope_floor). */
export function floodplainSlopeFloorLine({ reaches, cells }: { reaches: string[]; cells: number }): string | undefined {
  if (!reaches.length) return undefined;
  const ids = reaches.slice(0, FLOORED_IDS_NAMED).join(', ') + (reaches.length > FLOORED_IDS_NAMED ? ', …' : '');
  return `reaches over their banks flatter than ${MIN_FLOODPLAIN_SLOPE}: ${reaches.length} (${ids}); their floodplain depth was computed at slope ${MIN_FLOODPLAIN_SLOPE} (${cells} wetted cells), so it may be too shallow there`;
}

/**
 * Each cell's sub-basin where river water can stand on it, -1 where it never can (outside every
 * sub-basin, no HAND, river or reservoir): the same for every run on the region.
 */
function floodableBasins(region: RegionData): Int32Array {
  const { basins, hand, landcover } = region;
  const { river, reservoir } = region.manifest.landcover_codes;
  const basinOf = new Int32Array(basins.values.length);
  for (let i = 0; i < basinOf.length; i++) {
    const basin = basins.values[i];
    const land = basin >= 0 && !Number.isNaN(hand.values[i]) && landcover.values[i] !== river && landcover.values[i] !== reservoir;
    basinOf[i] = land ? basin : -1;
  }
  return basinOf;
}

/**
 * Depth over every cell into `maxDepthM`, and into `totals` the flooded cells, people and
 * buildings. A leaf over typed arrays only, so its optimised code holds from one run to the next.
 */
function inundate(basinOf: Int32Array, hand: Float64Array, excessStageM: Float64Array, population: Float64Array, buildings: Float64Array, maxDepthM: Float32Array, totals: Float64Array): void {
  let flooded = 0; let people = 0; let houses = 0;
  for (let i = 0; i < maxDepthM.length; i++) {
    const basin = basinOf[i];
    if (basin < 0) { maxDepthM[i] = NaN; continue; }
    const depth = Math.max(0, excessStageM[basin] - hand[i]);
    maxDepthM[i] = depth;
    if (depth >= FLOODED_DEPTH_M) {
      flooded++;
      people += population[i] > 0 ? population[i] : 0;
      houses += buildings[i] > 0 ? buildings[i] : 0;
    }
  }
  totals[0] = flooded; totals[1] = people; totals[2] = houses;
}

export function floodInundation(region: RegionData, excessStageM: Float64Array): Inundation {
  const basinOf = perRegion(region, 'floodableBasins', () => floodableBasins(region));
  const maxDepthM = new Float32Array(basinOf.length);
  const totals = new Float64Array(3);
  inundate(basinOf, region.hand.values, excessStageM, region.population.values, region.buildings.values, maxDepthM, totals);
  const cellKm2 = (region.manifest.grid.cellsize_m ** 2) / 1e6;
  return { maxDepthM, floodedAreaKm2: totals[0] * cellKm2, people: Math.round(totals[1]), buildings: Math.round(totals[2]) };
}

/** The depth grid as the region's grid, for `run --out` (centimetre precision). */
export function depthGrid(region: RegionData, depth: Float32Array): Grid {
  const { ncols, nrows, xllcorner, yllcorner, cellsize_m } = region.manifest.grid;
  return { ncols, nrows, xllcorner, yllcorner, cellsize: cellsize_m, nodata: -9999, values: Float64Array.from(depth, (d) => Math.round(d * 100) / 100) };
}
