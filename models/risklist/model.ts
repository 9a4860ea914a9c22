// The risk list's entry in models/registry.ts: its command, contract, kernel and benchmarks. Its
// streaming sessions are Engine methods of their own (./engine.ts).
import { defineContract, type ModelEntry } from '../contract.ts';
import { formatGradeOutput, parseGradeCase, runGrade } from './grade.ts';
import { WasmGrading } from './kernel.ts';
import { gradeContract } from './spec.ts';
import { serveContract } from './serve/spec.ts';

export const risklistGrade = defineContract({
  name: 'risklistGrade',
  parse: (input) => parseGradeCase(input),
  parsesWithoutKernels: true,
  // Levels and times are copied out of wasm memory before the arena is released.
  run: (kernels, c) => kernels.withArena((arena) => runGrade(c, new WasmGrading(kernels, arena, c.defs.list))),
  format: formatGradeOutput,
});

export const risklistModel: ModelEntry = {
  name: 'risklist',
  label: { en: 'Risk list', zh: '风险清单' },
  commands: [
    { words: ['risklist', 'grade'], argument: '<case.json>', summary: 'dynamic up/down grading of risk-list items', options: [], contract: gradeContract },
    { words: ['risklist', 'serve'], argument: '<serve.json>', summary: 'the live risk list: readings over HTTP and MQTT, graded as they arrive', options: [], contract: serveContract },
  ],
  contracts: [risklistGrade],
  kernels: ['riskAdvance'],
  benchmarks: ['readings'],
};
