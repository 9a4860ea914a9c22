// What the scenario, the region and the engine say, in the UI's language: inject texts from their
// `_zh` twins, district, river and reservoir names from the region manifest, risk categories and
// sensor factors from the catalogue, and the warning rules' reasons (written in English by
// models/scenario/run.ts, as the CLI's outputs keep them) read back into Chinese. Ids stay as they
// are: trainers and players name items and injects by them.
import type { InjectAction } from '../models/scenario/injects.ts';
import type { Inject, InjectText } from '../models/scenario/injects.ts';
import type { RegionManifest } from '../models/scenario/region.ts';
import { translate, type Lang } from './i18n.ts';

type Named = { id: string; name: string; name_zh: string };

/** An inject's text in the UI's language: its `_zh` twin in Chinese when the scenario gives one. */
export function injectText(inject: Inject, field: InjectText, lang: Lang): string {
  return lang === 'zh-CN' ? inject[`${field}_zh`] || inject[field] : inject[field];
}

/**
 * A role or objective named by the injects (`from`, `to`, `objective`), in the UI's language: the
 * `_zh` twin of an inject that names it; the trainer by the catalogue.
 */
export function injectTermText(term: string, injects: readonly Inject[], lang: Lang): string {
  if (lang !== 'zh-CN' || !term) return term;
  if (term === 'Trainer') return translate(lang, 'roleTrainer');
  for (const inject of injects) {
    for (const field of ['from', 'to', 'objective'] as const) {
      if (inject[field] === term && inject[`${field}_zh`]) return inject[`${field}_zh`]!;
    }
  }
  return term;
}

function nameOf(list: readonly Named[] | undefined, id: string, lang: Lang): string | undefined {
  const found = list?.find((x) => x.id === id);
  return found ? (lang === 'zh-CN' ? found.name_zh : found.name) : undefined;
}

/** A district by name (its id when the region is not loaded yet, or for "all"). */
export function districtName(manifest: RegionManifest | undefined, id: string, lang: Lang): string {
  if (id === 'all') return translate(lang, 'allDistricts');
  return nameOf(manifest?.districts, id, lang) ?? id;
}

export function districtNames(manifest: RegionManifest | undefined, ids: readonly string[], lang: Lang): string {
  return ids.map((id) => districtName(manifest, id, lang)).join(lang === 'zh-CN' ? '、' : ', ');
}

/** A river by its id (`main`, `tributary`, `creek`); the gauge at the region's outlet is `outlet`. */
export function riverName(manifest: RegionManifest | undefined, id: string, lang: Lang): string {
  if (id === 'outlet') return translate(lang, 'riverOutlet');
  return nameOf((manifest as { rivers?: Named[] } | undefined)?.rivers, id, lang) ?? id;
}

export function reservoirName(manifest: RegionManifest | undefined, id: string, lang: Lang): string {
  const reservoir = (manifest as { reservoir?: Named } | undefined)?.reservoir;
  return reservoir && reservoir.id === id ? (lang === 'zh-CN' ? reservoir.name_zh : reservoir.name) : id;
}

/** A risk-list category (`septic-tank`) by name. */
export function categoryName(id: string, lang: Lang): string {
  const text = translate(lang, `category_${id}`);
  return text === `category_${id}` ? id : text;
}

/** A sensor factor (`rain_24h_mm`) by name, with its unit. */
export function factorName(id: string, lang: Lang): string {
  const text = translate(lang, `factor_${id}`);
  return text === `factor_${id}` ? id : text;
}

export function hazardName(hazard: string, lang: Lang): string {
  const text = translate(lang, `hazard_${hazard}`);
  return text === `hazard_${hazard}` ? hazard : text;
}

const RAIN_REASON = /^rain (\d+) mm in 3 h, (\d+) mm in 6 h, (\d+) mm in 12 h$/;
const FLOW_REASON = /^(\S+) at (\S+): (\d+) m³\/s against a warning flow of (\d+) m³\/s$/;
const SLOPE_REASON = /^(\d+) of (\d+) monitored slopes below FS 1, (\d+) below 1\.1$/;
const FIRE_REASON = /^fire within (\d+) m of a monitored point in (\S+); ([\d.]+) km² burned$/;

/**
 * Why a warning was issued, in the UI's language: the rule's reading (rain totals, a gauge's flow
 * against its warning flow, slopes below a factor of safety), or the inject that issued it.
 */
export function warningReason(reason: string, lang: Lang, manifest: RegionManifest | undefined, injects: readonly Inject[]): string {
  const fill = (key: string, values: Record<string, string>) => translate(lang, key).replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');
  let m = RAIN_REASON.exec(reason);
  if (m) return fill('reasonRain', { h3: m[1], h6: m[2], h12: m[3] });
  m = FLOW_REASON.exec(reason);
  if (m) return fill('reasonFlow', { river: riverName(manifest, m[1], lang), reach: m[2], flow: m[3], warning: m[4] });
  m = SLOPE_REASON.exec(reason);
  if (m) return fill('reasonSlopes', { below1: m[1], of: m[2], below11: m[3] });
  m = FIRE_REASON.exec(reason);
  if (m) return fill('reasonFire', { distance: m[1], district: districtName(manifest, m[2], lang), km2: m[3] });
  const inject = injects.find((i) => i.title === reason);
  return inject ? injectText(inject, 'title', lang) : reason;
}

/** A risk-list change's cause in a line: the rule and the reading or warning behind it. */
export function causeLine(reason: Record<string, unknown>, lang: Lang): string {
  const { rule, factor, value, threshold, id, hazard, kind } = reason as Record<string, string | number | undefined>;
  const t = (key: string) => translate(lang, key);
  if (rule === 'sensor') return `${factorName(String(factor), lang)} = ${value}${threshold !== undefined ? ` (${t('threshold')} ${threshold})` : ''}`;
  if (rule === 'warning') return `${t('warning')} · ${hazard !== undefined ? hazardName(String(hazard), lang) : ''} ${id ?? ''}`.trim();
  if (rule === 'hold') return t('heldDown');
  if (rule === 'pin') return t('rulePin');
  if (rule === 'event') return [t('ruleEvent'), kind, id].filter((x) => x !== undefined).join(' · ');
  return [rule, kind, id].filter((x) => x !== undefined).join(' · ');
}

/** A decision's or inject's engine action in a line, places by name. */
export function actionLine(action: InjectAction, lang: Lang, manifest: RegionManifest | undefined): string {
  const a = action as Record<string, unknown>;
  const fill = (key: string, values: Record<string, string>) => translate(lang, key).replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');
  const areaIds = (a.areas as string[] | undefined) ?? (a.area !== undefined ? [String(a.area)] : []);
  const areas = areaIds.length ? districtNames(manifest, areaIds, lang) : translate(lang, 'allDistricts');
  switch (action.type) {
    case 'warning-issue': return fill('actionLine_warning-issue', { hazard: hazardName(String(a.hazard ?? 'rainstorm'), lang), level: String(a.level ?? 2), id: String(a.id ?? ''), areas });
    case 'warning-lift': return fill('actionLine_warning-lift', { id: String(a.id ?? '') });
    case 'dam-release': return fill('actionLine_dam-release', { reservoir: reservoirName(manifest, String(a.reservoir), lang), flow: String(a.m3_per_s), hours: String(Number(a.duration_s) / 3600) });
    case 'barrier': return fill('actionLine_barrier', { points: String((a.polyline_m as unknown[] | undefined)?.length ?? 0) });
    case 'evacuation': return fill('actionLine_evacuation', { areas });
    case 'rain': return fill('actionLine_rain', { factor: String(a.factor), areas });
    default: return translate(lang, `action_${action.type}`);
  }
}
