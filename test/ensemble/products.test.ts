// The products against the deterministic run and against themselves: one unperturbed member
// gives exactly the run's indicators; the reduce gives the same bytes for any order and any
// split of the members; more rain never lowers a flood probability.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import { parseEnsembleBlock } from '../../models/ensemble/block.ts';
import { memberContext, runMember, type MemberContext, type MemberResult } from '../../models/ensemble/member.ts';
import { layoutOf, membersCsv, nearestRank, reduceMembers, type Layout } from '../../models/ensemble/reduce.ts';
import { parseAsciiGrid } from '../../models/grid/ascii.ts';
import { FLOODED_DEPTH_M } from '../../models/scenario/inundation.ts';
import { runScenario, type ScenarioRun } from '../../models/scenario/run.ts';

const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const storm = JSON.parse(readFileSync(join(fixture, 'storm-6h.json'), 'utf8')) as Record<string, unknown>;
const engine = createNodeEngine();
const withBlock = (ensemble: unknown) => ({ ...storm, ensemble });
/** Another block on the same loaded region (a region load is the slow part of a context). */
const withSpec = (ctx: MemberContext, ensemble: unknown, members?: number): MemberContext =>
  ({ ...ctx, raw: withBlock(ensemble), spec: parseEnsembleBlock(ensemble, ctx.base.seed, members === undefined ? {} : { members }) });

let plain: MemberContext;
let run: ScenarioRun;
let layout: Layout;
let unperturbed: Promise<MemberResult> | undefined;
/** Two members with rain × U(low, high), reduced. */
const rainBlock = (low: number, high: number) => withSpec(plain, { members: 2, seed: 11, perturbations: { rain_scale: { distribution: 'uniform', min: low, max: high } } });
async function reduceAll(ctx: MemberContext) {
  const out: MemberResult[] = [];
  for (let i = 0; i < ctx.spec.members; i++) out.push(await runMember(ctx, i));
  return { files: reduceMembers(layout, out), out };
}
let drier: ReturnType<typeof reduceAll> | undefined;
/** The pair with rain × U(0.6, 1.0), run once: the reduce and the monotonicity tests share it. */
const drierPair = () => (drier ??= reduceAll(rainBlock(0.6, 1.0)));
/** The one unperturbed member, run once for the tests that need it. */
const plainMember = () => (unperturbed ??= runMember(plain, 0));
beforeAll(async () => {
  plain = await memberContext(engine, withBlock({ members: 1, perturbations: {} }), fixture);
  run = await runScenario(engine, plain.base, plain.region);
  layout = layoutOf(plain.base, plain.region);
}, 60_000);

describe('nearest-rank quantiles (Hyndman & Fan 1996, definition 1)', () => {
  it('pick a member value: of 1…20, q05 = 1, q50 = 10, q95 = 19', () => {
    const values = Float64Array.from({ length: 20 }, (_, k) => k + 1);
    expect([5, 50, 95].map((q) => nearestRank(values, q))).toEqual([1, 10, 19]);
    expect(nearestRank([3], 5)).toBe(3);
  });
});

describe('one unperturbed member', () => {
  it('gives the deterministic run\'s indicators exactly', async () => {
    const member = await plainMember();
    expect(member.problem).toBeUndefined();
    const files = reduceMembers(layout, [member]);
    // Flooded cells: P = 1 exactly where the run's depth reaches FLOODED_DEPTH_M, 0 elsewhere.
    const p = parseAsciiGrid(files['flood/p_depth_over_0.3m.asc'], 'p.asc').values;
    let flooded = 0; let wrong = 0;
    run.inundation!.maxDepthM.forEach((d, i) => {
      const expected = Number.isNaN(d) ? NaN : d >= FLOODED_DEPTH_M ? 1 : 0;
      if (!Object.is(p[i], expected)) wrong++;
      if (expected === 1) flooded++;
    });
    expect(wrong).toBe(0);
    expect(flooded).toBeGreaterThan(100);
    // Gauge quantiles are the run's own hydrograph, to the millimetre per second.
    const rows = files['flood/gauge_quantiles.csv'].trim().split('\n').map((l) => l.split(','));
    const main = run.gauges.find((g) => g.id === 'G-main')!;
    const q50 = rows[0].indexOf('G-main_q50_m3_per_s');
    rows.slice(1).forEach((row, k) => expect(Number(row[q50])).toBe(Number(run.route!.reaches[main.reach].outflow_m3_per_s[k].toFixed(3))));
    // Reach exceedance is 1 exactly when the run's flow is above the reach's warning flow.
    const over = files['flood/p_flow_over_warning.csv'].trim().split('\n').map((l) => l.split(','));
    const column = over[0].indexOf(`${main.reach}_p`);
    over.slice(1).forEach((row, k) => expect(Number(row[column])).toBe(run.route!.reaches[main.reach].outflow_m3_per_s[k] > main.bankfullM3PerS ? 1 : 0));
    // Slope blocks: P(FS < 1) = 1 where the run's grid failed, the first-failure median its time.
    const pfs = parseAsciiGrid(files['landslide/p_fs_below_1.asc'], 'p.asc').values;
    const q50t = parseAsciiGrid(files['landslide/first_failure_t_s_q50.asc'], 't.asc').values;
    run.slopeGrid!.firstBelow1S.values.forEach((t, i) => {
      if (Number.isNaN(t)) expect(pfs[i] === 0 || Number.isNaN(pfs[i])).toBe(true);
      else { expect(pfs[i]).toBe(1); expect(q50t[i]).toBe(t); }
    });
    // Risk items: P(level ≥ L) is 1 up to the level the item reached in the run.
    const reached = new Map<string, number>();
    for (const c of run.risk.changes) reached.set(c.item, Math.max(reached.get(c.item) ?? 0, c.to));
    const items = files['risk/items.csv'].trim().split('\n').slice(1).map((l) => l.split(','));
    items.forEach(([id, , , ...ps]) => {
      const top = Math.max(reached.get(id) ?? 0, run.risk.final[id] ?? 0);
      expect(ps.map(Number)).toEqual([1, 2, 3, 4].map((l) => (top >= l ? 1 : 0)));
    });
    expect(member.headline!.people_flooded).toBe(run.inundation!.people);
  });
});

describe('the reduce', () => {
  it('is the same bytes for any completion order and any split of the members; bad members stay out', async () => {
    // Three different members already run for other tests: the drier pair below and the unperturbed one.
    const members: MemberResult[] = [...(await drierPair()).out, { ...(await plainMember()), index: 2 }];
    const bad: MemberResult = { index: 3, inputs: { rain_scale: 9 }, problem: 'non-finite flow at gauge G-main', hash: 'x' };
    const inOrder = reduceMembers(layout, [...members, bad]);
    expect(reduceMembers(layout, [members[2], bad, members[0], members[1]])).toEqual(inOrder);
    expect(reduceMembers(layout, members)).toEqual(inOrder);
    // A retried member delivered twice counts once; two different results for one member are a bug.
    expect(reduceMembers(layout, [...members, members[1], bad])).toEqual(inOrder);
    expect(membersCsv([members[0], members[0]])).toBe(membersCsv([members[0]]));
    expect(() => reduceMembers(layout, [members[0], { ...members[1], index: 0 }])).toThrow(/^member 0 gave two different results/);
    // Probabilities are counts over the good members: thirds.
    const p = parseAsciiGrid(inOrder['flood/p_depth_over_0.3m.asc'], 'p.asc').values;
    const seen = new Set<number>(); p.forEach((v) => { if (!Number.isNaN(v)) seen.add(v); });
    expect([...seen].sort()).toEqual(expect.arrayContaining([0, 1]));
    for (const v of seen) expect([0, 0.333333, 0.666667, 1]).toContain(v);
  });

  it('more rain never lowers a flood probability (each member\'s rain × 1.3)', async () => {
    const a = await drierPair();
    const b = await reduceAll(rainBlock(0.78, 1.3));
    a.out.forEach((m, i) => expect(b.out[i].inputs.rain_scale).toBeCloseTo(m.inputs.rain_scale * 1.3, 6));
    const pa = parseAsciiGrid(a.files['flood/p_depth_over_0.3m.asc'], 'a').values;
    const pb = parseAsciiGrid(b.files['flood/p_depth_over_0.3m.asc'], 'b').values;
    let higher = 0; let lower = 0;
    pa.forEach((v, i) => { if (pb[i] > v) higher++; else if (pb[i] < v) lower++; });
    expect(lower).toBe(0);
    expect(higher).toBeGreaterThan(0);
    const rows = (f: Record<string, string>) => f['flood/p_flow_over_warning.csv'].trim().split('\n').slice(1).map((l) => l.split(',').slice(2).map(Number));
    const ra = rows(a.files); const rb = rows(b.files);
    ra.forEach((row, k) => row.forEach((v, r) => expect(rb[k][r]).toBeGreaterThanOrEqual(v)));
  });

  it('leaves a bad member out, reported with its index, inputs and reason', async () => {
    // Rain × 9–10 puts the storm's 61 mm/h peak beyond the scenario's 300 mm/h: the draw is refused.
    const ctx = withSpec(plain, { members: 1, seed: 3, perturbations: { rain_scale: { distribution: 'uniform', min: 9, max: 10 } } });
    const bad = await runMember(ctx, 0);
    expect(bad.problem).toMatch(/^\$\.forcing\.rain\.mm_per_h\[\d+\]: out of range/);
    expect(bad.inputs.rain_scale).toBeGreaterThanOrEqual(9);
    const good = await plainMember();
    expect(reduceMembers(layout, [{ ...bad, index: 1 }, good])).toEqual(reduceMembers(layout, [good]));
  });

  it('gives burn probability and conditional flame length from counts and whole millimetres', () => {
    const member = (index: number, burned: number[], flameMm: number[]): MemberResult => ({
      index, inputs: {}, burned, flameMm, itemMax: plain.region.items.map(() => 1), districtMax: plain.region.manifest.districts.map(() => 0), headline: { burned_area_km2: burned.length * 4e-4 }, hash: String(index),
    });
    const files = reduceMembers(layout, [member(0, [10, 11], [1000, 2500]), member(1, [11], [3001]), member(2, [], []), member(3, [11, 12], [4000, 1])]);
    const p = parseAsciiGrid(files['fire/burn_probability.asc'], 'p').values;
    const flame = parseAsciiGrid(files['fire/conditional_flame_length_m.asc'], 'f').values;
    expect([p[9], p[10], p[11], p[12]]).toEqual([0, 0.25, 0.75, 0.25]);
    // Cell 11: (2.5 + 3.001 + 4.0) / 3 = 3.167 m; never-burned cells have no conditional value.
    expect([flame[9], flame[10], flame[11], flame[12]]).toEqual([NaN, 1, 3.167, 0.001]);
    expect(files['exposure_quantiles.csv']).toBe('metric,members,q05,q50,q95\nburned_area_km2,4,0,0.0004,0.0008\n');
  });
});

describe('probability grids', () => {
  it('hold count / members to 6 decimals for every count, NaN on cells no flood reaches', () => {
    // Three hand-made members: cell k of `wet` is flooded in k % 4 of them (0, 1, 2 or 3 of 3).
    const wet = Array.from(layout.dryMask.keys()).filter((i) => !layout.dryMask[i]).slice(0, 40);
    const member = (index: number): MemberResult => ({
      index, inputs: {}, hash: `h${index}`, headline: {},
      flooded: wet.filter((_, k) => k % 4 > index),
      itemMax: plain.region.items.map(() => 0), districtMax: plain.region.manifest.districts.map(() => 0),
    });
    const p = parseAsciiGrid(reduceMembers(layout, [member(0), member(1), member(2)])['flood/p_depth_over_0.3m.asc'], 'p.asc').values;
    expect(wet.map((i) => p[i])).toEqual(wet.map((_, k) => Number(((k % 4) / 3).toFixed(6))));
    expect(wet.slice(0, 4).map((i) => p[i])).toEqual([0, 0.333333, 0.666667, 1]);
    const dry = layout.dryMask.indexOf(1);
    expect(dry).toBeGreaterThanOrEqual(0);
    expect(Number.isNaN(p[dry])).toBe(true);
  });
});
