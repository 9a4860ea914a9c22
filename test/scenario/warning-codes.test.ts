// Every model warning gets a stable code, its params and a severity (models/scenario/warning-codes.ts),
// and the app says every code in zh and en from one table (web/i18n-model-warnings.ts). The lines
// below are the models' own wording (route-plan.ts, route-output.ts, runoff.ts, slope-grid.ts,
// landslide/grid.ts, fire/spread-*.ts, scenario/run.ts, scenario/inundation.ts); the live ones are
// produced by the models here, so a changed wording fails instead of falling to `other`.
import { describe, expect, it } from 'vitest';
import { routeCaseFromValues, type RouteReachValues } from '../../models/flood/route-typed.ts';
import { flatCellsWarning } from '../../models/landslide/grid.ts';
import { floodplainSlopeFloor, floodplainSlopeFloorLine, MIN_FLOODPLAIN_SLOPE } from '../../models/scenario/inundation.ts';
import { modelWarning } from '../../models/scenario/model-warnings.ts';
import { classify, OTHER_CODE, paramNamesOf, REMEDY_CODES, WARNING_CODES } from '../../models/scenario/warning-codes.ts';
import { translate } from '../../web/i18n.ts';
import { readingOrder, warningText, whereText } from '../../web/model-warning-text.ts';

const CJK = /[\u3400-\u9fff]/;

/** One line per code (and per Muskingum remedy), with the severity the code's rule gives it. */
const SAMPLES: [string, 'info' | 'warning', string][] = [
  ['flood.substeps', 'info', 'the network was routed in 35 sub-steps of 25.7143 s (inflows interpolated linearly) so that Δt ≤ 2·K·(1−X) in every Muskingum reach and C − D ≤ 1 in every Muskingum–Cunge reach at its highest flow; outflows are reported at dt_s'],
  ['flood.substeps_capped', 'warning', 'no sub-step of dt_s down to 1/100 meets every reach\'s conditions; routing with 100 sub-steps of 36 s (inflows interpolated linearly; outflows are reported at dt_s)'],
  ['flood.reach_unstable_capped', 'warning', 'C − D > 1 at its highest flow even unsplit: stable only for steps ≤ 11.2982 s, routed with 36 s (100 sub-steps, the cap), so its outflow may oscillate; lengthen or merge the reach, or route with a shorter dt_s'],
  ['flood.more_unstable', 'warning', '… and 4 more reaches unstable at the capped sub-step'],
  ['flood.muskingum_c0_negative', 'warning', 'dt_s = 600 < 2·K·X = 720.0 s, so C0 = -0.05263 < 0 and outflow can dip below zero; use a smaller X or split the reach'],
  ['flood.muskingum_c0_negative', 'info', 'dt_s = 600 < 2·K·X = 720.0 s, so C0 = -0.05263 < 0 and outflow can dip below zero; routed as 2 sub-reaches of K = 600 s, X = 0.1 (lag K kept, attenuation K²(1−2X) kept)'],
  ['flood.muskingum_c2_negative', 'warning', 'dt_s = 3600 > 2·K·(1−X) = 1600.0 s, so C2 = -0.38462 < 0 and outflow can oscillate; use a smaller dt_s'],
  ['flood.muskingum_c2_negative', 'info', 'dt_s = 3600 > 2·K·(1−X) = 1600.0 s, so C2 = -0.38462 < 0 and outflow can oscillate; routed in 3 sub-steps of 1200 s'],
  ['flood.muskingum_substep_split', 'info', 'the network\'s sub-step of 300 s is < 2·K·X = 720.0 s; routed as 3 sub-reaches of K = 400 s, X = 0.3 (lag K kept)'],
  ['flood.diffusive_peclet', 'warning', 'diffusive wave on 40 cells has a cell Péclet number cΔx/D = 3.2 > 2 (D = 150 m²/s, c = 1.2 m/s): the outflow may oscillate'],
  ['flood.diffusive_weight', 'warning', 'dt_s would need more than 64 diffusive-wave sub-steps for non-negative Crank–Nicolson weights (largest 1.7 > 1): the outflow may oscillate'],
  ['flood.channel_subreaches_capped', 'warning', 'C + D ≥ 1 at its lowest flow would need more than 64 sub-reaches; using 64, so the outflow may dip at low flow'],
  ['flood.channel_low_flow_dip', 'warning', 'split into 36 sub-reaches, as many as stability allows (C − D ≤ 1 at its highest flow); C + D < 1 at its lowest flow, so the outflow may dip there'],
  ['flood.muskingum_unsplittable', 'warning', 'no split into ≤ 64 sub-reaches and ≤ 100 sub-steps meets 2·K·X ≤ Δt ≤ 2·K·(1−X); routed as given'],
  ['flood.more_reach_lines', 'warning', '… and 11 more reach warnings like these'],
  ['flood.negative_outflow', 'warning', 'outflow fell below zero at 1122 reach-steps (minimum -4.17149 m³/s): see the coefficient warnings'],
  ['flood.depth_unconverged', 'warning', 'the normal-depth solve did not converge 3 times; parameters there use the last iterate'],
  ['flood.basin_rain_short', 'warning', 'rain_mm has 20 steps of 24; the rest taken as 0'],
  ['flood.floodplain_slope_floor', 'warning', 'reaches over their banks flatter than 0.00001: 2 (R001, R007); their floodplain depth was computed at slope 0.00001 (118 wetted cells), so it may be too shallow there'],
  ['landslide.slope_clamped', 'warning', 'ground slope 63.4° is steeper than the model\'s 60°: run at 60°'],
  ['landslide.blocks_clamped', 'warning', '37 blocks steeper than 60° on average were run at 60°, the steepest the model takes'],
  ['landslide.no_slope_grid', 'warning', 'the slope grid runs on hourly rain, so it needs a step_s that divides 3600 s and a run of an hour or more (got 5400 s over 86400 s): this run has no slope grid, only the monitored slopes'],
  ['landslide.flat_cells', 'info', '12 flat cells (slope below 1e-6°) have no infinite-slope factor of safety: written as NODATA'],
  ['fire.wind_before_first', 'warning', '$.wind.series[0] starts at t_s 60: its wind also blows before then'],
  ['fire.nodata_fuel', 'warning', '12 cells of NODATA fuel do not burn'],
  ['fire.nodata_terrain', 'warning', '5 cells with NODATA slope or elevation are treated as flat'],
  ['fire.fuel_too_wet', 'info', 'fuel models GR1, GS2 do not spread at this moisture (at or above extinction)'],
  ['fire.ignition_late', 'warning', '$.ignitions[1] starts at t_s 90000, after duration_s 86400: it burns nothing'],
  ['fire.barrier_outside', 'warning', '$.barriers[0] lies wholly outside the grid and blocks nothing'],
  [OTHER_CODE, 'warning', 'a line no rule knows yet'],
];

describe('each model line gets its code, severity and params', () => {
  it.each(SAMPLES)('%s (%s)', (code, severity, what) => {
    expect(classify(what)).toMatchObject({ code, severity });
  });

  it('every code and every Muskingum remedy has a sample line', () => {
    expect([...new Set(SAMPLES.map(([code]) => code))].sort()).toEqual([...WARNING_CODES].sort());
    const remedies = SAMPLES.map(([, , what]) => classify(what).params.remedy).filter((r) => r !== undefined);
    expect(REMEDY_CODES.filter((r) => !remedies.includes(r))).toEqual([]);
  });

  it('params are the line\'s numbers and names, digits as written', () => {
    expect(classify(SAMPLES[0][2]).params).toEqual({ substeps: 35, sub_dt_s: 25.7143 });
    expect(classify('outflow fell below zero at 1122 reach-steps (minimum -4.17149 m³/s): see the coefficient warnings').params).toEqual({ reach_steps: 1122, min_m3_per_s: -4.17149 });
    // "720.0" would lose its digit as a number: it stays the model's text.
    expect(classify(SAMPLES[5][2]).params).toEqual({ dt_s: 600, two_kx_s: '720.0', c0: -0.05263, remedy: 'subreaches_attenuation', n: 2, k_s: 600, x: 0.1 });
    expect(classify('fuel models GR1, GS2 do not spread at this moisture (at or above extinction)').params).toEqual({ fuels: 'GR1, GS2' });
    expect(classify('a line no rule knows yet')).toEqual({ severity: 'warning', code: 'other', params: { text: 'a line no rule knows yet' } });
    // A known start with a tail no remedy knows is not guessed at.
    expect(classify('dt_s = 600 < 2·K·X = 720.0 s, so C0 = -0.05263 < 0 and outflow can dip below zero; something new').code).toBe(OTHER_CODE);
  });
});

describe('the live lines of the models', () => {
  const flow = Float64Array.from({ length: 25 }, (_, j) => 5 * Math.max(0.05, 1 - Math.abs(j - 10) / 8));
  const muskingum = (kS: number, x: number, dtS: number) => routeCaseFromValues({
    dtS, steps: 24, reaches: [{ id: 'a', downstream: null, method: 'muskingum', K_s: kS, X: x } as unknown as RouteReachValues], inflows: [{ reach: 'a', m3PerS: flow }], lateral: [],
  } as never).warnings;

  it('the router: sub-steps that met the bound and a split that resolved C0 < 0 are information', () => {
    const [substeps, c2] = muskingum(1000, 0.2, 3600);
    expect(modelWarning('flood', 'network', substeps)).toMatchObject({ severity: 'info', code: 'flood.substeps', params: { substeps: 3, sub_dt_s: 1200 } });
    expect(c2).toBe('reach a: dt_s = 3600 > 2·K·(1−X) = 1600.0 s, so C2 = -0.38462 < 0 and outflow can oscillate; routed in 3 sub-steps of 1200 s');
    const [c0] = muskingum(1200, 0.3, 600);
    expect(classify(c0.slice('reach a: '.length))).toMatchObject({ severity: 'info', code: 'flood.muskingum_c0_negative', params: { remedy: 'subreaches_attenuation', n: 2 } });
  });

  it('the landslide grid\'s flat cells are information', () => {
    expect(classify(flatCellsWarning(12))).toMatchObject({ severity: 'info', code: 'landslide.flat_cells', params: { cells: 12 } });
  });

  it('the floodplain slope floor names the overbank reaches flatter than the floor and the cells they wet', () => {
    const region = { manifest: { reaches: [{ id: 'R1' }, { id: 'R2' }, { id: 'R3' }] }, basins: { values: Int32Array.of(0, 0, 1, 1, 2, 2, -1) } };
    const h = (slope: number) => ({ slope, bankfullM3PerS: 10 });
    const setup = { hydraulics: new Map([['R1', h(2e-6)], ['R2', h(2e-6)], ['R3', h(1e-3)]]) } as never;
    // R1 over its banks and flatter than the floor; R2 flat but within its banks; R3 over but steep.
    const route = { reaches: { R1: { peak_m3_per_s: 30 }, R2: { peak_m3_per_s: 8 }, R3: { peak_m3_per_s: 30 } } } as never;
    const depth = Float32Array.of(0.4, 0, 0, 0, 0.5, 0.2, NaN);
    const floored = floodplainSlopeFloor(region, route, setup, depth);
    expect(floored).toEqual({ reaches: ['R1'], cells: 1 });
    const line = floodplainSlopeFloorLine(floored)!;
    expect(line).toBe('reaches over their banks flatter than 0.00001: 1 (R1); their floodplain depth was computed at slope 0.00001 (1 wetted cells), so it may be too shallow there');
    expect(classify(line)).toEqual({ severity: 'warning', code: 'flood.floodplain_slope_floor', params: { floor: MIN_FLOODPLAIN_SLOPE, reaches: 1, ids: 'R1', cells: 1 } });
    expect(floodplainSlopeFloorLine({ reaches: [], cells: 0 })).toBeUndefined();
  });
});

describe('the app says every code in zh and in en', () => {
  it('every code has both languages, with only the params its line carries', () => {
    for (const code of WARNING_CODES) {
      const key = `modelWarning_${code}`;
      const names = paramNamesOf(code);
      for (const lang of ['zh-CN', 'en'] as const) {
        const text = translate(lang, key);
        expect(text, `${code} in ${lang}`).not.toBe(key);
        const used = [...text.matchAll(/\{@?(\w+)\}/g)].map((m) => m[1]);
        expect(used.filter((n) => !names.includes(n)), `${code} in ${lang}`).toEqual([]);
      }
    }
    for (const remedy of REMEDY_CODES) for (const lang of ['zh-CN', 'en'] as const) expect(translate(lang, `modelWarningRemedy_${remedy}`)).not.toBe(`modelWarningRemedy_${remedy}`);
  });

  it.each(SAMPLES)('%s: English gives back the model\'s line; Chinese is Chinese, every param filled', (code, _severity, what) => {
    const w = modelWarning('flood', 'network', what);
    expect(warningText(w, 'en')).toBe(what);
    const zh = warningText(w, 'zh-CN');
    expect(zh).not.toMatch(/\{@?\w+\}/);
    if (code !== OTHER_CODE) expect(zh).toMatch(CJK);
    for (const value of Object.values(w.params)) if (typeof value === 'number') expect(zh).toContain(String(value));
  });

  it('a warning without a code, or with one the app does not know, shows the model\'s line', () => {
    expect(warningText({ model: 'flood', where: 'network', what: 'as written' }, 'zh-CN')).toBe('as written');
    expect(warningText({ model: 'flood', where: 'network', what: 'as written', code: 'flood.newer', params: {} }, 'zh-CN')).toBe('as written');
  });

  it('places: kind words and whole places translated, JSON paths and ids as written', () => {
    expect(whereText('reach R012', 'zh-CN')).toBe('河段 R012');
    expect(whereText('reach A: $& B', 'zh-CN')).toBe('河段 A: $& B');
    expect(whereText('network', 'zh-CN')).toBe('河网');
    expect(whereText('slope grid', 'zh-CN')).toBe('坡面网格');
    expect(whereText('slope UP-01', 'zh-CN')).toBe('边坡 UP-01');
    expect(whereText('$.forcing.wind[0]', 'zh-CN')).toBe('$.forcing.wind[0]');
    expect(whereText('reach R012', 'en')).toBe('reach R012');
  });
});

describe('the notice\'s reading order', () => {
  it('run-wide lines first, then reach lines, then the "… and N more" lines, each part in the run\'s order', () => {
    const lines = [
      modelWarning('flood', 'reach R089', SAMPLES[12][2]), modelWarning('flood', 'reach R057', SAMPLES[12][2]),
      modelWarning('flood', 'network', '… and 11 more reach warnings like these'),
      modelWarning('flood', 'network', 'outflow fell below zero at 1122 reach-steps (minimum -4.17149 m³/s): see the coefficient warnings'),
      modelWarning('landslide', 'slope grid', '37 blocks steeper than 60° on average were run at 60°, the steepest the model takes'),
    ];
    expect(readingOrder(lines).map((w) => w.where)).toEqual(['network', 'slope grid', 'reach R089', 'reach R057', 'network']);
  });
});
