// `flood route`, the shapes its stages pass along: the planned case (./route-parse.ts, ./route-plan.ts),
// either kernel's run brought to one form, and the contract's output (./route-output.ts); and the
// limits planning keeps to.
import type { Channel } from './channel.ts';
import type { MixedNetwork, PackedNetwork, RouteBalance } from './packed.ts';
import type { BasinOutput } from './runoff.ts';
import type { ForecastScores } from './scores.ts';
import type { DiffusivePlan } from './route-plan.ts';
import type { RouteMethod } from './spec.ts';

/** One reach after planning, in topological order. */
export interface PlannedReach {
  id: string;
  method: RouteMethod;
  subreaches: number;
  firstSegment: number;
  /** Linear Muskingum: K and X of each sub-reach. */
  kSeconds?: number;
  x?: number;
  channel?: Channel;
  lengthM?: number;
  observed?: Float64Array;
  /** Diffusive wave: the grid and the wave parameters it was built from. */
  diffusive?: DiffusivePlan;
}

export interface RouteCase {
  /** The linear kernel's network when every reach is linear Muskingum, else undefined. */
  net?: PackedNetwork;
  mixed: MixedNetwork;
  reaches: PlannedReach[];
  /** Per segment: K and X for linear segments (mass balance of the linear kernel). */
  segmentK: Float64Array;
  segmentX: Float64Array;
  /** Reach indices (into `reaches`) whose series are output, parallel to the recorded segments. */
  recordedReaches: number[];
  dtSeconds: number;
  steps: number;
  substeps: number;
  warnings: string[];
  /** Rainfall–runoff of the case's sub-basins, whose outlet flow joined their reaches. */
  basins?: Record<string, BasinOutput>;
}

/** What either kernel returns, brought to one form. */
export interface RouteRun extends RouteBalance {
  recorded: Float64Array; // (fine steps + 1) × recorded reaches
  peak: Float64Array; // per segment
  peakStep: Int32Array; // per segment, in sub-steps
}

export interface RouteReachOutput {
  outflow_m3_per_s: number[];
  peak_m3_per_s: number;
  peak_time_s: number;
  subreaches?: number;
  scores?: ForecastScores;
}

export interface RouteOutput {
  dt_s: number;
  reaches: Record<string, RouteReachOutput>;
  mass_balance: { inflow_m3: number; outflow_m3: number; storage_change_m3: number; relative_error: number };
  warnings: string[];
  basins?: Record<string, BasinOutput>;
}

/** Mass balance beyond this relative error means the kernel is broken, not the input. */
export const MASS_BALANCE_TOLERANCE = 1e-9;
export const MAX_SUBSTEPS = 100;
export const MAX_SUBREACHES = 100;
/** Channel reaches may be split finer: a long reach at a short step needs many sub-reaches. */
export const MAX_CHANNEL_SUBREACHES = 1000;
/** Diffusive-wave reaches: most cells, and most sub-steps of their own per network step. */
export const MAX_DIFFUSIVE_CELLS = 1000;
export const MAX_DIFFUSIVE_SUBSTEPS = 100;
/** Per-reach warnings beyond this many are summarised: a big network must not print a million lines. */
export const MAX_REACH_WARNINGS = 20;
