// Where a `fire spread` case starts fires and stops them: ignition points and lines, barrier cells
// and polylines, each in exactly one form, each traced onto the grid by trace.ts (clipped first,
// so a far coordinate costs nothing).
import { cellAt, type Grid } from '../grid/ascii.ts';
import type { Problem } from '../errors.ts';
import { checkKnownKeys, checkNumber, isRecord } from '../params.ts';
import { coordinate, timeS } from './spec.ts';
import { rasterizeSegment } from './trace.ts';

type Geometry = Pick<Grid, 'ncols' | 'nrows' | 'xllcorner' | 'yllcorner' | 'cellsize'>;

function parsePoint(value: unknown, path: string, problems: Problem[]): [number, number] | undefined {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'number')) {
    problems.push({ path, message: 'must be a point', value, expected: '[x_m, y_m]' });
    return undefined;
  }
  // 1e999 parses as Infinity: it would poison the clipping, so it is refused here.
  if (!value.every(Number.isFinite)) {
    problems.push({ path, message: 'has a non-finite coordinate', value: `[${value[0]}, ${value[1]}]`, expected: '[x_m, y_m], finite numbers' });
    return undefined;
  }
  return [value[0], value[1]];
}

function insideGrid(geometry: Geometry, x: number, y: number): boolean {
  return cellAt(geometry, x, y) !== undefined;
}

function gridExtent(geometry: Geometry): string {
  const { xllcorner: x, yllcorner: y, ncols, nrows, cellsize } = geometry;
  return `x in [${x}, ${x + ncols * cellsize}) and y in [${y}, ${y + nrows * cellsize}) m (the grid)`;
}

const BARRIER_FORMS = '{ "cells": [[row, col], ...] } or { "polyline_m": [[x, y], ...] }';

export function parseBarriers(value: unknown, geometry: Geometry, problems: Problem[], warnings: string[]): Set<number> {
  const cells = new Set<number>();
  if (value === undefined) return cells;
  if (!Array.isArray(value)) {
    problems.push({ path: '$.barriers', message: 'must be an array', value, expected: `[ ${BARRIER_FORMS} ]` });
    return cells;
  }
  value.forEach((b, i) => {
    const path = `$.barriers[${i}]`;
    if (!isRecord(b)) { problems.push({ path, message: 'must be an object', value: b, expected: '{ "cells" } or { "polyline_m" }' }); return; }
    checkKnownKeys(b, ['cells', 'polyline_m', 'name'], path, problems);
    // One form per barrier: with both, one would be dropped without a word.
    if (b.cells !== undefined && b.polyline_m !== undefined) {
      problems.push({ path, message: 'gives both cells and polyline_m', value: 'cells and polyline_m', expected: `exactly one form: ${BARRIER_FORMS}` });
      return;
    }
    if (b.cells !== undefined) {
      if (!Array.isArray(b.cells) || b.cells.length === 0) {
        problems.push({ path: `${path}.cells`, message: 'must be a non-empty array', value: b.cells, expected: '[[row, col], ...]' });
        return;
      }
      b.cells.forEach((rc, k) => {
        const p = `${path}.cells[${k}]`;
        if (!Array.isArray(rc) || rc.length !== 2 || !rc.every(Number.isInteger)) {
          problems.push({ path: p, message: 'must be a [row, col] pair', value: rc, expected: 'two integers' });
        } else if (rc[0] < 0 || rc[0] >= geometry.nrows || rc[1] < 0 || rc[1] >= geometry.ncols) {
          problems.push({ path: p, message: 'is outside the grid', value: `[${rc[0]}, ${rc[1]}]`, expected: `row in [0, ${geometry.nrows - 1}], col in [0, ${geometry.ncols - 1}]` });
        } else {
          cells.add(rc[0] * geometry.ncols + rc[1]);
        }
      });
    } else if (b.polyline_m !== undefined) {
      if (!Array.isArray(b.polyline_m) || b.polyline_m.length < 2) {
        problems.push({ path: `${path}.polyline_m`, message: 'needs at least two points', value: b.polyline_m, expected: '[[x, y], [x, y], ...]' });
        return;
      }
      const before = problems.length;
      const points = b.polyline_m.map((pt, k) => parsePoint(pt, `${path}.polyline_m[${k}]`, problems));
      if (problems.length > before) return;
      // A road may run past the grid's edge: the part outside is clipped, not refused.
      let touches = false;
      for (let k = 1; k < points.length; k++) touches = rasterizeSegment(geometry, ...points[k - 1]!, ...points[k]!, cells) || touches;
      if (!touches) warnings.push(`${path} lies wholly outside the grid and blocks nothing`);
    } else {
      problems.push({ path, message: 'needs cells or polyline_m', value: b, expected: BARRIER_FORMS });
    }
  });
  return cells;
}

const IGNITION_FORMS = '{ "x_m", "y_m", "t_s" } or { "line_m": [[x, y], ...], "t_s" }';

export function parseIgnitions(value: unknown, geometry: Geometry, problems: Problem[]): { cell: number; t: number; path: string }[] {
  const out: { cell: number; t: number; path: string }[] = [];
  if (!Array.isArray(value) || value.length === 0) {
    problems.push({ path: '$.ignitions', message: 'must be a non-empty array', value, expected: `[ ${IGNITION_FORMS} ]` });
    return out;
  }
  value.forEach((ig, i) => {
    const path = `$.ignitions[${i}]`;
    if (!isRecord(ig)) { problems.push({ path, message: 'must be an object', value: ig, expected: IGNITION_FORMS }); return; }
    checkKnownKeys(ig, ['x_m', 'y_m', 't_s', 'line_m'], path, problems);
    const t = checkNumber({ ...timeS, default: 0 }, ig.t_s, `${path}.t_s`, problems);
    // One form per ignition: with both, one would be dropped without a word.
    if (ig.line_m !== undefined && (ig.x_m !== undefined || ig.y_m !== undefined)) {
      problems.push({ path, message: 'gives both a point (x_m, y_m) and line_m', value: 'x_m/y_m and line_m', expected: `exactly one form: ${IGNITION_FORMS}` });
      return;
    }
    if (ig.line_m !== undefined) {
      if (!Array.isArray(ig.line_m) || ig.line_m.length === 0) {
        problems.push({ path: `${path}.line_m`, message: 'must be a non-empty array of points', value: ig.line_m, expected: '[[x, y], ...] inside the grid' });
        return;
      }
      const before = problems.length;
      const pts = ig.line_m.map((pt, k) => parsePoint(pt, `${path}.line_m[${k}]`, problems));
      pts.forEach((pt, k) => {
        if (pt && !insideGrid(geometry, pt[0], pt[1])) {
          problems.push({ path: `${path}.line_m[${k}]`, message: 'is outside the grid', value: `(${pt[0]}, ${pt[1]})`, expected: gridExtent(geometry) });
        }
      });
      if (problems.length > before || t === undefined) return;
      const cells = new Set<number>();
      for (let k = 1; k < pts.length; k++) rasterizeSegment(geometry, ...pts[k - 1]!, ...pts[k]!, cells);
      if (pts.length === 1) { const c = cellAt(geometry, pts[0]![0], pts[0]![1])!; cells.add(c.row * geometry.ncols + c.col); }
      for (const cell of cells) out.push({ cell, t, path });
      return;
    }
    const x = checkNumber(coordinate, ig.x_m, `${path}.x_m`, problems);
    const y = checkNumber(coordinate, ig.y_m, `${path}.y_m`, problems);
    if (x === undefined || y === undefined || t === undefined) return;
    const at = cellAt(geometry, x, y);
    if (!at) {
      problems.push({ path, message: 'is outside the grid', value: `(${x}, ${y})`, expected: gridExtent(geometry) });
      return;
    }
    out.push({ cell: at.row * geometry.ncols + at.col, t, path });
  });
  return out;
}
