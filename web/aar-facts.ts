// What the after-action record holds beyond the trainer's own entries, in the UI's language: the
// region, the forecast's scores against observed gauges, the run's own curves as charts, and every
// note of curves the record's bounds left out. One reading of the record for both the record tab
// (web/components/aar-record.ts) and the printed report (web/aar-report.ts), so the two never
// tell different facts.
import type { AfterActionRecord } from '../models/scenario/aar.ts';
import { MAX_WHATIF_CURVES } from '../models/limits.ts';
import { runCharts } from './aar-charts.ts';
import { modelWarningRuns, type RunWarnings } from './aar-model-warnings.ts';
import { translate, type Lang } from './i18n.ts';
import { formatQuantity } from './quantity-format.ts';
import { BURNED } from './whatif-chart.ts';
import { curvesOmittedText, settingsText } from './whatif-text.ts';

export interface FactsContext {
  lang: Lang;
  /** Scenario seconds as the clock shows them. */
  timeAt: (tS: number) => string;
}

/** A note of curves left out: of the run itself, or of one what-if (its index in `whatifs`). */
export interface LeftOutNote { whatIf?: number; text: string }

export interface AarFacts {
  /** "Region: …" in the UI's language; absent for the shipped region, which carries no name. */
  region?: string;
  /** The forecast against each observed gauge: the table's head and rows, as printed. */
  observed?: { head: string[]; rows: string[][] };
  /** The run's own curves (`outcomes.curves`) as static SVG charts; '' when the record keeps none. */
  runCharts: string;
  /** Curves the record leaves out and why: the run's first, then each what-if's. */
  leftOut: LeftOutNote[];
  /** Each run's model warnings and notes (the base run's, then each what-if's), grouped as the notice groups them. */
  modelWarnings: RunWarnings[];
}

/** A curve's name with its unit, as the app's chart picker names it. */
export const curveTitle = (id: string, unit: string, lang: Lang) => (id === BURNED ? translate(lang, 'whatifBurnedCurve') : `${id} (${unit})`);

export function aarFacts(record: AfterActionRecord, c: FactsContext): AarFacts {
  const t = (key: string) => translate(c.lang, key);
  const o = record.outcomes;
  const region = record.region && t('report_region').replace('{name}', c.lang === 'zh-CN' ? record.region.name_zh : record.region.name);
  const observed = o.observed?.length ? {
    head: [t('gauge'), t('report_observedFile'), t('report_nse'), t('report_kge'), t('report_peakError'), t('report_peakTimeError')],
    rows: o.observed.map((x) => [x.gauge, x.source, x.nse.toFixed(2), x.kge_2012.toFixed(2), formatQuantity(x.peak_error_relative, 'percent', c.lang), `${(x.peak_time_error_s / 3600).toFixed(1)} h`]),
  } : undefined;
  const charts = o.curves ? runCharts(o.curves, (curve) => ({ base: t('base'), variant: t('whatif'), hours: t('hoursAxis'), peaks: t('report_curvePeak'), lang: c.lang, title: curveTitle(curve.id, curve.unit, c.lang) }), (curve) => {
    // The key outcomes' exact peaks: the table and the peak line read alike.
    const peak = curve.id === BURNED ? o.burned_area_km2 : o.gauges.find((g) => g.id === curve.id)?.peak_m3_per_s;
    return peak === undefined ? undefined : { base: peak };
  }) : '';
  const count = (n: number) => formatQuantity(n, 'count', c.lang);
  const colon = c.lang === 'zh-CN' ? '：' : ': ';
  const leftOut: LeftOutNote[] = [
    ...(o.curves_omitted ? [{ text: t('report_runCurvesCount').replace(/\{max\}/g, count(MAX_WHATIF_CURVES)).replace('{n}', count(o.curves_omitted.curves)) }] : []),
    ...(record.whatifs ?? []).flatMap((w, k) => (w.curves_omitted ? [{ whatIf: k, text: `${c.timeAt(w.t_s)} · ${settingsText(w.settings, c.lang)}${colon}${curvesOmittedText(w.curves_omitted, c.lang)}` }] : [])),
  ];
  return { ...(region ? { region } : {}), ...(observed ? { observed } : {}), runCharts: charts, leftOut, modelWarnings: modelWarningRuns(record, c.lang, c.timeAt) };
}
