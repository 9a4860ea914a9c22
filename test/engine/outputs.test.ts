// The declared outputs (models/<model>/spec.ts) name every field each command prints: run the
// shipped cases and check each printed key against the command's contract, so a new output field
// cannot appear without its unit and labels (the CLI help and the docs read them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import { behaviorContract } from '../../models/fire/spec.ts';
import { routeContract, runoffContract } from '../../models/flood/spec.ts';
import { fsContract } from '../../models/landslide/spec.ts';
import type { CommandContract } from '../../models/params.ts';
import { gradeContract } from '../../models/risklist/spec.ts';

const engine = createNodeEngine();
const shipped = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '../../scenarios', name), 'utf8'));
type Json = Record<string, unknown>;

/** Keys printed at these levels of the output; containers (maps by id, arrays of records) are walked, not listed. */
function printedKeys(value: unknown, containers: readonly string[]): Set<string> {
  const keys = new Set<string>();
  const walk = (v: unknown, byId: boolean) => {
    if (Array.isArray(v)) { v.forEach((x) => { if (typeof x === 'object' && x !== null) walk(x, false); }); return; }
    if (typeof v !== 'object' || v === null) return;
    for (const [k, x] of Object.entries(v as Json)) {
      if (byId) { walk(x, false); continue; }
      if (containers.includes(k)) walk(x, !Array.isArray(x));
      else keys.add(k);
    }
  };
  walk(value, false);
  return keys;
}

function undeclared(keys: Set<string>, contract: CommandContract): string[] {
  return [...keys].filter((k) => !(k in contract.outputs));
}

describe('every field a command prints is declared in its spec\'s outputs', () => {
  it('fire behavior (every key, both ways)', async () => {
    const out = await engine.fireBehavior(shipped('fire-behavior-gs4.json')) as unknown as Json | Json[];
    const keys = printedKeys(out, []);
    expect(undeclared(keys, behaviorContract)).toEqual([]);
    expect([...keys].sort()).toEqual(Object.keys(behaviorContract.outputs).sort());
  });

  it('flood route', async () => {
    const keys = printedKeys(await engine.floodRoute(shipped('flood-route-mixed.json')), ['reaches', 'mass_balance']);
    expect(undeclared(keys, routeContract)).toEqual([]);
    expect(keys).toContain('peak_m3_per_s');
  });

  it('flood runoff', async () => {
    const keys = printedKeys(await engine.floodRunoff(shipped('flood-runoff-two-basins.json')), ['basins']);
    expect(undeclared(keys, runoffContract)).toEqual([]);
    expect(keys).toContain('discharge_m3_per_s');
  });

  it('landslide fs (cells)', async () => {
    const keys = printedKeys(await engine.landslideFs(shipped('landslide-minor-creek-fs.json')), ['cells', 'times', 'depths']);
    expect(undeclared(keys, fsContract)).toEqual([]);
    expect(keys).toContain('fs_min');
  });

  it('risklist grade', async () => {
    const keys = printedKeys(await engine.risklistGrade(shipped('risklist-storm-night.json')), []);
    expect(undeclared(keys, gradeContract)).toEqual([]);
    expect([...keys].sort()).toEqual(Object.keys(gradeContract.outputs).sort());
  });
});
