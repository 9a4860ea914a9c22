// A what-if's settings and outcome rows in the UI's language: the panel shows them beside the
// comparison and the printed after-action report lists them (models/scenario/whatif.ts keeps the
// record's English keys).
import { whatIfParams } from '../models/scenario/schema.ts';
import { MAX_KEPT_CHART_VALUES, MAX_RECORD_CURVE_VALUES, MAX_WHATIF_CURVES, MAX_WHATIF_GAUGE_ROWS } from '../models/limits.ts';
import type { CurvesOmitted } from '../models/scenario/whatif-curves.ts';
import type { ComparisonRow, WhatIfRecord } from '../models/scenario/whatif.ts';
import { translate, type Lang } from './i18n.ts';
import { formatInUnit, formatQuantity } from './quantity-format.ts';

export function settingsText(settings: WhatIfRecord['settings'], lang: Lang): string {
  const label = (lever: keyof typeof whatIfParams) => whatIfParams[lever].label[lang === 'zh-CN' ? 'zh' : 'en'];
  const parts: string[] = [];
  if (settings.rain_factor !== undefined) parts.push(`${label('rain_factor')} ×${settings.rain_factor.toFixed(1)}`);
  if (settings.wind_shift_deg !== undefined) parts.push(`${label('wind_shift_deg')} ${settings.wind_shift_deg > 0 ? '+' : ''}${settings.wind_shift_deg}°`);
  if (settings.wind_factor !== undefined) parts.push(`${label('wind_factor')} ×${settings.wind_factor.toFixed(1)}`);
  if (settings.fire_break) parts.push(translate(lang, 'fireBreak'));
  return parts.join(lang === 'zh-CN' ? '，' : ', ') || translate(lang, 'whatifNoChange');
}

export function rowLabel(row: Pick<ComparisonRow, 'metric' | 'gauge' | 'unit'>, lang: Lang): string {
  const name = translate(lang, `whatif_${row.metric}`).replace('{gauge}', row.gauge ?? '');
  return row.unit ? `${name} (${row.unit})` : name;
}

/** A comparison row's result, base → variant, as the history and the report list them. */
export const rowResult = (row: Pick<ComparisonRow, 'metric' | 'gauge' | 'unit' | 'base' | 'variant'>, lang: Lang) =>
  `${rowLabel(row, lang)}: ${formatInUnit(row.base, row.unit, lang)} → ${formatInUnit(row.variant, row.unit, lang)}`;

/** The gauges' peaks the record left out of a what-if's rows (a region of many gauges); '' for none. */
export const gaugeRowsLeftOutText = (w: Pick<WhatIfRecord, 'gauge_rows_left_out'>, lang: Lang) => (w.gauge_rows_left_out
  ? translate(lang, 'report_gaugeRowsLeftOut').replace('{n}', formatQuantity(w.gauge_rows_left_out, 'count', lang)).replace('{max}', formatQuantity(MAX_WHATIF_GAUGE_ROWS, 'count', lang)) : '');

/** A recorded what-if's results, row by row, and the gauges' peaks the record left out. */
export function whatIfResultsText(w: Pick<WhatIfRecord, 'outcomes' | 'gauge_rows_left_out'>, lang: Lang): string {
  const leftOut = gaugeRowsLeftOutText(w, lang);
  return [...w.outcomes.map((r) => rowResult(r, lang)), ...(leftOut ? [leftOut] : [])].join('; ');
}

/** Why a what-if's curves are not all in the record (models/limits.ts), as the panel and the report say it. */
export function curvesOmittedText(omitted: CurvesOmitted, lang: Lang): string {
  const budget = omitted.reason === 'record-budget';
  const max = formatQuantity(budget ? MAX_RECORD_CURVE_VALUES : MAX_WHATIF_CURVES, 'count', lang);
  return translate(lang, budget ? 'report_curvesBudget' : 'report_curvesCount').replace(/\{max\}/g, max).replace('{n}', formatQuantity(omitted.curves, 'count', lang));
}

/**
 * Why the saved session does not keep a comparison's chart (its variant's curves past
 * MAX_KEPT_CHART_VALUES): before a reload, what will not come back; after it (`gone`), what did not.
 */
export function chartNotKeptText(left: { curves: number; values: number }, gone: boolean, lang: Lang): string {
  return translate(lang, gone ? 'whatifChartGone' : 'whatifChartNotKept').replace('{curves}', formatQuantity(left.curves, 'count', lang))
    .replace('{values}', formatQuantity(left.values, 'count', lang)).replace('{max}', formatQuantity(MAX_KEPT_CHART_VALUES, 'count', lang));
}
