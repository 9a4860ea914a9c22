// One ensemble member: the scenario variant drawn for (seed, i), run through the same path as
// `sandtable run` (parseScenario → runScenario on the same engine), boiled down to what the
// products count. Everything a member returns is integers, or doubles reduced only by sorting
// (quantiles), so the products cannot depend on which worker ran it or when. The run itself is in
// member-run.ts (nothing from Node, so the browser runs the same members); this file loads files.
import type { Engine } from '../engine.ts';
import { readGridFile } from '../grid/node.ts';
import { loadRainGrids, loadRegion } from '../scenario/region-node.ts';
import { parseScenario } from '../scenario/schema.ts';
import { parseEnsembleBlock } from './block.ts';
import { checkedShared, type ContextOptions, type MemberContext } from './member-run.ts';

export { runMember, type ContextOptions, type MemberContext, type MemberResult } from './member-run.ts';

/** Loads what every member shares: region, rain grids, ignition density; done once per worker. */
export async function memberContext(engine: Engine, raw: Record<string, unknown>, scenarioDir: string, options: ContextOptions = {}): Promise<MemberContext> {
  await engine.ready();
  const { ensemble, ...rest } = raw;
  const base = parseScenario(rest);
  const spec = parseEnsembleBlock(ensemble, base.seed, options);
  const region = await loadRegion(scenarioDir, base.region, base.models.risklist.items, base.models.risklist.categories);
  const rainGrids = await loadRainGrids(scenarioDir, base);
  const densityGrid = spec.ignitions && 'densityGrid' in spec.ignitions
    ? await readGridFile(spec.ignitions.densityGrid, scenarioDir, '$.ensemble.perturbations.ignitions.density_grid') : undefined;
  return { engine, raw, spec, base, ...checkedShared(spec, base, { region, rainGrids, densityGrid }) };
}
