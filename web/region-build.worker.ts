// `region build` in a worker of its own: the CLI's builder (models/region/builder/from-files.ts) on
// files picked or dropped on the page, with the kernels' terrain passes, telling its progress as
// it goes. A worker per build, ended after it: a 4096² build's working memory (grids, their text)
// is given back to the browser at once rather than kept beside the engine's.
import * as Comlink from 'comlink';
import { summaryText } from '../models/region/builder/build.ts';
import { buildRegionBytes, type BuildReport } from '../models/region/builder/from-files.ts';
import { starterFiles } from '../models/region/builder/starter.ts';
import { Kernels } from '../models/wasm.ts';
import { kernelBytes } from './worker-kernels.ts';
import { writeZip } from './zip-write.ts';

export type BuildStageName = 'reading' | 'terrain' | 'districts' | 'landcover' | 'population' | 'items' | 'write' | 'zip' | 'done';

export interface BuiltRegion {
  /** The region folder's files (and the starters) by name. */
  files: Record<string, Blob>;
  /** The same files as one .zip, for the download. */
  zip: Blob;
  report: BuildReport;
  /** The CLI's stderr summary. */
  summary: string;
  /** The build worker's wasm memory at its largest, bytes. */
  wasmBytes: number;
}

export interface RegionBuildApi {
  build(caseJson: unknown, files: Map<string, Uint8Array>, progress: (stage: BuildStageName, fraction: number) => void): Promise<BuiltRegion>;
}

let kernels: Promise<Kernels> | undefined;
const loadKernels = () => (kernels ??= kernelBytes().then((bytes) => Kernels.instantiate(bytes)));

const api: RegionBuildApi = {
  async build(caseJson, files, progress) {
    const loaded = await loadKernels();
    // The zip takes the last tenth: deflating a 4096² region's text is seconds, not moments.
    const built = await buildRegionBytes(caseJson, files, (stage, fraction) => { if (stage !== 'done') progress(stage, fraction * 0.9); });
    files.clear();
    Object.assign(built.files, starterFiles(built.files));
    progress('zip', 0.9);
    const zip = await writeZip(Object.entries(built.files), { shownAs: 'region.zip' });
    const blobs: Record<string, Blob> = {};
    for (const [name, bytes] of Object.entries(built.files)) blobs[name] = new Blob([bytes as BlobPart]);
    progress('done', 1);
    return { files: blobs, zip, report: built.report, summary: summaryText(built.report, 'region.zip'), wasmBytes: loaded.exports.memory.buffer.byteLength };
  },
};

Comlink.expose(api);
