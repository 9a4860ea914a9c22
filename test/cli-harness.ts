// Running the CLI as users' scripts do, for the CLI tests of every model: a temporary workspace
// for case files (removed after the test file), and `sandtable(...)` returning exit code and streams.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const CLI = fileURLToPath(new URL('../bin/sandtable.js', import.meta.url));

export interface CliResult { code: number | null; stdout: string; stderr: string }

export function cliWorkspace(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), `sandtable-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    sandtable(args: string[], stdin?: string): CliResult {
      const r = spawnSync(process.execPath, [CLI, ...args], { input: stdin, encoding: 'utf8', timeout: 120_000 });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    /** Writes a case (JSON, or text as given) into the workspace and returns its path. */
    caseFile(name: string, content: unknown): string {
      const path = join(dir, name);
      writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
      return path;
    },
  };
}

/** The CLI as a background process (queue workers, coordinators): `stop()` sends SIGTERM, `done` resolves at exit. */
export function startCli(args: string[], env: Record<string, string> = {}): { stop(): void; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = ''; let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  return { stop: () => child.kill('SIGTERM'), done: new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr }))) };
}

/** The CLI run to its end without blocking the test's event loop (a Redis or a worker may be answering). */
export const runCli = (args: string[], env: Record<string, string> = {}): Promise<CliResult> => startCli(args, env).done;
