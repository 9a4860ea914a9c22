// The local pool's threads take the region, rain grids and kernels from the coordinator instead of
// loading their own (models/ensemble/pool.ts `shared`): they must never need the scenario's files,
// give the in-process members' results byte for byte, and end with the coordinator's load error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../models/engine-node.ts';
import { InputError } from '../../models/errors.ts';
import { memberContext, runMember } from '../../models/ensemble/member.ts';
import { sharedInputsOf } from '../../models/ensemble/member-run.ts';
import { runLocalPool, type PoolCpu } from '../../models/ensemble/pool.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
// Two hours of the test storm, its region named relative to the fixtures folder.
const raw = { ...JSON.parse(readFileSync(join(fixtures, 'storm-6h.json'), 'utf8')), duration_s: 7200 };
const nowhere = join(fixtures, 'no-such-folder');

describe('the local pool with shared inputs', () => {
  it('runs members without reading the scenario\'s files, the same results as in-process', async () => {
    const ctx = await memberContext(createNodeEngine(), raw, fixtures, { members: 2 });
    const cpu: PoolCpu = { starts: [], members: [] };
    // A scenario folder that does not exist: a thread that loaded its own region would fail.
    const results = await runLocalPool({ raw, scenarioDir: nowhere, options: { members: 2 }, indices: [0, 1], workers: 2, shared: Promise.resolve(sharedInputsOf(ctx)), cpu });
    const inProcess = [await runMember(ctx, 0), await runMember(ctx, 1)];
    expect(results.sort((a, b) => a.index - b.index).map((r) => r.hash)).toEqual(inProcess.map((r) => r.hash));
    expect(cpu.starts).toHaveLength(2);
    expect(cpu.members.map((m) => m.index).sort()).toEqual([0, 1]);
  }, 120_000);

  it('ends with the coordinator\'s error when its load fails, threads stopped', async () => {
    const refused = InputError.single('$.region', 'names a region file that does not exist', 'x.json', 'a region folder');
    await expect(runLocalPool({ raw, scenarioDir: nowhere, options: { members: 2 }, indices: [0, 1], workers: 2, shared: Promise.reject(refused) })).rejects.toBe(refused);
  }, 60_000);
});
