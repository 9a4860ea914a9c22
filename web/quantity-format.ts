// One way to write each kind of number the trainer reads: the what-if table, its history, the
// printed report and the charts' peak lines all go through here, so "31,124" never stands beside
// "47168.4". In the UI's locale (Intl.NumberFormat): zh-CN and en both mark thousands with a comma,
// but the digits and signs are the locale's own. The precision of each kind is stated once:
//   counts (people, buildings, items, warnings)  whole numbers, exact
//   flows (m³/s)                                 3 significant digits, never coarser than 1 m³/s
//   areas (km²)                                  to 0.01 km² (one hectare)
//   depths (m)                                   to 0.01 m
//   percentages                                  2 significant digits, never coarser than 1 %
// Flows keep whole m³/s above 100 so that a base, a variant and their difference add up as printed.
import type { Lang } from './i18n.ts';

export type QuantityKind = 'count' | 'flow' | 'area' | 'depth' | 'percent';

const OPTIONS: Record<QuantityKind, Intl.NumberFormatOptions> = {
  count: { maximumFractionDigits: 0 },
  flow: { maximumSignificantDigits: 3, maximumFractionDigits: 0, roundingPriority: 'morePrecision' },
  area: { minimumFractionDigits: 2, maximumFractionDigits: 2 },
  depth: { minimumFractionDigits: 2, maximumFractionDigits: 2 },
  percent: { style: 'percent', maximumSignificantDigits: 2, maximumFractionDigits: 0, roundingPriority: 'morePrecision' },
};

const formats = new Map<string, Intl.NumberFormat>();

function formatOf(kind: QuantityKind, lang: Lang, signed: boolean): Intl.NumberFormat {
  const key = `${kind}|${lang}|${signed}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(lang, { ...OPTIONS[kind], ...(signed ? { signDisplay: 'exceptZero' as const } : {}) });
    formats.set(key, format);
  }
  return format;
}

/** The kind a unit names: the comparison rows' and curves' units ('' for a count). */
export function kindOfUnit(unit: string): QuantityKind {
  switch (unit) {
    case 'm³/s': return 'flow';
    case 'km²': return 'area';
    case 'm': return 'depth';
    case '%': return 'percent';
    default: return 'count';
  }
}

/** A number as the trainer reads it. Percentages are fractions (0.12 → "12%"). null: "—". */
export function formatQuantity(value: number | null, kind: QuantityKind, lang: Lang): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return formatOf(kind, lang, false).format(value);
}

/** A number in the kind its unit names. */
export const formatInUnit = (value: number | null, unit: string, lang: Lang) => formatQuantity(value, kindOfUnit(unit), lang);

/** How many decimals `value` shows when formatted as `kind` (percentages: of the percent figure). */
function decimalsShown(value: number, kind: QuantityKind, lang: Lang): number {
  return formatOf(kind, lang, false).formatToParts(value).find((p) => p.type === 'fraction')?.value.length ?? 0;
}

/**
 * The difference variant − base, signed ("+22", "-0.05"), written to the decimals the two values
 * show, from the values as shown: printed base + printed difference = printed variant. A
 * difference that rounds to nothing shows no sign. Either value missing: "".
 */
export function formatDifference(base: number | null, variant: number | null, kind: QuantityKind, lang: Lang): string {
  if (base === null || variant === null || !Number.isFinite(base) || !Number.isFinite(variant)) return '';
  const decimals = Math.max(decimalsShown(base, kind, lang), decimalsShown(variant, kind, lang));
  // Plain steps by ten (no pow: the determinism guard), exact for the few decimals shown.
  let scale = 1;
  for (let k = 0; k < decimals + (kind === 'percent' ? 2 : 0); k++) scale *= 10;
  const difference = (Math.round(variant * scale) - Math.round(base * scale)) / scale;
  const key = `${kind}|${lang}|diff${decimals}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(lang, { ...(kind === 'percent' ? { style: 'percent' as const } : {}), minimumFractionDigits: decimals, maximumFractionDigits: decimals, signDisplay: 'exceptZero' });
    formats.set(key, format);
  }
  return format.format(difference);
}
