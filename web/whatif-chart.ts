// A what-if comparison as the saved session keeps it (web/session-store.ts): the variant's curves,
// bounded, so the chart returns after a reload without running the variant again. No Lit here: the
// session store reads it.
import { MAX_KEPT_CHART_VALUES, MAX_RECORD_CURVE_VALUES } from '../models/limits.ts';
import { curveValues, runCurves as recordRunCurves, whatIfCurves, type CurvesOmitted, type RunCurve, type RunCurves, type WhatIfCurves } from '../models/scenario/whatif-curves.ts';
import type { WhatIfRecord } from '../models/scenario/whatif.ts';
import type { WorkerScenarioRun } from './engine.worker.ts';

/** The chart's choice for the burned area (the others are gauge ids). */
export const BURNED = 'burned-area';

/**
 * The comparison on show, as the saved session keeps it: which what-if (its index in the list),
 * the base run it was compared with (by results hash), the curve picked and the variant's curves;
 * or, past MAX_KEPT_CHART_VALUES, how many curves and numbers were left out (`series_left_out`), so
 * after a reload the comparison returns with its results and says why its variant's curve does not.
 */
export interface KeptChart {
  base_results_sha256: string; index: number; shown?: string;
  series?: { id: string; values: number[] }[];
  series_left_out?: { curves: number; values: number };
  /** The variant was on the map: after a reload it is run again (same results hash) and shown. */
  on_map?: true;
}

type Run = WorkerScenarioRun['run'];

/** The curves a chart can show of `run`: the burned area (km², from 0 at t = 0), each gauge's outflow. */
export function runCurves(run: Run): RunCurve[] {
  return [
    ...(run.fire ? [{ id: BURNED, unit: 'km²' as const, values: [0, ...run.fire.burnedAreaM2.map((a) => a / 1e6)] }] : []),
    ...(run.route ? run.gauges.map((g) => ({ id: g.id, unit: 'm³/s' as const, values: run.route!.reaches[g.reach].outflow_m3_per_s })) : []),
  ];
}

/** The curves a chart can show of `run`, as the session keeps them: all, or past the bound, their count. */
export function chartSeries(run: Run): Pick<KeptChart, 'series' | 'series_left_out'> {
  const curves = runCurves(run);
  const values = curves.reduce((n, c) => n + c.values.length, 0);
  return values <= MAX_KEPT_CHART_VALUES ? { series: curves.map((c) => ({ id: c.id, values: Array.from(c.values) })) } : { series_left_out: { curves: curves.length, values } };
}

/** The run's own curves for the after-action record (its hydrographs, the burned area), bounded, and those left out. */
export function runRecordCurves(run: Run): { curves?: RunCurves; omitted?: CurvesOmitted } {
  return recordRunCurves(run.grid.stepS, runCurves(run));
}

/**
 * A new what-if's curves for the record, if they fit in the record's budget beside those of
 * `history`, and what the record leaves out of them (and why), so the trainer is told.
 */
export function recordCurves(history: readonly WhatIfRecord[], base: Run, variant: Run): { curves?: WhatIfCurves; omitted?: CurvesOmitted } {
  const { curves, omitted } = whatIfCurves(base.grid.stepS, runCurves(base), runCurves(variant));
  if (!curves) return {};
  if (curveValues(history) + curveValues([{ curves }]) > MAX_RECORD_CURVE_VALUES) return { omitted: { reason: 'record-budget', curves: curves.series.length + (omitted?.curves ?? 0) } };
  return { curves, ...(omitted ? { omitted } : {}) };
}

/** Whether a stored value is a kept chart within the bounds (a session is not trusted blindly). */
export function isKeptChart(v: unknown): v is KeptChart {
  const c = v as Partial<KeptChart> | null;
  if (!(typeof c === 'object' && c !== null && typeof c.base_results_sha256 === 'string' && Number.isInteger(c.index)
    && (c.shown === undefined || typeof c.shown === 'string') && (c.on_map === undefined || c.on_map === true))) return false;
  // Either the curves, within the bound, or the count of those left out: never both, never neither.
  if (c.series_left_out !== undefined) {
    const left = c.series_left_out;
    return c.series === undefined && typeof left === 'object' && left !== null && Number.isSafeInteger(left.curves) && left.curves >= 1
      && Number.isSafeInteger(left.values) && left.values > MAX_KEPT_CHART_VALUES;
  }
  return Array.isArray(c.series) && c.series.length <= MAX_KEPT_CHART_VALUES
    && c.series.every((x) => typeof x?.id === 'string' && Array.isArray(x.values)) && c.series.reduce((n, x) => n + x.values.length, 0) <= MAX_KEPT_CHART_VALUES
    && c.series.every((x) => x.values.every((n) => typeof n === 'number'));
}

