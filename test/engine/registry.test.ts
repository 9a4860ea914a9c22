// The model registry (models/registry.ts) is the one list the engine, the CLI and the benchmarks
// follow: every model in it has its folders, a runner for each command, its kernels in the wasm
// module, its benchmarks, and one contract shape; and nothing lists a model the registry lacks.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BENCH_MODELS, BENCHMARKS } from '../../benchmarks/index.ts';
import { RUNNERS } from '../../bin/cli.ts';
import { COMMAND_TABLE, commandName } from '../../bin/commands-table.ts';
import { createNodeEngine } from '../../models/engine-node.ts';
import { MODEL_CONTRACTS, MODELS } from '../../models/registry.ts';
import { loadKernels } from '../../models/wasm-node.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const names = MODELS.map((m) => m.name);

/** Kernel folders that are not models of their own (no case to run through the engine), each with why. */
const NOT_MODELS: Record<string, string> = {
  region: 'terrain passes of the region builder (slope, D8, fill, accumulation, HAND): the engine runs them inside other work, `sandtable bench --model region` times them',
};

describe('model registry', () => {
  it('lists each model once, and every model folder under assembly/ is in it', () => {
    expect(new Set(names).size).toBe(names.length);
    const kernelFolders = readdirSync(join(ROOT, 'assembly'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(kernelFolders.filter((f) => !(f in NOT_MODELS)).sort()).toEqual([...names].sort());
  });

  it.each(names)('%s keeps its parts where the registry says', (name) => {
    for (const path of [`assembly/${name}/layout.ts`, `models/${name}/spec.ts`, `models/${name}/model.ts`, `models/${name}/reference.ts`, `bin/commands/${name}.ts`, `benchmarks/${name}`, `test/${name}`]) {
      expect(existsSync(join(ROOT, path)), path).toBe(true);
    }
  });

  it('every command of a model is in the CLI table with a runner from bin/commands/<model>.ts', async () => {
    for (const m of MODELS) {
      const module = await import(`../../bin/commands/${m.name}.ts`) as { RUNNERS: Record<string, unknown> };
      const words = m.commands.map((c) => c.words.join(' '));
      expect(Object.keys(module.RUNNERS).sort(), m.name).toEqual([...words].sort());
      for (const w of words) {
        expect(COMMAND_TABLE.map(commandName), w).toContain(w);
        expect(RUNNERS[w], w).toBe(module.RUNNERS[w]);
      }
    }
  });

  it('every kernel a model names is exported by the wasm module', async () => {
    const exports = (await loadKernels()).exports as unknown as Record<string, unknown>;
    for (const m of MODELS) for (const k of m.kernels) expect(typeof exports[k], `${m.name}: ${k}`).toBe('function');
  });

  it('the benchmarks are exactly the ones the models declare', () => {
    expect([...BENCH_MODELS].filter((m) => !(m in NOT_MODELS)).sort()).toEqual(names.filter((n) => MODELS.find((m) => m.name === n)!.benchmarks.length > 0).sort());
    for (const m of MODELS) {
      expect(BENCHMARKS.filter((b) => b.model === m.name).map((b) => b.kernel), m.name).toEqual([...m.benchmarks]);
    }
  });

  it('contract names are unique and the engine runs each by name', async () => {
    expect(MODEL_CONTRACTS.size).toBe(MODELS.reduce((n, m) => n + m.contracts.length, 0));
    const engine = createNodeEngine();
    const chow = JSON.parse(readFileSync(join(ROOT, 'scenarios/chow-8.4.1-flood-route.json'), 'utf8'));
    // Chow, Maidment & Mays (1988) Example 8.4.1: peak outflow 641.75 m³/s (CONTRACT.md's example).
    const byName = await engine.runCase('floodRoute', chow) as Awaited<ReturnType<typeof engine.floodRoute>>;
    expect(byName).toEqual(await engine.floodRoute(chow));
    expect(Object.values(byName.reaches)[0].peak_m3_per_s).toBeCloseTo(641.75, 1);
    await expect(engine.runCase('noSuchModel', {})).rejects.toThrow(/names no model contract/);
  });
});
