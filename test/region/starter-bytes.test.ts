// The starters the browser's build worker writes beside a built region (starterFiles, from the
// region's files as bytes): byte for byte what `sandtable region scenario DIR --template storm|fire`
// writes for the same region, the fire's ignition on the most flammable fuel's highest HAND cell.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAsciiGrid, parseAsciiGrid } from '../../models/grid/ascii.ts';
import { buildRegionBytes } from '../../models/region/builder/from-files.ts';
import { STARTER_FILES, starterFiles } from '../../models/region/builder/starter.ts';
import { CLI } from '../cli-harness.ts';
import { writeFixture, type Fixture } from './fixture.ts';

let fixture: Fixture;
let out: string;
let built: Record<string, Uint8Array>;

beforeAll(async () => {
  fixture = writeFixture();
  out = join(fixture.dir, 'out');
  const files = new Map(readdirSync(fixture.dir).map((name) => [name, new Uint8Array(readFileSync(join(fixture.dir, name)))]));
  built = (await buildRegionBytes(JSON.parse(readFileSync(fixture.caseFile, 'utf8')), files)).files;
  const cli = spawnSync(process.execPath, [CLI, 'region', 'build', fixture.caseFile, '--out', out], { encoding: 'utf8' });
  expect(cli.status, cli.stderr).toBe(0);
}, 60_000);
afterAll(() => rmSync(fixture.dir, { recursive: true, force: true }));

/** What `region scenario` writes for the region in `out`, beside its region.json. */
function cliStarter(template: 'storm' | 'fire'): { status: number | null; stderr: string; bytes?: Uint8Array } {
  const target = join(out, STARTER_FILES[template]);
  const cli = spawnSync(process.execPath, [CLI, 'region', 'scenario', out, '--template', template, '--out', target, '--force'], { encoding: 'utf8' });
  return { status: cli.status, stderr: cli.stderr, bytes: cli.status === 0 ? new Uint8Array(readFileSync(target)) : undefined };
}

/** The region's fuel.asc with `fuelAt` for each cell, in the worker's files and on disk alike. */
function withFuel(fuelAt: (row: number, col: number, was: number) => number): Record<string, Uint8Array> {
  const fuel = parseAsciiGrid(new TextDecoder().decode(built['fuel.asc']), 'fuel.asc');
  fuel.values = fuel.values.map((v, i) => fuelAt(Math.floor(i / fuel.ncols), i % fuel.ncols, v));
  const bytes = new TextEncoder().encode(formatAsciiGrid(fuel));
  writeFileSync(join(out, 'fuel.asc'), bytes);
  return { ...built, 'fuel.asc': bytes };
}

const ignitionOf = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)).injects[0].action as { x_m: number; y_m: number };

describe('starters for a region built in the browser', () => {
  it('the storm and fire starters equal `region scenario --template storm|fire` byte for byte', () => {
    expect(new TextDecoder().decode(built['fuel.asc'])).toContain('\n102 102 102');
    const starters = starterFiles(built);
    expect(Object.keys(starters).sort()).toEqual(['fire-starter.json', 'storm-starter.json']);
    for (const template of ['storm', 'fire'] as const) {
      const cli = cliStarter(template);
      expect(cli.status, cli.stderr).toBe(0);
      expect(new TextDecoder().decode(starters[STARTER_FILES[template]]), template).toBe(new TextDecoder().decode(cli.bytes));
      expect(starters[STARTER_FILES[template]], template).toEqual(cli.bytes);
    }
    // GR2 (102) everywhere: the ignition is the highest HAND cell three or more cells from the edge.
    const hand = parseAsciiGrid(new TextDecoder().decode(built['hand.asc']), 'hand.asc');
    let best = -1;
    for (let i = 0; i < hand.values.length; i++) {
      const r = Math.floor(i / hand.ncols); const c = i % hand.ncols;
      if (r >= 3 && c >= 3 && r < hand.nrows - 3 && c < hand.ncols - 3 && (best < 0 || hand.values[i] > hand.values[best])) best = i;
    }
    const [r, c] = [Math.floor(best / hand.ncols), best % hand.ncols];
    expect(ignitionOf(starters['fire-starter.json'])).toEqual({ type: 'ignition', x_m: hand.xllcorner + (c + 0.5) * hand.cellsize, y_m: hand.yllcorner + (hand.nrows - r - 0.5) * hand.cellsize });
  });

  it('a patch of SH5 (145) on low ground beats GR2 on the ridges: the same ignition as the CLI, in the patch', () => {
    // Rows 40–42, columns 30–33: by the valley floor of the fixture's V (x ≈ 975 m).
    const files = withFuel((r, c, was) => (r >= 40 && r <= 42 && c >= 30 && c <= 33 ? 145 : was));
    const fire = starterFiles(files)['fire-starter.json'];
    const cli = cliStarter('fire');
    expect(cli.status, cli.stderr).toBe(0);
    expect(fire).toEqual(cli.bytes);
    const { x_m, y_m } = ignitionOf(fire);
    const col = (x_m - 480000) / 30 - 0.5; const row = 64 - (y_m - 3300000) / 30 - 0.5;
    expect(col >= 30 && col <= 33 && row >= 40 && row <= 42, `${row}, ${col}`).toBe(true);
  });

  it('no burnable cell: no fire starter, as the CLI refuses one (exit 2)', () => {
    const files = withFuel(() => 98);
    expect(Object.keys(starterFiles(files))).toEqual(['storm-starter.json']);
    const cli = cliStarter('fire');
    expect(cli.status).toBe(2);
    expect(cli.stderr).toContain('has no burnable cell for a fire');
  });
});
