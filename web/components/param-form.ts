// Number inputs generated from a model's parameter declaration: labels, units, ranges and help
// text come from the same spec that validates input, so the form cannot drift from the engine.
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ParamSpec } from '../../models/params.ts';
import type { Lang } from '../i18n.ts';

export interface ParamChange {
  name: string;
  value: number;
}

@customElement('param-form')
export class ParamForm extends LitElement {
  static styles = css`
    :host { display: grid; gap: 0.75rem; }
    label { display: grid; gap: 0.25rem; font-size: 0.9rem; }
    .name { font-weight: 600; }
    .unit { color: #667; font-weight: 400; }
    input { font: inherit; padding: 0.35rem 0.5rem; border: 1px solid #b8c0cc; border-radius: 4px; width: 10rem; }
    input:invalid { border-color: #c0392b; }
    small { color: #667; max-width: 22rem; }
  `;

  @property({ attribute: false }) spec: ParamSpec = {};
  @property({ attribute: false }) values: Record<string, number | undefined> = {};
  @property() lang: Lang = 'zh-CN';

  render() {
    // The declared label in the UI's language, the field's name as the case file writes it; the
    // description is the spec's English help, shown in English only.
    return Object.entries(this.spec).map(([name, p]) => html`
      <label>
        <span class="name">${labelOf(p, this.lang) ?? name} <code>${name}</code> <span class="unit">${p.unit === '1' ? '' : `(${p.unit})`}</span></span>
        <input type="number" name=${name} .value=${String(this.values[name] ?? p.default ?? '')}
          min=${p.min ?? ''} max=${p.max ?? ''} step="any" ?required=${!p.optional && p.default === undefined}
          @change=${(e: Event) => this.changed(name, e.target as HTMLInputElement)} />
        ${this.lang === 'en' ? html`<small>${p.description}</small>` : ''}
      </label>`);
  }

  private changed(name: string, input: HTMLInputElement): void {
    if (input.value === '' || !input.checkValidity()) return;
    this.dispatchEvent(new CustomEvent<ParamChange>('param-change', {
      detail: { name, value: Number(input.value) }, bubbles: true, composed: true,
    }));
  }
}

function labelOf(p: ParamSpec[string], lang: Lang): string | undefined {
  const label = (p as { label?: { en: string; zh: string } }).label;
  return label ? (lang === 'zh-CN' ? label.zh : label.en) : undefined;
}

declare global {
  interface HTMLElementTagNameMap { 'param-form': ParamForm }
}
