// `fire spread` cases a hostile or careless user writes (issue 15): geometry far off the grid is
// clipped, not traced point by point; two forms in one object, empty lines and late ignitions are
// said, not dropped.
import { beforeAll, describe, expect, it } from 'vitest';
import type { InputError } from '../../models/errors.ts';
import { fireSpreadWasm } from '../../models/fire/kernel.ts';
import { formatSpread, MAX_OUTPUT_TIMES, parseSpreadCase } from '../../models/fire/spread-case.ts';
import { clipSegment, rasterizeSegment } from '../../models/fire/trace.ts';
import type { Kernels } from '../../models/wasm.ts';
import { loadKernels } from '../../models/wasm-node.ts';

let kernels: Kernels;
beforeAll(async () => { kernels = await loadKernels(); });

const G3 = { ncols: 3, nrows: 3, xllcorner: 0, yllcorner: 0, cellsize: 10 };
const small = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  grid: { ncols: 3, nrows: 3, cellsize_m: 10, xllcorner: 0, yllcorner: 0 },
  fuel_model: 'GR2', slope_deg: 0, aspect_deg: 0,
  moisture_percent: { d1h: 3, d10h: 3, d100h: 3, live_herb: 30, live_woody: 60 },
  wind: { midflame_m_per_s: 1, from_deg: 270 },
  ignitions: [{ x_m: 5, y_m: 5, t_s: 0 }],
  duration_s: 600,
  ...overrides,
});
const problems = (input: unknown) => {
  try { parseSpreadCase(kernels, input); } catch (e) { return (e as InputError).message.split('\n'); }
  return [];
};
const cellsOf = (x0: number, y0: number, x1: number, y1: number) => {
  const out = new Set<number>();
  rasterizeSegment(G3, x0, y0, x1, y1, out);
  return [...out].sort((a, b) => a - b);
};

describe('clipping a segment to the grid before tracing it', () => {
  it('a segment inside the box is returned as it is', () => {
    expect(clipSegment(1, 2, 3, 4, 0, 0, 10, 10)).toEqual([1, 2, 3, 4]);
  });
  it('the ends move onto the edges they cross; a horizontal line keeps its y even from ±1e300', () => {
    expect(clipSegment(-5, 5, 15, 5, 0, 0, 10, 10)).toEqual([0, 5, 10, 5]);
    expect(clipSegment(-1e300, 15, 1e300, 15, -10, -10, 40, 40)).toEqual([-10, 15, 40, 15]);
    expect(clipSegment(-5, -5, 15, 15, 0, 0, 10, 10)).toEqual([0, 0, 10, 10]);
  });
  it('a segment that misses the box, or has a non-finite end, gives nothing', () => {
    expect(clipSegment(20, 0, 30, 10, 0, 0, 10, 10)).toBeUndefined();
    expect(clipSegment(-5, 12, 12, 25, 0, 0, 10, 10)).toBeUndefined();
    expect(clipSegment(0, 0, Infinity, 0, 0, 0, 10, 10)).toBeUndefined();
  });
  it('ends at ±1.7e308 do not overflow the differences to Infinity', () => {
    const c = clipSegment(-1.7e308, 5, 1.7e308, 5, 0, 0, 10, 10);
    expect(c).toEqual([0, 5, 10, 5]);
  });
  it('tracing a far segment touches the same cells as its part on the grid, and at once', () => {
    const started = performance.now();
    // The middle row (y = 15) of a 3 × 3 grid, from far outside on both sides.
    expect(cellsOf(-1e300, 15, 1e300, 15)).toEqual([3, 4, 5]);
    expect(cellsOf(1, 15, 1e9, 15)).toEqual(cellsOf(1, 15, 30, 15));
    expect(cellsOf(5, -1e12, 5, 1e12)).toEqual([0, 3, 6]);
    expect(cellsOf(100, 100, 200, 200)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('fire spread: geometry far off the grid', () => {
  it('an ignition line to x = 1e9 is refused at the point outside (before: traced 8e8 samples, no end in 60 s)', () => {
    expect(problems(small({ ignitions: [{ line_m: [[5, 5], [1e9, 5]], t_s: 0 }] }))).toEqual([
      'error: $.ignitions[0].line_m[1]: is outside the grid (got "(1000000000, 5)", expected x in [0, 30) and y in [0, 30) m (the grid))',
    ]);
  });
  it('a barrier polyline from −1e300 to 1e300 is clipped to the grid and blocks its row', () => {
    const c = parseSpreadCase(kernels, small({ barriers: [{ polyline_m: [[-1e300, 15], [1e300, 15]] }] }));
    expect([...c.packed.bedIndex].map((b) => (b < 0 ? 'x' : '.')).join('')).toBe('...xxx...');
  });
  it('a barrier wholly outside the grid is a warning, not silence', () => {
    expect(parseSpreadCase(kernels, small({ barriers: [{ polyline_m: [[100, 100], [200, 200]] }] })).warnings).toEqual([
      '$.barriers[0] lies wholly outside the grid and blocks nothing',
    ]);
  });
  it('a non-finite coordinate (1e999 reads as Infinity) is refused with its path', () => {
    expect(problems(small({ barriers: [{ polyline_m: [[0, 0], [Infinity, 5]] }] }))).toEqual([
      'error: $.barriers[0].polyline_m[1]: has a non-finite coordinate (got "[Infinity, 5]", expected [x_m, y_m], finite numbers)',
    ]);
  });
  it('a barrier of 5000 random segments on a 200 × 200 grid is traced in time linear in its length (before: 15–23 s)', () => {
    let seed = 1;
    const random = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
    const polyline = Array.from({ length: 5000 }, () => [random() * 2000, random() * 2000]);
    const started = performance.now();
    const c = parseSpreadCase(kernels, small({
      grid: { ncols: 200, nrows: 200, cellsize_m: 10, xllcorner: 0, yllcorner: 0 }, barriers: [{ polyline_m: polyline }],
      ignitions: [{ line_m: [[0.5, 0.5], [1999.5, 1999.5]] }],
    }));
    expect(performance.now() - started).toBeLessThan(8000);
    expect(c.packed.bedIndex.filter((b) => b < 0).length).toBeGreaterThan(20000);
  });

  it('60 000 point ignitions are checked in time linear in their count (before: 18 s, a scan of all per ignition)', () => {
    const ignitions = Array.from({ length: 60000 }, (_, k) => ({ x_m: (k % 250) * 10 + 5, y_m: Math.floor(k / 250) * 10 + 5, t_s: 0 }));
    const started = performance.now();
    const c = parseSpreadCase(kernels, small({ grid: { ncols: 250, nrows: 250, cellsize_m: 10, xllcorner: 0, yllcorner: 0 }, ignitions }));
    // About 1 s on a loaded 2-core machine (load 20), the scan 18 s on a quiet one: 8 s tells them apart.
    expect(performance.now() - started).toBeLessThan(8000);
    expect(c.packed.ignitionCell.length).toBe(60000);
  });

  it('more output times than the stated bound is refused, not looped over', () => {
    const times = Array.from({ length: MAX_OUTPUT_TIMES + 1 }, (_, i) => i % 600);
    expect(problems(small({ output_times_s: times }))).toEqual([
      `error: $.output_times_s: has too many times (got "${MAX_OUTPUT_TIMES + 1} times", expected at most ${MAX_OUTPUT_TIMES} times)`,
    ]);
  });
});

describe('fire spread: nothing dropped without a word', () => {
  it('an empty ignition line is an error (before: burned nothing, exit 0)', () => {
    expect(problems(small({ ignitions: [{ line_m: [], t_s: 0 }] }))).toEqual([
      'error: $.ignitions[0].line_m: must be a non-empty array of points (got an array of 0, expected [[x, y], ...] inside the grid)',
    ]);
  });
  it('an ignition with a point and a line is an error: exactly one form', () => {
    expect(problems(small({ ignitions: [{ x_m: 5, y_m: 5, line_m: [[5, 5], [25, 5]] }] }))).toEqual([
      'error: $.ignitions[0]: gives both a point (x_m, y_m) and line_m (got "x_m/y_m and line_m", expected exactly one form: { "x_m", "y_m", "t_s" } or { "line_m": [[x, y], ...], "t_s" })',
    ]);
  });
  it('a barrier with cells and a polyline is an error: exactly one form', () => {
    expect(problems(small({ barriers: [{ cells: [[0, 2]], polyline_m: [[0, 0], [5, 5]] }] }))).toEqual([
      'error: $.barriers[0]: gives both cells and polyline_m (got "cells and polyline_m", expected exactly one form: { "cells": [[row, col], ...] } or { "polyline_m": [[x, y], ...] })',
    ]);
  });
  it('an empty barrier cell list is an error', () => {
    expect(problems(small({ barriers: [{ cells: [] }] }))).toEqual([
      'error: $.barriers[0].cells: must be a non-empty array (got an array of 0, expected [[row, col], ...])',
    ]);
  });
  it('an ignition after duration_s is a warning in the summary (and burns nothing)', () => {
    const c = parseSpreadCase(kernels, small({ ignitions: [{ x_m: 5, y_m: 5, t_s: 0 }, { x_m: 25, y_m: 25, t_s: 900 }], duration_s: 600 }));
    expect(c.warnings).toEqual(['$.ignitions[1] starts at t_s 900, after duration_s 600: it burns nothing']);
    const out = formatSpread(c, fireSpreadWasm(kernels, c.packed));
    expect(out.summary.warnings).toEqual(c.warnings);
  });
  it('a wind series that starts after t = 0 says its first period also covers the time before', () => {
    const c = parseSpreadCase(kernels, small({ wind: { series: [{ t_s: 300, midflame_m_per_s: 2, from_deg: 0 }, { t_s: 400, midflame_m_per_s: 3, from_deg: 90 }] } }));
    expect(c.warnings).toEqual(['$.wind.series[0] starts at t_s 300: its wind also blows before then']);
    expect(parseSpreadCase(kernels, small({ wind: { series: [{ t_s: 0, midflame_m_per_s: 2, from_deg: 0 }] } })).warnings).toEqual([]);
  });
  it('an ignition point outside the grid stays an error (stated: no partial runs from a mistyped coordinate)', () => {
    expect(problems(small({ ignitions: [{ x_m: 35, y_m: 5 }] }))).toEqual([
      'error: $.ignitions[0]: is outside the grid (got "(35, 5)", expected x in [0, 30) and y in [0, 30) m (the grid))',
    ]);
  });
  it('an "_note" key is a comment in $.grid as in every other object of the case', () => {
    const c = small({
      _note: 'top', grid: { ncols: 3, nrows: 3, cellsize_m: 10, xllcorner: 0, yllcorner: 0, _note: 'grid' },
      wind: { midflame_m_per_s: 1, from_deg: 270, _why: 'x' }, ignitions: [{ x_m: 5, y_m: 5, _n: 1 }],
      barriers: [{ cells: [[2, 2]], _n: 1 }], moisture_percent: { d1h: 3, d10h: 3, d100h: 3, live_herb: 30, live_woody: 60, _src: 'x' },
    });
    expect(problems(c)).toEqual([]);
  });
});
