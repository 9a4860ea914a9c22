// What-if: a copy of a scenario with one change an analyst asks for, and the side-by-side
// comparison of the two runs' key outcomes. The original is never modified.
import type { runSummary } from './outputs.ts';
import type { Scenario } from './schema.ts';

export interface WhatIfChange {
  /** Multiplies the areal rain at every hour. */
  rainFactor?: number;
  /** Turns the wind: degrees added to where it blows from (clockwise). */
  windShiftDeg?: number;
  /** Multiplies the wind speed. */
  windFactor?: number;
  /** A fire break cut at t = 0 along this line, map metres. */
  fireBreak?: [number, number][];
}

type Json = Record<string, unknown>;

export function describeChange(change: WhatIfChange): string {
  const parts: string[] = [];
  if (change.rainFactor !== undefined && change.rainFactor !== 1) parts.push(`rain ×${change.rainFactor}`);
  if (change.windShiftDeg) parts.push(`wind ${change.windShiftDeg > 0 ? '+' : ''}${change.windShiftDeg}°`);
  if (change.windFactor !== undefined && change.windFactor !== 1) parts.push(`wind ×${change.windFactor}`);
  if (change.fireBreak) parts.push('fire break');
  return parts.join(', ') || 'no change';
}

export function applyWhatIf(scenario: unknown, change: WhatIfChange): Json {
  const copy = structuredClone(scenario) as Json;
  copy.id = `${copy.id as string}-whatif`;
  copy.title = `${copy.title as string} (what-if: ${describeChange(change)})`;
  copy.title_zh = `${(copy.title_zh ?? copy.title) as string}（推演假设：${describeChange(change)}）`;
  const forcing = copy.forcing as Json;
  if (change.rainFactor !== undefined) {
    const rain = forcing.rain as Json;
    const scale = (series: number[]) => series.map((r) => r * change.rainFactor!);
    if (Array.isArray(rain.mm_per_h)) rain.mm_per_h = scale(rain.mm_per_h as number[]);
    else if (rain.basins && typeof rain.basins === 'object') rain.basins = Object.fromEntries(Object.entries(rain.basins as Record<string, number[]>).map(([id, s]) => [id, scale(s)]));
    else rain.factor = ((rain.factor as number | undefined) ?? 1) * change.rainFactor; // grids: one factor over every grid
  }
  if (change.windShiftDeg !== undefined || change.windFactor !== undefined) {
    forcing.wind = (forcing.wind as Json[]).map((w) => ({
      ...w,
      from_deg: (((w.from_deg as number) + (change.windShiftDeg ?? 0)) % 360 + 360) % 360,
      speed_10m_m_per_s: (w.speed_10m_m_per_s as number) * (change.windFactor ?? 1),
    }));
  }
  if (change.fireBreak) {
    const injects = (copy.injects as Json[] | undefined) ?? [];
    copy.injects = [...injects, {
      id: 'WHATIF-BREAK', sequence: injects.length + 1, trigger: { type: 'time', t_s: 0 }, kind: 'model-change',
      title: 'What-if: fire break cut before the fire', action: { type: 'barrier', polyline_m: change.fireBreak },
    }];
  }
  return copy;
}

type Summary = ReturnType<typeof runSummary>;

/** What a comparison row measures: the app names it in the UI's language (web/i18n.ts, `whatif_<metric>`). */
export type ComparisonMetric = 'gauge_peak' | 'flooded_area' | 'people_flooded' | 'slopes_fs_below_1' | 'items_red' | 'warnings_issued' | 'people_red_peak' | 'burned_area' | 'people_burned';

/** `key` is the row's stable English name (records keep it); `metric` and `gauge` let the app label it. */
export interface ComparisonRow { key: string; metric: ComparisonMetric; gauge?: string; base: number | null; variant: number | null; unit: string }

/** The outcomes an analyst compares, base beside variant. */
export function compareSummaries(base: Summary, variant: Summary): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  for (const g of base.gauges) {
    const v = variant.gauges.find((x) => x.id === g.id);
    rows.push({ key: `${g.id} peak`, metric: 'gauge_peak', gauge: g.id, base: g.peak_m3_per_s, variant: v?.peak_m3_per_s ?? null, unit: 'm³/s' });
  }
  // The flood's reach on land (cells deeper than FLOODED_DEPTH_M, models/scenario/inundation.ts).
  if (base.inundation || variant.inundation) {
    rows.push({ key: 'flooded area', metric: 'flooded_area', base: base.inundation?.flooded_area_km2 ?? 0, variant: variant.inundation?.flooded_area_km2 ?? 0, unit: 'km²' });
    rows.push({ key: 'people in flooded cells', metric: 'people_flooded', base: base.inundation?.people_in_flooded_cells ?? 0, variant: variant.inundation?.people_in_flooded_cells ?? 0, unit: '' });
  }
  rows.push({ key: 'slopes with FS < 1', metric: 'slopes_fs_below_1', base: base.slopes.fs_below_1, variant: variant.slopes.fs_below_1, unit: '' });
  rows.push({ key: 'items reaching red', metric: 'items_red', base: base.risk_list.reached_by_level[4] ?? 0, variant: variant.risk_list.reached_by_level[4] ?? 0, unit: '' });
  rows.push({ key: 'warnings issued', metric: 'warnings_issued', base: base.warnings.issued, variant: variant.warnings.issued, unit: '' });
  rows.push({ key: 'people under red warning (peak)', metric: 'people_red_peak', base: base.people_under_warning_peak[4], variant: variant.people_under_warning_peak[4], unit: '' });
  if (base.fire || variant.fire) {
    rows.push({ key: 'burned area', metric: 'burned_area', base: base.fire?.burned_area_km2 ?? 0, variant: variant.fire?.burned_area_km2 ?? 0, unit: 'km²' });
    rows.push({ key: 'people in burned cells', metric: 'people_burned', base: base.fire?.people_in_burned_cells ?? 0, variant: variant.fire?.people_in_burned_cells ?? 0, unit: '' });
  }
  return rows;
}

/** A what-if lever the trainer can move: the scenario's what-if parameters, and the fire break. */
export type WhatIfLever = 'rain_factor' | 'wind_shift_deg' | 'wind_factor' | 'fire_break';

/**
 * The levers that can change this scenario's outcome. Rain drives the flood and the slopes, so it
 * matters when the scenario has rain (scaling a dry day changes nothing). Wind acts only on the
 * fire spread (models/scenario/fire-coupling.ts is its one reader), and a fire break only on a
 * fire: both only when the run burns.
 */
export function whatIfLevers(scenario: Pick<Scenario, 'rain'>, burns: boolean): WhatIfLever[] {
  const rain = scenario.rain;
  const rainy = rain.grids !== undefined
    || (rain.series?.values.some((v) => v > 0) ?? false)
    || Object.values(rain.basins?.byBasin ?? {}).some((s) => s.some((v) => v > 0));
  return [...(rainy ? ['rain_factor' as const] : []), ...(burns ? ['wind_shift_deg' as const, 'wind_factor' as const, 'fire_break' as const] : [])];
}

/**
 * Keeps only the levers that matter and were moved: a wind change asked of a storm without fire, or
 * a factor left at 1, is not a setting used (the record and the panel list what changed).
 */
export function effectiveChange(change: WhatIfChange, levers: readonly WhatIfLever[]): WhatIfChange {
  return {
    ...(levers.includes('rain_factor') && change.rainFactor !== undefined && change.rainFactor !== 1 ? { rainFactor: change.rainFactor } : {}),
    ...(levers.includes('wind_shift_deg') && change.windShiftDeg ? { windShiftDeg: change.windShiftDeg } : {}),
    ...(levers.includes('wind_factor') && change.windFactor !== undefined && change.windFactor !== 1 ? { windFactor: change.windFactor } : {}),
    ...(levers.includes('fire_break') && change.fireBreak ? { fireBreak: change.fireBreak } : {}),
  };
}

/** A what-if as the after-action record keeps it: when it was run, with what, and what came out. */
export interface WhatIfRecord {
  t_s: number;
  settings: { rain_factor?: number; wind_shift_deg?: number; wind_factor?: number; fire_break?: boolean };
  described: string;
  results_sha256: string;
  outcomes: ComparisonRow[];
}

export function whatIfRecord(tS: number, change: WhatIfChange, rows: readonly ComparisonRow[], resultsSha256: string): WhatIfRecord {
  return {
    t_s: tS,
    settings: {
      ...(change.rainFactor !== undefined ? { rain_factor: change.rainFactor } : {}),
      ...(change.windShiftDeg !== undefined ? { wind_shift_deg: change.windShiftDeg } : {}),
      ...(change.windFactor !== undefined ? { wind_factor: change.windFactor } : {}),
      ...(change.fireBreak ? { fire_break: true } : {}),
    },
    described: describeChange(change),
    results_sha256: resultsSha256,
    outcomes: rows.map((r) => ({ ...r })),
  };
}
