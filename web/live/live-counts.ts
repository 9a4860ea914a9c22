// Items per level under the current filter; a level's button filters the list to it.
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Lang } from '../i18n.ts';
import { levelName } from '../levels.ts';
import { liveText } from './live-i18n.ts';
import { liveStyles } from './live-styles.ts';

@customElement('live-counts')
export class LiveCounts extends LitElement {
  static styles = [liveStyles, css`
    .row { display: flex; gap: 0.5rem; flex-wrap: wrap; }
    button { font: inherit; border: 2px solid transparent; border-radius: 4px; padding: 0.3rem 0.8rem; cursor: pointer; display: grid; justify-items: start; min-width: 7rem; }
    button[aria-pressed="true"] { border-color: #1d2430; box-shadow: 0 0 0 2px #fff inset; }
    .n { font-size: 1.4rem; font-weight: 700; font-variant-numeric: tabular-nums; }
    .name { font-size: 0.8rem; }
  `];

  @property() lang: Lang = 'zh-CN';
  /** counts[level] for levels 1–4. */
  @property({ attribute: false }) counts: number[] = [0, 0, 0, 0, 0];
  @property({ type: Number }) selected = 0;

  private pick(level: number) {
    this.dispatchEvent(new CustomEvent('level-select', { detail: this.selected === level ? 0 : level, bubbles: true, composed: true }));
  }

  render() {
    return html`<h2>${liveText(this.lang, 'countsTitle')}</h2><div class="row">${[4, 3, 2, 1].map((level) => html`
      <button class="l${level}" data-level=${level} aria-pressed=${this.selected === level ? 'true' : 'false'} @click=${() => this.pick(level)}>
        <span class="n">${this.counts[level] ?? 0}</span><span class="name">${levelName(this.lang, level)}</span>
      </button>`)}</div>`;
  }
}
