// ESRI ASCII grids carry no CRS: GIS tools (and `sandtable region build`, models/region/builder/
// from-files.ts) read it from a .prj of the same name beside each grid. A grid case's outputs lie on
// its input grids' cells, so when the inputs say their CRS the outputs get a .prj too, beside each
// grid written, and QGIS places them (and the app checks them against its region,
// web/ensemble-grid-open.ts). An ASCII input says it in a .prj beside it (copied as read); a GeoTIFF
// in its GeoKeys, as an EPSG code whose ESRI WKT models/geo/epsg-wkt.ts writes. A code with no known
// WKT, or a projection of the file's own, gets no .prj and a note: a guessed CRS would put the grids
// in the wrong place without a word.
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { fromFile } from 'geotiff';
import { parseCrs, sameCrsOver, type Crs } from '../models/geo/crs.ts';
import { epsgEsriWkt } from '../models/geo/epsg-wkt.ts';
import { InputError } from '../models/errors.ts';
import type { Grid } from '../models/grid/ascii.ts';
import { isGeoTiffName } from '../models/grid/bytes.ts';
import { geoKeyCode, USER_DEFINED } from '../models/grid/geotiff.ts';
import { checkFileSize, MAX_TEXT_BYTES } from '../models/limits.ts';

export interface CasePrj {
  /** The .prj's text, written beside each output grid: an input .prj as read, or a GeoTIFF code's ESRI WKT. */
  text: string;
  crs: Crs;
  /** Where it came from, as the case names the file: a .prj (`dem.prj`) or a GeoTIFF (`dem.tif`). */
  from: string;
  /** `prj`: a .prj beside an ASCII grid; `geokeys`: a GeoTIFF's EPSG GeoKey. */
  source: 'prj' | 'geokeys';
  /** Every input .prj read, full paths: inputs an output folder must never overwrite. */
  inputs: string[];
}

/** The case's CRS for its outputs, if any, and `note:` lines for stderr when one cannot be written. */
export interface CaseCrs { prj?: CasePrj; notes: string[] }

const prjOf = (fileName: string) => fileName.replace(/\.[^./\\]+$/, '.prj');
const fullPath = (name: string, baseDir: string) => (isAbsolute(name) ? name : join(baseDir, name));

type Said = { text: string; crs: Crs; from: string; source: CasePrj['source']; input?: string } | { unwritable: string } | undefined;

/** What a GeoTIFF's GeoKeys say of its CRS: an EPSG code with its WKT, a note why none can be written, or nothing. */
async function geoTiffSays(fileName: string, baseDir: string): Promise<Said> {
  let keys: Record<string, unknown>;
  try {
    const tiff = await fromFile(fullPath(fileName, baseDir));
    try {
      keys = ((await tiff.getImage()).getGeoKeys?.() ?? {}) as Record<string, unknown>;
    } finally {
      await tiff.close();
    }
  } catch (error) {
    throw InputError.single(fileName, 'is not a readable GeoTIFF', (error as Error).message, 'a GeoTIFF raster');
  }
  const named = geoKeyCode(keys);
  if (!named) return undefined; // no CRS in the file, as an ASCII grid without a .prj
  const { key, code } = named;
  if (code === USER_DEFINED) {
    return { unwritable: `${fileName}: its GeoKeys define a projection of their own (${key} = ${USER_DEFINED}), not an EPSG code: no .prj written beside the output grids (give them the GeoTIFF's CRS in QGIS, or a .prj from gdalsrsinfo -o wkt_esri ${fileName})` };
  }
  const text = epsgEsriWkt(code);
  if (!text) {
    return { unwritable: `${fileName}: its GeoKeys give EPSG:${code} (${key}), which this engine has no WKT for: no .prj written beside the output grids (give them EPSG:${code} in QGIS, or a .prj from gdalsrsinfo -o wkt_esri EPSG:${code})` };
  }
  return { text, crs: parseCrs(`EPSG:${code}`, `${fileName} (${key})`), from: fileName, source: 'geokeys' };
}

/** The .prj beside an ASCII grid, or nothing when there is none. */
async function prjSays(fileName: string, baseDir: string): Promise<Said> {
  const prj = prjOf(fileName);
  if (prj === fileName) return undefined;
  const full = fullPath(prj, baseDir);
  let text: string;
  try {
    checkFileSize((await stat(full)).size, MAX_TEXT_BYTES, prj, 'a .prj file');
    text = await readFile(full, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // this grid says no CRS
    if (error instanceof InputError) throw error;
    throw InputError.single(prj, `cannot be read (${(error as NodeJS.ErrnoException).code})`, undefined, 'a readable .prj beside its grid');
  }
  return { text, crs: parseCrs(text.replace(/^\uFEFF/, ''), prj), from: prj, source: 'prj', input: full };
}

/**
 * The CRS the case's grids say (a .prj beside an ASCII grid, a GeoTIFF's GeoKeys), or none when none
 * says one. Grids that name different CRSs are refused, naming the second; when one says a CRS no
 * .prj can be written for, no grid gets one (the others cannot be checked against it) and `notes` say why.
 * `ready` loads the kernels, awaited only before comparing two definitions that differ in text (that
 * projects a point with their deterministic math); without it the caller has loaded them.
 */
export async function casePrj(named: readonly { fileName: string }[], grids: Record<string, Grid>, baseDir: string, ready?: () => Promise<unknown>): Promise<CaseCrs> {
  let found: CasePrj | undefined;
  const notes: string[] = [];
  for (const fileName of [...new Set(named.map((n) => n.fileName))]) {
    const said = isGeoTiffName(fileName) ? await geoTiffSays(fileName, baseDir) : await prjSays(fileName, baseDir);
    if (!said) continue;
    if ('unwritable' in said) { notes.push(said.unwritable); continue; }
    if (!found) { found = { text: said.text, crs: said.crs, from: said.from, source: said.source, inputs: said.input ? [said.input] : [] }; continue; }
    if (found.crs.definition !== said.crs.definition) {
      await ready?.();
      if (!sameCrsOver(found.crs, said.crs, grids[fileName])) {
        throw InputError.single(said.from, `names another coordinate reference system than ${found.from}`, said.crs.name, `${found.crs.name}: every grid of one case lies on the same cells`);
      }
    }
    if (said.input) found.inputs.push(said.input);
  }
  return notes.length ? { notes } : { prj: found, notes };
}

/** The .prj files beside the .asc grids among `names` (output file names), each the case's .prj text. */
export function prjFiles(names: readonly string[], prj: CasePrj | undefined): Record<string, string> {
  if (!prj) return {};
  return Object.fromEntries(names.filter((n) => /\.asc$/i.test(n)).map((n) => [prjOf(n), prj.text]));
}

/** manifest.json's fields naming the outputs' CRS and where it came from (none without one). */
export function crsManifest(prj: CasePrj | undefined): Record<string, string> {
  if (!prj) return {};
  return { crs: prj.crs.name, ...(prj.source === 'prj' ? { crs_prj: prj.from } : { crs_geokeys: prj.from }) };
}
