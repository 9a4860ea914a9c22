// Every declaration of every model, checked the way landlab checks every component's metadata:
// each field carries a unit, a range, a description and labels in English and Chinese, and one
// field name means one unit and one range wherever it is declared (models/*/spec.ts, the
// scenario's schema and its models block). A new spec file is picked up without editing this test.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const specFiles = [
  ...readdirSync(join(root, 'models'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && readdirSync(join(root, 'models', d.name)).includes('spec.ts'))
    .map((d) => `models/${d.name}/spec.ts`),
  'models/scenario/schema.ts',
  'models/scenario/model-settings.ts',
];

interface Field { where: string; name: string; decl: Record<string, unknown> }

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInput = (v: unknown): v is Obj => isObj(v) && ['number', 'boolean', 'choice', 'file'].includes(v.kind as string);
const isOutput = (v: unknown): v is Obj => isObj(v) && v.kind === undefined && typeof v.unit === 'string' && isObj(v.label);

/** Every input field and output field a module exports, by name and where it is declared. */
function collect(file: string, module: Obj): { inputs: Field[]; outputs: Field[] } {
  const inputs: Field[] = [];
  const outputs: Field[] = [];
  const visit = (value: unknown, where: string, name: string | undefined, depth: number) => {
    if (isInput(value)) { inputs.push({ where, name: name ?? where, decl: value }); return; }
    if (isOutput(value)) { outputs.push({ where, name: name ?? where, decl: value }); return; }
    if (depth > 3) return;
    if (Array.isArray(value)) value.forEach((v, k) => visit(v, `${where}[${k}]`, undefined, depth + 1));
    else if (isObj(value)) {
      // A contract's input group names its fields by the keys of `params`.
      if (typeof value.at === 'string' && isObj(value.params)) {
        for (const [key, v] of Object.entries(value.params)) visit(v, `${where} ${value.at}.${key}`, key, depth + 1);
        return;
      }
      for (const [key, v] of Object.entries(value)) visit(v, `${where}.${key}`, isInput(v) || isOutput(v) ? key : undefined, depth + 1);
    }
  };
  for (const [exported, value] of Object.entries(module)) visit(value, `${file}:${exported}`, undefined, 0);
  return { inputs, outputs };
}

const modules = await Promise.all(specFiles.map(async (f) => ({ file: f, module: await import(join(root, f)) as Obj })));
const all = modules.map(({ file, module }) => collect(file, module));
const inputs = all.flatMap((a) => a.inputs);
const outputs = all.flatMap((a) => a.outputs);

/**
 * Names that are deliberately different quantities in different places (never a range written
 * twice by accident). Each entry says why; everything else must agree.
 */
const SAME_NAME_DIFFERENT_RANGE: Record<string, string> = {
  // The routing step may be up to a month; a runoff step is bounded by the daily coefficients
  // (KI, KG, CI, CG are converted from daily values) to [1 min, 1 day].
  dt_s: 'flood route vs flood runoff time step',
  // A fire spread case runs at most 30 days of fire; a scenario may last 31 days (a month of
  // forcing) and its fire stops at the end of the fire model's own limit.
  duration_s: 'fire spread duration vs scenario duration',
  // A landslide case's rain period may be any length up to a year (design storms); the scenario's
  // rain periods are coupling-sized (a minute to a day), and river gauges report every few seconds.
  period_s: 'landslide rain period vs scenario rain and inflow periods',
  // A landslide case alone takes short bursts up to 0.01 m/s (36 000 mm/h); the scenario's areal
  // rain is capped at 300 mm/h so one coupling step never exceeds the runoff model's per-step depth.
  mm_per_h: 'landslide rain burst vs scenario areal rain',
  // Flat ground burns (fire from 0°, below 90° where tan δ is finite); an infinite slope needs a
  // slope for a factor of safety at all (landslide from 1e-6°, models/landslide/spec.ts).
  slope_deg: 'fire slope vs landslide slope',
  // Times: a risk-list run may span 1e12 s; wind changes and fire times are bounded by their run.
  t_s: 'risk-list times vs scenario wind times vs fire times',
};

describe('every declared field (models/*/spec.ts, scenario schema and models block)', () => {
  it('finds the specs of every model', () => {
    expect(specFiles).toEqual(expect.arrayContaining(['models/fire/spec.ts', 'models/flood/spec.ts', 'models/landslide/spec.ts', 'models/risklist/spec.ts']));
    expect(inputs.length).toBeGreaterThan(100);
    expect(outputs.length).toBeGreaterThan(30);
  });

  it.each(inputs.map((f) => [f.where, f] as const))('%s has unit, range, description and both labels', (_, { decl }) => {
    const label = decl.label as { en?: unknown; zh?: unknown } | undefined;
    expect(typeof label?.en === 'string' && label.en.trim() !== '').toBe(true);
    expect(typeof label?.zh === 'string' && /[\u4e00-\u9fff]/.test(label.zh)).toBe(true);
    expect(typeof decl.description === 'string' && decl.description.trim() !== '').toBe(true);
    if (decl.kind === 'number') {
      expect(typeof decl.unit === 'string' && decl.unit !== '').toBe(true);
      expect(Number.isFinite(decl.min) && Number.isFinite(decl.max)).toBe(true);
      expect(decl.min as number).toBeLessThan(decl.max as number);
      if (decl.default !== undefined) {
        expect(decl.default as number).toBeGreaterThanOrEqual(decl.min as number);
        expect(decl.default as number).toBeLessThanOrEqual(decl.max as number);
      }
    }
    if (decl.kind === 'choice') expect((decl.choices as string[]).includes(decl.default as string)).toBe(true);
  });

  it.each(outputs.map((f) => [f.where, f] as const))('output %s has unit, description and both labels', (_, { decl }) => {
    const label = decl.label as { en: string; zh: string };
    expect(label.en.trim()).not.toBe('');
    expect(label.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(String(decl.description).trim()).not.toBe('');
    expect(String(decl.unit)).not.toBe('');
  });

  it('one input name means one unit and one range everywhere (or is a listed exception)', () => {
    const byName = new Map<string, Map<string, string[]>>();
    for (const f of inputs.filter((i) => i.decl.kind === 'number')) {
      const d = f.decl;
      const key = `${d.unit} ${d.exclusiveMin ? '(' : '['}${d.min}, ${d.max}${d.exclusiveMax ? ')' : ']'}${d.integer ? ' integer' : ''}`;
      const variants = byName.get(f.name) ?? new Map<string, string[]>();
      variants.set(key, [...(variants.get(key) ?? []), f.where]);
      byName.set(f.name, variants);
    }
    const conflicts = [...byName].filter(([name, v]) => v.size > 1 && !(name in SAME_NAME_DIFFERENT_RANGE))
      .map(([name, v]) => `${name}: ${[...v].map(([k, w]) => `${k} at ${w.join(', ')}`).join(' | ')}`);
    expect(conflicts).toEqual([]);
    // An exception that no longer differs must leave the list.
    const stale = Object.keys(SAME_NAME_DIFFERENT_RANGE).filter((name) => (byName.get(name)?.size ?? 0) < 2);
    expect(stale).toEqual([]);
  });

  it('one output name means one unit everywhere', () => {
    const units = new Map<string, Set<string>>();
    for (const f of outputs) units.set(f.name, (units.get(f.name) ?? new Set()).add(String(f.decl.unit)));
    expect([...units].filter(([, u]) => u.size > 1).map(([n, u]) => `${n}: ${[...u].join(', ')}`)).toEqual([]);
  });
});
