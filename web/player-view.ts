// The players' window (`?view=player`): what the players may know, kept in step with the trainer's
// console over a BroadcastChannel (web/player-link.ts). The exercise clock, the injects delivered
// to them, the warnings issued, and the map without forecast layers. Nothing here controls the
// exercise: no clock buttons, no MSEL, no forecast charts, no CAP export. A warning's row opens its
// details as the console's does (level, districts, issued and lifted times, its published cause):
// an official warning is public, what the players are meant to act on, and its details hold nothing
// of the forecast beyond what the feed already shows.
import { css, html, LitElement } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { RegionManifest } from '../models/scenario/region.ts';
import type { Inject } from '../models/scenario/injects.ts';
import './components/region-map.ts';
import './components/warning-feed.ts';
import { startEngineWorker } from './engine-client.ts';
import type { BaseMap } from './engine.worker.ts';
import { districtNames, hazardName } from './content-text.ts';
import { translate } from './i18n.ts';
import { LEVEL_COLOURS, levelName } from './levels.ts';
import type { IssuedWarning } from '../models/scenario/warning-rules.ts';
import { PLAYER_CHANNEL, type PlayerMessage, type PlayerPicture } from './player-link.ts';
import { fetchRegionRefs } from './region-urls.ts';
import { regionMapLabel } from './console-header.ts';
import { regionSource } from './region-source.ts';
import { elapsedText } from './time-format.ts';

@customElement('player-view')
export class PlayerView extends LitElement {
  static styles = css`
    :host { display: grid; grid-template-rows: auto 1fr; height: 100vh; font-family: system-ui, "Noto Sans CJK SC", sans-serif; color: #1d2430; background: #f4f5f7; }
    header { display: flex; align-items: center; gap: 1rem; padding: 0.5rem 1.2rem; background: #1d2430; color: #fff; }
    h1 { font-size: 1.1rem; margin: 0; font-weight: 600; }
    .exercise { background: #f1c40f; color: #1d2430; font-weight: 700; letter-spacing: 0.08em; padding: 0.15rem 0.7rem; border-radius: 3px; }
    .clock { margin-left: auto; font-size: 1.3rem; font-variant-numeric: tabular-nums; }
    main { display: grid; grid-template-columns: minmax(0, 1.4fr) minmax(18rem, 1fr); gap: 1rem; padding: 0.8rem 1rem; min-height: 0; }
    region-map { min-height: 20rem; }
    .side { display: grid; grid-template-rows: auto auto; align-content: start; gap: 0.8rem; overflow: auto; min-height: 0; }
    section { background: #fff; border-radius: 6px; padding: 0.6rem 0.9rem; box-shadow: 0 1px 2px rgba(0, 0, 0, 0.08); }
    details.briefing { background: #fff; border-radius: 6px; padding: 0.5rem 0.9rem; box-shadow: 0 1px 2px rgba(0, 0, 0, 0.08); font-size: 0.9rem; }
    details.briefing summary { font-weight: 700; cursor: pointer; }
    details.briefing p { margin: 0.3rem 0 0; }
    h2 { font-size: 1rem; margin: 0 0 0.4rem; }
    ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.5rem; }
    li { border-left: 4px solid #2e86c1; padding: 0.2rem 0.6rem; }
    .when { font-weight: 700; font-variant-numeric: tabular-nums; margin-right: 0.4rem; }
    .route { color: #5d6875; font-size: 0.85rem; }
    .waiting { color: #5d6875; padding: 2rem; }
    .warning-detail { border-left: 6px solid var(--level); position: relative; }
    .warning-detail h3 { margin: 0 1.6rem 0.3rem 0; font-size: 1rem; }
    .warning-detail .level { color: var(--level); font-weight: 700; }
    .warning-detail div { margin-top: 0.2rem; }
    .warning-detail .close { position: absolute; top: 0.3rem; right: 0.4rem; font: inherit; font-size: 1.1rem; line-height: 1; border: 0; background: none; cursor: pointer; padding: 0.2rem 0.4rem; }
    .warning-detail:focus-visible, .warning-detail .close:focus-visible { outline: 2px solid #2e86c1; }
  `;

  @state() private picture?: PlayerPicture;
  @state() private baseMap?: BaseMap;
  @state() private manifest?: RegionManifest;
  /** The warning whose details are open (by id); it shows while the picture holds it. */
  @state() private openWarning?: string;
  private channel?: BroadcastChannel;

  connectedCallback(): void {
    super.connectedCallback();
    this.channel = new BroadcastChannel(PLAYER_CHANNEL);
    this.channel.onmessage = (event: MessageEvent<PlayerMessage>) => {
      if (event.data?.type === 'picture') this.picture = event.data.picture;
    };
    this.channel.postMessage({ type: 'hello' } satisfies PlayerMessage);
    // The map's ground and the region's names: the same files the console loads, drawn here.
    // The region the console opened: by the same link, or the one kept in this browser.
    void regionSource.start().then(() => {
      const urls = regionSource.current.urls;
      void startEngineWorker().regionBaseMap(urls.dem, urls.landcover).then((map) => { this.baseMap = map; }).catch(() => undefined);
      void fetchRegionRefs(urls).then((refs) => { this.manifest = refs.manifest; }).catch(() => undefined);
    });
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.channel?.close();
  }

  private async openDetail(detail: { id: string; kind: string }): Promise<void> {
    if (detail.kind !== 'warning') return;
    this.openWarning = detail.id;
    await this.updateComplete;
    const box = this.renderRoot.querySelector<HTMLElement>('.warning-detail');
    box?.scrollIntoView({ block: 'nearest' });
    box?.focus();
  }

  private closeDetail(): void {
    const id = this.openWarning;
    this.openWarning = undefined;
    // Back to the row it was opened from, so the keyboard carries on in the feed.
    const row = this.renderRoot.querySelector('warning-feed')?.shadowRoot?.querySelector<HTMLElement>(`li[data-warning="${CSS.escape(id ?? '')}"]`);
    row?.focus();
  }

  /** The open warning's details, in the console's language, as the clock stands (lifted or not yet). */
  private warningDetail(p: PlayerPicture) {
    const w = p.warnings.find((x) => x.id === this.openWarning);
    if (!w) return '';
    const t = (key: string) => translate(p.lang, key);
    const lifted = w.lift_s !== undefined && w.lift_s <= p.timeS;
    const title = warningDetailTitle(p.lang, w);
    return html`<section class="warning-detail" role="region" aria-label=${title} tabindex="-1" style="--level:${LEVEL_COLOURS[w.level]}"
      @keydown=${(e: KeyboardEvent) => { if (e.key === 'Escape') this.closeDetail(); }}>
      <button class="close" aria-label=${t('close')} @click=${() => this.closeDetail()}>×</button>
      <h3>${title}</h3>
      <div><span class="level">● ${levelName(p.lang, w.level)}</span> · ${t('report_issued')} ${elapsedText(w.t_s)}${lifted ? ` · ${t('lifted')} ${elapsedText(w.lift_s!)}` : ''}</div>
      <div>${t('report_areas')}: ${districtNames(this.manifest, w.areas, p.lang)}</div>
      <div>${t('cause')}: ${w.reason}</div>
    </section>`;
  }

  render() {
    const p = this.picture;
    if (!p) return html`<p class="waiting" role="status">${translate('zh-CN', 'playerWaiting')} · ${translate('en', 'playerWaiting')}</p>`;
    const t = (key: string) => translate(p.lang, key);
    document.documentElement.lang = p.lang;
    return html`
      <header>
        ${p.exercise ? html`<span class="exercise">${t('exercise')}</span>` : ''}
        <h1>${t('playerView')} · ${p.title}</h1>
        <span class="clock">${p.clock}</span>
      </header>
      <main>
        <region-map .baseMap=${this.baseMap} .overlay=${p.overlay} label=${regionMapLabel(p.lang)}></region-map>
        <div class="side">
          ${this.warningDetail(p)}
          ${p.briefing ? html`<details class="briefing" open><summary>${t('briefing')}</summary><p>${p.briefing}</p></details>` : ''}
          <section class="injects">
            <h2>${t('playerInjects')}</h2>
            ${p.injects.length ? html`<ol>${[...p.injects].reverse().map((i) => html`<li data-inject=${i.id}>
              <div><span class="when">${elapsedText(i.t_s)}</span><strong>${i.title}</strong></div>
              ${i.from || i.to ? html`<div class="route">${i.from} → ${i.to}</div>` : ''}
              ${i.description ? html`<div>${i.description}</div>` : ''}</li>`)}</ol>` : html`<p>${t('playerNoInjects')}</p>`}
          </section>
          <section class="warnings">
            <h2>${t('warnings')}</h2>
            <warning-feed .warnings=${p.warnings} .timeS=${p.timeS} lang=${p.lang} .manifest=${this.manifest} .injects=${[] as Inject[]} noCap
              @feature-select=${(e: CustomEvent<{ id: string; kind: string }>) => this.openDetail(e.detail)}></warning-feed>
          </section>
        </div>
      </main>`;
  }
}

export function warningDetailTitle(lang: PlayerPicture['lang'], w: Pick<IssuedWarning, 'hazard' | 'level'>): string {
  return `${translate(lang, 'warning')} · ${hazardName(w.hazard, lang)} ${levelName(lang, w.level)}`;
}

declare global {
  interface HTMLElementTagNameMap { 'player-view': PlayerView }
}
