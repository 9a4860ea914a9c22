// Every model, one line each. The engine (models/engine.ts), the CLI's commands and help
// (bin/commands-table.ts, bin/cli.ts), and the checks over specs, kernels and benchmarks
// (test/engine/registry.test.ts) iterate this list. Adding a model: its folders (README, "How to
// add a model") and its line here.
import type { ModelContract, ModelEntry } from './contract.ts';
import { fireModel } from './fire/model.ts';
import { floodModel } from './flood/model.ts';
import { landslideModel } from './landslide/model.ts';
import { risklistModel } from './risklist/model.ts';

export const MODELS: readonly ModelEntry[] = [
  floodModel,
  landslideModel,
  fireModel,
  risklistModel,
];

export const MODEL_CONTRACTS: ReadonlyMap<string, ModelContract<any, any, any>> = new Map(MODELS.flatMap((m) => m.contracts.map((c) => [c.name, c] as const)));
