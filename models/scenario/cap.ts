// Warnings as CAP 1.2 (OASIS Common Alerting Protocol): one alert per issue, `Update` when a warning
// for the same hazard and area replaces one at the instant it ends, `Cancel` when it is lifted;
// both reference the message they supersede. Drills send `Exercise` status.
import { regionCrs } from '../geo/crs.ts';
import { districtOutlineParts } from './districts.ts';
import type { RegionManifest } from './region.ts';
import type { IssuedWarning } from './warning-rules.ts';

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';
const SEVERITY = ['Unknown', 'Minor', 'Moderate', 'Severe', 'Extreme'];
const COLOUR = ['', 'blue 蓝色', 'yellow 黄色', 'orange 橙色', 'red 红色'];
const CATEGORY: Record<IssuedWarning['hazard'], string> = { rainstorm: 'Met', flood: 'Met', geohazard: 'Geo', 'forest-fire': 'Fire' };
const EVENT: Record<IssuedWarning['hazard'], string> = { rainstorm: 'Rainstorm warning 暴雨预警', flood: 'River flood warning 洪水预警', geohazard: 'Geohazard warning 地质灾害预警', 'forest-fire': 'Forest fire warning 森林火险预警' };

// Warnings posted to the live risk list may name other hazards (RISKLIST.md: "such as"): CAP's catch-all category.
const categoryOf = (hazard: string): string => CATEGORY[hazard as IssuedWarning['hazard']] ?? 'Other';
const eventOf = (hazard: string): string => EVENT[hazard as IssuedWarning['hazard']] ?? `${hazard} warning`;

export interface CapContext {
  sender: string;
  exercise: boolean;
  /** ISO 8601 time of scenario seconds, in the scenario's offset. */
  timeAt: (tS: number) => string;
  /** CAP polygons ("lat,lon lat,lon …", closed; one per part of the area) and name of each area. */
  areas: Map<string, { name: string; polygons: string[] }>;
  scenarioId: string;
}

export interface CapMessage { fileName: string; xml: string; t_s: number }

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function element(name: string, value: string): string {
  return `<${name}>${escapeXml(value)}</${name}>`;
}

export function warningsToCap(warnings: readonly IssuedWarning[], context: CapContext): CapMessage[] {
  const messages: CapMessage[] = [];
  const identifier = (w: IssuedWarning, kind: string) => `sandtable.${context.scenarioId}.${w.id}.${kind}`;
  const reference = (w: IssuedWarning) => `${context.sender},${identifier(w, 'alert')},${context.timeAt(w.t_s)}`;
  const sorted = [...warnings].sort((a, b) => a.t_s - b.t_s || a.id.localeCompare(b.id));
  const replacedAt = new Set<IssuedWarning>();
  for (const w of sorted) {
    const previous = sorted.find((p) => p !== w && p.lift_s === w.t_s && p.hazard === w.hazard && p.areas.join() === w.areas.join());
    if (previous) replacedAt.add(previous);
    messages.push({ fileName: `${w.id}.alert.xml`, t_s: w.t_s, xml: alertXml(w, previous ? 'Update' : 'Alert', previous ? reference(previous) : undefined, context, identifier(w, 'alert')) });
  }
  for (const w of sorted) {
    if (w.lift_s === undefined || replacedAt.has(w)) continue;
    messages.push({ fileName: `${w.id}.cancel.xml`, t_s: w.lift_s, xml: alertXml(w, 'Cancel', reference(w), context, identifier(w, 'cancel')) });
  }
  return messages.sort((a, b) => a.t_s - b.t_s || a.fileName.localeCompare(b.fileName));
}

function alertXml(w: IssuedWarning, msgType: 'Alert' | 'Update' | 'Cancel', references: string | undefined, context: CapContext, id: string): string {
  const sent = context.timeAt(msgType === 'Cancel' ? w.lift_s! : w.t_s);
  const areaNames = w.areas.map((a) => context.areas.get(a)?.name ?? a).join(', ');
  const areas = w.areas.map((a) => {
    const area = context.areas.get(a);
    return `    <area>${element('areaDesc', area?.name ?? a)}${(area?.polygons ?? []).map((p) => element('polygon', p)).join('')}</area>`;
  });
  const headline = msgType === 'Cancel'
    ? `Lifted: ${eventOf(w.hazard)} for ${areaNames}`
    : `${COLOUR[w.level].split(' ')[0][0].toUpperCase()}${COLOUR[w.level].slice(1)} ${eventOf(w.hazard)} for ${areaNames}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<alert xmlns="${CAP_NAMESPACE}">`,
    `  ${element('identifier', id)}`,
    `  ${element('sender', context.sender)}`,
    `  ${element('sent', sent)}`,
    `  ${element('status', context.exercise ? 'Exercise' : 'Actual')}`,
    `  ${element('msgType', msgType)}`,
    `  ${element('scope', 'Public')}`,
    ...(context.exercise ? [`  ${element('note', 'EXERCISE 演练 — not a real warning')}`] : []),
    ...(references ? [`  ${element('references', references)}`] : []),
    '  <info>',
    `    ${element('language', 'zh-CN')}`,
    `    ${element('category', categoryOf(w.hazard))}`,
    `    ${element('event', eventOf(w.hazard))}`,
    `    ${element('urgency', msgType === 'Cancel' ? 'Past' : 'Immediate')}`,
    `    ${element('severity', SEVERITY[w.level])}`,
    `    ${element('certainty', w.source === 'rule' ? 'Likely' : 'Observed')}`,
    `    ${element('effective', context.timeAt(w.t_s))}`,
    ...(w.lift_s !== undefined ? [`    ${element('expires', context.timeAt(w.lift_s))}`] : []),
    `    ${element('senderName', 'Sandtable')}`,
    `    ${element('headline', headline)}`,
    `    ${element('description', w.reason)}`,
    `    <parameter>${element('valueName', 'level')}${element('value', `${w.level} ${COLOUR[w.level]}`)}</parameter>`,
    ...areas,
    '  </info>',
    '</alert>',
    '',
  ].join('\n');
}

/**
 * Each district as a CAP area: its name in both languages and one WGS 84 "lat,lon" polygon per part
 * (CAP 1.2 §3.2.4: a polygon is ≥ 4 points, first = last; an area may hold several). Holes cannot
 * be said in CAP: the outer rings cover them (models/region/builder/outlines.ts says why).
 */
export function districtCapAreas(manifest: RegionManifest): Map<string, { name: string; polygons: string[] }> {
  const crs = regionCrs(manifest);
  const names = new Map(manifest.districts.map((d) => [d.id, `${d.name} ${d.name_zh}`]));
  return new Map([...districtOutlineParts(manifest)].map(([id, rings]) => [id, {
    name: names.get(id) ?? id,
    polygons: rings.map((ring) => ring.map(([x, y]) => {
      const [lon, lat] = crs.toLonLat(x, y);
      // Seven decimals (about a centimetre), written as the GeoJSON outputs write them.
      return `${Number(lat.toFixed(7))},${Number(lon.toFixed(7))}`;
    }).join(' ')),
  }]));
}

/**
 * The CAP sender of a region's alerts (CAP 1.2 §3.2.1: unique, the operator's domain; here a
 * placeholder under .example, RFC 2606): a built region's is made from its name, so alerts of two
 * cities never share a sender; the shipped region, which carries no name, keeps its own.
 */
export function capSender(manifest: Pick<RegionManifest, 'name'>): string {
  const slug = (manifest.name ?? '').normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return `sandtable@${slug || (manifest.name ? 'region' : 'mountain-city')}.example`;
}
