// A trainer's model-change inject (a fire break, a dam release) reruns the scenario, but most
// models' inputs do not change: a barrier changes the fire, not the rivers. Wrapping the engine so
// each model call is answered from the last runs when its input is byte-for-byte the same keeps
// such a rerun to the models that actually changed — with results identical to a fresh run,
// because a model is a pure function of its input.
import type { Engine } from '../engine.ts';
import type { Grid } from '../grid/ascii.ts';

const MEMOIZED = ['floodRoute', 'floodRouteCase', 'landslideFs', 'landslideGrid', 'landslideGridCase', 'landslideFsCase', 'fireSpread', 'fireSpreadInputs', 'risklistGradeCase'] as const;
type Memoized = (typeof MEMOIZED)[number];

export interface ModelMemo {
  /** Results by input digest, most recently used last. */
  entries: Map<string, Promise<unknown>>;
  capacity: number;
  hits: number;
  misses: number;
}

export function createModelMemo(capacity = 24): ModelMemo {
  return { entries: new Map(), capacity, hits: 0, misses: 0 };
}

/**
 * SHA-256 of the method, the input and the bytes of every grid handed with it. A case built in
 * memory (the typed path) is keyed on its packed inputs: each typed array's bytes, in the order
 * JSON meets them, and a Set as its members.
 */
async function digest(method: string, input: unknown, grids?: Record<string, Grid>): Promise<string> {
  const arrays: Uint8Array[] = [];
  const json = JSON.stringify(input, (_key, value: unknown) => {
    if (ArrayBuffer.isView(value)) {
      arrays.push(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      return { typed: value.constructor.name, bytes: value.byteLength };
    }
    return value instanceof Set ? [...value] : value;
  });
  const parts: Uint8Array[] = [new TextEncoder().encode(`${method}\n${json}\n`), ...arrays];
  for (const name of Object.keys(grids ?? {}).sort()) {
    const grid = grids![name];
    const { values, ...geometry } = grid;
    parts.push(new TextEncoder().encode(`${name}:${JSON.stringify(geometry)}\n`));
    parts.push(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  }
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { all.set(p, at); at += p.byteLength; }
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  return Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The engine with its model runs memoised in `memo` (every other method passes through). */
export function memoizeModels(engine: Engine, memo: ModelMemo): Engine {
  const wrapped = { ...engine };
  for (const method of MEMOIZED) {
    const call = engine[method].bind(engine) as (input: unknown, grids?: Record<string, Grid>) => Promise<unknown>;
    (wrapped as Record<Memoized, unknown>)[method] = async (input: unknown, grids?: Record<string, Grid>) => {
      const key = await digest(method, input, grids);
      const known = memo.entries.get(key);
      if (known) {
        memo.hits++;
        memo.entries.delete(key);
        memo.entries.set(key, known);
        return known;
      }
      memo.misses++;
      const result = call(input, grids);
      memo.entries.set(key, result);
      // A failed run is not remembered: the same input should fail again, freshly.
      result.catch(() => memo.entries.delete(key));
      while (memo.entries.size > memo.capacity) memo.entries.delete(memo.entries.keys().next().value!);
      return result;
    };
  }
  return wrapped;
}
