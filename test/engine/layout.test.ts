// The host↔kernel memory layout is declared once, in assembly/<model>/layout.ts (imported by the
// kernel and the host). The C yardsticks cannot import it, so they keep their own #defines and
// enums under the same names; this test reads them and fails when either side drifts. It also
// checks the AssemblyScript kernels' own numeric constants (iteration limits, tolerances) against
// any C #define of the same name, and that each layout is self-consistent.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as fireLayout from '../../assembly/fire/layout.ts';
import * as floodLayout from '../../assembly/flood/layout.ts';
import * as landslideLayout from '../../assembly/landslide/layout.ts';
import * as regionLayout from '../../assembly/region/layout.ts';
import * as risklistLayout from '../../assembly/risklist/layout.ts';
import { FUEL_FIELDS } from '../../models/fire/fuels.ts';
import { OUTPUT_FIELDS } from '../../models/fire/packed.ts';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** `#define NAME <number>` and `enum { A, B = n, C }` members of a C source, by name. */
function cConstants(source: string): Map<string, number> {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
  const found = new Map<string, number>();
  const add = (name: string, value: number) => {
    if (found.has(name)) throw new Error(`${name} is declared twice`);
    found.set(name, value);
  };
  for (const m of text.matchAll(/^[ \t]*#define[ \t]+(\w+)[ \t]+\(?([^\s()]+)\)?[ \t]*$/gm)) {
    if (NUMBER.test(m[2])) add(m[1], Number(m[2]));
  }
  for (const m of text.matchAll(/\benum\s*\w*\s*\{([^}]*)\}/g)) {
    let next = 0;
    for (const member of m[1].split(',').map((s) => s.trim()).filter(Boolean)) {
      const [name, value] = member.split('=').map((s) => s.trim());
      if (value !== undefined) {
        if (!NUMBER.test(value)) throw new Error(`enum member ${name} = ${value}: only literals are understood`);
        next = Number(value);
      }
      add(name, next++);
    }
  }
  return found;
}

/** `const NAME: i32|f64 = <number>;` in an AssemblyScript source (literal initialisers only). */
function asConstants(source: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const m of source.matchAll(/^(?:export\s+)?const\s+(\w+)\s*(?::\s*\w+)?\s*=\s*([^;]+);/gm)) {
    const value = m[2].trim();
    if (NUMBER.test(value)) found.set(m[1], Number(value));
  }
  return found;
}

interface Yardstick {
  file: string;
  layout: Record<string, number>;
  kernels: string[];
  /** Names the C file must declare: without them a rename in C would make the check vacuous. */
  required: string[];
}

const range = (prefix: string, names: string[]) => names.map((n) => prefix + n);

const yardsticks: Yardstick[] = [
  {
    file: 'benchmarks/landslide/iverson.c',
    layout: landslideLayout,
    kernels: ['assembly/landslide/iverson.ts', 'assembly/landslide/special.ts'],
    required: Object.keys(landslideLayout).filter((n) => n.startsWith('CELL_')),
  },
  {
    file: 'benchmarks/flood/network.c',
    layout: floodLayout,
    kernels: ['assembly/flood/network.ts', 'assembly/flood/channel.ts'],
    required: [
      'METHOD_LINEAR', 'METHOD_MCT', 'METHOD_KINEMATIC', 'PARAMS_PER_SEGMENT', 'STATE_PER_SEGMENT',
      ...range('P_', ['C0', 'C1', 'C2', 'K', 'X', 'DX', 'SLOPE', 'WIDTH', 'SIDE', 'PERIMETER', 'RESISTANCE', 'REFERENCE']),
      ...range('S_', ['INFLOW', 'OUTFLOW', 'COURANT', 'REYNOLDS', 'DEPTH', 'PEAK', 'PENDING', 'DEPTH_DISCHARGE']),
      'DEPTH_MAX_ITERATIONS', 'DEPTH_TOLERANCE', 'DEPTH_HALLEY_TOLERANCE', 'PARAMETER_MIN_DISCHARGE',
      'MCT_ITERATIONS', 'KINEMATIC_MAX_ITERATIONS', 'KINEMATIC_TOLERANCE',
    ],
  },
  {
    file: 'benchmarks/flood/muskingum.c',
    layout: floodLayout,
    kernels: ['assembly/flood/muskingum.ts'],
    required: ['COEFFICIENTS_PER_REACH'],
  },
  {
    file: 'benchmarks/fire/behavior.c',
    layout: fireLayout,
    kernels: ['assembly/fire/rothermel.ts'],
    required: [
      'FUEL_STRIDE', 'BED_STRIDE', 'MOISTURE_STRIDE', 'CASE_STRIDE', 'WIND_STRIDE', 'OUT_STRIDE',
      ...Object.keys(fireLayout).filter((n) => /^BED_(?!STRIDE)/.test(n)),
      'CASE_WIND', 'CASE_WIND_TO_UPSLOPE', 'CASE_TAN_SLOPE',
    ],
  },
  {
    file: 'benchmarks/fire/spread.c',
    layout: fireLayout,
    kernels: ['assembly/fire/spread.ts'],
    required: ['BED_STRIDE', 'BED_R0', 'BED_IR', 'BED_WIND_B', 'BED_WIND_K'],
  },
  {
    file: 'benchmarks/risklist/grade.c',
    layout: risklistLayout,
    kernels: ['assembly/risklist/grade.ts'],
    required: ['QUEUE_HOLD', 'QUEUE_ON_DELAY', ...range('RULE_', ['SENSOR', 'WARNING', 'EVENT', 'PIN', 'HOLD'])],
  },
  {
    file: 'benchmarks/region/terrain.c',
    layout: regionLayout,
    kernels: ['assembly/region/terrain.ts'],
    required: ['DIR_OUTLET', 'HAND_UNKNOWN'],
  },
];

// Prefixes that mark a layout name: a C constant with one of them must be in the layout.
const LAYOUT_PREFIXES = /^(CELL|P|S|BED|CASE|METHOD|RULE|QUEUE|CTX|LOG|SUMMARY|MIXED|XINANJIANG|ARG|BATCH)_|_(STRIDE|PER_SEGMENT|PER_REACH)$/;

describe('C yardsticks use the kernels\' layout', () => {
  for (const y of yardsticks) {
    it(`${y.file} declares the layout constants it uses with the layout's values`, () => {
      const c = cConstants(read(y.file));
      expect([...y.required].filter((n) => !c.has(n)), 'missing in C').toEqual([]);
      const kernel = new Map(y.kernels.flatMap((k) => [...asConstants(read(k))]));
      for (const [name, value] of c) {
        if (name in y.layout) expect(value, `${name} in ${y.file}`).toBe(y.layout[name]);
        else if (kernel.has(name)) expect(value, `${name} in ${y.file}`).toBe(kernel.get(name));
        else expect(name, `${name} in ${y.file} looks like a layout name but is not in the layout`).not.toMatch(LAYOUT_PREFIXES);
      }
    });
  }

  it('reads #define and enum as C does', () => {
    const c = cConstants('#define A 3\n#define B (1e-7) /* x */\n#define F(x) x\nenum { X, Y = 5, Z };\nenum tag { W = 2 };');
    expect(Object.fromEntries(c)).toEqual({ A: 3, B: 1e-7, X: 0, Y: 5, Z: 6, W: 2 });
  });
});

/** Slots named `prefix*` are distinct and fit in `length`. */
function slotsFit(layout: Record<string, number>, prefix: string, length: number, except: string[] = []) {
  const slots = Object.entries(layout).filter(([n]) => n.startsWith(prefix) && !except.includes(n));
  const values = slots.map(([, v]) => v);
  expect(new Set(values).size, `${prefix}* slots are distinct`).toBe(values.length);
  for (const [n, v] of slots) expect(v >= 0 && v < length && Number.isInteger(v), `${n} = ${v} within ${length}`).toBe(true);
}

describe('layouts are self-consistent', () => {
  it('landslide', () => {
    const { CELL_STRIDE, SUMMARY_LENGTH, ...rest } = landslideLayout;
    slotsFit(rest, 'CELL_', CELL_STRIDE);
    expect(Object.keys(rest).filter((n) => n.startsWith('CELL_'))).toHaveLength(CELL_STRIDE);
    slotsFit(rest, 'SUMMARY_', SUMMARY_LENGTH);
  });

  it('flood', () => {
    const L = floodLayout;
    // The kernel walks params and state with one record size.
    expect(L.STATE_PER_SEGMENT).toBe(L.PARAMS_PER_SEGMENT);
    slotsFit(L, 'S_', L.STATE_PER_SEGMENT, ['S_LAG']);
    for (const group of [['P_C0', 'P_C1', 'P_C2', 'P_K', 'P_X'], ['P_DX', 'P_SLOPE', 'P_WIDTH', 'P_SIDE', 'P_PERIMETER', 'P_RESISTANCE', 'P_REFERENCE'],
      ['P_DX', 'P_CELERITY', 'P_DIFFUSIVITY', 'P_AREA_OFFSET', 'P_CELLS', 'P_SUBSTEPS', 'P_NODES']]) {
      slotsFit(Object.fromEntries(group.map((n) => [n, (L as Record<string, number>)[n]])), 'P_', L.PARAMS_PER_SEGMENT);
    }
    slotsFit(L, 'SUMMARY_', L.SUMMARY_LENGTH, ['SUMMARY_LENGTH']);
    slotsFit(L, 'MIXED_', L.MIXED_SUMMARY_LENGTH, ['MIXED_SUMMARY_LENGTH']);
  });

  it('fire', () => {
    const L = fireLayout;
    expect(FUEL_FIELDS).toHaveLength(L.FUEL_STRIDE);
    expect(OUTPUT_FIELDS).toHaveLength(L.OUT_STRIDE);
    slotsFit(L, 'BED_', L.BED_STRIDE, ['BED_STRIDE']);
    expect(Object.keys(L).filter((n) => n.startsWith('BED_') && n !== 'BED_STRIDE')).toHaveLength(L.BED_STRIDE);
    // A case is the moistures, then the CASE_* slots.
    for (const n of ['CASE_WIND', 'CASE_WIND_TO_UPSLOPE', 'CASE_TAN_SLOPE'] as const) {
      expect(L[n]).toBeGreaterThanOrEqual(L.MOISTURE_STRIDE);
      expect(L[n]).toBeLessThan(L.CASE_STRIDE);
    }
    slotsFit(L, 'SUMMARY_', L.SUMMARY_LENGTH, ['SUMMARY_LENGTH']);
  });

  it('region', () => {
    const L = regionLayout;
    slotsFit(L, 'STATS_', L.STATS_LENGTH, ['STATS_LENGTH']);
    // The heap entry: an 8-aligned f64 key and an i32 cell, both inside the entry.
    expect(L.HEAP_KEY % 8).toBe(0);
    expect(L.HEAP_KEY + 8 <= L.HEAP_CELL || L.HEAP_CELL + 4 <= L.HEAP_KEY).toBe(true);
    expect(Math.max(L.HEAP_KEY + 8, L.HEAP_CELL + 4)).toBeLessThanOrEqual(L.HEAP_ENTRY_BYTES);
    expect(L.HEAP_ENTRY_BYTES % 8).toBe(0);
  });

  it('risk list', () => {
    const L = risklistLayout;
    slotsFit(L, 'CTX_', L.CTX_LENGTH, ['CTX_LENGTH']);
    expect(Object.keys(L).filter((n) => n.startsWith('CTX_'))).toHaveLength(L.CTX_LENGTH + 1);
    slotsFit(L, 'QUEUE_', L.QUEUE_STRIDE, ['QUEUE_HOLD', 'QUEUE_ON_DELAY', 'QUEUE_STRIDE']);
    // Byte offsets of the log record: f64 fields 8-aligned, i32 fields 4-aligned, all inside.
    for (const n of ['LOG_T', 'LOG_VALUE', 'LOG_THRESHOLD'] as const) expect(L[n] % 8).toBe(0);
    const fields = ['LOG_T', 'LOG_VALUE', 'LOG_THRESHOLD', 'LOG_ITEM', 'LOG_FROM', 'LOG_TO', 'LOG_RULE', 'LOG_CAUSE', 'LOG_PAD'] as const;
    const ends = fields.map((n) => [L[n], L[n] + (n === 'LOG_T' || n === 'LOG_VALUE' || n === 'LOG_THRESHOLD' ? 8 : 4)]).sort((a, b) => a[0] - b[0]);
    ends.forEach(([start], k) => { if (k > 0) expect(start, fields[k]).toBeGreaterThanOrEqual(ends[k - 1][1]); });
    expect(ends[ends.length - 1][1]).toBeLessThanOrEqual(L.LOG_STRIDE);
  });
});

// Kernels with many inputs take one argument block (ARG_* / BATCH_* slots, one f64 each) instead
// of 19–45 positional numbers whose order the host and the kernel each kept by hand.
const argumentBlocks = [
  { layout: landslideLayout, prefix: 'ARG_', kernels: ['assembly/landslide/iverson.ts'], host: 'models/landslide/kernel.ts' },
  { layout: floodLayout, prefix: 'ARG_', kernels: ['assembly/flood/muskingum.ts', 'assembly/flood/network.ts'], host: 'models/flood/kernel.ts' },
  { layout: fireLayout, prefix: 'ARG_', kernels: ['assembly/fire/spread.ts'], host: 'models/fire/kernel.ts' },
  { layout: risklistLayout, prefix: 'BATCH_', kernels: ['assembly/risklist/grade.ts'], host: 'models/risklist/kernel.ts' },
] as const;

describe('argument blocks', () => {
  for (const block of argumentBlocks) {
    it(`${block.host}: every ${block.prefix}* slot is distinct, fits, and is written by the host and read by the kernel`, () => {
      const layout = block.layout as Record<string, number>;
      const length = layout[`${block.prefix}LENGTH`];
      const slots = Object.keys(layout).filter((n) => n.startsWith(block.prefix) && n !== `${block.prefix}LENGTH`);
      slotsFit(Object.fromEntries(slots.map((n) => [n, layout[n]])), block.prefix, length);
      expect(slots).toHaveLength(length);
      const host = read(block.host);
      const kernel = block.kernels.map(read).join('\n');
      expect(slots.filter((n) => !new RegExp(`\\[${n}\\] = `).test(host)), 'slots the host never writes').toEqual([]);
      expect(slots.filter((n) => !new RegExp(`Arg\\(\\w+, ${n}\\)|f64At\\(\\w+, ${n}\\)`).test(kernel)), 'slots the kernel never reads').toEqual([]);
    });
  }

  it('no exported kernel takes more than nine positional arguments', () => {
    const sources = ['landslide/iverson.ts', 'flood/muskingum.ts', 'flood/network.ts', 'flood/xinanjiang.ts', 'fire/rothermel.ts', 'fire/spread.ts', 'risklist/grade.ts', 'region/terrain.ts'];
    const long: string[] = [];
    for (const file of sources) {
      for (const m of read(`assembly/${file}`).matchAll(/export function (\w+)\s*\(([^)]*)\)/g)) {
        const count = m[2].split(',').filter((a) => a.trim()).length;
        if (count > 9) long.push(`${file} ${m[1]}: ${count}`);
      }
    }
    expect(long).toEqual([]);
  });
});

describe('memory accessors', () => {
  it('are declared once, in assembly/memory.ts: no kernel file keeps its own f64At-style copy', async () => {
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(new URL('assembly/', root), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && f !== 'memory.ts' && !f.endsWith('layout.ts'));
    const copies = files.flatMap((f) => [...read(`assembly/${f}`).matchAll(/function\s+((?:i8|u8|i32|u32|f32|f64)At|set(?:I8|U8|I32|U32|F32|F64))\s*\(/g)].map((m) => `${f}: ${m[1]}`));
    expect(files.length).toBeGreaterThan(10);
    expect(copies).toEqual([]);
  });
});
