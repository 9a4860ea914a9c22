// ESRI ASCII grids carry no CRS: GIS tools (and `sandtable region build`, models/region/builder/
// from-files.ts) read it from a .prj of the same name beside each grid. A grid case's outputs lie on
// its input grids' cells, so when the inputs have a .prj the outputs get one too, beside each grid
// written, and the app can check them against the region it draws them on (web/ensemble-grid-open.ts).
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { parseCrs, sameCrsOver, type Crs } from '../models/geo/crs.ts';
import { InputError } from '../models/errors.ts';
import type { Grid } from '../models/grid/ascii.ts';
import { isGeoTiffName } from '../models/grid/bytes.ts';
import { checkFileSize, MAX_TEXT_BYTES } from '../models/limits.ts';

export interface CasePrj {
  /** The .prj's text, written as read beside each output grid. */
  text: string;
  crs: Crs;
  /** The .prj it came from, as the case names its grid (`dem.prj`). */
  from: string;
  /** Every input .prj read, full paths: inputs an output folder must never overwrite. */
  inputs: string[];
}

const prjOf = (fileName: string) => fileName.replace(/\.[^./\\]+$/, '.prj');

/**
 * The CRS the case's ASCII grids name in .prj files beside them, or undefined when none has one.
 * Grids whose .prj files name different CRSs are refused, naming the second .prj.
 */
export async function casePrj(named: readonly { fileName: string }[], grids: Record<string, Grid>, baseDir: string): Promise<CasePrj | undefined> {
  let found: CasePrj | undefined;
  for (const fileName of [...new Set(named.map((n) => n.fileName))]) {
    const prj = prjOf(fileName);
    if (isGeoTiffName(fileName) || prj === fileName) continue;
    const full = isAbsolute(prj) ? prj : join(baseDir, prj);
    let text: string;
    try {
      checkFileSize((await stat(full)).size, MAX_TEXT_BYTES, prj, 'a .prj file');
      text = await readFile(full, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // this grid says no CRS
      if (error instanceof InputError) throw error;
      throw InputError.single(prj, `cannot be read (${(error as NodeJS.ErrnoException).code})`, undefined, 'a readable .prj beside its grid');
    }
    const crs = parseCrs(text.replace(/^\uFEFF/, ''), prj);
    if (!found) found = { text, crs, from: prj, inputs: [full] };
    else if (!sameCrsOver(found.crs, crs, grids[fileName])) {
      throw InputError.single(prj, `names another coordinate reference system than ${found.from}`, crs.name, `${found.crs.name}: every grid of one case lies on the same cells`);
    } else found.inputs.push(full);
  }
  return found;
}

/** A .prj beside every .asc among `texts` (by output file name), each the case's .prj text. */
export function withPrj(texts: Record<string, string>, prj: CasePrj | undefined): Record<string, string> {
  if (!prj) return texts;
  const out = { ...texts };
  for (const name of Object.keys(texts)) if (/\.asc$/i.test(name)) out[prjOf(name)] = prj.text;
  return out;
}
