// Official warnings up to the clock's time, newest first: active ones marked, lifted ones greyed.
// Each is one focusable row named to screen readers (one Tab stop, arrows move, row-keys.ts); Enter,
// Space or a click asks for its details (`feature-select`, kind 'warning').
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { IssuedWarning } from '../../models/scenario/warning-rules.ts';
import type { Inject } from '../../models/scenario/injects.ts';
import type { RegionManifest } from '../../models/scenario/region.ts';
import { districtNames, hazardName, warningReason } from '../content-text.ts';
import { translate, type Lang } from '../i18n.ts';
import { LEVEL_COLOURS, levelName } from '../levels.ts';
import { elapsedText } from '../time-format.ts';
import { rowKeys } from './row-keys.ts';

@customElement('warning-feed')
export class WarningFeed extends LitElement {
  static styles = css`
    :host { display: block; font-size: 0.82rem; }
    ol { list-style: none; margin: 0; padding: 0; max-height: 16rem; overflow: auto; }
    li { display: grid; grid-template-columns: 4.5rem 5.2rem 1fr; gap: 0.4rem; padding: 0.3rem 0; border-bottom: 1px solid #eef1f4; align-items: start; }
    li.lifted { color: #8a94a3; }
    li { cursor: pointer; }
    li:focus-visible { outline: 2px solid #2e86c1; outline-offset: -2px; }
    .chip { padding: 0 0.35rem; border-radius: 3px; color: #fff; text-align: center; }
    .chip.l2 { color: #1d2430; }
    .reason { color: #556; }
    li.lifted .reason { color: #a0a8b4; }
    .empty { color: #667; }
    .cap { font: inherit; font-size: 0.75rem; padding: 0 0.35rem; margin-left: 0.3rem; border: 1px solid #b8c0cc; border-radius: 3px; background: #f7f9fb; cursor: pointer; }
  `;

  @property({ attribute: false }) warnings: IssuedWarning[] = [];
  @property({ type: Number }) timeS = 0;
  @property() lang: Lang = 'zh-CN';
  /** District and river names, and the injects that issue warnings: what the feed names them by. */
  @property({ attribute: false }) manifest?: RegionManifest;
  @property({ attribute: false }) injects: readonly Inject[] = [];
  /** No CAP export (the players' window). */
  @property({ type: Boolean }) noCap = false;

  render() {
    const t = (key: string) => translate(this.lang, key);
    const issued = this.warnings.filter((w) => w.t_s <= this.timeS).sort((a, b) => b.t_s - a.t_s || b.level - a.level);
    if (issued.length === 0) return html`<p class="empty">${t('noWarnings')}</p>`;
    const open = (id: string) => this.dispatchEvent(new CustomEvent('feature-select', { detail: { id, kind: 'warning' }, bubbles: true, composed: true }));
    // Keys on the CAP button stay the button's.
    const onKey = (e: KeyboardEvent) => { if ((e.target as HTMLElement).matches('li')) rowKeys(e, (row) => open(row.dataset.warning!), 'li'); };
    const onClick = (e: MouseEvent) => { if (!(e.target as HTMLElement).closest('button')) open((e.currentTarget as HTMLElement).dataset.warning!); };
    return html`<ol aria-label=${t('warnings')} @keydown=${onKey}>${issued.map((w, k) => {
      const lifted = w.lift_s !== undefined && w.lift_s <= this.timeS;
      const name = `${elapsedText(w.t_s)} ${levelName(this.lang, w.level)} ${hazardName(w.hazard, this.lang)} · ${districtNames(this.manifest, w.areas, this.lang)}${lifted ? ` · ${t('lifted')}` : ''}`;
      return html`<li class=${lifted ? 'lifted' : 'active'} data-warning=${w.id} tabindex=${k === 0 ? 0 : -1} aria-label=${name} @click=${onClick}>
        <span>${elapsedText(w.t_s)}</span>
        <span class="chip l${w.level}" style="background:${lifted ? '#b8c0cc' : LEVEL_COLOURS[w.level]}">${levelName(this.lang, w.level)}</span>
        <span><strong>${hazardName(w.hazard, this.lang)}</strong> · ${districtNames(this.manifest, w.areas, this.lang)}${lifted ? ` · ${t('lifted')} ${elapsedText(w.lift_s!)}` : ''}
          ${this.noCap ? '' : html`<button class="cap" title=${t('capTitle')} @click=${() => this.dispatchEvent(new CustomEvent('cap-export', { detail: { id: w.id }, bubbles: true, composed: true }))}>${t('capXml')}</button>`}
          <div class="reason">${warningReason(w.reason, this.lang, this.manifest, this.injects)}</div></span>
      </li>`;
    })}</ol>`;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'warning-feed': WarningFeed }
}
