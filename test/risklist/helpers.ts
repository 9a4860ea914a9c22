// Runs a risk-list case through both backends (wasm kernel and plain-TS reference), checks they
// agree exactly, and returns the contract's output for the hand-worked expectations.
import { expect } from 'vitest';
import { formatProblem, InputError } from '../../models/errors.ts';
import { formatGradeOutput, parseGradeCase, runGrade, type GradeOutput } from '../../models/risklist/grade.ts';
import { WasmGrading } from '../../models/risklist/kernel.ts';
import { ReferenceGrading } from '../../models/risklist/reference.ts';
import type { Kernels } from '../../models/wasm.ts';

export function gradeBoth(kernels: Kernels, input: unknown): GradeOutput {
  const c = parseGradeCase(input);
  const ts = runGrade(c, new ReferenceGrading(c.defs.list));
  const wasm = kernels.withArena((arena) => runGrade(c, new WasmGrading(kernels, arena, c.defs.list)));
  expect(wasm.log.toArray()).toEqual(ts.log.toArray());
  expect(Array.from(wasm.levels)).toEqual(Array.from(ts.levels));
  return formatGradeOutput(c, wasm);
}

export function problemsOf(input: unknown): string[] {
  try {
    parseGradeCase(input);
  } catch (error) {
    if (error instanceof InputError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error('expected an InputError');
}

/** Compact form of a change for hand-written expectations: [t_s, item, from, to, rule, detail]. */
export function brief(out: GradeOutput): (string | number)[][] {
  return out.changes.map((c) => {
    const r = c.reason;
    const detail = r.rule === 'sensor' ? `${r.factor}=${r.value}≥${r.threshold}`
      : r.rule === 'warning' ? r.id
        : r.rule === 'event' ? r.kind
          : r.rule === 'pin' ? 'pin'
            : `hold ${r.hold_s}`;
    return [c.t_s, c.item, c.from, c.to, r.rule, detail];
  });
}

/** Short holds so hand-worked times stay readable: red 400 s, orange 300 s, yellow 200 s. */
export const HOLDS = { 4: 400, 3: 300, 2: 200 };

export function depthFactor(extra: Record<string, unknown> = {}) {
  return { id: 'depth_cm', direction: 'above', thresholds: { 2: 10, 3: 20, 4: 30 }, deadband: 2, stale_after_s: 1e9, ...extra };
}

export function depthItem(id = 'UP-01', factorExtra: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return { id, category: 'waterlogging', area: 'shapingba', base_level: 1, factors: [depthFactor(factorExtra)], ...extra };
}

export function readings(item: string, factor: string, pairs: [number, number][]) {
  return pairs.map(([t_s, value]) => ({ t_s, item, factor, value }));
}
