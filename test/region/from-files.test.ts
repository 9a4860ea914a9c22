// The builder's I/O seam (models/region/builder/from-files.ts): the case and its files' bytes in,
// the region's files as bytes out, with no file system, so the browser's worker runs the very code
// `sandtable region build` runs. Its bytes equal the CLI's, and nothing it imports touches node:.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../models/errors.ts';
import { buildRegionBytes } from '../../models/region/builder/from-files.ts';
import { CLI } from '../cli-harness.ts';
import { writeFixture, type Fixture } from './fixture.ts';

const made: Fixture[] = [];
afterAll(() => { for (const f of made) rmSync(f.dir, { recursive: true, force: true }); });

function fixtureFiles(): { fixture: Fixture; caseJson: unknown; files: Map<string, Uint8Array> } {
  const fixture = writeFixture({ river_entries: [{ x_m: 480975, y_m: 3301900, upstream_area_km2: 50, name: 'North' }] });
  made.push(fixture);
  const files = new Map(readdirSync(fixture.dir).map((name) => [name, new Uint8Array(readFileSync(join(fixture.dir, name)))]));
  return { fixture, caseJson: JSON.parse(readFileSync(fixture.caseFile, 'utf8')), files };
}

/** The report without its timings, which differ from build to build. */
const withoutTimings = (text: string) => ({ ...JSON.parse(text), timings_ms: undefined });

/** Relative imports of a module and all it imports, and every bare specifier met on the way. */
function importGraph(entry: string): { modules: Set<string>; specifiers: Set<string> } {
  const modules = new Set<string>(); const specifiers = new Set<string>();
  const visit = (file: string) => {
    if (modules.has(file)) return;
    modules.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [, spec] of source.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)) {
      if (spec.startsWith('.')) { if (!/\.json$/.test(spec)) visit(resolve(dirname(file), spec)); } else specifiers.add(spec);
    }
  };
  visit(resolve(entry));
  return { modules, specifiers };
}

describe('region build from bytes', () => {
  it('gives the CLI\'s region byte for byte (every grid, region.json with its checksums, risk-items.json; the report but its timings)', async () => {
    const { fixture, caseJson, files } = fixtureFiles();
    const stages: [string, number][] = [];
    const built = await buildRegionBytes(caseJson, files, (stage, fraction) => stages.push([stage, fraction]));
    const out = join(fixture.dir, 'out');
    const cli = spawnSync(process.execPath, [CLI, 'region', 'build', fixture.caseFile, '--out', out], { encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
    const written = readdirSync(out).filter((name) => name !== 'manifest.json').sort();
    expect(Object.keys(built.files).sort()).toEqual(written);
    for (const name of written) {
      const bytes = new Uint8Array(readFileSync(join(out, name)));
      if (name === 'build-report.json') expect(withoutTimings(new TextDecoder().decode(built.files[name]))).toEqual(withoutTimings(readFileSync(join(out, name), 'utf8')));
      else expect(built.files[name], name).toEqual(bytes);
    }
    // Progress: each stage as it starts, once, in order, the fraction rising to 1.
    expect(stages.map(([s]) => s)).toEqual(['reading', 'terrain', 'districts', 'landcover', 'population', 'items', 'write', 'done']);
    expect(stages.map(([, f]) => f)).toEqual([...stages.map(([, f]) => f)].sort((a, b) => a - b));
    expect(stages.at(-1)).toEqual(['done', 1]);
    expect(built.inputs).toEqual(['dem.asc', 'districts.geojson', 'items.csv']);
  });

  it('a file the case names but the map lacks: the CLI\'s error, at the case\'s JSON path', async () => {
    const { caseJson, files } = fixtureFiles();
    files.delete('items.csv');
    const error = await buildRegionBytes(caseJson, files).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems).toEqual([{ path: '$.items.file', message: 'names a file that does not exist', value: 'items.csv', expected: 'a CSV or GeoJSON file of risk-list items' }]);
  });

  it('imports nothing from node: (the browser\'s worker bundles it)', () => {
    const { modules, specifiers } = importGraph('models/region/builder/from-files.ts');
    expect(modules.size).toBeGreaterThan(10);
    expect([...specifiers].filter((s) => s.startsWith('node:') || ['fs', 'path', 'crypto', 'os'].includes(s))).toEqual([]);
    // The Node wrapper is the only builder module that reads files.
    expect([...modules].some((m) => m.endsWith('builder/node.ts'))).toBe(false);
  });
});
