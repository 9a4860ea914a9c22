// A long-lived CLI process for the property tests: loads bin/cli.ts once, then runs `main(argv)`
// for each request from the parent (IPC), so a case costs milliseconds instead of a node start-up.
// It runs in its own process so that a hang can be ended by killing it, a crash cannot take the
// test worker down, and each case can have its own working folder (to see files written there).
import { main } from '../../../bin/cli.ts';

interface Request { id: number; argv: string[]; cwd: string }

let stdout = '';
let stderr = '';
let nonFinite: string[] = [];
let active = false;

const writeOut = process.stdout.write.bind(process.stdout);
const writeErr = process.stderr.write.bind(process.stderr);
process.stdout.write = ((chunk: string | Uint8Array) => { if (active) stdout += String(chunk); else writeOut(chunk); return true; }) as typeof process.stdout.write;
process.stderr.write = ((chunk: string | Uint8Array) => { if (active) stderr += String(chunk); else writeErr(chunk); return true; }) as typeof process.stderr.write;

// JSON turns NaN and ±Infinity into null, so a silent non-finite result would not show in the
// printed text: look at the values on their way to JSON.stringify instead.
const stringify = JSON.stringify;
function scan(value: unknown, path: string, depth: number, budget: { n: number }): void {
  if (nonFinite.length >= 5 || budget.n-- <= 0 || depth > 64) return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) nonFinite.push(`${path} = ${value}`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => scan(v, `${path}[${i}]`, depth + 1, budget));
  } else if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    for (const [k, v] of Object.entries(value)) scan(v, `${path}.${k}`, depth + 1, budget);
  }
}
JSON.stringify = function (value: unknown, ...rest: unknown[]) {
  if (active) scan(value, '$', 0, { n: 2_000_000 });
  return (stringify as (...a: unknown[]) => string)(value, ...rest);
} as typeof JSON.stringify;

let current: number | undefined;
function reply(message: object): void {
  active = false;
  process.send!(message);
}
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (error: unknown) => {
    const e = error as Error;
    reply({ id: current, code: 1, stdout, stderr: stderr + `${event}: ${e?.stack ?? String(e)}\n`, nonFinite, crashed: event });
    process.exit(70);
  });
}

process.on('message', async (request: Request) => {
  current = request.id;
  stdout = '';
  stderr = '';
  nonFinite = [];
  process.chdir(request.cwd);
  active = true;
  const started = performance.now();
  const code = await main(request.argv);
  const ms = performance.now() - started;
  reply({ id: request.id, code, stdout, stderr, nonFinite, ms });
});
process.send!({ ready: true });
