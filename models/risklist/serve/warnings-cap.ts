// Warnings posted to the live risk list as CAP 1.2, written by the scenario runner's one CAP writer
// (models/scenario/cap.ts). A warning's CAP areas are the districts it names, or else the districts
// of the items it applies to; each district carries its outline when the items came from a region
// (region.json beside risk-items.json), as WGS 84 "lat,lon" pairs through models/geo/crs.ts.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { districtCapAreas, warningsToCap, type CapMessage } from '../../scenario/cap.ts';
import type { RegionManifest } from '../../scenario/region.ts';
import type { IssuedWarning } from '../../scenario/warning-rules.ts';
import { warningItems } from '../parse-inputs.ts';
import { WARNING_COLOURS } from '../spec.ts';
import type { RisklistService } from './service.ts';

export interface PostedWarning {
  id: string; hazard: string; level: number; t_s: number; lift_s?: number; name?: string;
  items?: string[]; categories?: string[]; areas?: string[];
}

export interface RegionInfo { manifest: RegionManifest; capAreas: Map<string, { name: string; polygons: string[] }> }

/** The region the items file belongs to, when there is one. */
export function loadRegionInfo(itemsFile: string | undefined): RegionInfo | undefined {
  if (!itemsFile) return undefined;
  const file = join(dirname(itemsFile), 'region.json');
  if (!existsSync(file)) return undefined;
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as RegionManifest;
  return { manifest, capAreas: districtCapAreas(manifest) };
}

/**
 * A warning id as it may stand in a CAP identifier and references, which must hold no space,
 * comma, "<" or "&" (CAP 1.2 §3.2.1): those (and "%") percent-encoded; other ids unchanged.
 */
export function capId(id: string): string {
  return id.replace(/[\s,<&%]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** CAP 1.2 requires a numeric offset ("2026-07-01T08:00:00+00:00"), never "Z". */
export function capTime(epochMs: number, tS: number): string {
  return new Date(epochMs + tS * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export async function postedWarnings(service: RisklistService): Promise<PostedWarning[]> {
  const rows = await service.sql.query<{ body: string }>("SELECT body FROM actions WHERE kind = 'warning' ORDER BY arrival");
  return rows.map((r) => {
    const raw = JSON.parse(r.body) as Record<string, unknown>;
    const colour = (raw.colour ?? raw.color) as string | undefined;
    return {
      id: String(raw.id), hazard: String(raw.hazard), level: typeof raw.level === 'number' ? raw.level : WARNING_COLOURS[colour ?? ''],
      t_s: raw.t_s as number, ...(typeof raw.lift_s === 'number' ? { lift_s: raw.lift_s } : {}),
      ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
      ...(Array.isArray(raw.items) ? { items: raw.items as string[] } : {}),
      ...(Array.isArray(raw.categories) ? { categories: raw.categories as string[] } : {}),
      ...(typeof raw.area === 'string' ? { areas: [raw.area] } : Array.isArray(raw.areas) ? { areas: raw.areas as string[] } : {}),
    };
  });
}

/** The districts a warning covers: those it names, else those of the items it raises. */
export function warningAreas(service: RisklistService, w: PostedWarning): string[] {
  if (w.areas) return w.areas;
  const out = new Set<string>();
  for (const k of warningItems(service.defs, w.hazard, w)) {
    const area = service.defs.itemOfIndex[k].area;
    if (area !== undefined) out.add(area);
  }
  return [...out].sort();
}

/** Every CAP message of the posted warnings (an Alert or Update each, a Cancel for each lifted one). */
export function warningsCap(service: RisklistService, warnings: PostedWarning[], region: RegionInfo | undefined, sender: string): CapMessage[] {
  const issued = warnings.map((w): IssuedWarning => {
    const areas = warningAreas(service, w);
    const count = warningItems(service.defs, w.hazard, w).length;
    return {
      id: capId(w.id), t_s: w.t_s, ...(w.lift_s !== undefined ? { lift_s: w.lift_s } : {}), level: w.level,
      // The writer names the four hazards the scenario runner issues; others pass through as posted.
      hazard: w.hazard as IssuedWarning['hazard'], areas,
      reason: `${w.name ? `${w.name}: ` : ''}posted to the live risk list; raises ${count} risk-list item${count === 1 ? '' : 's'} to level ${w.level} or above`,
      source: 'inject',
    };
  });
  return warningsToCap(issued, {
    sender, exercise: false, timeAt: (t) => capTime(service.epochMs, t), scenarioId: 'risklist',
    areas: region?.capAreas ?? new Map(),
  });
}
