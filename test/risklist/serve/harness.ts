// Starting `risklist serve` for tests: in this process (fast, for the API checks) or as the CLI in
// a child process (for start-up errors and SIGKILL), each on its own database and a free port.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadServeConfig } from '../../../models/risklist/serve/config.ts';
import { startService, type Running } from '../../../models/risklist/serve/start.ts';
import { loadKernels } from '../../../models/wasm-node.ts';
import { CLI } from '../../cli-harness.ts';
import { freshPgliteDir } from '../../services/pglite.ts';

export const OPERATOR = 'operator-token-0123456789abcdef';
export const DEVICE_ALL = 'device-all-token-0123456789abcdef';

export function tokens(extra: Record<string, unknown>[] = []) {
  return [{ token: OPERATOR, role: 'operator', id: 'ops' }, { token: DEVICE_ALL, role: 'device', items: '*', id: 'gateway' }, ...extra];
}

export interface Client {
  url: string;
  call(method: string, path: string, body?: unknown, token?: string | null): Promise<{ status: number; body: any; headers: Headers }>;
}

export function client(url: string): Client {
  return {
    url,
    async call(method, path, body, token = OPERATOR) {
      const res = await fetch(url + path, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try { parsed = JSON.parse(text); } catch { /* text answers (metrics) stay text */ }
      return { status: res.status, body: parsed, headers: res.headers };
    },
  };
}

export interface InProcess extends Client { running: Running; logs: string[]; stop(): Promise<void> }

/** The service in this process; `database` defaults to a fresh embedded one. */
export async function serveInProcess(serve: Record<string, unknown>): Promise<InProcess> {
  const work = mkdtempSync(join(tmpdir(), 'sandtable-serve-'));
  const db = serve.database === undefined ? await freshPgliteDir() : undefined;
  const file = join(work, 'serve.json');
  const full = { ...serve, ...(db ? { database: `embedded:${db.dir}` } : {}) };
  writeFileSync(file, JSON.stringify(full));
  const logs: string[] = [];
  const running = await startService(loadServeConfig(full, file), await loadKernels(), (f) => logs.push(JSON.stringify(f)));
  return {
    ...client(running.http.url), running, logs,
    async stop() {
      await running.stop();
      db?.remove();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

export interface Child extends Client { child: ChildProcess; stderr: string[]; exited: Promise<number | null> }

/** `sandtable risklist serve <file>` as a child process; resolves once it printed its URL. */
export function serveChild(file: string, env: Record<string, string> = {}): Promise<Child> {
  const child = spawn(process.execPath, [CLI, 'risklist', 'serve', file], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  const stderr: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        stderr.push(line);
        try {
          const f = JSON.parse(line) as { event?: string; url?: string };
          if (f.event === 'listening' && f.url) resolve({ ...client(f.url), child, stderr, exited });
        } catch { /* not a log line */ }
      }
    });
    exited.then((code) => reject(new Error(`risklist serve exited (${code}) before listening:\n${stderr.join('\n')}${buffer}`)));
  });
}

/**
 * POSTs until answered 200 across kills and restarts: a connection error or 503 means the service
 * is down or rebuilding, so it waits for the restart (`restarting()`) and tries again, 50 ms apart,
 * for up to 30 s; any other status fails.
 */
export async function postUntilAnswered(
  current: () => Client, restarting: () => Promise<void> | undefined, path: string, body: unknown, token: string,
): Promise<unknown> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const pending = restarting();
    if (pending) await pending;
    try {
      const r = await current().call('POST', path, body, token);
      if (r.status === 200) return r.body;
      if (r.status !== 503) throw new Error(`${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
    } catch (error) {
      if (!/fetch failed|ECONNRESET|ECONNREFUSED|socket/i.test(String((error as Error).cause ?? error))) throw error;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${path}: no answer after 30 s of retries`);
}

/** Shuffles with a seeded generator (Park–Miller), so a failure replays. */
export function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = xs.slice();
  let s = seed % 2147483647 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 16807) % 2147483647;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export function chunks<T>(xs: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(xs.length / size) }, (_, k) => xs.slice(k * size, (k + 1) * size));
}
