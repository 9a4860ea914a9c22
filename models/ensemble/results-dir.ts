// Results keyed by index in a shared folder (a volume or a mounted bucket): what each pod of a
// Kubernetes Indexed Job writes (`--index I --results DIR`), and what the reduce reads back
// (`--from-results DIR`). One file per index, written to a temporary name and renamed, so a pod
// killed mid-write leaves no half file and a retried index just replaces its own file; the reduce
// takes the files in index order, so the products are the local run's bytes.
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.ts';

export type ResultKind = 'member' | 'tile';
const FORMAT = 'sandtable.indexed-result/1';

export const resultFileName = (kind: ResultKind, index: number) => `${kind}-${String(index).padStart(6, '0')}.json`;

export async function writeIndexedResult(dir: string, kind: ResultKind, runId: string, index: number, result: unknown): Promise<string> {
  await mkdir(dir, { recursive: true });
  const name = resultFileName(kind, index);
  const temp = join(dir, `.${name}.${process.pid}.tmp`);
  await writeFile(temp, JSON.stringify({ format: FORMAT, run_id: runId, kind, index, result }));
  await rename(temp, join(dir, name));
  return join(dir, name);
}

/** The index to run: `--index I`, else the JOB_COMPLETION_INDEX a Kubernetes Indexed Job gives each pod. */
export function indexOf(options: Map<string, string | true>, count: number, what: string): number {
  const fromOption = options.get('index');
  const text = fromOption ?? process.env.JOB_COMPLETION_INDEX;
  const path = fromOption !== undefined ? '--index' : 'JOB_COMPLETION_INDEX';
  if (text === undefined) throw InputError.single('--index', 'is required with --results', undefined, `--index I, or JOB_COMPLETION_INDEX set (a Kubernetes Indexed Job sets it): which of the ${count} ${what}s to run`);
  const n = typeof text === 'string' && /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 0 && n < count)) throw InputError.single(path, 'is not an index of this run', text === true ? undefined : text, `a whole number in [0, ${count - 1}]: the run has ${count} ${what}s`);
  return n;
}

/** Every index's result from `dir`, or an input error naming what is missing or foreign. */
export async function readIndexedResults<R>(dir: string, kind: ResultKind, runId: string, count: number): Promise<R[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw InputError.single('--from-results', `cannot be read (${(error as NodeJS.ErrnoException).code})`, dir, 'the folder the --index runs wrote their results to');
  }
  const present = new Set(names);
  const missing: number[] = [];
  const results: R[] = [];
  // Foreign files first: a folder of another run's results is named as such, not as a list of gaps.
  for (let i = 0; i < count; i++) {
    if (!present.has(resultFileName(kind, i))) { missing.push(i); continue; }
    const file = join(dir, resultFileName(kind, i));
    let record: { format?: string; run_id?: string; index?: number; result?: R };
    try { record = JSON.parse(await readFile(file, 'utf8')); } catch { record = {}; }
    if (record.format !== FORMAT || record.index !== i || record.result === undefined) {
      throw InputError.single(file, 'is not an indexed result', undefined, `a file written by \`--index ${i} --results DIR\``);
    }
    if (record.run_id !== runId) {
      throw InputError.single(file, 'is the result of another run', record.run_id, `run ${runId} (the same case, seed, members or tile size as the --index runs)`);
    }
    results.push(record.result);
  }
  if (missing.length) {
    const shown = `${missing.slice(0, 10).join(', ')}${missing.length > 10 ? `, … (${missing.length} in all)` : ''}`;
    throw InputError.single('--from-results', `lacks the results of ${kind}s ${shown}`, dir, `a result file for each of the ${count} ${kind}s (${resultFileName(kind, 0)} … ${resultFileName(kind, count - 1)}), written by --index runs of the same case`);
  }
  return results;
}
