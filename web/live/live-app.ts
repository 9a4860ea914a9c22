// The live risk list: asks for a token, then shows the list (filtered by level, district and
// category, with counts per level), the change log as the feed delivers it, and stale sensors.
// State lives here and flows down as properties; the parts send filter choices up as events.
import { css, html, LitElement } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { categoryName } from '../content-text.ts';
import type { Lang } from '../i18n.ts';
import { levelName } from '../levels.ts';
import { AuthError, LiveApi, type AreaInfo, type LiveChange, type LiveItem, type StaleFactor } from './live-api.ts';
import './live-counts.ts';
import { liveReason, liveText, type LiveKey } from './live-i18n.ts';
import './live-items.ts';
import './live-log.ts';
import './live-stale.ts';
import { liveStyles, liveTime } from './live-styles.ts';

const TOKEN_KEY = 'sandtable-live-token';
const LANG_KEY = 'sandtable-live-lang';
const LOG_ROWS = 200;
const LIST_ROWS = 500;

interface Health { clock_s: number | null; epoch: string; items: number }

/** The browser's UTC offset, since every time on the page is local. */
function zoneText(): string {
  const minutes = -new Date().getTimezoneOffset();
  const a = Math.abs(minutes);
  return `(UTC${minutes < 0 ? '−' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')})`;
}

@customElement('sandtable-live')
export class SandtableLive extends LitElement {
  static styles = [liveStyles, css`
    :host { display: grid; grid-template-rows: auto 1fr; height: 100vh; background: #f4f5f7; }
    header { display: flex; align-items: center; gap: 1rem; padding: 0.5rem 1.2rem; background: #1d2430; color: #fff; }
    h1 { font-size: 1.1rem; margin: 0; font-weight: 600; white-space: nowrap; }
    header .grow { flex: 1; }
    header button { font: inherit; font-size: 0.85rem; background: transparent; color: #fff; border: 1px solid #7f8b99; border-radius: 4px; padding: 0.15rem 0.6rem; cursor: pointer; }
    .status { font-size: 0.85rem; white-space: nowrap; }
    .status.live::before { content: "●"; color: #2ecc71; margin-right: 0.3rem; }
    .status.down::before { content: "●"; color: #e67e22; margin-right: 0.3rem; }
    main { display: grid; grid-template-columns: minmax(0, 1.1fr) minmax(0, 1fr); grid-template-rows: auto minmax(0, 1fr); gap: 0.8rem; padding: 0.8rem 1rem; min-height: 0; }
    section { background: #fff; border: 1px solid #d8dce2; border-radius: 6px; padding: 0.6rem 0.8rem; min-height: 0; overflow: auto; }
    .top { grid-column: 1 / -1; display: flex; gap: 1.5rem; align-items: flex-end; flex-wrap: wrap; overflow: visible; }
    .filters { display: flex; gap: 0.8rem; align-items: flex-end; flex-wrap: wrap; }
    label { display: grid; font-size: 0.8rem; color: #4a5668; gap: 0.15rem; }
    select, input { font: inherit; font-size: 0.9rem; padding: 0.2rem 0.3rem; border: 1px solid #b8bfc9; border-radius: 4px; background: #fff; }
    .filters button, form button { font: inherit; padding: 0.25rem 0.8rem; border-radius: 4px; border: 1px solid #1d2430; background: #1d2430; color: #fff; cursor: pointer; }
    .filters button.plain { background: #fff; color: #1d2430; }
    .right { display: grid; grid-template-rows: minmax(0, 2fr) minmax(0, 1fr); gap: 0.8rem; min-height: 0; }
    .login { display: grid; place-items: start center; padding-top: 12vh; }
    form { background: #fff; border: 1px solid #d8dce2; border-radius: 6px; padding: 1.2rem 1.5rem; display: grid; gap: 0.7rem; width: min(32rem, 90vw); }
    form input { width: 100%; box-sizing: border-box; }
    .error { background: #fdecea; color: #8e1f14; border: 1px solid #e6a39b; border-radius: 4px; padding: 0.5rem 0.7rem; font-weight: 600; }
    .note { font-size: 0.8rem; color: #6b7686; margin: 0; }
    @media (max-width: 1100px) { main { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); } .top { gap: 0.8rem; } }
  `];

  @state() private language: Lang = (sessionStorage.getItem(LANG_KEY) as Lang | null) ?? 'zh-CN';
  @state() private token = sessionStorage.getItem(TOKEN_KEY) ?? '';
  @state() private authError = '';
  @state() private connection: 'connecting' | 'live' | 'reconnecting' = 'connecting';
  @state() private health: Health | undefined;
  @state() private areas: AreaInfo[] = [];
  @state() private categories: string[] = [];
  @state() private items: LiveItem[] = [];
  @state() private total = 0;
  @state() private counts = [0, 0, 0, 0, 0];
  @state() private changes: LiveChange[] = [];
  @state() private stale: StaleFactor[] = [];
  @state() private level = 0;
  @state() private district = '';
  @state() private category = '';
  private api: LiveApi | undefined;
  private abort: AbortController | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private lastSeq = 0;

  connectedCallback(): void {
    super.connectedCallback();
    document.documentElement.lang = this.language;
    if (this.token) void this.start();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
  }

  private say(key: LiveKey, values?: Record<string, string | number>) { return liveText(this.language, key, values); }

  private stop() {
    this.abort?.abort();
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    clearInterval(this.pollTimer);
  }

  private async start() {
    this.stop();
    this.abort = new AbortController();
    const { signal } = this.abort;
    this.api = new LiveApi(this.token);
    this.connection = 'connecting';
    try {
      const [areas, recent] = await Promise.all([
        this.api.get<{ areas: AreaInfo[]; categories: { id: string }[] }>('/v1/areas', signal),
        this.api.get<{ last_seq: number; changes: LiveChange[] }>(`/v1/changes/recent?n=${LOG_ROWS}`, signal),
      ]);
      this.areas = areas.areas;
      this.categories = areas.categories.map((c) => c.id);
      this.changes = recent.changes.reverse();
      this.lastSeq = recent.last_seq;
      await this.refresh();
    } catch (error) {
      this.failed(error);
      return;
    }
    this.pollTimer = setInterval(() => void this.refresh().catch((e) => this.failed(e)), 10_000);
    void this.follow(signal);
  }

  /** Keeps the feed open, reconnecting after the last change seen. */
  private async follow(signal: AbortSignal) {
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        this.connection = attempt === 0 ? 'connecting' : 'reconnecting';
        await this.api!.stream(this.lastSeq, (c) => this.arrived(c), signal, () => { this.connection = 'live'; attempt = 0; });
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof AuthError) { this.failed(error); return; }
      }
      if (signal.aborted) return;
      this.connection = 'reconnecting';
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** Math.min(attempt, 5))));
    }
  }

  private arrived(c: LiveChange) {
    if (c.seq <= this.lastSeq) return;
    this.lastSeq = c.seq;
    this.changes = [c, ...this.changes].slice(0, LOG_ROWS);
    // The row on show follows at once; counts and membership of the filter follow within a second
    // (each refresh scans the whole list on the service: at most one a second, whatever the flow).
    const at = this.items.findIndex((i) => i.id === c.item);
    if (at !== -1) this.items = this.items.map((i, k) => (k === at ? { ...i, level: c.to } : i));
    // A throttle, not a debounce: a steady flow of changes must not postpone the refresh forever.
    this.refreshTimer ??= setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh().catch((e) => this.failed(e));
    }, 1000);
  }

  private query(level: number): string {
    const q = new URLSearchParams();
    if (level) q.set('level', String(level));
    if (this.district) q.set('district', this.district);
    if (this.category) q.set('category', this.category);
    return q.toString();
  }

  private async refresh() {
    const api = this.api!;
    const signal = this.abort?.signal;
    const [list, health, stale, ...perLevel] = await Promise.all([
      api.get<{ total: number; items: LiveItem[] }>(`/v1/items?${this.query(this.level)}&limit=${LIST_ROWS}`, signal),
      api.get<Health>('/healthz', signal),
      api.get<{ stale: StaleFactor[] }>('/v1/stale', signal),
      ...[1, 2, 3, 4].map((l) => api.get<{ total: number }>(`/v1/items?${this.query(l)}&limit=1`, signal)),
    ]);
    this.items = [...list.items].sort((a, b) => b.level - a.level || a.id.localeCompare(b.id));
    this.total = list.total;
    this.health = health;
    const filtered = this.level !== 0 || this.district !== '' || this.category !== '';
    const shown = new Set(list.items.map((i) => i.id));
    // Under a filter, the sensors of the items it keeps (known when the whole filtered list came back).
    this.stale = filtered && list.total <= list.items.length ? stale.stale.filter((s) => shown.has(s.item)) : stale.stale;
    this.counts = [0, ...perLevel.map((p) => p.total)];
  }

  private failed(error: unknown) {
    if ((error as Error)?.name === 'AbortError') return;
    if (error instanceof AuthError) {
      this.stop();
      sessionStorage.removeItem(TOKEN_KEY);
      this.token = '';
      this.authError = `${this.say(error.status === 401 ? 'badToken' : 'forbidden')} (${error.status}: ${liveReason(this.language, error.message)})`;
      return;
    }
    this.connection = 'reconnecting';
  }

  private submitToken(e: Event) {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).elements.namedItem('token') as HTMLInputElement;
    const token = input.value.trim();
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token);
    this.token = token;
    this.authError = '';
    void this.start();
  }

  private signOut() {
    this.stop();
    sessionStorage.removeItem(TOKEN_KEY);
    this.token = '';
  }

  private toggleLang() {
    this.language = this.language === 'zh-CN' ? 'en' : 'zh-CN';
    sessionStorage.setItem(LANG_KEY, this.language);
    document.documentElement.lang = this.language;
  }

  private filter(change: () => void) {
    change();
    void this.refresh().catch((e) => this.failed(e));
  }

  private areaName = (id: string): string => {
    const a = this.areas.find((x) => x.id === id);
    return (this.language === 'zh-CN' ? a?.name_zh : a?.name) ?? id;
  };

  render() {
    const header = html`<header>
      <h1>${this.say('title')}</h1>
      ${this.token && !this.authError ? html`<span class="status ${this.connection === 'live' ? 'live' : 'down'}" data-connection=${this.connection}>${this.say(this.connection)}</span>` : ''}
      ${this.health?.clock_s != null ? html`<span class="status">${this.say('clock')} ${liveTime(Date.parse(this.health.epoch), this.health.clock_s)} ${zoneText()}</span>` : ''}
      <span class="grow"></span>
      <button class="lang" @click=${this.toggleLang}>${this.say('language')}</button>
      ${this.token ? html`<button class="sign-out" @click=${this.signOut}>${this.say('signOut')}</button>` : ''}
    </header>`;
    if (!this.token) return html`${header}<div class="login"><form @submit=${this.submitToken}>
      <strong>${this.say('tokenPrompt')}</strong>
      ${this.authError ? html`<div class="error" role="alert">${this.authError}</div>` : ''}
      <label>${this.say('tokenLabel')}<input name="token" type="password" autocomplete="off" required autofocus /></label>
      <p class="note">${this.say('tokenNote')}</p>
      <div><button type="submit">${this.say('connect')}</button></div>
    </form></div>`;
    const epochMs = this.health ? Date.parse(this.health.epoch) : 0;
    return html`${header}<main>
      <section class="top">
        <live-counts .lang=${this.language} .counts=${this.counts} .selected=${this.level} @level-select=${(e: CustomEvent<number>) => this.filter(() => { this.level = e.detail; })}></live-counts>
        <div class="filters">
          <label>${this.say('level')}<select name="level" @change=${(e: Event) => this.filter(() => { this.level = Number((e.target as HTMLSelectElement).value); })}>
            <option value="0" ?selected=${this.level === 0}>${this.say('all')}</option>
            ${[4, 3, 2, 1].map((l) => html`<option value=${l} ?selected=${this.level === l}>${levelName(this.language, l)}</option>`)}
          </select></label>
          <label>${this.say('district')}<select name="district" @change=${(e: Event) => this.filter(() => { this.district = (e.target as HTMLSelectElement).value; })}>
            <option value="" ?selected=${this.district === ''}>${this.say('all')}</option>
            ${this.areas.map((a) => html`<option value=${a.id} ?selected=${this.district === a.id}>${this.areaName(a.id)}</option>`)}
          </select></label>
          <label>${this.say('category')}<select name="category" @change=${(e: Event) => this.filter(() => { this.category = (e.target as HTMLSelectElement).value; })}>
            <option value="" ?selected=${this.category === ''}>${this.say('all')}</option>
            ${this.categories.map((c) => html`<option value=${c} ?selected=${this.category === c}>${categoryName(c, this.language)}</option>`)}
          </select></label>
          <button class="plain" @click=${() => this.filter(() => { this.level = 0; this.district = ''; this.category = ''; })}>${this.say('clearFilter')}</button>
        </div>
      </section>
      <section><live-items .lang=${this.language} .items=${this.items} .total=${this.total} .areaName=${this.areaName}></live-items></section>
      <div class="right">
        <section><live-log .lang=${this.language} .changes=${this.changes} .epochMs=${epochMs}></live-log></section>
        <section><live-stale .lang=${this.language} .stale=${this.stale} .epochMs=${epochMs}></live-stale></section>
      </div>
    </main>`;
  }
}
