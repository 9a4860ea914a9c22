// The engine worker reads what a recompute does not change once: the region's grids while its URLs
// stay the same, and the category table the scenario grades with while its setting does. Counted
// from the worker's own Resource Timing entries (loadedResources), one per fetch.
import { describe, expect, it } from 'vitest';
import tableUrl from '../../models/risklist/categories.json?url';
import storm from '../../scenarios/mountain-city/storm-peak-24h.json';
import { startEngineWorker } from '../../web/engine-client.ts';
import { MOUNTAIN_CITY } from '../../web/region-urls.ts';

const TABLE = new URL(tableUrl, location.href).href;
// The storm graded by the engine's table as a file the scenario names.
const withTable = (categories: string) => ({
  ...storm,
  models: { ...storm.models, risklist: { ...storm.models.risklist, categories } },
});

describe('the engine worker\'s region cache', () => {
  it('reads the category table once per setting, however many recomputes; the grids once', async () => {
    const engine = startEngineWorker();
    const urls = { ...MOUNTAIN_CITY, files: { ...MOUNTAIN_CITY.files, 'city-table.json': TABLE } };
    const fetched = async (url: string) => (await engine.loadedResources()).filter((name) => name === url).length;

    const first = await engine.runScenario(withTable('city-table.json'), urls);
    expect(await fetched(TABLE)).toBe(1);
    // A recompute after a decision, and one with a delivered inject: the same table, not read again.
    const again = await engine.runScenario(withTable('city-table.json'), urls);
    await engine.runScenario(withTable('city-table.json'), urls, [['I7', 1800]]);
    expect(again.resultsSha256).toBe(first.resultsSha256);
    expect(await fetched(TABLE)).toBe(1);
    // Another setting grades by its own table (here the engine's, read from nothing); coming back reads nothing.
    const byDefault = await engine.runScenario(withTable('default'), urls);
    await engine.runScenario(withTable('city-table.json'), urls);
    expect(await fetched(TABLE)).toBe(1);
    // The same table by either route: the same results.
    expect(byDefault.summary.risk_list).toEqual(first.summary.risk_list);
    expect(await fetched(MOUNTAIN_CITY.dem)).toBe(1);
  }, 120_000);

  it('a table the page does not serve is refused at the setting, in the CLI\'s words', async () => {
    const engine = startEngineWorker();
    const missing = await engine.runScenario(withTable('lost.json'), MOUNTAIN_CITY).then(() => 'ran', (e: Error) => e.message);
    expect(missing).toContain('$.models.risklist.categories: names a file that does not exist (got "lost.json"');
  }, 60_000);
});
