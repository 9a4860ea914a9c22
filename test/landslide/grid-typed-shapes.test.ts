// The grid case's packing loop keeps its optimised code whatever its caller's object looks like.
// The scenario's slope grid handed gridCaseFromArrays an object spread, whose shape V8 drops with
// the object: the loop, inlined in gridCaseFromArrays, was compiled again and thrown away at every
// ensemble member (benchmarks/ensemble/compiles-per-member.ts: most of a late member's TurboFan
// compiles). The child packs one case per call, each argument with a shape of its own that a full
// collection drops; V8 compiles synchronously there (no concurrent jobs), so the trace between
// two calls is exactly what that call compiled and deoptimised.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./grid-typed-shapes.child.ts', import.meta.url));
const PACKING = /gridCaseFromArrays|packCellColumns/;

describe('landslide grid case from arrays: compiled once', () => {
  it('compiles the packing loop in the first calls and neither compiles nor deoptimises it afterwards', () => {
    const r = spawnSync(process.execPath, [
      '--import', 'tsx', '--expose-gc', '--no-concurrent-recompilation', '--no-concurrent-osr', '--trace-opt', '--trace-deopt', child,
    ], { cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    const warmUpEnd = lines.indexOf('call 3 done');
    expect(lines.at(-2)).toBe('call 7 done');
    const events = (from: number, to: number) => lines.slice(from, to)
      .filter((l) => (l.startsWith('[completed compiling') || l.startsWith('[bailout')) && PACKING.test(l));
    // The trace names the loop (or the test would pass on no trace at all) …
    expect(events(0, warmUpEnd).some((l) => l.startsWith('[completed compiling'))).toBe(true);
    // … and after the warm-up it is never compiled or thrown away again.
    expect(events(warmUpEnd, lines.length)).toEqual([]);
  });
});
