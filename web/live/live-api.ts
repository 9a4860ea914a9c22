// The page's side of the service's HTTP API: every call carries the token in the Authorization
// header (never in a URL, which would land in logs); the change feed is read with fetch streaming,
// since EventSource cannot send a header.

export interface LiveChange { seq: number; t_s: number; item: string; from: number; to: number; reason: Record<string, unknown>; area?: string | null; category?: string | null }
export interface LiveItem { id: string; name?: string | null; name_zh?: string | null; category: string | null; area: string | null; level: number }
export interface StaleFactor { item: string; name?: string | null; name_zh?: string | null; factor: string; since_s: number; level?: number }
export interface AreaInfo { id: string; name: string | null; name_zh: string | null; items: number }

export class AuthError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

export class LiveApi {
  constructor(private readonly token: string, private readonly base = '') {}

  private headers(): HeadersInit { return { authorization: `Bearer ${this.token}` }; }

  async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    const res = await fetch(this.base + path, { headers: this.headers(), signal, cache: 'no-store' });
    if (res.status === 401 || res.status === 403) throw new AuthError(res.status, await errorText(res));
    if (!res.ok) throw new Error(`${res.status} ${await errorText(res)}`);
    return res.json() as Promise<T>;
  }

  /** Reads the change feed after `after` until aborted; resolves when the server ends it. */
  async stream(after: number, onChange: (c: LiveChange) => void, signal: AbortSignal, onOpen: () => void = () => {}): Promise<void> {
    // detail=item: each change carries its item's district and category, to patch filtered counts.
    const res = await fetch(`${this.base}/v1/changes/stream?after=${after}&detail=item`, { headers: { ...this.headers(), accept: 'text/event-stream' }, signal, cache: 'no-store' });
    if (res.status === 401 || res.status === 403) throw new AuthError(res.status, await errorText(res));
    if (!res.ok || !res.body) throw new Error(`${res.status} ${await errorText(res)}`);
    onOpen();
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      const parsed = parseSse(buffer);
      buffer = parsed.rest;
      for (const e of parsed.events) if (e.event === 'change') onChange(JSON.parse(e.data) as LiveChange);
    }
  }
}

async function errorText(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try { return (JSON.parse(text) as { error?: string }).error ?? text; } catch { return text; }
}

export interface SseEvent { id?: string; event: string; data: string }

/** Splits server-sent events (WHATWG HTML §9.2) off a buffer; what follows the last blank line stays. */
export function parseSse(buffer: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = [];
  const blocks = buffer.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
    if (data.length > 0) events.push({ ...(id !== undefined ? { id } : {}), event, data: data.join('\n') });
  }
  return { events, rest };
}
