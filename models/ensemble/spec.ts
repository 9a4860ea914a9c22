// The scenario's `ensemble` block, declared once: how many members, the seed of their draws, and
// which declared inputs each member perturbs with which distribution. The distribution's own
// values (a uniform's ends, a lognormal's median) are values of the perturbed quantity, checked
// against that quantity's range; only the spreads (sigma_log, sd_deg) have declarations of their own.
import type { CommandContract, DeclaredParam, ParamSpec } from '../params.ts';
import { scenarioContract, scenarioParams } from '../scenario/schema.ts';

/** Most members one ensemble may ask for (a queue of a million jobs is a different tool's job). */
export const MAX_MEMBERS = 100_000;

export const ensembleParams = {
  members: { kind: 'number', unit: '1', min: 1, max: MAX_MEMBERS, integer: true, default: 20, description: 'Number of members (scenario variants) to run', label: { en: 'Ensemble members', zh: '集合成员数' } },
  // The same seed range as the scenario's: a member's draws are hash(seed, member, field).
  seed: scenarioParams.seed,
} satisfies ParamSpec;

/** The inputs a member may perturb, each a multiplier or shift of a declared scenario input. */
export const perturbedQuantities = {
  rain_scale: { kind: 'number', unit: '1', min: 0, max: 10, description: 'Multiplies every rain value of the scenario (areal series, sub-basin series or the grids\' factor)', label: { en: 'Rain scaling', zh: '降雨缩放' } },
  wind_speed_scale: { kind: 'number', unit: '1', min: 0, max: 10, description: 'Multiplies the 10 m wind speed at every time', label: { en: 'Wind speed scaling', zh: '风速缩放' } },
  wind_direction_shift_deg: { kind: 'number', unit: '°', min: -180, max: 180, description: 'Added to where the wind blows from (clockwise), at every time', label: { en: 'Wind direction shift', zh: '风向偏转' } },
  fuel_moisture_scale: { kind: 'number', unit: '1', min: 0.1, max: 10, description: 'Multiplies every dead and live fuel moisture', label: { en: 'Fuel moisture scaling', zh: '可燃物含水率缩放' } },
  river_inflow_scale: { kind: 'number', unit: '1', min: 0, max: 10, description: 'Multiplies one entering river\'s hydrograph (drawn per river: the forecast error of each inflow)', label: { en: 'River inflow scaling', zh: '入境流量缩放' } },
} satisfies ParamSpec;

export type Quantity = keyof typeof perturbedQuantities;
export const QUANTITIES = Object.keys(perturbedQuantities) as Quantity[];

/** Spreads of the distributions. */
export const spreadParams = {
  sigma_log: { kind: 'number', unit: '1', min: 0, max: 3, description: 'Standard deviation of the natural log (lognormal)', label: { en: 'Log standard deviation', zh: '对数标准差' } },
  sd_deg: { kind: 'number', unit: '°', min: 0, max: 180, description: 'Standard deviation of a direction shift (normal)', label: { en: 'Direction standard deviation', zh: '方向标准差' } },
} satisfies ParamSpec;

/** The distributions each quantity may take, with the fields each needs. */
export const DISTRIBUTIONS = {
  uniform: ['min', 'max'],
  lognormal: ['median', 'sigma_log'],
  normal: ['mean', 'sd_deg'],
} as const;
export type DistributionName = keyof typeof DISTRIBUTIONS;

/** Which distributions suit which quantity: scales are positive (lognormal), shifts symmetric (normal). */
export const ALLOWED: Record<Quantity, readonly DistributionName[]> = {
  rain_scale: ['lognormal', 'uniform'],
  wind_speed_scale: ['lognormal', 'uniform'],
  wind_direction_shift_deg: ['normal', 'uniform'],
  fuel_moisture_scale: ['lognormal', 'uniform'],
  river_inflow_scale: ['lognormal', 'uniform'],
};

export type Distribution =
  | { distribution: 'uniform'; min: number; max: number }
  | { distribution: 'lognormal'; median: number; sigma_log: number }
  | { distribution: 'normal'; mean: number; sd_deg: number };

/**
 * `sandtable ensemble --members N` on a scenario with no block: spreads of the size forecasters
 * quote for a one- to three-day forecast (areal QPF errors of a factor ~1.3 at one sigma; wind
 * speed ±20 %, direction ±20°; fuel moisture ±15 %; inflow forecasts ±10 %), and each member
 * redraws the slopes' soil from its published ranges. Ignitions stay where the scenario puts them.
 */
export const DEFAULT_PERTURBATIONS: Partial<Record<Quantity, Distribution>> = {
  rain_scale: { distribution: 'lognormal', median: 1, sigma_log: 0.25 },
  wind_speed_scale: { distribution: 'lognormal', median: 1, sigma_log: 0.2 },
  wind_direction_shift_deg: { distribution: 'normal', mean: 0, sd_deg: 20 },
  fuel_moisture_scale: { distribution: 'lognormal', median: 1, sigma_log: 0.15 },
  river_inflow_scale: { distribution: 'lognormal', median: 1, sigma_log: 0.1 },
};

/** The block's numeric fields for `sandtable ensemble --help`. */
export const ensembleInputs: { at: string; params: Record<string, DeclaredParam> }[] = [
  { at: '$.ensemble', params: ensembleParams },
  { at: '$.ensemble.perturbations', params: perturbedQuantities },
  { at: '$.ensemble.perturbations.<quantity>', params: spreadParams },
];

/** `sandtable ensemble --help`: the scenario's fields and the block's. */
export const ensembleContract: CommandContract = {
  inputs: [...scenarioContract.inputs, ...ensembleInputs],
  outputs: {},
};
