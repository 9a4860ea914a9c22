// The printable after-action report in the UI's language: levels by name, places by name, times as
// the exercise clock shows them, the injects' and warnings' texts as the players read them. The
// record itself (JSON) stays as the engine writes it; this is its reading for the debrief.
import type { AfterActionRecord } from '../models/scenario/aar.ts';
import type { Inject } from '../models/scenario/injects.ts';
import type { RegionManifest } from '../models/scenario/region.ts';
import { actionLine, causeLine, districtNames, hazardName, injectTermText, injectText, riverName, warningReason } from './content-text.ts';
import { translate, type Lang } from './i18n.ts';
import { levelName } from './levels.ts';
import { settingsText, whatIfResultsText } from './whatif-text.ts';
import { formatQuantity } from './quantity-format.ts';
import { BURNED } from './whatif-chart.ts';
import { CURVE_STYLE, curveCharts, curveLegend, type Peaks } from './aar-charts.ts';
import type { ComparisonRow } from '../models/scenario/whatif.ts';
import { aarFacts, curveTitle, type AarFacts } from './aar-facts.ts';
import { modelWarningRows } from './aar-model-warnings.ts';

export interface ReportContext {
  lang: Lang;
  title: string;
  manifest?: RegionManifest;
  injects: readonly Inject[];
  /** Scenario seconds as the clock shows them (local date and time, and T+h:mm). */
  timeAt: (tS: number) => string;
}

/** The printed report's page style: A4-friendly, one <style> element (no style attributes under the CSP). */
const AAR_REPORT_STYLE = `  body { font: 11pt/1.4 system-ui, "Noto Sans CJK SC", sans-serif; margin: 2cm; color: #1d2430; }
  .exercise { background: #f1c40f; font-weight: 700; padding: 0.2em 0.6em; display: inline-block; letter-spacing: 0.08em; }
  table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1.2em; font-size: 9.5pt; }
  th, td { border: 1px solid #c5ccd6; padding: 0.2em 0.4em; text-align: left; vertical-align: top; }
  th { background: #eef1f4; }
  h2 { border-bottom: 2px solid #1d2430; padding-bottom: 0.1em; margin-top: 1.5em; }
  @media print { body { margin: 1.2cm; } h2 { page-break-after: avoid; } }
`;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A what-if's exact peaks of a curve, from its outcome rows (as the results table prints them). */
function rowPeaks(rows: readonly ComparisonRow[], id: string): Peaks | undefined {
  const row = rows.find((r) => (id === BURNED ? r.metric === 'burned_area' : r.metric === 'gauge_peak' && r.gauge === id));
  return row && { base: row.base, variant: row.variant };
}

/** Each what-if's curves as charts (those recorded with curves), under one legend. */
function whatIfCurves(record: AfterActionRecord, c: ReportContext, facts: AarFacts): string {
  // The words as the catalogue has them: the peaks line keeps its {base} and {variant} for the chart to fill.
  const t = (key: string) => translate(c.lang, key);
  const drawn = (record.whatifs ?? []).filter((w) => w.curves);
  // Those whose curves the record's bounds left out, named so nobody reads a missing chart as no change.
  const omitted = facts.leftOut.filter((n) => n.whatIf !== undefined);
  if (!drawn.length && !omitted.length) return '';
  const words = { base: t('base'), variant: t('whatif'), hours: t('hoursAxis'), peaks: t('report_curvePeaks'), lang: c.lang };
  return `<h3>${escapeHtml(t('report_whatifCurves'))}</h3>
${omitted.length ? `<p>${escapeHtml(t('report_curvesOmitted'))}</p>
<ul>${omitted.map((n) => `<li class="curves-omitted">${escapeHtml(n.text)}</li>`).join('')}</ul>` : ''}
${drawn.length ? curveLegend(words) : ''}
${drawn.map((w) => `<figure class="curves"><figcaption>${escapeHtml(`${c.timeAt(w.t_s)} · ${settingsText(w.settings, c.lang)}`)}</figcaption>
<div class="charts">${curveCharts(w.curves!, (curve) => ({ ...words, title: curveTitle(curve.id, curve.unit, c.lang) }), (curve) => rowPeaks(w.outcomes, curve.id))}</div></figure>`).join('\n')}`;
}

export function aarReportHtml(record: AfterActionRecord, c: ReportContext): string {
  const e = escapeHtml;
  const t = (key: string, values: Record<string, string | number> = {}) => translate(c.lang, key).replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));
  const table = (head: string[], cells: string[][]) => `<table><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr>\n${cells.map((r) => `<tr>${r.map((x) => `<td>${e(x)}</td>`).join('')}</tr>`).join('\n')}</table>`;
  const term = (x: string) => injectTermText(x, c.injects, c.lang);
  const level = (l: number) => levelName(c.lang, l);
  const count = (n: number) => formatQuantity(n, 'count', c.lang);
  const flow = (q: number) => formatQuantity(q, 'flow', c.lang);
  const area = (km2: number) => formatQuantity(km2, 'area', c.lang);
  const o = record.outcomes;
  // The facts the record tab shows too, read from the record once (web/aar-facts.ts).
  const facts = aarFacts(record, c);
  const runNote = facts.leftOut.find((n) => n.whatIf === undefined);
  const outcomes = [
    t('report_slopesBelow1', { n: count(o.slopes_below_fs_1) }),
    o.slope_blocks_failed !== undefined ? t('report_blocksFailed', { n: count(o.slope_blocks_failed) }) : '',
    o.flooded_area_km2 !== undefined ? t('report_flooded', { km2: area(o.flooded_area_km2), people: count(o.people_in_flooded_cells ?? 0), buildings: count(o.buildings_in_flooded_cells ?? 0) }) : '',
    o.burned_area_km2 !== undefined ? t('report_burned', { km2: area(o.burned_area_km2), people: count(o.people_in_burned_cells ?? 0) }) : '',
    t('report_itemsRed', { n: count(o.items_reaching_red) }),
    t('report_peopleRed', { n: count(o.people_under_red_warning_peak) }),
  ].filter((l) => l);
  const byId = new Map(c.injects.map((i) => [i.id, i]));
  const modelWarnings = modelWarningRows(facts.modelWarnings);
  const withdrawal = (d: AfterActionRecord['decisions'][number]) => {
    const corrects = d.corrects ? t('report_corrects', { id: d.corrects }) : '';
    if (!d.withdrawn) return corrects;
    const how = d.withdrawn.replaced_by ? `${t('correctedBy')} ${d.withdrawn.replaced_by}` : t('withdrawnState');
    return corrects + t('report_withdrawn', { how, time: c.timeAt(d.withdrawn.t_s), by: term(d.withdrawn.by) });
  };
  const state = (d: AfterActionRecord['decisions'][number]) => (d.state ? t('report_state', {
    red: count(d.state.items_by_level[4]), orange: count(d.state.items_by_level[3]), warnings: count(d.state.active_warnings),
    gauges: Object.entries(d.state.gauges_m3_per_s).map(([g, q]) => `${g} ${flow(q)} m³/s`).join(', '),
  }) : '');
  return `<!doctype html>
<html lang="${c.lang}"><head><meta charset="utf-8"><title>${e(t('report_title'))} · ${e(c.title)}</title>
<style>
${AAR_REPORT_STYLE}${CURVE_STYLE}</style></head><body>
<p class="exercise">${e(translate(c.lang, 'exercise'))}</p>
<h1>${e(t('report_title'))} · ${e(c.title)}</h1>
<p>${e(t('report_about', { id: record.scenario_id, seed: record.seed, engine: record.engine_version, exported: record.exported }))}<br>
${facts.region ? `${e(facts.region)}<br>
` : ''}${e(t('report_hash', { hash: record.results_sha256 }))}</p>
<h2>${e(t('report_objectives'))}</h2>
${table([t('report_objective'), t('rating'), t('report_meaning'), t('notes')], record.objectives.map((x) => [term(x.id), x.rating ?? '—', x.rating ? t(`rating_${x.rating}`) : t('report_notRated'), x.notes]))}
<h2>${e(t('report_outcomes'))}</h2>
${table([t('gauge'), t('report_river'), t('report_peak'), t('peakTime')], o.gauges.map((g) => [g.id, riverName(c.manifest, g.river, c.lang), flow(g.peak_m3_per_s), g.peak_time]))}
${facts.observed ? `<h3>${e(t('report_observed'))}</h3>
${table(facts.observed.head, facts.observed.rows)}` : ''}
${facts.runCharts ? `<div class="charts run-charts">${facts.runCharts}</div>` : ''}
${runNote ? `<p class="curves-omitted run-curves-omitted">${e(runNote.text)}</p>` : ''}
<ul>${outcomes.map((l) => `<li>${e(l)}</li>`).join('')}</ul>
<h2>${e(t('report_injects'))}</h2>
${table([t('report_time'), t('report_inject'), t('title'), t('report_how')], record.injects_delivered.map((d) => {
    const inject = byId.get(d.id);
    return [c.timeAt(d.t_s), d.id, inject ? injectText(inject, 'title', c.lang) : d.title, d.manual ? t('report_byTrainer') : t('report_scheduled')];
  }))}
<h2>${e(t('report_decisions'))}</h2>
${table([t('report_time'), t('role'), t('decision'), t('engineAction'), t('report_stateWhenTaken')], record.decisions.map((d) => [c.timeAt(d.t_s), term(d.role), d.text + withdrawal(d), d.action ? actionLine(d.action, c.lang, c.manifest) : '', state(d)]))}
<h2>${e(t('report_warnings'))}</h2>
${table([t('report_issued'), t('report_lifted'), t('report_hazard'), t('level'), t('report_areas'), t('cause')], record.warnings.map((w) => [c.timeAt(w.t_s), w.lift_s !== undefined ? c.timeAt(w.lift_s) : '', hazardName(w.hazard, c.lang), level(w.level), districtNames(c.manifest, w.areas, c.lang), warningReason(w.reason, c.lang, c.manifest, c.injects)]))}
${record.whatifs?.length ? `<h2>${e(t('report_whatifs'))}</h2>
${table([t('report_time'), t('report_whatifSettings'), t('report_whatifResults')], record.whatifs.map((w) => [c.timeAt(w.t_s), settingsText(w.settings, c.lang),
    whatIfResultsText(w, c.lang)]))}
${whatIfCurves(record, c, facts)}` : ''}
${modelWarnings.length ? `<h2>${e(t('report_modelWarnings'))}</h2>
${table([t('modelWarningsRun'), t('modelWarningsKind'), t('modelWarningsModel'), t('modelWarningsWhere'), t('modelWarningsWhat')], modelWarnings)}` : ''}
<h2>${e(t('report_changes', { n: count(record.risk_changes.length) }))}</h2>
${table([t('report_time'), t('report_item'), t('report_fromLevel'), t('report_toLevel'), t('cause')], record.risk_changes.map((x) => [c.timeAt(x.t_s), x.item, level(x.from), level(x.to), causeLine(x.reason as Record<string, unknown>, c.lang)]))}
</body></html>
`;
}
