// A browser-test command (run in Node by vitest.config.ts): `sandtable ensemble` on a scenario,
// its output folder read back (manifest and every product as text), so a browser test can compare
// the app's products with the CLI's and open the CLI's folder in the app. One CLI run per case
// per test process: the comparison and the app test share it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeZip } from '../web/zip-writer.ts';

export interface NodeEnsemble { manifest: { product_sha256: Record<string, string>; products_sha256: string; seed: number; members: number }; files: Record<string, string> }

const repo = fileURLToPath(new URL('../../', import.meta.url));
const runs = new Map<string, Promise<NodeEnsemble>>();

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));
}

async function run(scenarioFile: string, members: number): Promise<NodeEnsemble> {
  const out = join(mkdtempSync(join(tmpdir(), 'sandtable-node-ensemble-')), 'out');
  try {
    const child = spawn(process.execPath, [join(repo, 'bin/sandtable.js'), 'ensemble', join(repo, scenarioFile), '--members', String(members), '--workers', '1', '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`sandtable ensemble ${scenarioFile} failed (exit ${code}): ${stderr}`);
    const files = Object.fromEntries(filesUnder(out).map((path) => [relative(out, path).split('\\').join('/'), readFileSync(path, 'utf8')]));
    return { manifest: JSON.parse(files['manifest.json']), files };
  } finally {
    rmSync(join(out, '..'), { recursive: true, force: true });
  }
}

export function nodeEnsemble(_context: unknown, scenarioFile: string, members: number): Promise<NodeEnsemble> {
  const key = `${scenarioFile}\0${members}`;
  if (!runs.has(key)) runs.set(key, run(scenarioFile, members));
  return runs.get(key)!;
}

/** The same output folder as a .zip (base64) under a folder of its own, as a user would zip DIR. */
export async function nodeEnsembleZip(context: unknown, scenarioFile: string, members: number): Promise<string> {
  const { files } = await nodeEnsemble(context, scenarioFile, members);
  return makeZip(Object.entries(files).map(([name, text]) => [`ensemble-out/${name}`, text] as [string, string]), 8).toString('base64');
}
