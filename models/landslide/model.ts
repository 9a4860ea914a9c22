// The landslide model's entry in models/registry.ts: its commands, contracts, kernels and benchmarks.
import { defineContract, SHARED_OPTIONS, type ModelEntry } from '../contract.ts';
import { formatFsOutput, parseFsCase } from './fs.ts';
import { parseGridCase, runGridCase } from './grid.ts';
import { runGridSummary } from './grid-summary.ts';
import { runLandslideWasm } from './kernel.ts';
import { fsContract } from './spec.ts';

export const landslideFs = defineContract({ name: 'landslideFs', parse: (input) => parseFsCase(input), run: (kernels, c) => runLandslideWasm(kernels, c.packed, c.setup), format: formatFsOutput });

/** The grid form runs the kernel in blocks of cells and assembles its grids as it goes (a coupling's case may ask for the summary only). */
export const landslideGrid = defineContract({
  name: 'landslideGrid', parse: (input, { grids }) => parseGridCase(input, grids),
  run: (kernels, c) => (c.summaryOnly ? runGridSummary(kernels, c) : runGridCase(kernels, c)), format: (_c, output) => output,
});

export const landslideModel: ModelEntry = {
  name: 'landslide',
  label: { en: 'Rainfall landslides', zh: '降雨滑坡' },
  commands: [
    {
      words: ['landslide', 'fs'], argument: '<case.json>', summary: 'transient infiltration and factor of safety', contract: fsContract,
      options: [SHARED_OPTIONS.out, SHARED_OPTIONS.force, SHARED_OPTIONS.fullPrecision, { name: 'workers', value: 'N', description: 'grid form: split the rows over N engine workers (1–256, default 1)' }],
    },
  ],
  contracts: [landslideFs, landslideGrid],
  kernels: ['landslideDirect', 'landslideLagged'],
  benchmarks: ['iverson'],
};
