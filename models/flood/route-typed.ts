// A `flood route` case built from values a coupling already holds (models/scenario/flood-coupling.ts),
// rather than from a case file: no JSON written only to be parsed again. What protects the kernel
// stays: every reach and sub-basin goes through the same checked builders as the file form
// (reachInputOf, xinanjiangBasinOf), every series through the same ranges, with the same JSON
// paths, and the rest (network order, series against steps, runoff, plan) is the file form's own
// routeCaseOf, so both forms give the same case for the same values (test/flood/route-typed.test.ts).
import type { Problem } from '../errors.ts';
import { checkNumberValues, checkParams, throwIfAny } from '../params.ts';
import type { RouteCase } from './route-case.ts';
import { linkDownstream, reachInputOf, routeCaseOf, type ReachInput, type ReachValues, type SeriesInput } from './route-parse.ts';
import { xinanjiangBasinOf, type BasinInput, type XinanjiangBasinValues } from './runoff-parse.ts';
import { discharge, routeCaseParams } from './spec.ts';

export type RouteReachValues = ReachValues & { id: string; downstream: string | null };

/** A discharge series entering `reach`: one value per step from t = 0, m³/s. */
export interface SeriesValues { reach: string; m3PerS: Float64Array }

export interface RouteCaseValues {
  dtS: number;
  /** Absent: from the longest series, as in the file form. */
  steps?: number;
  reaches: readonly RouteReachValues[];
  inflows: readonly SeriesValues[];
  lateral: readonly SeriesValues[];
  basins?: readonly XinanjiangBasinValues[];
}

function seriesOf(list: readonly SeriesValues[], path: string, index: Map<string, number>, problems: Problem[]): SeriesInput[] {
  const out: SeriesInput[] = [];
  list.forEach((item, i) => {
    const itemPath = `${path}[${i}]`;
    const reach = index.get(item.reach);
    if (reach === undefined) {
      problems.push({ path: `${itemPath}.reach`, message: 'names no reach', value: item.reach, expected: 'the id of a reach in $.reaches' });
    }
    const values = checkNumberValues(item.m3PerS, `${itemPath}.m3_per_s`, problems, discharge);
    if (values && values.length === 0) {
      problems.push({ path: `${itemPath}.m3_per_s`, message: 'is empty', value: [], expected: 'at least one value (t = 0)' });
    }
    if (reach !== undefined && values) out.push({ reach, values, path: `${itemPath}.m3_per_s` });
  });
  return out;
}

/** As parseRouteCase of the same values in the file form (every reach output, auto-subdivision on). */
export function routeCaseFromValues(v: RouteCaseValues): RouteCase {
  const problems: Problem[] = [];
  const { dt_s: dtSeconds, steps: givenSteps } = checkParams(routeCaseParams, { dt_s: v.dtS, steps: v.steps }, '$', problems);
  if (v.reaches.length === 0) {
    problems.push({ path: '$.reaches', message: 'must be a non-empty array', value: [], expected: 'an array of reaches' });
    throwIfAny(problems);
  }
  const index = new Map<string, number>();
  const ids: string[] = [];
  v.reaches.forEach(({ id }, i) => {
    if (id.length === 0) {
      problems.push({ path: `$.reaches[${i}].id`, message: 'must be a non-empty string', value: id, expected: 'a unique reach id' });
    } else if (index.has(id)) {
      problems.push({ path: `$.reaches[${i}].id`, message: `repeats the id of $.reaches[${index.get(id)}]`, value: id, expected: 'a unique reach id' });
    } else {
      index.set(id, i);
    }
    ids.push(id);
  });

  const n = v.reaches.length;
  const downstreamById = new Int32Array(n).fill(-1);
  const inputs: ReachInput[] = new Array(n);
  v.reaches.forEach((reach, i) => {
    const path = `$.reaches[${i}]`;
    const input = reachInputOf(reach, path, problems);
    if (!input) return;
    inputs[i] = input;
    if (reach.downstream !== null) linkDownstream(reach.downstream, i, path, index, downstreamById, problems);
  });

  const inflows = seriesOf(v.inflows, '$.inflows', index, problems);
  const laterals = seriesOf(v.lateral, '$.lateral', index, problems);
  const basins: BasinInput[] = [];
  if (v.basins !== undefined && v.basins.length === 0) {
    problems.push({ path: '$.basins', message: 'must be a non-empty array', value: [], expected: 'an array of sub-basins' });
  }
  const basinIds = new Set<string>();
  v.basins?.forEach((basin, i) => basins.push(xinanjiangBasinOf(basin, `$.basins[${i}]`, basinIds, problems)));
  for (const b of basins) {
    if (!index.has(b.reach!)) {
      problems.push({ path: `${b.path}.reach`, message: 'names no reach', value: b.reach, expected: 'the id of a reach in $.reaches' });
    }
  }
  throwIfAny(problems);
  const selection = Array.from({ length: n }, (_, k) => k);
  return routeCaseOf({ dtSeconds, givenSteps, autoSubdivide: true, ids, index, inputs, downstreamById, inflows, laterals, basins, selection });
}
