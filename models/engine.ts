// The engine: one API used in-process by the CLI, by a Node worker_threads worker and by the
// browser's Web Worker through Comlink. Every method validates its input at this boundary and
// throws InputError for anything the user got wrong.
//
// The kernels load lazily and every method awaits them, so a worker can expose the engine at once
// and answer its first message while the wasm is still compiling.
import { routeCaseWasm, runXinanjiangWasm } from './flood/kernel.ts';
import { formatRouteOutput, parseRouteCase, type RouteOutput } from './flood/route.ts';
import { runRunoff, type RunoffOutput } from './flood/runoff.ts';
import { formatBehavior, parseBehaviorCases, type BehaviorOutput } from './fire/behavior.ts';
import { fireBehaviorWasm, fireSpreadWasm } from './fire/kernel.ts';
import { formatSpread, parseSpreadCase, type SpreadOutput } from './fire/spread-case.ts';
import { runLandslideWasm } from './landslide/kernel.ts';
import { formatFsOutput, parseFsCase, type FsOutput } from './landslide/fs.ts';
import { parseGridCase, runGridCase, type GridOutput } from './landslide/grid.ts';
import type { Grid } from './grid/ascii.ts';
import { risklistMethods, type RisklistEngine } from './risklist/engine.ts';
import { ENGINE_VERSION } from './version.ts';
import { Kernels, type WasmSource } from './wasm.ts';

export interface EngineInfo {
  engineVersion: string;
  kernelsLoaded: boolean;
}

/** Each model adds its methods; the risk list's (grade + streaming sessions) are in models/risklist/engine.ts. */
export interface Engine extends RisklistEngine {
  info(): Promise<EngineInfo>;
  /** Waits until the kernels are compiled; rejects if they cannot be. */
  ready(): Promise<EngineInfo>;
  /** `sandtable flood route`: routes a case in the CONTRACT.md form. */
  floodRoute(input: unknown): Promise<RouteOutput>;
  /** `sandtable flood runoff`: Xinanjiang / SCS-CN rainfall–runoff per sub-basin. */
  floodRunoff(input: unknown): Promise<RunoffOutput>;
  /** `sandtable fire behavior`: Rothermel surface fire at a point; an array of cases gives an array. */
  fireBehavior(input: unknown): Promise<BehaviorOutput | BehaviorOutput[]>;
  /** `sandtable fire spread`: arrival times over a landscape; grid files the case names come in `grids` by name. */
  fireSpread(input: unknown, grids?: Record<string, Grid>): Promise<SpreadOutput>;
  /** `sandtable landslide fs` (cells form): transient infiltration and factor of safety per cell. */
  landslideFs(input: unknown): Promise<FsOutput>;
  /** `sandtable landslide fs` (grid form); `grids` holds the files the case names, by name. */
  landslideGrid(input: unknown, grids: Record<string, Grid>): Promise<GridOutput>;
}

export function createEngine(loadWasm: () => Promise<WasmSource>): Engine {
  let kernels: Kernels | undefined;
  const loading = loadWasm().then(Kernels.instantiate).then((k) => { kernels = k; return k; });
  // Keep an early failure from surfacing as an unhandled rejection before anyone asks.
  loading.catch(() => undefined);

  const info = (): EngineInfo => ({ engineVersion: ENGINE_VERSION, kernelsLoaded: kernels !== undefined });

  return {
    ...risklistMethods(loading),
    async info() {
      return info();
    },
    async ready() {
      await loading;
      return info();
    },
    async landslideFs(input) {
      // Kernels first: parsing uses their deterministic math (models/dmath.ts).
      const kernels = await loading;
      const parsed = parseFsCase(input);
      return formatFsOutput(parsed, runLandslideWasm(kernels, parsed.packed, parsed.setup));
    },
    async landslideGrid(input, grids) {
      // Kernels first: parsing uses their deterministic math (models/dmath.ts).
      const kernels = await loading;
      const parsed = parseGridCase(input, grids);
      return runGridCase(kernels, parsed);
    },
    async floodRoute(input) {
      // Kernels first: parsing uses their deterministic math (models/dmath.ts).
      const kernels = await loading;
      const parsed = parseRouteCase(input);
      const run = routeCaseWasm(kernels, parsed);
      return formatRouteOutput(parsed, run);
    },
    async floodRunoff(input) {
      const kernels = await loading;
      return runRunoff(input, (basins, dt, steps) => runXinanjiangWasm(kernels, basins, dt, steps));
    },
    async fireBehavior(input) {
      // Kernels first: parsing uses their deterministic math (models/dmath.ts).
      const kernels = await loading;
      const packed = parseBehaviorCases(input);
      return formatBehavior(packed, fireBehaviorWasm(kernels, packed), Array.isArray(input));
    },
    async fireSpread(input, grids = {}) {
      // Kernels first: parsing uses their deterministic math (models/dmath.ts).
      const kernels = await loading;
      const parsed = parseSpreadCase(kernels, input, new Map(Object.entries(grids)));
      return formatSpread(parsed, fireSpreadWasm(kernels, parsed.packed));
    },
  };
}
