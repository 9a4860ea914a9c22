// The land-cover raster's class table in the build dialog: the city's own codes, each mapped to one
// of the region's land covers and, optionally, a fuel model; presets fill it from ESA WorldCover or
// CORINE. Every change is checked by the builder's own rules (checkClassRows) and the lines shown
// as the CLI would print them, so the table never reaches the worker with a problem unseen. The
// table is the dialog's: it comes down as `entries` and goes up as `classes-change`.
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatProblem, type Problem } from '../../models/errors.ts';
import { checkClassRows, FUEL_OF_LANDCOVER, LANDCOVER, LANDCOVER_PRESETS, type LandcoverName, type LandcoverPreset } from '../../models/region/builder/landcover.ts';
import { translate, type Lang } from '../i18n.ts';
import { classesOfEntries, entriesOfPreset, type ClassEntry } from '../region-build.ts';

const PATH = '$.landcover.classes';

@customElement('landcover-classes')
export class LandcoverClasses extends LitElement {
  static styles = css`
    :host { display: grid; gap: 0.35rem; }
    .presets { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.4rem; }
    .table { max-height: 13rem; overflow: auto; border: 1px solid #e6e9ee; border-radius: 4px; }
    table { border-collapse: collapse; width: 100%; }
    th { position: sticky; top: 0; background: #f6f7f9; text-align: left; font-weight: 600; padding: 0.2rem 0.4rem; }
    td { padding: 0.1rem 0.4rem; }
    input, select { font: inherit; padding: 0.1rem 0.25rem; border: 1px solid #b8c0cc; border-radius: 4px; width: 6rem; box-sizing: border-box; }
    select { width: 11rem; }
    [aria-invalid="true"] { border-color: #c0392b; background: #fdecea; }
    button { border: 1px solid #8a94a6; border-radius: 4px; padding: 0.1rem 0.5rem; background: #f6f7f9; color: inherit; cursor: pointer; font: inherit; }
    button:hover { background: #e6e9ee; }
    button.remove { padding: 0 0.4rem; }
    small { color: #5a6578; }
    ul { margin: 0; padding: 0; list-style: none; }
    li { padding: 0.2rem 0.5rem; background: #fdecea; border-left: 4px solid #c0392b; font-family: ui-monospace, monospace; font-size: 0.78rem; white-space: pre-wrap; word-break: break-word; }
  `;

  @property({ attribute: false }) entries: ClassEntry[] = [];
  @property() lang: Lang = 'zh-CN';

  private t(key: string): string { return translate(this.lang, key); }

  private change(entries: ClassEntry[]): void {
    this.dispatchEvent(new CustomEvent<ClassEntry[]>('classes-change', { detail: entries }));
  }

  private edit(k: number, field: keyof ClassEntry, value: string): void {
    this.change(this.entries.map((e, i) => (i === k ? { ...e, [field]: value } : e)));
  }

  /** The builder's verdict on the table as it stands. */
  problems(): Problem[] {
    const classes = classesOfEntries(this.entries);
    if (typeof classes === 'string') return [];
    const problems: Problem[] = [];
    checkClassRows(classes, PATH, problems);
    return problems;
  }

  render() {
    const problems = this.problems();
    const bad = (k: number, field: string) => String(problems.some((p) => p.path === `${PATH}[${k}].${field}`));
    const covers = Object.keys(LANDCOVER) as LandcoverName[];
    return html`
      <div class="presets">
        <small>${this.t('classesPresets')}</small>
        ${(Object.keys(LANDCOVER_PRESETS) as LandcoverPreset[]).map((name) => html`<button class="preset" data-preset=${name} @click=${() => this.change(entriesOfPreset(name))}>${this.t(`classesPreset_${name}`)}</button>`)}
        <button class="clear" @click=${() => this.change([])}>${this.t('classesClear')}</button>
      </div>
      <div class="table">
        <table>
          <thead><tr><th>${this.t('classesCode')}</th><th>${this.t('classesLandcover')}</th><th>${this.t('classesFuel')}</th><th></th></tr></thead>
          <tbody>${this.entries.map((e, k) => html`<tr>
            <td><input class="code" type="text" inputmode="numeric" aria-label=${`${this.t('classesCode')} ${k + 1}`} aria-invalid=${bad(k, 'code')} .value=${e.code} @change=${(ev: Event) => this.edit(k, 'code', (ev.target as HTMLInputElement).value)} /></td>
            <td><select class="landcover" aria-label=${`${this.t('classesLandcover')} ${k + 1}`} aria-invalid=${bad(k, 'landcover')} @change=${(ev: Event) => this.edit(k, 'landcover', (ev.target as HTMLSelectElement).value)}>
              ${covers.includes(e.landcover as LandcoverName) ? '' : html`<option value=${e.landcover} selected>${e.landcover}</option>`}
              ${covers.map((c) => html`<option value=${c} ?selected=${c === e.landcover}>${this.t(`classesCover_${c}`)}</option>`)}
            </select></td>
            <td><input class="fuel" type="text" inputmode="numeric" aria-label=${`${this.t('classesFuel')} ${k + 1}`} aria-invalid=${bad(k, 'fuel')}
              placeholder=${e.landcover in LANDCOVER ? String(FUEL_OF_LANDCOVER[LANDCOVER[e.landcover as LandcoverName]]) : ''} .value=${e.fuel} @change=${(ev: Event) => this.edit(k, 'fuel', (ev.target as HTMLInputElement).value)} /></td>
            <td><button class="remove" aria-label=${`${this.t('classesRemove')} ${k + 1}`} @click=${() => this.change(this.entries.filter((_, i) => i !== k))}>×</button></td>
          </tr>`)}</tbody>
        </table>
      </div>
      <div class="presets">
        <button class="add" @click=${() => this.change([...this.entries, { code: '', landcover: 'grassShrub', fuel: '' }])}>${this.t('classesAdd')}</button>
        <small>${this.t('classesHint')}</small>
      </div>
      ${problems.length ? html`<ul class="checks">${problems.slice(0, 20).map((p) => html`<li role="alert">${formatProblem(p)}</li>`)}</ul>` : ''}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap { 'landcover-classes': LandcoverClasses }
}
