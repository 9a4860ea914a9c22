// A browser-test command (run in Node by vitest.config.ts): `sandtable region build` on a case and
// its files as the page has them, then `region scenario --template storm|fire` beside the region,
// so a browser test compares the build worker's files with the CLI's byte for byte.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../bin/sandtable.js', import.meta.url));

/** The region folder the CLI writes (manifest.json aside), each file base64, with both starters. */
export function nodeRegionBuild(_context: unknown, caseJson: object, files: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'sandtable-browser-build-'));
  try {
    for (const [name, base64] of Object.entries(files)) writeFileSync(join(dir, name), Buffer.from(base64, 'base64'));
    writeFileSync(join(dir, 'case.json'), JSON.stringify(caseJson));
    const out = join(dir, 'out');
    const runs = [['region', 'build', join(dir, 'case.json'), '--out', out],
      ...(['storm', 'fire'] as const).map((t) => ['region', 'scenario', out, '--template', t, '--out', join(out, `${t}-starter.json`)])];
    for (const args of runs) {
      const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`sandtable ${args.slice(0, 2).join(' ')} failed (${run.status}): ${run.stderr}`);
    }
    return Object.fromEntries(readdirSync(out).filter((n) => n !== 'manifest.json').map((n) => [n, readFileSync(join(out, n)).toString('base64')]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
