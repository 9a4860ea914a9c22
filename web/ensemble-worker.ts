// An ensemble in the browser's engine worker: the CLI's members (models/ensemble/member-run.ts)
// and the CLI's products (models/ensemble/products.ts), one member after another in this one
// worker, so the products are the bytes `sandtable ensemble` writes for the same scenario, seed
// and members. The browser caps the members (BROWSER_MAX_MEMBERS): a member of the 72-hour storm
// costs ~12 s, and the page holds every member's result until the reduce.
import type { Engine } from '../models/engine.ts';
import { InputError } from '../models/errors.ts';
import type { Grid } from '../models/grid/ascii.ts';
import { checkedShared, ensembleOf, runMember, type MemberContext, type MemberResult } from '../models/ensemble/member-run.ts';
import { ensembleProducts, type EnsembleProducts } from '../models/ensemble/products.ts';
import { layoutOf } from '../models/ensemble/reduce.ts';
import type { RegionData } from '../models/scenario/region.ts';
import type { Scenario } from '../models/scenario/schema.ts';

import { BROWSER_MAX_MEMBERS } from './ensemble-layers.ts';

export interface EnsembleRequest { members?: number; seed?: number }

export interface BrowserEnsemble extends EnsembleProducts {
  scenario: string;
  seed: number;
  members: number;
  badMembers: { index: number; problem: string }[];
  wallMs: number;
}

export interface EnsembleInputs {
  region: (scenario: Scenario) => Promise<RegionData>;
  rainGrids: (scenario: Scenario) => Promise<Grid[] | undefined>;
  /** A grid the scenario names beside itself (an ignition density grid). */
  grid: (file: string, path: string) => Promise<Grid>;
}

export async function runEnsembleIn(engine: Engine, raw: Record<string, unknown>, request: EnsembleRequest, inputs: EnsembleInputs,
  progress?: (done: number, total: number) => void): Promise<BrowserEnsemble> {
  const started = performance.now();
  await engine.ready();
  const { base, spec } = ensembleOf(raw, request);
  if (spec.members > BROWSER_MAX_MEMBERS) {
    throw InputError.single(request.members !== undefined ? 'members' : '$.ensemble.members', 'is more than the browser runs', spec.members,
      `at most ${BROWSER_MAX_MEMBERS} members in the app (sandtable ensemble runs more)`);
  }
  const [region, rainGrids, densityGrid] = await Promise.all([
    inputs.region(base), inputs.rainGrids(base),
    spec.ignitions && 'densityGrid' in spec.ignitions ? inputs.grid(spec.ignitions.densityGrid, '$.ensemble.perturbations.ignitions.density_grid') : undefined,
  ]);
  const ctx: MemberContext = { engine, raw, spec, base, ...checkedShared(spec, base, { region, rainGrids, densityGrid }) };
  const results: MemberResult[] = [];
  progress?.(0, spec.members);
  for (let i = 0; i < spec.members; i++) {
    results.push(await runMember(ctx, i));
    progress?.(i + 1, spec.members);
  }
  const products = await ensembleProducts(layoutOf(base, region), results);
  const badMembers = results.filter((r) => r.problem !== undefined).map((r) => ({ index: r.index, problem: r.problem! }));
  return { ...products, scenario: base.id, seed: spec.seed, members: spec.members, badMembers, wallMs: Math.round(performance.now() - started) };
}
