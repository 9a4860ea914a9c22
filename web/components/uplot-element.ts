// What every uPlot chart in the app shares: the chart follows the element's width, is drawn again
// when its data or language changes, and is destroyed with the element. A chart says only what it
// plots (`chart`) and how a screen reader names it (`ariaName`).
import { css, html, LitElement, unsafeCSS, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import uPlot from 'uplot';
import uPlotCss from 'uplot/dist/uPlot.min.css?inline';
import { translate, type Lang } from '../i18n.ts';

/** What a chart plots: uPlot's options without the size (the element sets it) and the aligned data. */
export interface ChartSpec { options: Omit<uPlot.Options, 'width' | 'height'>; data: uPlot.AlignedData }

export abstract class UPlotElement<Data> extends LitElement {
  static styles = [unsafeCSS(uPlotCss), css`:host { display: block; } .plot { width: 100%; }`];

  @property({ attribute: false }) data?: Data;
  @property() lang: Lang = 'zh-CN';
  @property({ type: Number }) height = 280;

  protected plot?: uPlot;
  private resizeObserver = new ResizeObserver(() => requestAnimationFrame(() => {
    if (this.plot && this.plot.width !== this.clientWidth) this.plot.setSize({ width: this.clientWidth, height: this.height });
  }));

  protected abstract chart(data: Data, t: (key: string) => string): ChartSpec;
  protected abstract ariaName(): string;

  render() {
    return html`<div class="plot" role="img" aria-label=${this.ariaName()}></div>`;
  }

  connectedCallback(): void { super.connectedCallback(); this.resizeObserver.observe(this); }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver.disconnect();
    this.plot?.destroy();
    this.plot = undefined;
  }

  protected updated(changed: PropertyValues<this>): void {
    if (changed.has('data') || changed.has('lang')) this.draw();
  }

  private draw(): void {
    const target = this.renderRoot.querySelector<HTMLElement>('.plot');
    this.plot?.destroy();
    this.plot = undefined;
    if (!target || !this.data) return;
    const { options, data } = this.chart(this.data, (key) => translate(this.lang, key));
    this.plot = new uPlot({ ...options, width: Math.max(320, this.clientWidth), height: this.height }, data, target);
  }
}
