// Every kernel's benchmark, by model. `sandtable bench --model M` runs one model's entries.
import { muskingumCungeBenchmark } from './flood/muskingum-cunge.ts';
import { muskingumBenchmark } from './flood/muskingum.ts';
import type { Benchmark } from './harness.ts';
import { behaviorBenchmark } from './fire/behavior.ts';
import { spreadBenchmark } from './fire/spread.ts';
import { landslideBenchmark } from './landslide/iverson.ts';
import { risklistBenchmark } from './risklist/grade.ts';
import { terrainBenchmark } from './region/terrain.ts';

export const BENCHMARKS: Benchmark[] = [muskingumBenchmark, muskingumCungeBenchmark, landslideBenchmark, risklistBenchmark, behaviorBenchmark, spreadBenchmark, terrainBenchmark];

export const BENCH_MODELS = [...new Set(BENCHMARKS.map((b) => b.model))];
