// Everything a run produces, as files (name → text): the same results the browser shows, for
// `sandtable run --out DIR` and for the after-action record. Plus the summary printed on stdout.
import { regionCrs } from '../geo/crs.ts';
import { formatAsciiGrid } from '../grid/ascii.ts';
import { capSender, districtCapAreas, warningsToCap } from './cap.ts';
import { formatResultsCsv } from './csv.ts';
import { districtOutlineParts } from './districts.ts';
import { depthGrid, FLOODED_DEPTH_M } from './inundation.ts';
import type { RegionData } from './region.ts';
import type { ScenarioRun } from './run.ts';
import { isoAt, type Scenario } from './schema.ts';

const LEVEL_NAMES = ['', 'blue', 'yellow', 'orange', 'red'];

/**
 * A results table: numbers as they are, text neutralised against spreadsheet formulas and quoted
 * where it holds a comma, quote or line break (csv.ts; a region built from the user's own data may
 * name a river "Min, upper"). No byte-order mark: these tables are ASCII (ids are restricted,
 * numbers and ISO times), so spreadsheets read them as they are, and users' scripts read the
 * header as `t_s`, not `\ufefft_s`. Tables for people with Chinese text (the MSEL export) carry one
 * (formatCsv).
 */
const csv = formatResultsCsv;

export function runOutputs(run: ScenarioRun, scenario: Scenario, region: RegionData): Record<string, string> {
  const { grid } = run;
  const stepEnds = Array.from({ length: grid.steps }, (_, j) => (j + 1) * grid.stepS);
  const time = (t: number) => isoAt(scenario, t);
  const crs = regionCrs(region.manifest);
  const lonLat = ([x, y]: [number, number]): [number, number] => {
    const [lon, lat] = crs.toLonLat(x, y);
    return [Number(lon.toFixed(7)), Number(lat.toFixed(7))];
  };
  const files: Record<string, string> = {};

  if (run.route) {
    const route = run.route;
    const reachIds = region.manifest.reaches.map((r) => r.id);
    files['flows.csv'] = csv(['t_s', 'time', ...reachIds.map((id) => `${id}_m3_per_s`)],
      [0, ...stepEnds].map((t, k) => [t, time(t), ...reachIds.map((id) => Number(route.reaches[id].outflow_m3_per_s[k].toFixed(3)))]));
    if (run.inundation) files['flood/depth_max_m.asc'] = formatAsciiGrid(depthGrid(region, run.inundation.maxDepthM));
    files['gauges.csv'] = csv(['gauge', 'river', 'reach', 'bankfull_m3_per_s', 'peak_m3_per_s', 'peak_time_s', 'peak_time'],
      run.gauges.map((g) => [g.id, g.river, g.reach, g.bankfullM3PerS.toFixed(1), g.peakM3PerS.toFixed(1), g.peakTimeS, time(g.peakTimeS)]));
  }
  if (run.fire) {
    const fire = run.fire;
    files['fire/arrival_time_s.asc'] = formatAsciiGrid(fire.output.arrival);
    files['fire/ros_m_per_min.asc'] = formatAsciiGrid(fire.output.ros, 6);
    files['fire/fireline_intensity_kw_per_m.asc'] = formatAsciiGrid(fire.output.intensity, 6);
    files['fire/area.csv'] = csv(['t_s', 'time', 'burned_area_m2', 'people_in_burned_cells'],
      stepEnds.map((t, j) => [t, time(t), fire.burnedAreaM2[j], fire.peopleInBurnedCells[j]]));
    files['fire/perimeters.geojson'] = JSON.stringify({
      type: 'FeatureCollection',
      features: stepEnds.map((t, j) => ({
        type: 'Feature', properties: { t_s: t, time: time(t), area_m2: fire.burnedAreaM2[j] },
        geometry: { type: 'MultiLineString', coordinates: fire.perimeters[j].map((line) => line.map(([x, y]) => lonLat([x, y]))) },
      })),
    }) + '\n';
  }
  const districts = [...run.rainMmByDistrict.keys()];
  files['rain.csv'] = csv(['t_s', 'time', ...districts.map((d) => `${d}_mm`)],
    stepEnds.map((t, j) => [t, time(t), ...districts.map((d) => Number(run.rainMmByDistrict.get(d)![j].toFixed(3)))]));
  if (run.slopeGrid) {
    files['landslide/fs_min.asc'] = formatAsciiGrid(run.slopeGrid.fsMin, 6);
    files['landslide/first_fs_below_1_t_s.asc'] = formatAsciiGrid(run.slopeGrid.firstBelow1S);
    files['landslide/cells_fs_below_1.csv'] = csv(['t_s', 'time', 'cells_fs_below_1', 'area_km2'],
      run.slopeGrid.cellsBelow1.map((n, h) => [(h + 1) * 3600, time((h + 1) * 3600), n, Number(((n * run.slopeGrid!.fsMin.cellsize ** 2) / 1e6).toFixed(4))]));
  }
  const slopes = [...run.fsBySlope.keys()];
  const fsTimes = slopes.length ? run.fsBySlope.get(slopes[0])!.tS : [];
  files['slopes-fs.csv'] = csv(['t_s', 'time', ...slopes], fsTimes.map((t, k) => [t, time(t), ...slopes.map((id) => run.fsBySlope.get(id)!.fs[k])]));
  const exposure = run.peopleByWarningLevel;
  const built = run.buildingsByWarningLevel;
  files['exposure.csv'] = csv(['t_s', 'time', 'people_no_warning', 'people_blue', 'people_yellow', 'people_orange', 'people_red',
    'buildings_no_warning', 'buildings_blue', 'buildings_yellow', 'buildings_orange', 'buildings_red'],
  stepEnds.map((t, j) => [t, time(t), exposure[0][j], exposure[1][j], exposure[2][j], exposure[3][j], exposure[4][j], built[0][j], built[1][j], built[2][j], built[3][j], built[4][j]]));
  files['readings.csv'] = csv(['t_s', 'item', 'factor', 'value'], run.readings.map((r) => [r.t_s, r.item, r.factor, r.value]));
  files['risk-log.json'] = JSON.stringify(run.risk, null, 1) + '\n';
  files['warnings.json'] = JSON.stringify(run.warnings.map((w) => ({ ...w, time: time(w.t_s), ...(w.lift_s !== undefined ? { lift_time: time(w.lift_s) } : {}) })), null, 1) + '\n';

  const outlines = districtOutlineParts(region.manifest);
  files['warnings.geojson'] = JSON.stringify({
    type: 'FeatureCollection',
    features: run.warnings.map((w) => ({
      type: 'Feature',
      properties: { id: w.id, hazard: w.hazard, level: w.level, colour: LEVEL_NAMES[w.level], t_s: w.t_s, lift_s: w.lift_s ?? null, time: time(w.t_s), areas: w.areas, reason: w.reason, source: w.source },
      geometry: { type: 'MultiPolygon', coordinates: w.areas.flatMap((a) => outlines.get(a)!.map((ring) => [ring.map(lonLat)])) },
    })),
  }) + '\n';
  const maxLevel = new Map<string, number>();
  for (const c of run.risk.changes) maxLevel.set(c.item, Math.max(maxLevel.get(c.item) ?? 0, c.to));
  files['items.geojson'] = JSON.stringify({
    type: 'FeatureCollection',
    features: region.items.map((item) => ({
      type: 'Feature',
      properties: { id: item.id, category: item.category, name: item.name, name_zh: item.name_zh, area: item.area,
        final_level: run.risk.final[item.id] ?? null, max_level: Math.max(maxLevel.get(item.id) ?? 0, run.risk.final[item.id] ?? 0) },
      geometry: { type: 'Point', coordinates: lonLat([item.x_m, item.y_m]) },
    })),
  }) + '\n';
  const cap = warningsToCap(run.warnings, {
    sender: capSender(region.manifest), exercise: scenario.exercise, timeAt: time, scenarioId: scenario.id,
    areas: districtCapAreas(region.manifest),
  });
  for (const message of cap) files[`cap/${message.fileName}`] = message.xml;
  return files;
}

export async function sha256Hex(text: string): Promise<string> {
  return bytesSha256Hex(new TextEncoder().encode(text));
}

/** The SHA-256 of bytes as read from a file: a file of hundreds of MB is not decoded and re-encoded for it. */
export async function bytesSha256Hex(bytes: BufferSource): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Each file's SHA-256: where two runs differ, this says in which output. */
export async function fileHashes(files: Record<string, string>): Promise<Record<string, string>> {
  const names = Object.keys(files).sort();
  const hashes = await Promise.all(names.map((name) => sha256Hex(files[name])));
  return Object.fromEntries(names.map((name, k) => [name, hashes[k]]));
}

/**
 * SHA-256 over every file, by name: equal hashes mean byte-identical results (Web Crypto, so Node
 * and the browser compute it the same way).
 */
export async function resultsHash(files: Record<string, string>): Promise<string> {
  return sha256Hex(Object.keys(files).sort().map((name) => `${name}\0${files[name]}\0`).join(''));
}

export function runSummary(run: ScenarioRun, scenario: Scenario, resultsSha256: string) {
  const final = Object.values(run.risk.final);
  const reached = new Map<string, number>();
  for (const c of run.risk.changes) reached.set(c.item, Math.max(reached.get(c.item) ?? 0, c.to));
  const slopes = [...run.fsBySlope.values()];
  const byHazard: Record<string, number> = {};
  for (const w of run.warnings) byHazard[w.hazard] = (byHazard[w.hazard] ?? 0) + 1;
  return {
    scenario: scenario.id, seed: run.seed, engine_version: run.engineVersion, exercise: scenario.exercise,
    duration_s: scenario.durationS, step_s: scenario.stepS,
    gauges: run.gauges.map((g) => ({ id: g.id, river: g.river, reach: g.reach, peak_m3_per_s: Number(g.peakM3PerS.toFixed(1)), peak_time_s: g.peakTimeS, peak_time: isoAt(scenario, g.peakTimeS), warning_flow_m3_per_s: Number(g.bankfullM3PerS.toFixed(1)) })),
    ...(run.fire ? { fire: {
      ignitions: run.fire.ignitions,
      burned_area_km2: Number(((run.fire.burnedAreaM2.at(-1) ?? 0) / 1e6).toFixed(3)),
      people_in_burned_cells: run.fire.peopleInBurnedCells.at(-1) ?? 0,
    } } : {}),
    ...(run.inundation ? { inundation: {
      flooded_area_km2: Number(run.inundation.floodedAreaKm2.toFixed(3)), people_in_flooded_cells: run.inundation.people,
      buildings_in_flooded_cells: run.inundation.buildings, flooded_depth_m: FLOODED_DEPTH_M,
    } } : {}),
    people_under_warning_peak: Object.fromEntries(([1, 2, 3, 4] as const).map((l) => [l, Math.max(0, ...run.peopleByWarningLevel[l])])),
    buildings_under_warning_peak: Object.fromEntries(([1, 2, 3, 4] as const).map((l) => [l, Math.max(0, ...run.buildingsByWarningLevel[l])])),
    ...(run.slopeGrid ? { slope_grid: {
      cell_size_m: run.slopeGrid.fsMin.cellsize, steep_cells: run.slopeGrid.cells,
      cells_fs_below_1_peak: Math.max(0, ...run.slopeGrid.cellsBelow1),
    } } : {}),
    slopes: { monitored: slopes.length, fs_below_1: slopes.filter((s) => Math.min(...s.fs) < 1).length, fs_below_1_1: slopes.filter((s) => Math.min(...s.fs) < 1.1).length },
    warnings: { issued: run.warnings.length, by_hazard: byHazard, highest_level: Math.max(0, ...run.warnings.map((w) => w.level)) },
    // `warnings` above counts the official hazard warnings issued; these are the models' own.
    model_warnings: run.modelWarnings,
    risk_list: {
      items: final.length, changes: run.risk.changes.length,
      final_by_level: Object.fromEntries([1, 2, 3, 4].map((l) => [l, final.filter((x) => x === l).length])),
      reached_by_level: Object.fromEntries([2, 3, 4].map((l) => [l, [...reached.values()].filter((x) => x === l).length])),
    },
    injects_delivered: run.delivered,
    timings_ms: Object.fromEntries(Object.entries(run.timingsMs).map(([k, v]) => [k, Math.round(v)])),
    results_sha256: resultsSha256,
  };
}
