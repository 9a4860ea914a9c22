// The scenarios shipped with the app, the files they name beside them, and the region's district
// names as the map writes them.
import fireScenario from '../scenarios/mountain-city/fire-summer.json';
import stormScenario from '../scenarios/mountain-city/storm-72h.json';
import stormPeakScenario from '../scenarios/mountain-city/storm-peak-24h.json';
import stormRadarScenario from '../scenarios/mountain-city/storm-radar-24h.json';
import type { RegionManifest } from '../models/scenario/region.ts';
import { parseScenario } from '../models/scenario/schema.ts';
import type { MapOverlay } from './components/region-map.ts';
import { districtName } from './content-text.ts';
import type { Lang } from './i18n.ts';

/** The shipped scenarios an analyst can open; the first is the default. */
export const SHIPPED_SCENARIOS: { id: string; json: unknown }[] = [
  { id: 'storm-72h', json: stormScenario },
  { id: 'storm-peak-24h', json: stormPeakScenario },
  { id: 'storm-radar-24h', json: stormRadarScenario },
  { id: 'fire-summer', json: fireScenario },
];

const titles = new WeakMap<readonly { json: unknown }[], { id: string; title: string; titleZh: string }[]>();

/** A region's scenarios' ids and titles, read once per list (not at every render). */
export function scenarioTitles(scenarios: readonly { json: unknown }[]) {
  let listed = titles.get(scenarios);
  if (!listed) titles.set(scenarios, listed = scenarios.map((s) => parseScenario(s.json)).map(({ id, title, titleZh }) => ({ id, title, titleZh })));
  return listed;
}

/** The CSV files scenarios may name beside them (gauge observations), loaded when a scenario asks. */
const SCENARIO_FILES = import.meta.glob('../scenarios/mountain-city/*.csv', { query: '?raw', import: 'default' }) as Record<string, () => Promise<string>>;

export async function readScenarioFile(file: string): Promise<string> {
  const load = SCENARIO_FILES[`../scenarios/mountain-city/${file}`];
  if (!load) throw new Error(`${file} is not a file of the shipped scenarios`);
  return load();
}

/** District names at their centres, drawn over every layer so the map reads at the storm's peak. */
export function districtLabels(manifest: RegionManifest, lang: Lang): NonNullable<MapOverlay['labels']> {
  return manifest.districts.map((d) => ({ x: d.centre_m[0], y: d.centre_m[1], text: districtName(manifest, d.id, lang) }));
}
