// Member i's inputs, from (seed, i) alone: every number is a counter-based draw u = H(seed, i,
// field, k), never the next value of a shared stream, so a member's inputs do not depend on
// which worker ran it, in what order, or how many members ran before it (Salmon et al. 2011,
// "Parallel random numbers: as easy as 1, 2, 3", make the same argument for Philox).
import { dmath } from '../dmath.ts';
import type { Grid } from '../grid/ascii.ts';
import { isRecord } from '../params.ts';
import type { EnsembleSpec } from './block.ts';
import type { Distribution, Quantity } from './spec.ts';

/** FNV-1a of a field name: the field is part of the counter, so adding a field moves no other draw. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < text.length; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  return h >>> 0;
}

/** The murmur3 finaliser: a bijection of 32-bit words with full avalanche. */
function fmix32(x: number): number {
  x ^= x >>> 16; x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13; x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

function hash4(a: number, b: number, c: number, d: number): number {
  let h = fmix32(a ^ 0x9e3779b9);
  h = fmix32(h ^ Math.imul(b >>> 0, 0x85ebca6b));
  h = fmix32(h ^ Math.imul(c >>> 0, 0xc2b2ae35));
  return fmix32(h ^ Math.imul(d >>> 0, 0x27d4eb2f));
}

/** A uniform draw in (0, 1) with 53 random bits, from the counter (seed, member, field, k). */
export function uniformAt(seed: number, member: number, field: string, k = 0): number {
  const f = fnv1a(field);
  const hi = hash4(seed, member, f, 2 * k) >>> 5; // 27 bits
  const lo = hash4(seed, member, f, 2 * k + 1) >>> 6; // 26 bits
  return (hi * 67108864 + lo + 0.5) / 9007199254740992;
}

/** A standard normal draw (Box–Muller on two counter draws; dmath keeps it bit-identical everywhere). */
export function normalAt(seed: number, member: number, field: string): number {
  const u1 = uniformAt(seed, member, field, 0);
  const u2 = uniformAt(seed, member, field, 1);
  return Math.sqrt(-2 * dmath.log(u1)) * dmath.cos(2 * Math.PI * u2);
}

export function drawValue(d: Distribution, seed: number, member: number, field: string): number {
  switch (d.distribution) {
    case 'uniform': return d.min + (d.max - d.min) * uniformAt(seed, member, field);
    case 'lognormal': return d.median * dmath.exp(d.sigma_log * normalAt(seed, member, field));
    case 'normal': return d.mean + d.sd_deg * normalAt(seed, member, field);
  }
}

/** Drawn inputs are recorded to 9 significant digits and applied as recorded: members.csv reruns a member exactly. */
const recorded = (v: number) => Number(v.toPrecision(9));

/** Cumulative ignition density over the cells, row-major (NODATA and negatives count 0). */
export function cumulativeDensity(grid: Grid): Float64Array {
  const cumulative = new Float64Array(grid.values.length);
  let sum = 0;
  for (let i = 0; i < grid.values.length; i++) {
    const v = grid.values[i];
    if (v > 0) sum += v;
    cumulative[i] = sum;
  }
  return cumulative;
}

/** The cell whose cumulative interval holds u·total (binary search), its centre in map metres. */
export function cellFromDensity(grid: Grid, cumulative: Float64Array, u: number): [number, number] {
  const target = u * cumulative[cumulative.length - 1];
  let lo = 0; let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid] > target) hi = mid; else lo = mid + 1;
  }
  const row = Math.floor(lo / grid.ncols); const col = lo % grid.ncols;
  return [grid.xllcorner + (col + 0.5) * grid.cellsize, grid.yllcorner + (grid.nrows - row - 0.5) * grid.cellsize];
}

export interface MemberDraw {
  /** The scenario file as this member runs it (the original is never changed). */
  scenario: Record<string, unknown>;
  /** What was drawn, by field name, in a fixed order (members.csv's columns). */
  inputs: Record<string, number>;
}

type Json = Record<string, unknown>;

/**
 * The member's scenario: the original with each perturbed input applied. Member fields are named
 * after the quantity (`rain_scale`) or, when drawn per river or per ignition, `river_inflow_scale[k]`
 * and `ignition[k].x_m`.
 */
export function drawMember(original: Json, spec: EnsembleSpec, member: number, density?: { grid: Grid; cumulative: Float64Array }): MemberDraw {
  const scenario = structuredClone(original);
  delete scenario.ensemble;
  const inputs: Record<string, number> = {};
  const q = spec.quantities;
  const draw = (quantity: Quantity, field: string = quantity) => {
    const value = recorded(drawValue(q[quantity]!, spec.seed, member, field));
    inputs[field] = value;
    return value;
  };
  const forcing = (isRecord(scenario.forcing) ? scenario.forcing : {}) as Json;
  if (q.rain_scale && isRecord(forcing.rain)) {
    const scale = draw('rain_scale');
    const rain = forcing.rain as Json;
    const times = (series: unknown) => (Array.isArray(series) ? series.map((r) => (typeof r === 'number' ? r * scale : r)) : series);
    if (rain.mm_per_h !== undefined) rain.mm_per_h = times(rain.mm_per_h);
    else if (isRecord(rain.basins)) rain.basins = Object.fromEntries(Object.entries(rain.basins).map(([id, s]) => [id, times(s)]));
    else rain.factor = (typeof rain.factor === 'number' ? rain.factor : 1) * scale;
  }
  if ((q.wind_speed_scale || q.wind_direction_shift_deg) && Array.isArray(forcing.wind)) {
    const speed = q.wind_speed_scale ? draw('wind_speed_scale') : 1;
    const shift = q.wind_direction_shift_deg ? draw('wind_direction_shift_deg') : 0;
    forcing.wind = (forcing.wind as Json[]).map((w) => (isRecord(w) ? {
      ...w,
      ...(typeof w.speed_10m_m_per_s === 'number' ? { speed_10m_m_per_s: w.speed_10m_m_per_s * speed } : {}),
      ...(typeof w.from_deg === 'number' ? { from_deg: ((((w.from_deg + shift) % 360) + 360) % 360) } : {}),
    } : w));
  }
  if (q.fuel_moisture_scale && isRecord(forcing.fuel_moisture_percent)) {
    const scale = draw('fuel_moisture_scale');
    forcing.fuel_moisture_percent = Object.fromEntries(Object.entries(forcing.fuel_moisture_percent).map(([k, v]) => [k, typeof v === 'number' ? v * scale : v]));
  }
  if (q.river_inflow_scale && Array.isArray(forcing.river_inflows)) {
    forcing.river_inflows = (forcing.river_inflows as Json[]).map((entry, k) => {
      if (!isRecord(entry) || !Array.isArray(entry.m3_per_s)) return entry;
      const scale = draw('river_inflow_scale', `river_inflow_scale[${k}]`);
      return { ...entry, m3_per_s: entry.m3_per_s.map((v) => (typeof v === 'number' ? v * scale : v)) };
    });
  }
  if (spec.soilRedraw) {
    // The scenario's seed draws every slope's soil and every pond's outlet (models/scenario/slope-coupling.ts).
    const seed = Math.floor(uniformAt(spec.seed, member, 'soil_seed') * 4294967296);
    inputs.soil_seed = seed;
    scenario.seed = seed;
  }
  if (spec.ignitions && Array.isArray(scenario.injects)) {
    let k = 0;
    scenario.injects = (scenario.injects as Json[]).map((inject) => {
      const action = isRecord(inject) && isRecord(inject.action) ? inject.action : undefined;
      if (action?.type !== 'ignition') return inject;
      const field = `ignition[${k++}]`;
      const u = uniformAt(spec.seed, member, field);
      const [x, y] = 'points' in spec.ignitions!
        ? spec.ignitions!.points[Math.min(spec.ignitions!.points.length - 1, Math.floor(u * spec.ignitions!.points.length))]
        : cellFromDensity(density!.grid, density!.cumulative, u);
      inputs[`${field}.x_m`] = x;
      inputs[`${field}.y_m`] = y;
      return { ...inject, action: { ...action, x_m: x, y_m: y } };
    });
  }
  return { scenario, inputs };
}
