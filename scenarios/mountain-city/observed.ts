// Writes the synthetic "observed" hydrographs of storm-72h.json: what its three gauges might have
// recorded had the storm come a little differently from the forecast. Not measurements: the
// scenario's own run, delayed by LAG_S, scaled by a per-gauge bias and multiplied by AR(1) noise
// drawn from SEED. `node --import tsx scenarios/mountain-city/observed.ts` rewrites the CSVs (the
// region must be built); a change of engine results changes them, so they are committed.
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeEngine } from '../../models/engine-node.ts';
import { seededRandom } from '../../models/random.ts';
import { forecastAt } from '../../models/scenario/observations.ts';
import { loadRegion } from '../../models/scenario/region-node.ts';
import { runScenario } from '../../models/scenario/run.ts';
import { isoAt, parseScenario } from '../../models/scenario/schema.ts';
import scenarioJson from './storm-72h.json' with { type: 'json' };

export const SEED = 72;
/** The observed flood arrives an hour after the forecast one. */
export const LAG_S = 3600;
/** Observed over forecast volume, per gauge: the forecast misses upstream inflow on the tributary. */
export const BIAS: Record<string, number> = { 'G-main': 0.97, 'G-tributary': 1.08, 'G-outlet': 1.01 };
const NOISE = { rho: 0.8, sigma: 0.015 };

const here = dirname(fileURLToPath(import.meta.url));
const { observations: _given, ...withoutObservations } = scenarioJson as Record<string, unknown>;
const scenario = parseScenario(withoutObservations);
const region = await loadRegion(here, scenario.region);
const engine = createNodeEngine();
const run = await runScenario(engine, scenario, region);
const random = seededRandom(SEED);
const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
for (const gauge of run.gauges) {
  const flows = run.route!.reaches[gauge.reach].outflow_m3_per_s;
  const hours = Array.from({ length: scenario.durationS / 3600 + 1 }, (_, h) => h * 3600);
  const lagged = forecastAt(flows, scenario.stepS, hours.map((t) => Math.max(0, t - LAG_S)));
  let noise = 0;
  const rows = hours.map((t, k) => {
    noise = NOISE.rho * noise + NOISE.sigma * Math.sqrt(1 - NOISE.rho ** 2) * gaussian();
    return `${isoAt(scenario, t)},${Math.round(lagged[k] * (BIAS[gauge.id] ?? 1) * (1 + noise))}`;
  });
  const file = join(here, `storm-72h-observed-${gauge.id}.csv`);
  await writeFile(file, ['time,discharge_m3_per_s', ...rows].join('\n') + '\n');
  console.log(`${file}: ${rows.length} hourly values, peak forecast ${gauge.peakM3PerS.toFixed(0)} m³/s`);
}
await engine.close?.();
