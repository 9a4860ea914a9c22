// `region build` in Node: the case's files from disk (paths relative to the case, or absolute),
// built by the file-system-free builder (from-files.ts) that the browser's worker runs too.
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { buildRegionText, type BuildReport, type CaseFiles } from './from-files.ts';

export interface BuildFromCase { files: Record<string, string>; report: BuildReport; inputs: string[] }

/** The files a case names, from the folder it is in. */
export function filesOnDisk(baseDir: string): CaseFiles {
  const full = (name: string) => (isAbsolute(name) ? name : join(baseDir, name));
  return {
    async size(name) {
      try {
        return (await stat(full(name))).size;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    read: async (name) => new Uint8Array(await readFile(full(name))),
  };
}

export async function buildRegionFromCase(value: unknown, baseDir: string): Promise<BuildFromCase> {
  const { files, report, inputs } = await buildRegionText(value, filesOnDisk(baseDir));
  return { files, report, inputs: inputs.map((name) => (isAbsolute(name) ? name : join(baseDir, name))) };
}
