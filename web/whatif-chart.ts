// A what-if comparison as the saved session keeps it (web/session-store.ts): the variant's curves,
// bounded, so the chart returns after a reload without running the variant again. No Lit here: the
// session store reads it.
import { MAX_KEPT_CHART_POINTS, MAX_KEPT_CHART_SERIES, MAX_RECORD_CURVE_VALUES } from '../models/limits.ts';
import { comparableCurves, curveValues, runCurves as recordRunCurves, whatIfCurves, type CurvesOmitted, type RunCurve, type RunCurves, type WhatIfCurves } from '../models/scenario/whatif-curves.ts';
import type { WhatIfRecord } from '../models/scenario/whatif.ts';
import type { WorkerScenarioRun } from './engine.worker.ts';

/** The chart's choice for the burned area (the others are gauge ids). */
export const BURNED = 'burned-area';

/**
 * The comparison on show, as the saved session keeps it: which what-if (its index in the list),
 * the base run it was compared with (by results hash), the curve picked and the variant's curves.
 */
export interface KeptChart {
  base_results_sha256: string; index: number; shown?: string; series: { id: string; values: number[] }[];
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

/** The curves a chart can show of `run`, as the session keeps them; none beyond the bounds. */
export function chartSeries(run: Run): KeptChart['series'] | undefined {
  const series = runCurves(run).map((c) => ({ id: c.id, values: Array.from(c.values) }));
  return series.length <= MAX_KEPT_CHART_SERIES && series.every((c) => c.values.length <= MAX_KEPT_CHART_POINTS) ? series : undefined;
}

/** The run's own curves for the after-action record (its hydrographs, the burned area), bounded. */
export function runRecordCurves(run: Run): RunCurves | undefined {
  return recordRunCurves(run.grid.stepS, runCurves(run));
}

/**
 * A new what-if's curves for the record, if they fit in the record's budget beside those of
 * `history`, and what the record leaves out of them (and why), so the trainer is told.
 */
export function recordCurves(history: readonly WhatIfRecord[], base: Run, variant: Run): { curves?: WhatIfCurves; omitted?: CurvesOmitted } {
  const baseCurves = runCurves(base);
  const variantCurves = runCurves(variant);
  const compared = comparableCurves(baseCurves, variantCurves).length;
  const curves = whatIfCurves(base.grid.stepS, baseCurves, variantCurves);
  if (!curves) return {};
  if (curveValues(history) + curveValues([{ curves }]) > MAX_RECORD_CURVE_VALUES) return { omitted: { reason: 'record-budget', curves: compared } };
  return { curves, ...(compared > curves.series.length ? { omitted: { reason: 'curve-count' as const, curves: compared - curves.series.length } } : {}) };
}

/** Whether a stored value is a kept chart within the bounds (a session is not trusted blindly). */
export function isKeptChart(v: unknown): v is KeptChart {
  const c = v as Partial<KeptChart> | null;
  return typeof c === 'object' && c !== null && typeof c.base_results_sha256 === 'string' && Number.isInteger(c.index)
    && (c.shown === undefined || typeof c.shown === 'string') && (c.on_map === undefined || c.on_map === true) && Array.isArray(c.series) && c.series.length <= MAX_KEPT_CHART_SERIES
    && c.series.every((x) => typeof x?.id === 'string' && Array.isArray(x.values) && x.values.length <= MAX_KEPT_CHART_POINTS && x.values.every((n) => typeof n === 'number'));
}

