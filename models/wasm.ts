// Loads the kernel module with @assemblyscript/loader (raw bindings: no generated glue that copies
// arrays) and hands whole typed arrays across as regions of wasm memory.
//
// Any allocation may grow memory, which detaches every view on the old buffer; so an Arena
// never hands out a long-lived view: allocate all regions of a job first, then take views
// with `view()` (cheap) right where they are used.
import { instantiate } from '@assemblyscript/loader';
import { installDeterministicMath, type MathExports } from './dmath.ts';

/** What every build of the module exports; each model declares its own kernels' signatures
 * (e.g. `FloodKernels` in models/flood/kernel.ts) and reads them with `kernels.exportsAs<T>()`. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
}

export type WasmSource = BufferSource | WebAssembly.Module;

const ELEMENT = {
  f64: Float64Array,
  f32: Float32Array,
  i32: Int32Array,
  u8: Uint8Array,
} as const;
type ElementKind = keyof typeof ELEMENT;
type ArrayOf<K extends ElementKind> = InstanceType<(typeof ELEMENT)[K]>;

export interface Region<K extends ElementKind = ElementKind> {
  readonly kind: K;
  readonly ptr: number;
  readonly length: number;
}

export class Kernels {
  constructor(readonly exports: KernelExports) {}

  static async instantiate(source: WasmSource): Promise<Kernels> {
    const { exports } = await instantiate<Record<string, unknown>>(source, {});
    installDeterministicMath(exports as unknown as MathExports);
    installed = new Kernels(exports as unknown as KernelExports);
    return installed;
  }

  /** The module's exports typed as one model's kernels. */
  exportsAs<T extends object>(): KernelExports & T {
    return this.exports as KernelExports & T;
  }

  /** Runs one job with its own regions, freed together when the job ends (or throws). */
  withArena<T>(job: (arena: Arena) => T): T {
    const arena = new Arena(this.exports);
    try {
      return job(arena);
    } finally {
      arena.release();
    }
  }
}

let installed: Kernels | undefined;

/**
 * The kernels loaded last, for host functions whose signature has no room to be handed them (the
 * terrain passes keep their plain-TS signatures: models/region/terrain.ts). Throws before any load,
 * as dmath does, so a result never silently falls back to plain TS.
 */
export function installedKernels(): Kernels {
  if (!installed) throw new Error('the wasm kernels are not loaded: load them first (models/wasm.ts)');
  return installed;
}

export class Arena {
  private readonly owned: number[] = [];

  constructor(private readonly exports: KernelExports) {}

  allocate<K extends ElementKind>(kind: K, length: number): Region<K> {
    const bytes = Math.max(1, length) * ELEMENT[kind].BYTES_PER_ELEMENT;
    // alloc takes a wasm32 usize: a larger count would wrap to a small region and be overrun.
    if (!(bytes < 2 ** 32)) throw new Error(`wasm allocation of ${bytes} bytes exceeds wasm32's 4 GiB`);
    // usize comes back as a signed i32: a region past 2 GiB would read as a negative offset.
    const ptr = this.exports.alloc(bytes) >>> 0;
    if (ptr === 0) throw new Error(`wasm allocation of ${bytes} bytes failed`);
    this.owned.push(ptr);
    return { kind, ptr, length };
  }

  /** Allocates a region and copies `values` into it in one bulk copy. */
  copyIn<K extends ElementKind>(kind: K, values: ArrayLike<number>): Region<K> {
    const region = this.allocate(kind, values.length);
    this.view(region).set(values);
    return region;
  }

  /** A view on the region over the current memory buffer: re-take it after any allocation. */
  view<K extends ElementKind>(region: Region<K>): ArrayOf<K> {
    const Ctor = ELEMENT[region.kind];
    return new Ctor(this.exports.memory.buffer, region.ptr, region.length) as ArrayOf<K>;
  }

  /** A copy that outlives the arena. */
  copyOut<K extends ElementKind>(region: Region<K>): ArrayOf<K> {
    return this.view(region).slice() as ArrayOf<K>;
  }

  release(): void {
    for (const ptr of this.owned.splice(0)) this.exports.free(ptr);
  }
}
