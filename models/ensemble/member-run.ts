// One ensemble member's run, with nothing from Node: the CLI's worker threads and the browser's
// engine worker both call this, so the app's members are the CLI's members byte for byte. Loading
// the shared inputs (region, rain grids, density grid) is the caller's: files in Node
// (member.ts), fetched URLs in the browser (web/ensemble-worker.ts).
import type { Engine } from '../engine.ts';
import { InputError, NumericalError } from '../errors.ts';
import { byramFlameLengthM } from '../fire/flame.ts';
import type { Grid } from '../grid/ascii.ts';
import { FLOODED_DEPTH_M } from '../scenario/inundation.ts';
import { sha256Hex } from '../scenario/outputs.ts';
import type { RegionData } from '../scenario/region.ts';
import type { ModelWarning } from '../scenario/model-warnings.ts';
import { runScenario, type ScenarioRun } from '../scenario/run.ts';
import { parseScenario, type Scenario } from '../scenario/schema.ts';
import { parseEnsembleBlock, type EnsembleSpec } from './block.ts';
import { cumulativeDensity, drawMember } from './draw.ts';

/** What one member contributes to the products (plain JSON: it crosses threads and Redis as is). */
export interface MemberResult {
  index: number;
  inputs: Record<string, number>;
  /** Absent for a good member; the reason it was left out of the products otherwise. */
  problem?: string;
  /** Per reach (region order), the times k (flow at k·step_s) at which flow exceeded the warning flow. */
  reachOver?: Record<string, number[]>;
  /** Per gauge, the flow at every step boundary, m³/s. */
  gaugeFlows?: Record<string, number[]>;
  /** Region cells with flood water ≥ FLOODED_DEPTH_M, row-major indices. */
  flooded?: number[];
  /** Slope-grid blocks that failed: [block index, first time FS < 1 in s]. */
  failed?: [number, number][];
  /** Burned region cells and their flame length in whole millimetres (integers: sums are exact). */
  burned?: number[];
  flameMm?: number[];
  /** Highest level each risk item reached (items in region order). */
  itemMax?: number[];
  /** Highest warning level over each district (region order). */
  districtMax?: number[];
  headline?: Record<string, number>;
  /** SHA-256 of everything above (index and hash excluded): members.csv's result hash. */
  hash: string;
  /** The models' numerical warnings for this member's run (not hashed; absent if it did not run). */
  warnings?: ModelWarning[];
}

export interface MemberContext {
  engine: Engine;
  /** The scenario file as read, with its `ensemble` block. */
  raw: Record<string, unknown>;
  spec: EnsembleSpec;
  base: Scenario;
  region: RegionData;
  rainGrids?: Grid[];
  density?: { grid: Grid; cumulative: Float64Array };
}

export interface ContextOptions { members?: number; seed?: number }

/** What every member of a run shares, loaded once: plain data (typed arrays), so it clones to worker threads. */
export type SharedInputs = Pick<MemberContext, 'region' | 'rainGrids' | 'density'>;

export const sharedInputsOf = ({ region, rainGrids, density }: MemberContext): SharedInputs => ({ region, rainGrids, density });

/** The scenario without its block, and the block read against it (the seed defaults to the scenario's). */
export function ensembleOf(raw: Record<string, unknown>, options: ContextOptions = {}): { base: Scenario; spec: EnsembleSpec } {
  const { ensemble, ...rest } = raw;
  const base = parseScenario(rest);
  return { base, spec: parseEnsembleBlock(ensemble, base.seed, options) };
}

/** The shared inputs a spec needs, checked: a density grid with some density, an ignition to place. */
export function checkedShared(spec: EnsembleSpec, base: Scenario, { region, rainGrids, densityGrid }: { region: RegionData; rainGrids?: Grid[]; densityGrid?: Grid }): SharedInputs {
  let density: MemberContext['density'];
  if (spec.ignitions && 'densityGrid' in spec.ignitions && densityGrid) {
    const cumulative = cumulativeDensity(densityGrid);
    if (!(cumulative[cumulative.length - 1] > 0)) throw InputError.single('$.ensemble.perturbations.ignitions.density_grid', 'has no cell with a positive density', spec.ignitions.densityGrid, 'a grid with at least one cell > 0');
    density = { grid: densityGrid, cumulative };
  }
  if (spec.ignitions && !base.injects.some((i) => i.action?.type === 'ignition')) {
    throw InputError.single('$.ensemble.perturbations.ignitions', 'has no ignition inject to place', undefined, 'a scenario with at least one inject whose action is an ignition (its time is kept, its place drawn)');
  }
  return { region, rainGrids, density };
}

// Web Crypto, not node:crypto: the same hex digest in Node and in the browser.
async function hashOf(result: Omit<MemberResult, 'hash'>): Promise<string> {
  const { index: _index, ...rest } = result;
  return sha256Hex(JSON.stringify(rest));
}

export async function runMember(ctx: MemberContext, index: number): Promise<MemberResult> {
  const { scenario: variant, inputs } = drawMember(ctx.raw, ctx.spec, index, ctx.density);
  let run: ScenarioRun;
  let scenario: Scenario;
  try {
    scenario = parseScenario(variant);
    run = await runScenario(ctx.engine, scenario, ctx.region, { rainGrids: ctx.rainGrids });
  } catch (error) {
    // A draw the models refuse, or numerical trouble, leaves the member out (reported, never averaged in).
    if (!(error instanceof InputError) && !(error instanceof NumericalError)) throw error;
    const problem = error instanceof InputError ? error.problems.map((p) => `${p.path}: ${p.message}`).join('; ') : error.message;
    const result = { index, inputs, problem };
    return { ...result, hash: await hashOf(result) };
  }
  const partial = summarise(run, scenario, ctx.region, index, inputs);
  const bad = nonFinite(partial);
  const result = bad ? { index, inputs, problem: `non-finite ${bad}` } : partial;
  // The models' warnings ride beside the result, outside its hash (member-warnings.ts says why).
  return { ...result, hash: await hashOf(result), warnings: run.modelWarnings };
}

function summarise(run: ScenarioRun, scenario: Scenario, region: RegionData, index: number, inputs: Record<string, number>): Omit<MemberResult, 'hash'> {
  const out: Omit<MemberResult, 'hash'> = { index, inputs };
  const headline: Record<string, number> = {};
  if (run.route) {
    out.reachOver = {};
    for (const reach of region.manifest.reaches) {
      const flows = run.route.reaches[reach.id]?.outflow_m3_per_s ?? [];
      const warning = run.warningFlowByReach[reach.id];
      out.reachOver[reach.id] = indicesAbove(flows, warning);
    }
    out.gaugeFlows = Object.fromEntries(run.gauges.map((g) => [g.id, Array.from(run.route!.reaches[g.reach].outflow_m3_per_s)]));
    for (const g of run.gauges) headline[`${g.id}_peak_m3_per_s`] = g.peakM3PerS;
  }
  if (run.inundation) {
    out.flooded = indicesAtLeast(run.inundation.maxDepthM, FLOODED_DEPTH_M);
    headline.flooded_area_km2 = run.inundation.floodedAreaKm2;
    headline.people_flooded = run.inundation.people;
  }
  if (run.slopeGrid) {
    const failed = failedBlocks(run.slopeGrid.firstBelow1S.values);
    out.failed = failed;
    headline.slope_blocks_failed = failed.length;
  }
  if (scenario.models.fire.enabled) {
    const burned: number[] = []; const flameMm: number[] = [];
    if (run.fire) {
      const intensity = run.fire.output.intensity.values;
      const arrivalS = run.fire.arrivalS;
      for (let i = 0; i < arrivalS.length; i++) {
        if (arrivalS[i] === Infinity) continue;
        burned.push(i);
        flameMm.push(Math.round(byramFlameLengthM(Number.isFinite(intensity[i]) ? intensity[i] : 0) * 1000));
      }
    }
    out.burned = burned; out.flameMm = flameMm;
    headline.burned_area_km2 = (run.fire?.burnedAreaM2.at(-1) ?? 0) / 1e6;
    headline.people_burned = run.fire?.peopleInBurnedCells.at(-1) ?? 0;
  }
  const reached = new Map<string, number>();
  for (const c of run.risk.changes) reached.set(c.item, Math.max(reached.get(c.item) ?? 0, c.to));
  out.itemMax = region.items.map((item) => Math.max(reached.get(item.id) ?? 0, run.risk.final[item.id] ?? 0));
  const districtIds = region.manifest.districts.map((d) => d.id);
  const districtMax = districtIds.map(() => 0);
  for (const w of run.warnings) for (const area of w.areas) {
    const d = districtIds.indexOf(area);
    if (d >= 0 && w.level > districtMax[d]) districtMax[d] = w.level;
  }
  out.districtMax = districtMax;
  for (const level of [1, 2, 3, 4] as const) headline[`people_level_${level}_peak`] = Math.max(0, ...run.peopleByWarningLevel[level]);
  headline.slopes_fs_below_1 = [...run.fsBySlope.values()].filter((s) => Math.min(...s.fs) < 1).length;
  headline.items_red = out.itemMax.filter((l) => l >= 4).length;
  headline.highest_warning = Math.max(0, ...districtMax);
  out.headline = headline;
  return out;
}

// The whole-grid scans below are plain loops in module-level functions, not forEach callbacks:
// a callback is a new closure at every member, and V8 compiled each one again at every member.

/** Indices k with values[k] > limit, ascending. */
function indicesAbove(values: ArrayLike<number>, limit: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < values.length; k++) if (values[k] > limit) out.push(k);
  return out;
}

/** Indices k with values[k] ≥ limit, ascending. */
function indicesAtLeast(values: Float32Array, limit: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < values.length; k++) if (values[k] >= limit) out.push(k);
  return out;
}

/** [block, first failure time] of every block with a time (NaN: never failed). */
function failedBlocks(firstBelow1S: Float64Array): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < firstBelow1S.length; i++) if (!Number.isNaN(firstBelow1S[i])) out.push([i, firstBelow1S[i]]);
  return out;
}

/** The first non-finite number a good member would carry into the products, named. */
function nonFinite(result: Omit<MemberResult, 'hash'>): string | undefined {
  for (const [key, v] of Object.entries(result.headline ?? {})) if (!Number.isFinite(v)) return key;
  for (const [gauge, flows] of Object.entries(result.gaugeFlows ?? {})) if (!allFinite(flows)) return `flow at gauge ${gauge}`;
  for (const [, t] of result.failed ?? []) if (!Number.isFinite(t)) return 'first-failure time';
  return undefined;
}

function allFinite(values: readonly number[]): boolean {
  for (let k = 0; k < values.length; k++) if (!Number.isFinite(values[k])) return false;
  return true;
}
