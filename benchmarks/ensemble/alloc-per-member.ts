// Where an ensemble member's garbage comes from (a diagnostic, not a test): run with
//   node --import tsx benchmarks/ensemble/alloc-per-member.ts [--members 6] [--scenario FILE] [--top 25] [--min-kib 64]
// Runs members in this process (as a pool worker does: one engine, one context) after two warm-up
// members, with V8's sampling heap profiler keeping the objects the collector already freed, so
// the JavaScript heap's garbage is counted by the function that allocated it. Typed arrays' data
// lives outside that heap (it is what drives the old-space collections once it adds up), so typed
// arrays of --min-kib or more are counted separately, by the call site that made them.
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeEngine } from '../../models/engine-node.ts';
import { memberContext, runMember } from '../../models/ensemble/member.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const arg = (name: string) => { const k = process.argv.indexOf(`--${name}`); return k > 0 ? process.argv[k + 1] : undefined; };
const members = Number(arg('members') ?? 6);
const top = Number(arg('top') ?? 25);
const scenario = arg('scenario') ?? join(root, 'scenarios/mountain-city/storm-72h.json');

const LARGE = Number(arg('min-kib') ?? 64) * 1024;
const external = new Map<string, { n: number; bytes: number }>();
let counting = false;
/** The first frame outside this file and the typed-array constructors: who asked for the array. */
function site(): string {
  const lines = (new Error().stack ?? '').split('\n').slice(2);
  const frame = lines.find((l) => !l.includes('alloc-per-member.ts') && !/at (new )?\w+Array\b/.test(l)) ?? '?';
  return frame.trim().replace(/^at /, '').replace(`file://${root}`, '');
}
for (const name of ['Float64Array', 'Float32Array', 'Int32Array', 'Uint8Array', 'Uint32Array', 'Int8Array', 'Uint16Array', 'Int16Array'] as const) {
  const Base = globalThis[name] as unknown as new (...args: unknown[]) => ArrayBufferView;
  const Counted = class extends Base {
    constructor(...args: unknown[]) {
      super(...args);
      // A view of an existing buffer allocates nothing.
      if (counting && !(args[0] instanceof ArrayBuffer) && this.byteLength >= LARGE) {
        const key = site();
        const e = external.get(key) ?? { n: 0, bytes: 0 };
        e.n++; e.bytes += this.byteLength;
        external.set(key, e);
      }
    }
  };
  Object.defineProperty(globalThis, name, { value: Counted, writable: true, configurable: true });
}

interface ProfileNode { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: ProfileNode[] }

const raw = JSON.parse(readFileSync(scenario, 'utf8')) as Record<string, unknown>;
const engine = createNodeEngine();
const ctx = await memberContext(engine, raw, dirname(scenario), { members: members + 2 });
await runMember(ctx, 0);
await runMember(ctx, 1);
const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
counting = true;
for (let i = 2; i < members + 2; i++) await runMember(ctx, i);
counting = false;
const { profile } = await session.post('HeapProfiler.stopSampling') as unknown as { profile: { head: ProfileNode } };
session.disconnect();

// Keyed by the allocating function and the nearest project function above it (a builtin such as
// Array.from, or a small helper, says little without its caller). tsx compiles each module to one
// line, so functions are named without lines.
const bySite = new Map<string, number>();
const nameOf = (node: ProfileNode) => `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(`file://${root}`, '')}`;
(function walk(node: ProfileNode, callers: string[]) {
  const self = nameOf(node);
  const caller = callers.findLast((c) => c.includes(' models/') && c !== self);
  const key = caller ? `${self} ← ${caller}` : self;
  bySite.set(key, (bySite.get(key) ?? 0) + node.selfSize);
  for (const child of node.children) walk(child, [...callers, self]);
})(profile.head, []);
const mb = (b: number) => Number((b / members / 1e6).toFixed(2));
const heapTotal = [...bySite.values()].reduce((a, b) => a + b, 0);
const externalTotal = [...external.values()].reduce((a, e) => a + e.bytes, 0);
process.stdout.write(JSON.stringify({
  scenario, members,
  heap_mb_per_member: mb(heapTotal),
  heap_top_mb_per_member: [...bySite].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, b]) => [k, mb(b)]),
  typed_arrays_mb_per_member: mb(externalTotal),
  typed_arrays_top: [...external].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, top).map(([k, e]) => [k, mb(e.bytes), Number((e.n / members).toFixed(1))]),
}, null, 1) + '\n');
process.exit(0);
