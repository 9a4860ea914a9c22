// The printed after-action report's charts: each what-if's curves (WhatIfRecord.curves), base beside
// variant, drawn as inline SVG from the record's numbers. Static markup only, so the report prints
// and reads anywhere: colours and dashes are SVG presentation attributes, never style attributes or
// script (the app's strict CSP forbids those, and a report opened from disk needs neither). The
// variant is dashed so the two stay apart on a black-and-white printout.
import type { RunCurves, WhatIfCurve, WhatIfCurves } from '../models/scenario/whatif-curves.ts';
import type { Lang } from './i18n.ts';
import { formatInUnit } from './quantity-format.ts';

export const BASE_COLOUR = '#1f618d';
export const VARIANT_COLOUR = '#c0392b';
const VARIANT_DASH = '5 3';

const WIDTH = 300;
const HEIGHT = 190;
const LEFT = 48;
const RIGHT = 10;
const TOP = 34;
const BOTTOM = 30;

export interface ChartWords {
  /** The curve's name with its unit: "G-main (m³/s)", "过火面积 (km²)". */
  title: string;
  base: string;
  variant: string;
  /** The time axis' unit: hours since the exercise began. */
  hours: string;
  /** The peaks line, with {base} (and {variant}) to fill: a small difference shows in numbers where the lines overlap. */
  peaks: string;
  /** The report's language: the numbers are written as the what-if table writes them. */
  lang: Lang;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A round step (1, 2, 2.5 or 5 × 10ⁿ) so that four of them reach `max`. No Math.pow/log: plain steps by ten. */
export function niceStep(max: number): number {
  const raw = max > 0 ? max / 4 : 1;
  let magnitude = 1;
  while (magnitude * 10 <= raw) magnitude *= 10;
  while (magnitude > raw) magnitude /= 10;
  return [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
}

/** Hours between time ticks: at most seven ticks over `hours`. */
function hourStep(hours: number): number {
  return [1, 2, 3, 6, 12, 24, 48].find((s) => hours / s <= 6) ?? 96;
}

/** An axis label: as many decimals as the step needs (2.5, 0.25), in the report's locale. */
const tickText = (v: number, step: number, lang: Lang) => v.toLocaleString(lang, { maximumFractionDigits: step < 0.1 ? 2 : step < 1 || step % 1 ? 1 : 0 });

/**
 * The exact peaks where the record has them (the outcome rows, the gauges' peaks): the curves keep
 * four significant digits, and the peak line must read as the table beside it does.
 */
export interface Peaks { base: number | null; variant?: number | null }

/** One curve's chart: base solid, variant (a what-if's) dashed, over hours since the exercise began. */
export function curveChartSvg(curve: Pick<WhatIfCurve, 'unit' | 'base'> & { variant?: number[] }, stepS: number, words: ChartWords, peaks?: Peaks): string {
  const e = escapeXml;
  const n = curve.base.length;
  const hours = ((n - 1) * stepS) / 3600;
  const top = Math.max(...curve.base, ...(curve.variant ?? []));
  const yStep = niceStep(top);
  const yMax = yStep * Math.max(1, Math.ceil(top / yStep));
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const x = (j: number) => LEFT + (n > 1 ? (j / (n - 1)) * plotW : 0);
  const y = (v: number) => TOP + plotH - (Math.max(0, v) / yMax) * plotH;
  const line = (values: number[]) => values.map((v, j) => `${x(j).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const yTicks = Array.from({ length: Math.round(yMax / yStep) + 1 }, (_, k) => k * yStep);
  const hStep = hourStep(hours);
  const xTicks = Array.from({ length: Math.floor(hours / hStep) + 1 }, (_, k) => k * hStep);
  const peakLine = words.peaks.replace('{base}', formatInUnit(peaks?.base ?? Math.max(...curve.base), curve.unit, words.lang))
    .replace('{variant}', curve.variant ? formatInUnit(peaks?.variant ?? Math.max(...curve.variant), curve.unit, words.lang) : '');
  const summary = `${words.title}: ${peakLine}`;
  return `<svg class="curve-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${e(summary)}" font-family="system-ui, 'Noto Sans CJK SC', sans-serif" font-size="10" xmlns="http://www.w3.org/2000/svg">
<title>${e(summary)}</title>
<text x="${LEFT}" y="12" font-size="11" font-weight="600" fill="#1d2430">${e(words.title)}</text>
<text x="${LEFT}" y="25" fill="#4a5563">${e(peakLine)}</text>
${yTicks.map((v) => `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#dde2e8" stroke-width="0.6"/><text x="${LEFT - 4}" y="${(y(v) + 3).toFixed(1)}" text-anchor="end" fill="#4a5563">${tickText(v, yStep, words.lang)}</text>`).join('\n')}
${xTicks.map((h) => { const at = LEFT + (hours > 0 ? (h / hours) * plotW : 0); return `<line x1="${at.toFixed(1)}" x2="${at.toFixed(1)}" y1="${TOP + plotH}" y2="${TOP + plotH + 3}" stroke="#4a5563" stroke-width="0.6"/><text x="${at.toFixed(1)}" y="${TOP + plotH + 12}" text-anchor="middle" fill="#4a5563">${h}</text>`; }).join('\n')}
<text x="${WIDTH - RIGHT}" y="${HEIGHT - 3}" text-anchor="end" fill="#4a5563">${e(words.hours)}</text>
<polyline class="base" points="${line(curve.base)}" fill="none" stroke="${BASE_COLOUR}" stroke-width="1.6"/>
${curve.variant ? `<polyline class="variant" points="${line(curve.variant)}" fill="none" stroke="${VARIANT_COLOUR}" stroke-width="1.6" stroke-dasharray="${VARIANT_DASH}"/>` : ''}
</svg>`;
}

/** The legend once per report: a solid base line and a dashed variant line, named. */
export function curveLegend(words: Pick<ChartWords, 'base' | 'variant'>): string {
  const sample = (colour: string, dash?: string) => `<svg class="legend-line" viewBox="0 0 28 8" width="28" height="8" aria-hidden="true" xmlns="http://www.w3.org/2000/svg"><line x1="0" x2="28" y1="4" y2="4" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/></svg>`;
  return `<p class="curve-legend">${sample(BASE_COLOUR)} ${escapeXml(words.base)}　${sample(VARIANT_COLOUR, VARIANT_DASH)} ${escapeXml(words.variant)}</p>`;
}

/** Every curve of one what-if, side by side. */
export function curveCharts(curves: WhatIfCurves, wordsOf: (curve: WhatIfCurve) => ChartWords, peaksOf: (curve: WhatIfCurve) => Peaks | undefined = () => undefined): string {
  return curves.series.map((c) => curveChartSvg(c, curves.step_s, wordsOf(c), peaksOf(c))).join('\n');
}

/** Every curve of the run itself, side by side (one line each). */
export function runCharts(curves: RunCurves, wordsOf: (curve: RunCurves['series'][number]) => ChartWords, peaksOf: (curve: RunCurves['series'][number]) => Peaks | undefined = () => undefined): string {
  return curves.series.map((c) => curveChartSvg({ unit: c.unit, base: c.values }, curves.step_s, wordsOf(c), peaksOf(c))).join('\n');
}

/** The report's rules for the charts (its one <style> element carries them). */
export const CURVE_STYLE = `  figure.curves { margin: 0.4em 0 1.2em; break-inside: avoid; page-break-inside: avoid; }
  figure.curves figcaption { font-weight: 600; margin-bottom: 0.3em; }
  .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(8.5cm, 1fr)); gap: 0.3cm 0.5cm; }
  .charts svg { width: 100%; max-width: 12cm; height: auto; }
  .curve-legend { font-size: 9.5pt; }
  .curve-legend svg { vertical-align: middle; }
`;
