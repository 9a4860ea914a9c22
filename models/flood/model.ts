// The flood model's entry in models/registry.ts: its commands, contracts, kernels and benchmarks.
import { defineContract, SHARED_OPTIONS, type ModelEntry } from '../contract.ts';
import { routeCaseWasm, runXinanjiangWasm } from './kernel.ts';
import { formatRouteOutput, parseRouteCase } from './route.ts';
import { parseRunoffCase, runRunoffCase } from './runoff.ts';
import { routeContract, runoffContract } from './spec.ts';

export const floodRoute = defineContract({ name: 'floodRoute', parse: (input) => parseRouteCase(input), run: routeCaseWasm, format: formatRouteOutput });

export const floodRunoff = defineContract({
  name: 'floodRunoff',
  parse: (input) => parseRunoffCase(input),
  // Generation in wasm; the per-basin routing and balance are the output's assembly.
  run: (kernels, c) => runRunoffCase(c, (basins, dt, steps) => runXinanjiangWasm(kernels, basins, dt, steps)),
  format: (_c, output) => output,
});

export const floodModel: ModelEntry = {
  name: 'flood',
  label: { en: 'River flood', zh: '洪水' },
  commands: [
    { words: ['flood', 'route'], argument: '<case.json>', summary: 'route hydrographs through a river network', options: [SHARED_OPTIONS.fullPrecision], contract: routeContract },
    { words: ['flood', 'runoff'], argument: '<case.json>', summary: 'Xinanjiang and SCS-CN rainfall–runoff', options: [SHARED_OPTIONS.fullPrecision], contract: runoffContract },
  ],
  contracts: [floodRoute, floodRunoff],
  kernels: ['routeMuskingumNetwork', 'routeMixedNetwork', 'runXinanjiang'],
  benchmarks: ['muskingum', 'muskingum-cunge'],
};
