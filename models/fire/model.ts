// The wildfire model's entry in models/registry.ts: its commands, contracts, kernels and benchmarks.
import { defineContract, SHARED_OPTIONS, type ModelEntry } from '../contract.ts';
import { formatBehavior, parseBehaviorCases } from './behavior.ts';
import { fireBehaviorWasm, fireSpreadWasm } from './kernel.ts';
import { behaviorContract, spreadContract } from './spec.ts';
import { formatSpread, parseSpreadCase } from './spread-case.ts';

export const fireBehavior = defineContract({
  name: 'fireBehavior',
  // An array of cases gives an array of outputs; one case, one output.
  parse: (input) => ({ packed: parseBehaviorCases(input), asArray: Array.isArray(input) }),
  run: (kernels, c) => fireBehaviorWasm(kernels, c.packed),
  format: (c, out) => formatBehavior(c.packed, out, c.asArray),
});

export const fireSpread = defineContract({
  name: 'fireSpread',
  // Kernels at parse time: the bed table is evaluated by the wasm fireBeds.
  parse: (input, { kernels, grids }) => parseSpreadCase(kernels, input, new Map(Object.entries(grids))),
  run: (kernels, c) => fireSpreadWasm(kernels, c.packed),
  format: formatSpread,
});

export const fireModel: ModelEntry = {
  name: 'fire',
  label: { en: 'Wildfire', zh: '森林火灾' },
  commands: [
    { words: ['fire', 'behavior'], argument: '<case.json>', summary: 'Rothermel surface fire behaviour at a point', options: [], contract: behaviorContract },
    { words: ['fire', 'spread'], argument: '<case.json>', summary: 'fire arrival time across a landscape', options: [SHARED_OPTIONS.out, SHARED_OPTIONS.force], contract: spreadContract },
  ],
  contracts: [fireBehavior, fireSpread],
  kernels: ['fireBehavior', 'fireBeds', 'fireBehaviorFromBeds', 'fireSpread'],
  benchmarks: ['behavior', 'spread'],
};
