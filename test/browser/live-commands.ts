// Browser-test commands (run in Node by vitest.config.ts) for the live risk list page: build the
// page (`vite build`, the live page is its second entry), start `sandtable risklist serve` as the
// CLI on a free port with a fresh embedded database, and drive the page it serves in a tab of the
// test's Chromium (the page is on the service's origin, under the service's CSP header).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserCommandContext } from 'vitest/node';
import { freshPgliteDir } from '../services/pglite.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
export const LIVE_OPERATOR = 'live-operator-token-0123456789abcdef';

type Page = BrowserCommandContext['page'];
let service: { child: ChildProcess; url: string; work: string; dbDir: string; removeDb(): void; stderr: string[] } | undefined;
let page: Page | undefined;
const violations: string[] = [];
const requested: string[] = [];

function run(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => { out += d; });
    child.stderr!.on('data', (d) => { out += d; });
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} failed (${code}):\n${out}`))));
  });
}

/** `sandtable risklist serve <file>` as the CLI; resolves with its URL once it listens. */
function spawnService(file: string, stderr: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(repo, 'bin/sandtable.js'), 'risklist', 'serve', file], { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        stderr.push(line);
        try {
          const f = JSON.parse(line) as { event?: string; url?: string };
          if (f.event === 'listening' && f.url) resolve({ child, url: f.url });
        } catch { /* not a log line */ }
      }
    });
    child.once('exit', (code) => reject(new Error(`risklist serve exited (${code}) before listening:\n${stderr.join('\n')}`)));
  });
}

function writeServeFile(file: string, dbDir: string, port: number): void {
  writeFileSync(file, JSON.stringify({
    items: join(repo, 'scenarios/mountain-city/region/risk-items.json'), clock: 'replay', epoch: '2026-07-01T00:00:00Z',
    database: `embedded:${dbDir}`, http: { port }, tokens: [{ token: LIVE_OPERATOR, role: 'operator', id: 'ops' }],
  }));
}

/** Builds dist/web (the page the service serves), starts the service; answers its URL. */
export async function liveStart(): Promise<{ url: string }> {
  // Vitest sets NODE_ENV=test, and Vite would honour it: build as production, as `npx vite build` does.
  await run(['node_modules/vite/bin/vite.js', 'build'], { ...process.env, NODE_ENV: 'production' });
  const work = mkdtempSync(join(tmpdir(), 'sandtable-live-page-'));
  const db = await freshPgliteDir();
  const file = join(work, 'serve.json');
  writeServeFile(file, db.dir, 0);
  const stderr: string[] = [];
  const { child, url } = await spawnService(file, stderr);
  service = { child, url, work, dbDir: db.dir, removeDb: db.remove, stderr };
  return { url };
}

/** Stops the service gracefully (SIGTERM) and starts it again on the same port and database. */
export async function liveRestart(): Promise<void> {
  const s = service!;
  const exited = new Promise((resolve) => s.child.once('exit', resolve));
  s.child.kill('SIGTERM');
  await exited;
  const file = join(s.work, 'serve.json');
  writeServeFile(file, s.dbDir, Number(new URL(s.url).port));
  s.child = (await spawnService(file, s.stderr)).child;
}

/** Calls the service's API with the operator token. */
export async function liveApi(_context: unknown, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown; type: string | null }> {
  const res = await fetch(service!.url + path, {
    method, headers: { authorization: `Bearer ${LIVE_OPERATOR}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try { parsed = JSON.parse(text); } catch { /* XML, text */ }
  return { status: res.status, body: parsed, type: res.headers.get('content-type') };
}

/** Opens the live page in a new tab of the test's browser; CSP violations are collected. */
export async function liveOpen(context: BrowserCommandContext, width: number, height: number): Promise<{ csp: string | null }> {
  await page?.close();
  page = await context.context.newPage();
  await page.setViewportSize({ width, height });
  page.on('request', (r) => requested.push(r.url()));
  // Init scripts run outside the page's CSP: every violation the page meets is recorded.
  await page.addInitScript(() => {
    const seen: string[] = ((window as unknown as { __csp: string[] }).__csp = []);
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text()); });
  const res = await page.goto(`${service!.url}/live/`);
  return { csp: res?.headers()['content-security-policy'] ?? null };
}

const held = new Map<string, () => void>();

/**
 * Holds the page's requests matching a glob until released (hold = false), so a test can tell
 * what the page shows without asking the service (the counts patched from the feed) from what a
 * request brought.
 */
export async function liveHold(_context: unknown, glob: string, hold: boolean): Promise<void> {
  if (!hold) {
    const release = held.get(glob);
    held.delete(glob);
    await page!.unroute(glob);
    release?.();
    return;
  }
  let release!: () => void;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  held.set(glob, release);
  await page!.route(glob, async (route) => { await gate; await route.continue().catch(() => {}); });
}

const stale = new Map<string, { fetched: number; land(): void; free(): void }>();

/**
 * An answer that lands late: the first request matching the glob is answered by the service at once
 * but handed to the page only on 'land', as a slow answer would reach it after later changes; every
 * later one waits until 'off', so no fresher answer mends what the page made of the late one.
 * 'fetched' tells how many answers were taken from the service.
 */
export async function liveLateAnswer(_context: unknown, glob: string, action: 'hold' | 'fetched' | 'land' | 'off'): Promise<number> {
  if (action === 'hold') {
    let land!: () => void;
    let free!: () => void;
    const landed = new Promise<void>((resolve) => { land = resolve; });
    const freed = new Promise<void>((resolve) => { free = resolve; });
    const entry = { fetched: 0, land, free };
    stale.set(glob, entry);
    let first = true;
    await page!.route(glob, async (route) => {
      if (!first) { await freed; await route.continue().catch(() => {}); return; }
      first = false;
      const response = await route.fetch();
      entry.fetched++;
      await landed;
      await route.fulfill({ response }).catch(() => {});
    });
    return 0;
  }
  const entry = stale.get(glob)!;
  if (action === 'land') entry.land();
  if (action === 'off') {
    stale.delete(glob);
    await page!.unroute(glob);
    entry.land();
    entry.free();
  }
  return entry.fetched;
}

export async function liveResize(_context: unknown, width: number, height: number): Promise<void> {
  await page!.setViewportSize({ width, height });
}

/** One user action on the page (Playwright's CSS selectors pierce the components' shadow roots). */
export async function liveDo(_context: unknown, kind: 'fill' | 'click' | 'select' | 'press', selector: string, value = ''): Promise<void> {
  const target = page!.locator(selector).first();
  if (kind === 'fill') await target.fill(value);
  else if (kind === 'click') await target.click();
  else if (kind === 'select') await target.selectOption(value);
  else await target.press(value);
}

/** The text of every element the selector matches, in order. */
export async function liveTexts(_context: unknown, selector: string): Promise<string[]> {
  return page!.locator(selector).allInnerTexts();
}

/** A value the page keeps in sessionStorage. */
export async function liveSession(_context: unknown, key: string): Promise<string | null> {
  return page!.evaluate((k) => sessionStorage.getItem(k), key);
}

export async function liveShot(_context: unknown, name: string): Promise<string> {
  const dir = join(repo, 'test-results', 'screens');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `live-${name}.png`);
  await page!.screenshot({ path });
  return path;
}

/** CSP violations seen so far (events and console), every URL the page requested and the service's log lines: none may hold the token. */
export async function liveViolations(): Promise<{ csp: string[]; urls: string[]; log: string[] }> {
  const events = await page!.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
  return { csp: [...events, ...violations], urls: [...requested], log: [...(service?.stderr ?? [])] };
}

/** The control: an inline style attribute and an inline script put into the page must be refused. */
export async function liveCspProbe(): Promise<{ ran: boolean; styled: string }> {
  return page!.evaluate(async () => {
    const probe = document.createElement('div');
    probe.id = 'csp-probe';
    probe.innerHTML = '<span style="color: rgb(255, 0, 0)">x</span>';
    document.body.append(probe);
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    document.body.append(script);
    await new Promise((r) => setTimeout(r, 100));
    const styled = getComputedStyle(probe.querySelector('span')!).color;
    probe.remove();
    return { ran: (window as unknown as { __inlineRan?: boolean }).__inlineRan === true, styled };
  });
}

export async function liveStop(): Promise<void> {
  await page?.close();
  page = undefined;
  if (service) {
    const { child, work, removeDb } = service;
    service = undefined;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    removeDb();
    rmSync(work, { recursive: true, force: true });
  }
}

export const liveCommands = { liveStart, liveApi, liveRestart, liveOpen, liveHold, liveLateAnswer, liveResize, liveDo, liveTexts, liveSession, liveShot, liveViolations, liveCspProbe, liveStop };
