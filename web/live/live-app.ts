// The live risk list: asks for a token, then shows the list (filtered by level, district and
// category, with counts per level, and searched by item id or name on the service), the change log as the feed delivers it, and stale sensors.
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
import { countsSince, debounced, patchCounts, patchRows, rowsSince, touchesList, type LiveCounts, type LiveFilter } from './live-patch.ts';
import './live-stale.ts';
import { displayName, liveStyles, liveTime } from './live-styles.ts';
// The service's own limit, so the box and the route cannot disagree (a pure module: no server code comes with it).
import { SEARCH_MAX } from '../../models/risklist/serve/live-search.ts';

const TOKEN_KEY = 'sandtable-live-token';
const LANG_KEY = 'sandtable-live-lang';
/** Rows fetched at a time: the list, the log and the stale sensors are paged by the service. */
const LIST_PAGE = 100;
const LIST_MAX = 1000;
const LOG_PAGE = 100;
const STALE_PAGE = 50;
/** Typing pauses this long before the list is searched: one request per word, not per key. */
const SEARCH_PAUSE_MS = 250;
const EMPTY_COUNTS: LiveCounts = { seq: 0, total: 0, levels: [0, 0, 0, 0, 0], districts: {}, categories: {} };

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
    section.list { display: flex; flex-direction: column; overflow: hidden; }
    section.list > * { flex: 1; min-height: 0; }
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
  @state() private itemsNext: string | null = null;
  @state() private counts: LiveCounts = EMPTY_COUNTS;
  @state() private changes: LiveChange[] = [];
  @state() private stale: StaleFactor[] = [];
  @state() private staleTotal = 0;
  @state() private staleNext: string | null = null;
  @state() private level = 0;
  @state() private district = '';
  @state() private category = '';
  /** Search text (id or name), sent as q= to the list only: counts and stale sensors follow the filters. */
  @state() private search = '';
  /** The list's total under the search (the counts know nothing of it). */
  @state() private itemsTotal = 0;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;  private api: LiveApi | undefined;
  private abort: AbortController | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private lastSeq = 0;
  /** The seq the rows on show stand for: changes after it are patched in. */
  private itemsSeq = 0;
  /** Bumped by every filter choice: an answer to an older filter is dropped. */
  private generation = 0;
  /** A change that may move rows: the list's first pages again, once a burst has passed. */
  private reloadList = debounced(() => void this.loadList(true).catch((e) => this.failed(e)), 800, 3000);

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
    this.reloadList.cancel();
    clearInterval(this.pollTimer);
    clearTimeout(this.searchTimer);
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
        this.api.get<{ last_seq: number; changes: LiveChange[] }>(`/v1/changes/recent?n=${LOG_PAGE}`, signal),
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
    // Counts, clock and stale sensors again now and then: staleness moves with the clock, not the feed.
    this.pollTimer = setInterval(() => void this.poll().catch((e) => this.failed(e)), 10_000);
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
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * (1 << Math.min(attempt, 5)))));
    }
  }

  private get filterNow(): LiveFilter { return { level: this.level, district: this.district, category: this.category }; }

  /** One change: the log row, the counts and the row on show patched at once; the list's order later. */
  private arrived(c: LiveChange) {
    if (c.seq <= this.lastSeq) return;
    this.lastSeq = c.seq;
    this.changes = [c, ...this.changes].slice(0, Math.max(LOG_PAGE, this.changes.length + 1));
    this.counts = patchCounts(this.counts, this.filterNow, c);
    this.items = patchRows(this.items, this.itemsSeq, c);
    if (c.seq > this.itemsSeq && touchesList(this.filterNow, c)) this.reloadList();
  }

  private query(extra: Record<string, string> = {}): string {
    const q = new URLSearchParams();
    if (this.level) q.set('level', String(this.level));
    if (this.district) q.set('district', this.district);
    if (this.category) q.set('category', this.category);
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    return q.toString();
  }

  /** The list from its top: as many rows as are on show (a page at least), or the next page after them. */
  private async loadList(again: boolean, more = false) {
    const generation = this.generation;
    const rows = again ? Math.min(LIST_MAX, Math.max(LIST_PAGE, this.items.length)) : LIST_PAGE;
    const page = await this.api!.get<{ seq: number; total: number; items: LiveItem[]; next: string | null }>(
      `/v1/live/items?${this.query({ limit: String(rows), ...(this.search ? { q: this.search } : {}), ...(more && this.itemsNext ? { cursor: this.itemsNext } : {}) })}`, this.abort?.signal);
    if (generation !== this.generation) return;
    // Answers to one filter may land out of order (a reload after a burst, the next page): an older
    // first page than the one on show is dropped; any page takes the levels the feed brought since.
    if (!more && page.seq < this.itemsSeq) return;
    this.items = rowsSince(more ? [...this.items, ...page.items] : page.items, page.seq, this.changes);
    this.itemsTotal = page.total;
    this.itemsNext = page.next;
    this.itemsSeq = page.seq;
  }

  private async loadStale(more = false) {
    const generation = this.generation;
    const page = await this.api!.get<{ total: number; stale: StaleFactor[]; next: string | null }>(
      `/v1/live/stale?${this.query({ limit: String(STALE_PAGE), ...(more && this.staleNext ? { cursor: this.staleNext } : {}) })}`, this.abort?.signal);
    if (generation !== this.generation) return;
    this.stale = more ? [...this.stale, ...page.stale] : page.stale;
    this.staleTotal = page.total;
    this.staleNext = page.next;
  }

  private async loadCounts() {
    const generation = this.generation;
    const counts = await this.api!.get<LiveCounts>(`/v1/live/counts?${this.query()}`, this.abort?.signal);
    if (generation === this.generation) this.counts = countsSince(counts, this.filterNow, this.changes);
  }

  /** Everything under the filter: counts, the list's first page, the stale sensors' first page. */
  private async refresh() {
    this.reloadList.cancel();
    await Promise.all([this.loadCounts(), this.loadList(false), this.loadStale(), this.poll(false)]);
  }

  private async poll(all = true) {
    const health = await this.api!.get<Health>('/healthz', this.abort?.signal);
    this.health = health;
    if (all) await Promise.all([this.loadCounts(), this.loadStale()]);
  }

  private async olderChanges() {
    const oldest = this.changes[this.changes.length - 1]?.seq;
    if (!oldest || oldest <= 1) return;
    const page = await this.api!.get<{ changes: LiveChange[] }>(`/v1/changes/recent?n=${LOG_PAGE}&before=${oldest}`, this.abort?.signal);
    this.changes = [...this.changes, ...page.changes.reverse()];
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
    this.generation++;
    void this.refresh().catch((e) => this.failed(e));
  }

  private searchTyped(e: Event) {
    const text = (e.target as HTMLInputElement).value.trim();
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => { if (text !== this.search) this.filter(() => { this.search = text; }); }, SEARCH_PAUSE_MS);
  }

  private more(load: () => Promise<void>) {
    void load().catch((e) => this.failed(e));
  }

  private number(n: number): string { return n.toLocaleString(this.language); }

  /** An item's display name in the page's language, when a row on show carries one. */
  private nameOf = (id: string): string => {
    const item = this.items.find((i) => i.id === id) ?? this.stale.find((s) => s.item === id);
    return item ? displayName(item, this.language) : '';
  };

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
        <live-counts .lang=${this.language} .counts=${this.counts.levels} .selected=${this.level} @level-select=${(e: CustomEvent<number>) => this.filter(() => { this.level = e.detail; })}></live-counts>
        <div class="filters">
          <label>${this.say('level')}<select name="level" @change=${(e: Event) => this.filter(() => { this.level = Number((e.target as HTMLSelectElement).value); })}>
            <option value="0" ?selected=${this.level === 0}>${this.say('all')}</option>
            ${[4, 3, 2, 1].map((l) => html`<option value=${l} ?selected=${this.level === l}>${levelName(this.language, l)}</option>`)}
          </select></label>
          <label>${this.say('district')}<select name="district" @change=${(e: Event) => this.filter(() => { this.district = (e.target as HTMLSelectElement).value; })}>
            <option value="" ?selected=${this.district === ''}>${this.say('all')}</option>
            ${this.areas.map((a) => html`<option value=${a.id} ?selected=${this.district === a.id}>${this.areaName(a.id)} (${this.number(this.counts.districts[a.id] ?? 0)})</option>`)}
          </select></label>
          <label>${this.say('category')}<select name="category" @change=${(e: Event) => this.filter(() => { this.category = (e.target as HTMLSelectElement).value; })}>
            <option value="" ?selected=${this.category === ''}>${this.say('all')}</option>
            ${this.categories.map((c) => html`<option value=${c} ?selected=${this.category === c}>${categoryName(c, this.language)} (${this.number(this.counts.categories[c] ?? 0)})</option>`)}
          </select></label>
          <label class="search">${this.say('search')}<input type="search" name="q" maxlength=${SEARCH_MAX} placeholder=${this.say('searchHint')} autocomplete="off" .value=${this.search} @input=${this.searchTyped} /></label>
          <button class="plain" @click=${() => { clearTimeout(this.searchTimer); this.filter(() => { this.level = 0; this.district = ''; this.category = ''; this.search = ''; }); }}>${this.say('clearFilter')}</button>
        </div>
      </section>
      <section class="list"><live-items .generation=${this.generation} .lang=${this.language} .items=${this.items} .total=${this.search ? this.itemsTotal : this.counts.total} .more=${this.itemsNext !== null} .areaName=${this.areaName} @more=${() => this.more(() => this.loadList(false, true))}></live-items></section>
      <div class="right">
        <section class="list"><live-log .lang=${this.language} .changes=${this.changes} .epochMs=${epochMs} .older=${(this.changes[this.changes.length - 1]?.seq ?? 0) > 1} .nameOf=${this.nameOf} @more=${() => this.more(() => this.olderChanges())}></live-log></section>
        <section class="list"><live-stale .generation=${this.generation} .lang=${this.language} .stale=${this.stale} .total=${this.staleTotal} .more=${this.staleNext !== null} .epochMs=${epochMs} @more=${() => this.more(() => this.loadStale(true))}></live-stale></section>
      </div>
    </main>`;
  }
}
