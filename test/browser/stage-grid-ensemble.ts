// A browser-test command (run in Node by vitest.config.ts): `sandtable landslide fs <case> --members N
// --out DIR` and its folder read back (every file as text, and the folder as a .zip), so a browser
// test can open in the app what a city's cluster run writes. 'city' is
// test/ensemble/fixtures/grid-landslide-city.json on a window of the shipped region's DEM cut here
// (the region is built by `npm run build:region`, not kept in git) with a .prj beside it; 'demo' is
// scenarios/landslide-grid-demo-fs.json, a valley of 10 m cells elsewhere (the app refuses it).
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeZip } from '../web/zip-writer.ts';

export interface NodeGridEnsemble { files: Record<string, string>; zipBase64: string }

const repo = fileURLToPath(new URL('../../', import.meta.url));
const runs = new Map<string, Promise<NodeGridEnsemble>>();

/** The region DEM's rows 736–775, cols 96–151, as its own ESRI ASCII grid (the fixture's `_about`). */
function demWindow(): string {
  const [row0, col0, nrows, ncols] = [736, 96, 40, 56];
  const lines = readFileSync(join(repo, 'scenarios/mountain-city/region/dem.asc'), 'utf8').split('\n');
  const header = Object.fromEntries(lines.slice(0, 6).map((l) => l.trim().split(/\s+/)).map(([k, v]) => [k.toLowerCase(), Number(v)]));
  const cell = header.cellsize;
  const rows = lines.slice(6 + row0, 6 + row0 + nrows).map((l) => l.trim().split(/\s+/).slice(col0, col0 + ncols).join(' '));
  return [`ncols ${ncols}`, `nrows ${nrows}`, `xllcorner ${header.xllcorner + col0 * cell}`, `yllcorner ${header.yllcorner + (header.nrows - row0 - nrows) * cell}`, `cellsize ${cell}`, 'NODATA_value -9999', ...rows].join('\n') + '\n';
}

/** EPSG:32648 (the shipped region's CRS) as ESRI's WKT, the text ArcGIS and QGIS write in a .prj. */
const UTM_48N_PRJ = 'PROJCS["WGS_1984_UTM_Zone_48N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';

async function run(which: 'city' | 'demo'): Promise<NodeGridEnsemble> {
  const dir = mkdtempSync(join(tmpdir(), 'sandtable-grid-ensemble-'));
  try {
    let args: string[];
    if (which === 'city') {
      copyFileSync(join(repo, 'test/ensemble/fixtures/grid-landslide-city.json'), join(dir, 'case.json'));
      writeFileSync(join(dir, 'dem.asc'), demWindow());
      // The region's CRS beside the DEM, as a GIS exports it: the CLI writes it beside each output grid.
      writeFileSync(join(dir, 'dem.prj'), UTM_48N_PRJ);
      args = [join(dir, 'case.json')];
    } else args = [join(repo, 'scenarios/landslide-grid-demo-fs.json'), '--members', '4'];
    const out = join(dir, 'out');
    const child = spawn(process.execPath, [join(repo, 'bin/sandtable.js'), 'landslide', 'fs', ...args, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`sandtable landslide fs (${which}) failed (exit ${code}): ${stderr}`);
    const files = Object.fromEntries(readdirSync(out).map((name) => [name, readFileSync(join(out, name), 'utf8')]));
    const zipBase64 = makeZip(Object.entries(files).map(([name, text]) => [`landslide-${which}/${name}`, text] as [string, string]), 8).toString('base64');
    return { files, zipBase64 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function nodeGridEnsemble(_context: unknown, which: 'city' | 'demo'): Promise<NodeGridEnsemble> {
  if (!runs.has(which)) runs.set(which, run(which));
  return runs.get(which)!;
}
