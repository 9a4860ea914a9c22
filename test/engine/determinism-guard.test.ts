// The determinism rule (README, "Deterministic across Node and the browser") as a check: host code
// on a result path takes its transcendentals from models/dmath.ts (the kernels' own libm), never
// from V8's Math.*, whose exp/sin/pow/… differ in the last bits between Node and Chromium. A new
// Math.exp under models/, web/ or bin/ fails here with file:line, unless it is listed below with
// the reason it cannot change a result.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCANNED = ['models', 'web', 'bin'];

/**
 * Plain-TS twins of the kernels, one name per model: `models/<model>/reference.ts`, split into
 * `reference-<kernel>.ts` beside it when a model has several kernels. They run only in tests and
 * benchmarks (as the yardstick the wasm is checked against), so V8's Math is fine there; production
 * code imports nothing from them (checked below), so a twin cannot slip onto a result path.
 */
const TWIN = /^models\/[a-z-]+\/reference(-[a-z-]+)?\.ts$/;
const isTwin = (file: string) => TWIN.test(file);

/** Whole files that draw pictures: their numbers become pixels, never a result or a hash. */
const DRAWING_FILES: Record<string, string> = {
  'models/region/render.ts': 'hillshade of the base map (pixel colours in the page)',
};

/** Single expressions allowed where they are, each with why (the exact text must still be there). */
const ALLOWED_EXPRESSIONS: { file: string; text: string; why: string }[] = [
  { file: 'web/scenario-overlay.ts', text: 'Math.log10(1 + flow)', why: 'line width of a river on the map, in pixels' },
];

// Called or passed (`xs.map(Math.sin)`) alike.
const TRANSCENDENTAL = /\bMath\.(exp|expm1|log|log1p|log2|log10|pow|sin|cos|tan|asin|acos|atan|atan2|sinh|cosh|tanh|asinh|acosh|atanh|cbrt)\b/g;
const INTEGER = /^\d+$/;

/** Source with comments blanked out (line numbers kept), so prose about Math.exp is not code. */
export function stripComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (block) => block.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/**
 * `**` is Math.pow by another name. Allowed: a square (`x ** 2`: V8's pow, fdlibm's, returns x·x,
 * exact, for y = 2) and a power of integer literals (`2 ** 20`: an exact constant); any other
 * exponent may round differently between engines.
 */
function exponentOffence(left: string, right: string): string | undefined {
  const base = /(\d+(?:\.\d*)?(?:e[+-]?\d+)?|[\w$.\])]+)\s*$/i.exec(left)?.[1] ?? '';
  const exponent = /^\s*(-?[\w$.]+|\()/.exec(right)?.[1] ?? '';
  if (exponent === '2' || (INTEGER.test(exponent) && INTEGER.test(base))) return undefined;
  return `${base} ** ${exponent}`;
}

export interface Offence { line: number; text: string }

/** Calls of transcendental Math.* and non-square `**` in `source`, by line. */
export function offences(source: string): Offence[] {
  const found: Offence[] = [];
  stripComments(source).split('\n').forEach((code, i) => {
    for (const m of code.matchAll(TRANSCENDENTAL)) found.push({ line: i + 1, text: `Math.${m[1]}` });
    for (let at = code.indexOf('**'); at >= 0; at = code.indexOf('**', at + 2)) {
      const text = exponentOffence(code.slice(0, at), code.slice(at + (code[at + 2] === '=' ? 3 : 2)));
      if (text) found.push({ line: i + 1, text });
    }
  });
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f).split('\\').join('/'))
    .sort();
}

const files = SCANNED.flatMap(sourceFiles);
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('determinism guard: host code on result paths uses models/dmath.ts', () => {
  it('finds what it is meant to find (and not comments, squares or integer constants)', () => {
    const source = [
      'const a = Math.exp(x) + Math.sqrt(y) + Math.hypot(x, y);',
      '// Math.sin(x) in a comment',
      '/* Math.pow(a, b) in a block */ const b = x ** 2 + 2 ** 20 + 500 * 2 ** 30;',
      'const c = x ** 0.5, d = x ** n, e = 10 ** k;',
      'const f = xs.map(Math.cos); const url = "https://x"; const g = Math.atan2(1, 2);',
      'h **= 1.5;',
    ].join('\n');
    expect(offences(source).map((o) => `${o.line}: ${o.text}`)).toEqual([
      '1: Math.exp', '4: x ** 0.5', '4: x ** n', '4: 10 ** k', '5: Math.cos', '5: Math.atan2', '6: h ** 1.5',
    ]);
  });

  it('no host file under models/, web/ or bin/ calls a transcendental Math.* outside the allow-list', () => {
    const report: string[] = [];
    for (const file of files) {
      if (isTwin(file) || file in DRAWING_FILES) continue;
      const lines = read(file).split('\n');
      for (const o of offences(read(file))) {
        const line = lines[o.line - 1];
        if (ALLOWED_EXPRESSIONS.some((a) => a.file === file && line.includes(a.text))) continue;
        report.push(`${file}:${o.line}: ${o.text} — use dmath (models/dmath.ts): ${line.trim()}`);
      }
    }
    expect(report).toEqual([]);
  });

  it('every allowance still matches the code it excuses (none left behind stale)', () => {
    for (const file of Object.keys(DRAWING_FILES)) expect(files, file).toContain(file);
    // Every model with kernels keeps its twin under the one name.
    for (const model of readdirSync(join(ROOT, 'assembly'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
      expect(files, `models/${model}/reference.ts`).toContain(`models/${model}/reference.ts`);
    }
    for (const a of ALLOWED_EXPRESSIONS) expect(read(a.file), `${a.file}: ${a.why}`).toContain(a.text);
  });

  it('production code imports nothing from the plain-TS twins', () => {
    const report: string[] = [];
    const IMPORT = /(?:import|export)\s+(?:type\s+)?(?:\{[^}]*\}|\*(?:\s+as\s+\w+)?)\s+from\s+'([^']+)'|import\('([^']+)'\)/g;
    for (const file of files) {
      if (isTwin(file)) continue;
      for (const m of read(file).matchAll(IMPORT)) {
        const spec = m[1] ?? m[2];
        if (!spec.startsWith('.')) continue;
        const target = relative(ROOT, resolve(ROOT, dirname(file), spec)).split('\\').join('/');
        if (isTwin(target)) report.push(`${file}: imports ${target} (a plain-TS twin: tests and benchmarks only)`);
      }
    }
    expect(report).toEqual([]);
  });

  it('the twin rule recognises the twins and nothing else', () => {
    expect(['models/fire/reference.ts', 'models/fire/reference-spread.ts', 'models/risklist/reference.ts'].every(isTwin)).toBe(true);
    expect(['models/fire/spread-case.ts', 'models/scenario/references.ts', 'models/fire/reference.test.ts'].some(isTwin)).toBe(false);
  });
});
