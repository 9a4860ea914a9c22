// The engine: one API used in-process by the CLI, by a Node worker_threads worker and by the
// browser's Web Worker through Comlink. Every method validates its input at this boundary and
// throws InputError for anything the user got wrong.
//
// The kernels load lazily and every method awaits them, so a worker can expose the engine at once
// and answer its first message while the wasm is still compiling.
import type { Grid } from './grid/ascii.ts';
import { InputError } from './errors.ts';
import type { ModelContract, ParseContext } from './contract.ts';
import { fireBehavior, fireSpread } from './fire/model.ts';
import { floodRoute, floodRunoff } from './flood/model.ts';
import { landslideFs, landslideGrid } from './landslide/model.ts';
import { risklistGrade } from './risklist/model.ts';
import type { RouteCase, RouteOutput } from './flood/route.ts';
import type { RunoffOutput } from './flood/runoff.ts';
import type { BehaviorOutput } from './fire/behavior.ts';
import type { SpreadOutput } from './fire/spread-case.ts';
import { packSpreadCase, type SpreadInputs } from './fire/spread-pack.ts';
import type { FsCase, FsOutput } from './landslide/fs.ts';
import type { GridCase, GridOutput } from './landslide/grid.ts';
import type { GradeCase, GradeOutput } from './risklist/grade.ts';
import { MODEL_CONTRACTS } from './registry.ts';
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
  /** Any contract of models/registry.ts by its name (`floodRoute`, …): parse → run → format. */
  runCase(name: string, input: unknown, grids?: Record<string, Grid>): Promise<unknown>;
  /**
   * The typed path for couplings: a case already built in memory (no file form to parse), run →
   * format. Its builder keeps the kernel's checks (models/landslide/grid-typed.ts).
   */
  landslideGridCase(c: GridCase): Promise<GridOutput>;
  /** The typed path of the cells form (models/landslide/fs-typed.ts). */
  landslideFsCase(c: FsCase): Promise<FsOutput>;
  /** The typed path of `flood route` (models/flood/route-typed.ts). */
  floodRouteCase(c: RouteCase): Promise<RouteOutput>;
  /** The typed path of `fire spread`: checked inputs (models/fire/spread-typed.ts), packed here where the kernels compute the beds. */
  fireSpreadInputs(inputs: SpreadInputs): Promise<SpreadOutput>;
  /** The typed path of `risklist grade` (models/risklist/grade-typed.ts). */
  risklistGradeCase(c: GradeCase): Promise<GradeOutput>;
}

export function createEngine(loadWasm: () => Promise<WasmSource>): Engine {
  let kernels: Kernels | undefined;
  const loading = loadWasm().then(Kernels.instantiate).then((k) => { kernels = k; return k; });
  // Keep an early failure from surfacing as an unhandled rejection before anyone asks.
  loading.catch(() => undefined);

  const info = (): EngineInfo => ({ engineVersion: ENGINE_VERSION, kernelsLoaded: kernels !== undefined });

  async function run<Case, Result, Output>(contract: ModelContract<Case, Result, Output>, input: unknown, grids: Record<string, Grid> = {}): Promise<Output> {
    if (contract.parsesWithoutKernels) {
      const context: ParseContext = { grids, get kernels(): never { throw new Error(`${contract.name} parses without kernels, yet asked for them`); } };
      const c = contract.parse(input, context);
      const kernels = await loading;
      return contract.format(c, contract.run(kernels, c));
    }
    // Kernels first: parsing uses their deterministic math (models/dmath.ts).
    const kernels = await loading;
    const c = contract.parse(input, { kernels, grids });
    return contract.format(c, contract.run(kernels, c));
  }

  /** A case built in memory by a coupling: already checked where it was built, so run → format. */
  async function runParsed<Case, Result, Output>(contract: ModelContract<Case, Result, Output>, c: Case): Promise<Output> {
    const kernels = await loading;
    return contract.format(c, contract.run(kernels, c));
  }

  async function runCase(name: string, input: unknown, grids?: Record<string, Grid>): Promise<unknown> {
    const contract = MODEL_CONTRACTS.get(name);
    if (!contract) throw InputError.single('name', 'names no model contract', name, `one of ${[...MODEL_CONTRACTS.keys()].join(', ')}`);
    return run(contract, input, grids);
  }

  return {
    ...risklistMethods(loading),
    async info() {
      return info();
    },
    async ready() {
      await loading;
      return info();
    },
    runCase,
    landslideFs: (input) => run(landslideFs, input),
    landslideGrid: (input, grids) => run(landslideGrid, input, grids),
    landslideGridCase: (c) => runParsed(landslideGrid, c),
    landslideFsCase: (c) => runParsed(landslideFs, c),
    floodRoute: (input) => run(floodRoute, input),
    floodRouteCase: (c) => runParsed(floodRoute, c),
    floodRunoff: (input) => run(floodRunoff, input),
    fireBehavior: (input) => run(fireBehavior, input),
    fireSpread: (input, grids) => run(fireSpread, input, grids),
    fireSpreadInputs: async (inputs) => runParsed(fireSpread, packSpreadCase(await loading, inputs)),
    risklistGrade: (input) => run(risklistGrade, input),
    risklistGradeCase: (c) => runParsed(risklistGrade, c),
  };
}
