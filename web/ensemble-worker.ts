// One ensemble pool worker's share of a run: the scenario and its shared inputs loaded once, then
// members by index with the CLI's code (models/ensemble/member-run.ts) and, on the worker asked to,
// the CLI's products (models/ensemble/products.ts) from every member's result in index order. So
// the app's products are the bytes `sandtable ensemble` writes for the same scenario, seed and
// members, whichever worker ran which member and in whatever order they finished.
import type { Engine } from '../models/engine.ts';
import { InputError } from '../models/errors.ts';
import type { Grid } from '../models/grid/ascii.ts';
import { checkedShared, ensembleOf, runMember, type MemberContext, type MemberResult } from '../models/ensemble/member-run.ts';
import type { ensembleWarnings } from '../models/ensemble/member-warnings.ts';
import { ensembleProducts, type EnsembleProducts } from '../models/ensemble/products.ts';
import { layoutOf } from '../models/ensemble/reduce.ts';
import type { RegionData } from '../models/scenario/region.ts';
import type { Scenario } from '../models/scenario/schema.ts';
import { BROWSER_MAX_MEMBERS } from './ensemble-layers.ts';

export interface EnsembleRequest { members?: number; seed?: number }

/** What a prepared run is: enough for the pool to hand out member indices. */
export interface PreparedEnsemble { scenario: string; seed: number; members: number }

export interface BrowserEnsemble extends EnsembleProducts, PreparedEnsemble {
  badMembers: { index: number; problem: string }[];
  /** The members' model warnings by place, as `sandtable ensemble` records them in its manifest. */
  modelWarnings: ReturnType<typeof ensembleWarnings>;
  wallMs: number;
  /** Workers the members ran on. */
  workers: number;
}

export interface EnsembleInputs {
  region: (scenario: Scenario) => Promise<RegionData>;
  rainGrids: (scenario: Scenario) => Promise<Grid[] | undefined>;
  /** A grid the scenario names beside itself (an ignition density grid). */
  grid: (file: string, path: string) => Promise<Grid>;
}

export interface EnsembleShare {
  readonly prepared: PreparedEnsemble;
  member(index: number): Promise<MemberResult>;
  /** The products of every member's result; `results` in index order, every index once. */
  products(results: readonly MemberResult[]): Promise<EnsembleProducts>;
}

/** Reads the ensemble block (refusing more members than the app runs before loading anything), then the shared inputs. */
export async function prepareEnsemble(engine: Engine, raw: Record<string, unknown>, request: EnsembleRequest, inputs: EnsembleInputs): Promise<EnsembleShare> {
  const { base, spec } = ensembleOf(raw, request);
  if (spec.members > BROWSER_MAX_MEMBERS) {
    throw InputError.single(request.members !== undefined ? 'members' : '$.ensemble.members', 'is more than the browser runs', spec.members,
      `at most ${BROWSER_MAX_MEMBERS} members in the app (sandtable ensemble runs more)`);
  }
  const [region, rainGrids, densityGrid] = await Promise.all([
    inputs.region(base), inputs.rainGrids(base),
    spec.ignitions && 'densityGrid' in spec.ignitions ? inputs.grid(spec.ignitions.densityGrid, '$.ensemble.perturbations.ignitions.density_grid') : undefined,
    engine.ready(),
  ]);
  const ctx: MemberContext = { engine, raw, spec, base, ...checkedShared(spec, base, { region, rainGrids, densityGrid }) };
  return {
    prepared: { scenario: base.id, seed: spec.seed, members: spec.members },
    member: (index) => runMember(ctx, index),
    products: (results) => ensembleProducts(layoutOf(base, region), results),
  };
}
