// Rain → runoff → river: the region's network as one `flood route` case in the contract's form.
// Reaches route with the scenario's method (Muskingum–Cunge–Todini by default) over trapezoid sections
// from regional hydraulic geometry; each reach's sub-basin turns its rain into lateral inflow (Xinanjiang);
// rivers entering the region bring their upstream hydrographs; dam releases join below the dam.
// River stage at a point is the Manning normal depth of the reach's flow. The case is built as values
// (models/flood/route-typed.ts checks them as the file form would).
import { dmath } from '../dmath.ts';
import { makeChannel, uniformFlow } from '../flood/channel.ts';
import type { RouteOutput } from '../flood/route.ts';
import type { RouteCaseValues, RouteReachValues, SeriesValues } from '../flood/route-typed.ts';
import type { XinanjiangBasinValues } from '../flood/runoff-parse.ts';
import { sampleAtBoundaries, type StepGrid } from './forcing.ts';
import type { Inject } from './injects.ts';
import type { RegionData, RegionReach } from './region.ts';
import type { Scenario } from './schema.ts';
import { perRegion } from './region-memo.ts';

/** Regional hydraulic geometry for the reference city's rivers (this project's fit; see README). */
export const GEOMETRY = {
  /** Bottom width B = a·A^b (A in km²): ≈ 3 m at 2 km², 300 m at 1.5·10⁵ km², 600 m at 8.5·10⁵ km². */
  widthCoefficient: 2.5, widthExponent: 0.4,
  /**
   * Warning (≈ bankfull) discharge Q = a·A^b, m³/s: ≈ 28 000 for the main river, 9 600 for the
   * tributary, 7 for a 2.6 km² creek — a regional envelope of this project's choosing, so creeks
   * and great rivers are judged on one scale.
   */
  bankfullCoefficient: 4, bankfullExponent: 0.65,
  sideSlope: 2,
  /** Bridge decks stand this far above bankfull water. */
  deckAboveBankfullM: 6,
} as const;

/** Xinanjiang parameters for the humid subtropical hills (Zhao 1992 ranges; hydromodel defaults). */
export const BASIN_XINANJIANG = { K: 0.95, B: 0.3, UM_mm: 20, LM_mm: 70, DM_mm: 40, C: 0.15, SM_mm: 25, EX: 1.5, KI: 0.35, KG: 0.35, CI: 0.85, CG: 0.995 } as const;
/** A wet antecedent state: the storm follows days of rain. */
export const BASIN_INITIAL = { WU_mm: 15, WL_mm: 55, WD_mm: 30 } as const;
/** Baseflow per km² of catchment at the start of the storm (wet season). */
const BASEFLOW_M3_PER_S_PER_KM2 = 0.02;
const EVAPORATION_MM_PER_H = 0.05;

export interface ReachHydraulics {
  id: string;
  /** Catchment at the reach outlet including what enters the region upstream of it, km². */
  totalAreaKm2: number;
  bottomWidthM: number;
  bankfullM3PerS: number;
  slope: number;
}

export interface FloodSetup {
  /** The `flood route` case, as values (models/flood/route-typed.ts builds its case). */
  routeCase: RouteCaseValues;
  hydraulics: Map<string, ReachHydraulics>;
  manningN: number;
}

function urbanShare(region: RegionData): Map<number, number> {
  return perRegion(region, 'urbanShare', () => countUrbanShare(region));
}

function countUrbanShare(region: RegionData): Map<number, number> {
  const urban = region.manifest.landcover_codes.urban;
  const total = new Map<number, number>();
  const built = new Map<number, number>();
  for (let i = 0; i < region.basins.values.length; i++) {
    const basin = region.basins.values[i];
    if (!(basin >= 0)) continue;
    total.set(basin, (total.get(basin) ?? 0) + 1);
    if (region.landcover.values[i] === urban) built.set(basin, (built.get(basin) ?? 0) + 1);
  }
  return new Map([...total].map(([b, n]) => [b, (built.get(b) ?? 0) / n]));
}

/** Catchment of every reach including the rivers entering the region above it. */
function totalAreas(region: RegionData): Map<string, number> {
  return perRegion(region, 'totalAreas', () => addUpAreas(region));
}

function addUpAreas(region: RegionData): Map<string, number> {
  const byId = new Map(region.manifest.reaches.map((r) => [r.id, r]));
  const extra = new Map<string, number>();
  for (const entry of region.manifest.river_entries) {
    for (let id = entry.reach; id !== null && id !== undefined; id = byId.get(id)?.downstream ?? null) {
      extra.set(id, (extra.get(id) ?? 0) + entry.upstream_area_km2);
    }
  }
  return new Map(region.manifest.reaches.map((r) => [r.id, r.drainage_area_km2 + (extra.get(r.id) ?? 0)]));
}

export function hydraulicsOf(reach: RegionReach, totalAreaKm2: number): ReachHydraulics {
  return {
    id: reach.id, totalAreaKm2, slope: reach.slope,
    bottomWidthM: GEOMETRY.widthCoefficient * dmath.pow(totalAreaKm2, GEOMETRY.widthExponent),
    bankfullM3PerS: GEOMETRY.bankfullCoefficient * dmath.pow(totalAreaKm2, GEOMETRY.bankfullExponent),
  };
}

/** Every reach's hydraulic geometry, from the region alone (the same as buildFloodCase's). */
export function regionHydraulics(region: RegionData): Map<string, ReachHydraulics> {
  const areas = totalAreas(region);
  return new Map(region.manifest.reaches.map((r) => [r.id, hydraulicsOf(r, areas.get(r.id)!)]));
}

export interface GaugeSite { id: string; river: string; reach: string }

/**
 * Where the gauges stand: on each entering river, its last reach before a river of similar size
 * joins it (`G-<river>`), and at the region's outlet (`G-outlet`); one gauge per reach.
 */
export function gaugeSites(region: RegionData, hydraulics: ReadonlyMap<string, ReachHydraulics>): GaugeSite[] {
  const byId = new Map(region.manifest.reaches.map((r) => [r.id, r]));
  const sites: GaugeSite[] = [];
  const add = (id: string, river: string, reach: string) => {
    if (!sites.some((g) => g.reach === reach)) sites.push({ id, river, reach });
  };
  for (const entry of region.manifest.river_entries) {
    let id = entry.reach;
    while (id) {
      const next = byId.get(id)?.downstream;
      if (!next || hydraulics.get(next)!.totalAreaKm2 > hydraulics.get(id)!.totalAreaKm2 * 1.1) break;
      id = next;
    }
    if (id) add(`G-${entry.river}`, entry.river, id);
  }
  const outlet = [...byId.values()].filter((r) => r.downstream === null).sort((a, b) => hydraulics.get(b.id)!.totalAreaKm2 - hydraulics.get(a.id)!.totalAreaKm2)[0];
  if (outlet) add('G-outlet', 'outlet', outlet.id);
  return sites;
}

/** Manning normal depth of flow q in the reach, m. */
export function normalDepthM(h: ReachHydraulics, q: number, manningN: number): number {
  if (!(q > 0)) return 0;
  return uniformFlow(makeChannel(h.bottomWidthM, GEOMETRY.sideSlope, h.slope, manningN), q).depth;
}

/** The reach below a point: the one whose sub-basin holds it (the dam's reach for a release). */
function reachAt(region: RegionData, x: number, y: number): string | undefined {
  const { grid } = region.manifest;
  const col = Math.floor((x - grid.xllcorner) / grid.cellsize_m);
  const row = grid.nrows - 1 - Math.floor((y - grid.yllcorner) / grid.cellsize_m);
  const basin = region.basins.values[row * grid.ncols + col];
  return basin >= 0 ? region.manifest.reaches[basin].id : undefined;
}

export function buildFloodCase(
  scenario: Scenario, region: RegionData, grid: StepGrid, rainByBasin: ReadonlyMap<string, Float64Array>,
  injects: readonly Inject[], deliveredAt: ReadonlyMap<string, number | undefined>,
): FloodSetup {
  const { manning_n: manningN, routing: method } = scenario.models.flood;
  const areas = totalAreas(region);
  const urban = urbanShare(region);
  const hydraulics = new Map<string, ReachHydraulics>();
  const reaches = region.manifest.reaches.map((r): RouteReachValues => {
    const h = hydraulicsOf(r, areas.get(r.id)!);
    hydraulics.set(r.id, h);
    return {
      id: r.id, downstream: r.downstream, method, length_m: r.length_m, slope: r.slope, manning_n: manningN,
      section: { shape: 'trapezoid', bottom_width_m: Number(h.bottomWidthM.toFixed(2)), side_slope_h_per_v: GEOMETRY.sideSlope },
    };
  });
  const evaporation = new Float64Array(grid.steps).fill((EVAPORATION_MM_PER_H * grid.stepS) / 3600);
  const basins = region.manifest.reaches.filter((r) => r.local_area_km2 > 0).map((r): XinanjiangBasinValues => {
    // Surface runoff of a small hill basin reaches its outlet in about an hour: K ≈ 0.5 h·A^0.3.
    const lagS = 1800 * dmath.pow(Math.max(1, r.local_area_km2), 0.3);
    return {
      id: `B-${r.id}`, reach: r.id, area_km2: r.local_area_km2,
      rain_mm: rainByBasin.get(r.id)!,
      evaporation_mm: evaporation,
      xinanjiang: { ...BASIN_XINANJIANG, IM: Math.min(0.9, 0.02 + 0.75 * (urban.get(r.index) ?? 0)) },
      initial: { ...BASIN_INITIAL, groundwater_m3_per_s: BASEFLOW_M3_PER_S_PER_KM2 * r.local_area_km2 },
      surface_routing: { method: 'linear-reservoir', CS: dmath.exp(-grid.stepS / lagS), lag_steps: 0 },
    };
  });
  const inflows = scenario.riverInflows.map((flow): SeriesValues => {
    const entry = region.manifest.river_entries.find((e) => e.river === flow.river);
    return { reach: entry?.reach ?? `(no entry for river ${flow.river})`, m3PerS: sampleAtBoundaries(flow.series, grid) };
  });
  const lateral = damReleases(region, grid, injects, deliveredAt);
  return {
    routeCase: { dtS: grid.stepS, steps: grid.steps, reaches, inflows, lateral, basins },
    hydraulics, manningN,
  };
}

function damReleases(region: RegionData, grid: StepGrid, injects: readonly Inject[], deliveredAt: ReadonlyMap<string, number | undefined>) {
  const out: SeriesValues[] = [];
  for (const inject of injects) {
    const at = deliveredAt.get(inject.id);
    const action = inject.action;
    if (action?.type !== 'dam-release' || at === undefined || inject.state === 'cancelled') continue;
    if (!region.manifest.reservoir) continue;
    const [x, y] = region.manifest.reservoir.dam_m;
    // The release joins the creek just below the dam: one cell downstream of the dam line.
    const reach = reachAt(region, x, y - region.manifest.grid.cellsize_m * 3);
    if (!reach) continue;
    const release = Float64Array.from({ length: grid.steps + 1 }, (_, j) => {
      const t = j * grid.stepS;
      return t >= at && t < at + (action.duration_s ?? Infinity) ? action.m3_per_s ?? 0 : 0;
    });
    out.push({ reach, m3PerS: release });
  }
  return out;
}

/** The biggest-river reach nearest a point (for stage at dikes and bridges). */
export function nearestRiverReach(region: RegionData, hydraulics: Map<string, ReachHydraulics>, x: number, y: number, minAreaKm2 = 50): string {
  let best = ''; let bestDistance = Infinity;
  for (const reach of region.manifest.reaches) {
    if (hydraulics.get(reach.id)!.totalAreaKm2 < minAreaKm2) continue;
    for (const [px, py] of reach.path_m) {
      const d = (px - x) * (px - x) + (py - y) * (py - y);
      if (d < bestDistance) { bestDistance = d; best = reach.id; }
    }
  }
  return best;
}

/** Flow at the end of each step (the route output's values after t = 0). */
export function flowsAtStepEnds(route: RouteOutput, reach: string): number[] {
  return route.reaches[reach]?.outflow_m3_per_s.slice(1) ?? [];
}
