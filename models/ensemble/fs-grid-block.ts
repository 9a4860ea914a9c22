// The `ensemble` block of a grid-form landslide case (`landslide fs case.json --members N`): how many
// members, the seed, and which soil inputs each member redraws, per cell or once per member, as
// landlab's LandslideProbability draws cohesion, friction angle and hydraulic conductivity per
// cell (Strauch et al. 2018, Hammond et al. 1992). A drawn value replaces the case's value for that
// input (zone table, grid or number); `rain_scale` multiplies the whole storm. Each distribution's
// own values are values of the quantity, checked against the cell parameter's declared range, so
// every draw is a value the deterministic case would accept.
import { childPath, InputError, type Problem } from '../errors.ts';
import { cellParams } from '../landslide/spec.ts';
import { checkKnownKeys, checkNumber, isCommentKey, isRecord, type DeclaredParam, type ParamSpec } from '../params.ts';
import { ensembleParams, perturbedQuantities, spreadParams } from './spec.ts';

/**
 * The inputs a grid member may redraw: four soil parameters of the cell, and the storm's scale. A
 * drawn soil depth shallower than the cell's water table puts the table at the drawn base
 * (fs-grid-members.ts says why).
 */
export const gridPerturbedQuantities = {
  cohesion_pa: cellParams.cohesion_pa,
  friction_deg: cellParams.friction_deg,
  ks_m_per_s: cellParams.ks_m_per_s,
  soil_depth_m: cellParams.soil_depth_m,
  rain_scale: perturbedQuantities.rain_scale,
} satisfies ParamSpec;

export type GridQuantity = keyof typeof gridPerturbedQuantities;
export const GRID_QUANTITIES = Object.keys(gridPerturbedQuantities) as GridQuantity[];

/**
 * Bounded distributions for the strength parameters (a normal could leave their ranges); lognormal
 * for the positive rates; the soil depth also normal, as field surveys often report it (a draw at or
 * below 0 m is refused at its cell: lognormal is the form that stays positive).
 */
const ALLOWED: Record<GridQuantity, readonly GridDistributionName[]> = {
  cohesion_pa: ['uniform', 'triangular'],
  friction_deg: ['uniform', 'triangular'],
  ks_m_per_s: ['lognormal', 'uniform', 'triangular'],
  soil_depth_m: ['lognormal', 'normal', 'uniform', 'triangular'],
  rain_scale: ['lognormal', 'uniform', 'triangular'],
};

const FIELDS = { uniform: ['min', 'max'], triangular: ['min', 'mode', 'max'], lognormal: ['median', 'sigma_log'], normal: ['mean', 'sd'] } as const;
export type GridDistributionName = keyof typeof FIELDS;
export type GridDistribution =
  | { distribution: 'uniform'; min: number; max: number }
  | { distribution: 'triangular'; min: number; mode: number; max: number }
  | { distribution: 'lognormal'; median: number; sigma_log: number }
  | { distribution: 'normal'; mean: number; sd: number };

/** `cell`: an independent draw per cell (keyed by the global cell index); `member`: one value per member. */
export type DrawScope = 'cell' | 'member';
export interface GridPerturbation { quantity: GridQuantity; scope: DrawScope; distribution: GridDistribution }

export interface GridEnsembleSpec { members: number; seed: number; perturbations: GridPerturbation[] }

const BLOCK = '$.ensemble';

function parsePerturbation(quantity: GridQuantity, value: unknown, path: string, problems: Problem[]): GridPerturbation | undefined {
  const allowed = ALLOWED[quantity];
  if (!isRecord(value)) {
    problems.push({ path, message: 'must be an object', value, expected: `{ "distribution": ${allowed.map((d) => `"${d}"`).join(' or ')}, …, "per": "cell" or "member" }` });
    return undefined;
  }
  const name = value.distribution as GridDistributionName;
  if (typeof name !== 'string' || !allowed.includes(name)) {
    problems.push({ path: `${path}.distribution`, message: 'is not a distribution this input takes', value: value.distribution, expected: `one of ${allowed.join(', ')}` });
    return undefined;
  }
  const fields = FIELDS[name];
  checkKnownKeys(value, ['distribution', 'per', ...fields], path, problems);
  const scopes: DrawScope[] = quantity === 'rain_scale' ? ['member'] : ['cell', 'member'];
  const scope = (value.per ?? scopes[0]) as DrawScope;
  if (!scopes.includes(scope)) {
    problems.push({ path: `${path}.per`, message: 'is not a way this input is drawn', value: value.per, expected: quantity === 'rain_scale' ? '"member": one storm scale per member' : '"cell" (an independent draw per cell, the default) or "member" (one value for every cell)' });
  }
  const before = problems.length;
  const own: DeclaredParam = gridPerturbedQuantities[quantity];
  const values: Record<string, number> = {};
  for (const field of fields) {
    // A normal's standard deviation is in the quantity's unit, up to its range's width.
    const decl = field === 'sigma_log' ? spreadParams.sigma_log
      : field === 'sd' ? { ...own, min: 0, exclusiveMin: false, description: `Standard deviation of ${own.description}` } : own;
    const v = checkNumber({ ...decl, default: undefined, optional: false } as DeclaredParam, value[field], childPath(path, field), problems);
    if (v !== undefined) values[field] = v;
  }
  if (problems.length > before) return undefined;
  if ((name === 'uniform' || name === 'triangular') && !(values.min <= values.max)) {
    problems.push({ path: `${path}.max`, message: 'is below min', value: values.max, expected: `a value ≥ min = ${values.min}` });
    return undefined;
  }
  if (name === 'triangular' && !(values.min <= values.mode && values.mode <= values.max)) {
    problems.push({ path: `${path}.mode`, message: 'is outside [min, max]', value: values.mode, expected: `a value in [${values.min}, ${values.max}]` });
    return undefined;
  }
  return { quantity, scope, distribution: { distribution: name, ...values } as GridDistribution };
}

/**
 * The ensemble the case asks for; `--members`/`--seed` win over the block's. With no block,
 * `--members N` runs N copies of the deterministic case (each member the same: P is the run's
 * FS < 1 indicator), which is how the product is checked against the deterministic grids.
 */
export function parseGridEnsembleBlock(block: unknown, overrides: { members?: number; seed?: number } = {}): GridEnsembleSpec {
  if (block === undefined) {
    if (overrides.members === undefined) throw InputError.single(BLOCK, 'is missing and no --members was given', undefined, 'an "ensemble" block in the case, or --members N');
    return { members: overrides.members, seed: overrides.seed ?? 1, perturbations: [] };
  }
  if (!isRecord(block)) throw InputError.single(BLOCK, 'must be an object', block, '{ "members": N, "seed": S, "perturbations": { … } }');
  const problems: Problem[] = [];
  checkKnownKeys(block, ['members', 'seed', 'perturbations'], BLOCK, problems);
  const members = checkNumber(ensembleParams.members, block.members, `${BLOCK}.members`, problems);
  const seed = checkNumber({ ...ensembleParams.seed, default: 1 }, block.seed, `${BLOCK}.seed`, problems);
  const perturbations: GridPerturbation[] = [];
  const raw = block.perturbations ?? {};
  const path = `${BLOCK}.perturbations`;
  if (!isRecord(raw)) problems.push({ path, message: 'must be an object', value: raw, expected: `{ ${GRID_QUANTITIES.map((q) => `"${q}": …`).join(', ')} }` });
  else {
    checkKnownKeys(raw, GRID_QUANTITIES, path, problems);
    // Declaration order, not the file's: the members' draws and members.csv's columns never depend on key order.
    for (const quantity of GRID_QUANTITIES) {
      if (raw[quantity] === undefined || isCommentKey(quantity)) continue;
      const p = parsePerturbation(quantity, raw[quantity], childPath(path, quantity), problems);
      if (p) perturbations.push(p);
    }
  }
  if (problems.length) throw new InputError(problems);
  return { members: overrides.members ?? members!, seed: overrides.seed ?? seed!, perturbations };
}
