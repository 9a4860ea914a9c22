// A browser-test command (run in Node by vitest.config.ts): the shipped region and a scenario
// copied under test-results/linked-region/, so the app opens them from URLs it has never compiled
// in; the same folder as a .zip; a region with only its manifest (every grid missing); and a flat
// synthetic region of any size, for the memory of a big region.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeZip } from '../web/zip-writer.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const STAGE = join(repo, 'test-results', 'linked-region');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Stages the copies; answers their URL paths on the test server. */
export function stageLinkedRegion(): { base: string } {
  // Only its own copies: the flat regions beside them may be in use by another test file (with more
  // than two cores Vitest runs browser test files side by side).
  for (const name of ['city', 'broken', 'city.zip']) rmSync(join(STAGE, name), { recursive: true, force: true });
  const city = join(STAGE, 'city');
  cpSync(join(repo, 'scenarios/mountain-city/region'), join(city, 'region'), { recursive: true });
  cpSync(join(repo, 'scenarios/mountain-city/storm-peak-24h.json'), join(city, 'storm.json'));
  mkdirSync(join(STAGE, 'broken/region'), { recursive: true });
  cpSync(join(repo, 'scenarios/mountain-city/region/region.json'), join(STAGE, 'broken/region/region.json'));
  const entries = filesUnder(city).map((path) => [`city/${relative(city, path)}`, readFileSync(path)] as [string, Buffer]);
  writeFileSync(join(STAGE, 'city.zip'), makeZip(entries, 8));
  return { base: '/test-results/linked-region/' };
}

/**
 * A flat region of n × n cells (one district, no rivers) with a fire scenario on it, under
 * test-results/linked-region/flat-<n>/: what a 4096² region costs the page to open.
 */
export function stageFlatRegion(_context: unknown, n: number): { region: string; scenario: string } {
  const dir = join(STAGE, `flat-${n}`);
  mkdirSync(join(dir, 'region'), { recursive: true });
  const grid = (value: string) => {
    const row = `${Array(n).fill(value).join(' ')}\n`;
    return `ncols ${n}\nnrows ${n}\nxllcorner 500000\nyllcorner 3000000\ncellsize 20\nNODATA_value -9999\n${row.repeat(n)}`;
  };
  for (const [file, value] of [['dem.asc', '100'], ['landcover.asc', '5'], ['districts.asc', '0'], ['basins.asc', '-1'], ['population.asc', '0'], ['buildings.asc', '0'], ['hand.asc', '50'], ['fuel.asc', '102']]) {
    writeFileSync(join(dir, 'region', file), grid(value));
  }
  const shipped = JSON.parse(readFileSync(join(repo, 'scenarios/mountain-city/region/region.json'), 'utf8'));
  const centre = 500000 + n * 10;
  writeFileSync(join(dir, 'region', 'region.json'), JSON.stringify({
    name: `Flat ${n}`, name_zh: `平原 ${n}`, generator_version: 1, seed: 1, crs: shipped.crs,
    grid: { ncols: n, nrows: n, xllcorner: 500000, yllcorner: 3000000, cellsize_m: 20 }, landcover_codes: shipped.landcover_codes,
    districts: [{ index: 0, id: 'plain', name: 'Plain', name_zh: '平原', centre_m: [centre, 3000000 + n * 10] }],
    rivers: [], river_entries: [], reaches: [], checksums: {},
  }));
  writeFileSync(join(dir, 'region', 'risk-items.json'), JSON.stringify({ items: [{ id: 'S1', category: 'high-rise-fire', name: 'Tower', name_zh: '高层住宅', area: 'plain', x_m: centre, y_m: 3000000 + n * 10, basin: null }] }));
  const fire = JSON.parse(readFileSync(join(repo, 'scenarios/mountain-city/fire-summer.json'), 'utf8'));
  // The shipped fire's ignition, moved to the plain's centre; its other injects name shipped districts.
  const ignition = { ...fire.injects[0], action: { type: 'ignition', x_m: centre, y_m: 3000000 + n * 10 } };
  writeFileSync(join(dir, 'fire.json'), JSON.stringify({ ...fire, id: `flat-${n}-fire`, title: `Grass fire on a ${n}² plain`, title_zh: `${n}² 平原草原火`, injects: [ignition] }));
  return { region: `/test-results/linked-region/flat-${n}/region/region.json`, scenario: `/test-results/linked-region/flat-${n}/fire.json` };
}

/**
 * Resident memory of this test run's Chromium renderer processes (the page and its engine worker
 * live in one), MiB: from /proc, the processes descending from the Vitest process.
 */
/** The flat region's size for this run: REGION_FLAT_N (e.g. 4096, by hand), else 256. */
export function flatRegionSize(): number {
  return Number(process.env.REGION_FLAT_N ?? 256);
}

export function rendererMemoryMiB(): number {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* gone */ }
  }
  const ours = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; p = parents.get(p) ?? 0, hops++) if (p === process.pid) return true;
    return false;
  };
  let kib = 0;
  for (const pid of parents.keys()) {
    if (!ours(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch { /* gone */ }
  }
  return Math.round(kib / 1024);
}
