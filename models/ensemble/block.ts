// Reads the scenario's `ensemble` block against models/ensemble/spec.ts: every problem named by
// its JSON path, so `sandtable ensemble` refuses a bad block (exit 2) before any member runs.
import { childPath, InputError, type Problem } from '../errors.ts';
import { checkKnownKeys, checkNumber, isCommentKey, isRecord } from '../params.ts';
import { ALLOWED, DEFAULT_PERTURBATIONS, DISTRIBUTIONS, ensembleParams, perturbedQuantities, QUANTITIES, spreadParams, type Distribution, type DistributionName, type Quantity } from './spec.ts';

export type IgnitionDraw = { points: [number, number][] } | { densityGrid: string };

export interface EnsembleSpec {
  members: number;
  seed: number;
  quantities: Partial<Record<Quantity, Distribution>>;
  /** Each member draws the slopes' soil (and the ponds' outlets) with a seed of its own. */
  soilRedraw: boolean;
  /** Where each ignition inject of the scenario starts, member by member. */
  ignitions?: IgnitionDraw;
  /** False when the scenario had no block and the documented defaults were used. */
  fromBlock: boolean;
}

const BLOCK = '$.ensemble';
const PERTURBATIONS = `${BLOCK}.perturbations`;
const OTHER_KEYS = ['soil', 'ignitions'];

function parseDistribution(quantity: Quantity, value: unknown, path: string, problems: Problem[]): Distribution | undefined {
  const allowed = ALLOWED[quantity];
  if (!isRecord(value)) {
    problems.push({ path, message: 'must be an object', value, expected: `{ "distribution": ${allowed.map((d) => `"${d}"`).join(' or ')}, … }` });
    return undefined;
  }
  const name = value.distribution as DistributionName;
  if (typeof name !== 'string' || !allowed.includes(name)) {
    problems.push({ path: `${path}.distribution`, message: 'is not a distribution this input takes', value: value.distribution, expected: `one of ${allowed.join(', ')}` });
    return undefined;
  }
  const fields = DISTRIBUTIONS[name];
  checkKnownKeys(value, ['distribution', ...fields], path, problems);
  const own = perturbedQuantities[quantity];
  const before = problems.length;
  const read = (field: string) => {
    const decl = field === 'sigma_log' || field === 'sd_deg' ? spreadParams[field] : own;
    return checkNumber({ ...decl, default: undefined, optional: false }, value[field], childPath(path, field), problems);
  };
  const values = Object.fromEntries(fields.map((f) => [f, read(f)])) as Record<string, number>;
  if (problems.length > before) return undefined;
  if (name === 'uniform' && !(values.min <= values.max)) {
    problems.push({ path: `${path}.max`, message: 'is below min', value: values.max, expected: `a value ≥ min = ${values.min}` });
    return undefined;
  }
  return { distribution: name, ...values } as Distribution;
}

function parseIgnitions(value: unknown, path: string, problems: Problem[]): EnsembleSpec['ignitions'] {
  const expected = '{ "points": [{ "x_m": …, "y_m": … }, …] } or { "density_grid": "ignition-density.asc" }';
  if (!isRecord(value)) {
    problems.push({ path, message: 'must be an object', value, expected });
    return undefined;
  }
  checkKnownKeys(value, ['points', 'density_grid'], path, problems);
  const forms = ['points', 'density_grid'].filter((k) => value[k] !== undefined);
  if (forms.length !== 1) {
    problems.push({ path, message: forms.length ? 'gives both a list and a grid' : 'gives neither a list nor a grid', value: forms, expected });
    return undefined;
  }
  if (forms[0] === 'density_grid') {
    const file = value.density_grid;
    if (typeof file !== 'string' || !/\.(asc|txt|tiff?)$/i.test(file)) {
      problems.push({ path: `${path}.density_grid`, message: 'must name a grid file', value: file, expected: 'an ESRI ASCII (.asc) or GeoTIFF (.tif) grid of relative ignition density (≥ 0), beside the scenario' });
      return undefined;
    }
    return { densityGrid: file };
  }
  const points = value.points;
  if (!Array.isArray(points) || points.length === 0) {
    problems.push({ path: `${path}.points`, message: 'must be a non-empty array', value: points, expected: '[{ "x_m": …, "y_m": … }, …] (map metres, the region\'s CRS)' });
    return undefined;
  }
  const out: [number, number][] = [];
  points.forEach((p, k) => {
    const at = `${path}.points[${k}]`;
    if (!isRecord(p)) { problems.push({ path: at, message: 'must be an object', value: p, expected: '{ "x_m": …, "y_m": … }' }); return; }
    checkKnownKeys(p, ['x_m', 'y_m'], at, problems);
    const coordinate = { kind: 'number' as const, unit: 'm', description: 'map coordinate', min: -1e8, max: 1e8 };
    const x = checkNumber(coordinate, p.x_m, `${at}.x_m`, problems);
    const y = checkNumber(coordinate, p.y_m, `${at}.y_m`, problems);
    if (x !== undefined && y !== undefined) out.push([x, y]);
  });
  return out.length === points.length ? { points: out } : undefined;
}

/**
 * The ensemble a scenario asks for. `members` and `seed` from the command line win over the
 * block's; with no block, `--members` runs the documented default perturbations and the seed is
 * the scenario's own.
 */
export function parseEnsembleBlock(block: unknown, scenarioSeed: number, overrides: { members?: number; seed?: number } = {}): EnsembleSpec {
  const problems: Problem[] = [];
  if (block === undefined) {
    if (overrides.members === undefined) {
      throw InputError.single(BLOCK, 'is missing and no --members was given', undefined, 'an "ensemble" block in the scenario, or --members N for the default perturbations');
    }
    return { members: overrides.members, seed: overrides.seed ?? scenarioSeed, quantities: { ...DEFAULT_PERTURBATIONS }, soilRedraw: true, fromBlock: false };
  }
  if (!isRecord(block)) throw InputError.single(BLOCK, 'must be an object', block, '{ "members": N, "seed": S, "perturbations": { … } }');
  checkKnownKeys(block, ['members', 'seed', 'perturbations'], BLOCK, problems);
  const members = checkNumber(ensembleParams.members, block.members, `${BLOCK}.members`, problems);
  const seed = checkNumber({ ...ensembleParams.seed, default: scenarioSeed }, block.seed, `${BLOCK}.seed`, problems);
  const raw = block.perturbations ?? {};
  const quantities: EnsembleSpec['quantities'] = {};
  let soilRedraw = false;
  let ignitions: EnsembleSpec['ignitions'];
  if (!isRecord(raw)) problems.push({ path: PERTURBATIONS, message: 'must be an object', value: raw, expected: `{ ${[...QUANTITIES, ...OTHER_KEYS].map((q) => `"${q}": …`).join(', ')} }` });
  else {
    checkKnownKeys(raw, [...QUANTITIES, ...OTHER_KEYS], PERTURBATIONS, problems);
    for (const [key, value] of Object.entries(raw)) {
      if (isCommentKey(key)) continue;
      const path = childPath(PERTURBATIONS, key);
      if ((QUANTITIES as string[]).includes(key)) {
        const d = parseDistribution(key as Quantity, value, path, problems);
        if (d) quantities[key as Quantity] = d;
      } else if (key === 'soil') {
        if (!isRecord(value) || typeof value.redraw !== 'boolean') problems.push({ path: `${path}.redraw`, message: 'must be true or false', value: isRecord(value) ? value.redraw : value, expected: 'true: each member draws the slopes\' soil from the published ranges with a seed of its own' });
        else { checkKnownKeys(value, ['redraw'], path, problems); soilRedraw = value.redraw; }
      } else if (key === 'ignitions') ignitions = parseIgnitions(value, path, problems);
    }
  }
  if (problems.length) throw new InputError(problems);
  return { members: overrides.members ?? members!, seed: overrides.seed ?? seed!, quantities, soilRedraw, ...(ignitions ? { ignitions } : {}), fromBlock: true };
}
