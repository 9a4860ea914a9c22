// Waiting in browser tests for something the app does asynchronously (a worker run, a render).
/** Polls `probe` every 50 ms until it gives a value (not undefined or null), or fails after the timeout. */
export async function until<T>(probe: () => T | undefined | null, what: string, timeoutMs = 20_000): Promise<T> {
  const start = performance.now();
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== null) return value;
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
