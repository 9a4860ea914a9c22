// The exercise timeline: play/pause, step, rewind, seek, speed, with scenario and wall time.
// It only shows the clock and asks for changes (`clock-command` events); the app owns the clock.
import { css, html, LitElement, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ClockSnapshot } from '../../models/scenario/clock.ts';
import { SPEEDS } from '../../models/scenario/clock.ts';
import { translate, type Lang } from '../i18n.ts';
import { CLOCK_KEYS } from '../keyboard.ts';
import { clockText, elapsedText } from '../time-format.ts';

// Icons as SVG: media-control glyphs are missing from many CJK and system fonts.
const icon = (path: ReturnType<typeof svg>) => html`<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">${path}</svg>`;
const PLAY = icon(svg`<path d="M4 2l10 6-10 6z" fill="currentColor"/>`);
const PAUSE = icon(svg`<path d="M3 2h4v12H3zM9 2h4v12H9z" fill="currentColor"/>`);
const STEP = icon(svg`<path d="M2 2l8 6-8 6zM11 2h3v12h-3z" fill="currentColor"/>`);
const REWIND = icon(svg`<path d="M2 2h3v12H2zM14 2L6 8l8 6z" fill="currentColor"/>`);

export type ClockCommand =
  | { command: 'play' | 'pause' | 'step' | 'rewind' }
  | { command: 'seek'; timeS: number }
  | { command: 'speed'; speed: number };

@customElement('timeline-bar')
export class TimelineBar extends LitElement {
  static styles = css`
    :host { display: flex; align-items: center; gap: 0.75rem; padding: 0.5rem 1rem; background: #fff; border-top: 1px solid #d5dae1; font-size: 0.9rem; }
    button svg { vertical-align: -2px; }
    button { white-space: nowrap; }
    label, .state { white-space: nowrap; }
    button, select { font: inherit; padding: 0.3rem 0.7rem; border: 1px solid #b8c0cc; border-radius: 4px; background: #f7f9fb; cursor: pointer; }
    button:focus-visible, select:focus-visible, input:focus-visible { outline: 3px solid #2e86c1; outline-offset: 1px; }
    button.primary { background: #1d2430; color: #fff; border-color: #1d2430; min-width: 5rem; }
    input[type=range] { flex: 1; min-width: 10rem; }
    .time { font-variant-numeric: tabular-nums; white-space: nowrap; }
    .time strong { font-size: 1.05rem; }
    .state { color: #556; }
    .hold { color: #9a5b00; font-weight: 600; white-space: nowrap; }
    button:disabled { cursor: not-allowed; opacity: 0.5; }
    /* Narrow screens (a 1024 px projector): one row still, without the wall clock and the label. */
    @media (max-width: 1200px) {
      :host { gap: 0.5rem; padding: 0.4rem 0.6rem; }
      .wall, .time .label { display: none; }
      input[type=range] { min-width: 5rem; }
      button, select { padding: 0.3rem 0.5rem; }
      button.primary { min-width: 0; }
    }
  `;

  @property({ attribute: false }) clock: ClockSnapshot = { state: 'ready', timeS: 0, speed: 60 };
  @property({ type: Number }) durationS = 0;
  @property({ type: Number }) stepS = 900;
  @property({ type: Number }) startEpochMs = 0;
  @property({ type: Number }) offsetMinutes = 0;
  @property() lang: Lang = 'zh-CN';
  /** Why the clock may not play or step now (no current run), in the UI's language; '' when it may. */
  @property() hold = '';
  @state() private wallNow = new Date();
  private wallTimer?: number;

  connectedCallback(): void {
    super.connectedCallback();
    this.wallTimer = window.setInterval(() => { this.wallNow = new Date(); }, 1000);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearInterval(this.wallTimer);
  }

  private send(detail: ClockCommand): void {
    this.dispatchEvent(new CustomEvent<ClockCommand>('clock-command', { detail, bubbles: true, composed: true }));
  }

  render() {
    const t = (key: string) => translate(this.lang, key);
    const running = this.clock.state === 'running';
    return html`
      <button class="primary" @click=${() => this.send({ command: running ? 'pause' : 'play' })} aria-keyshortcuts=${CLOCK_KEYS.playPause}
        ?disabled=${this.clock.state === 'finished' || (!running && !!this.hold)} title=${this.hold || `${running ? t('pause') : t('play')} (${t('keySpace')})`}
        aria-label=${running ? t('pause') : t('play')}>${running ? PAUSE : PLAY} ${running ? t('pause') : t('play')}</button>
      <button @click=${() => this.send({ command: 'step' })} ?disabled=${this.clock.state === 'finished' || !!this.hold} aria-keyshortcuts=${CLOCK_KEYS.step}
        title=${this.hold || `${t('step')} (.)`} aria-label=${t('step')}>${STEP} ${t('step')}</button>
      <button @click=${() => this.send({ command: 'rewind' })} aria-keyshortcuts=${CLOCK_KEYS.rewind} title=${`${t('rewind')} (${t('keyHome')})`} aria-label=${t('rewind')}>${REWIND} ${t('rewind')}</button>
      <label>${t('speed')}
        <select aria-label=${t('speed')} @change=${(e: Event) => this.send({ command: 'speed', speed: Number((e.target as HTMLSelectElement).value) })}>
          ${SPEEDS.map((s) => html`<option value=${s} ?selected=${s === this.clock.speed}>×${s}</option>`)}
        </select>
      </label>
      <input type="range" min="0" max=${this.durationS} step=${this.stepS} .value=${String(this.clock.timeS)}
        aria-label=${t('seek')} @change=${(e: Event) => this.send({ command: 'seek', timeS: Number((e.target as HTMLInputElement).value) })} />
      <span class="time" aria-live="off"><span class="label">${t('scenarioTime')}</span> <strong>${clockText(this.startEpochMs, this.offsetMinutes, this.clock.timeS)}</strong>
        (${elapsedText(this.clock.timeS)})</span>
      <span class="time wall" aria-live="off">${t('wallTime')} ${this.wallNow.toLocaleTimeString(this.lang, { hour12: false })}</span>
      ${this.hold ? html`<span class="hold" role="status">${this.hold}</span>` : html`<span class="state">${t(`state_${this.clock.state}`)}</span>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'timeline-bar': TimelineBar }
}
