// One reach's P(flow > warning flow) over time (uPlot, as the gauge fan chart): hours on x,
// percent on y from 0 to 100, a step line since the product is a count at each step boundary.
import { css, html, LitElement, unsafeCSS, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import uPlot from 'uplot';
import uPlotCss from 'uplot/dist/uPlot.min.css?inline';
import type { ReachSeries } from '../ensemble-more.ts';
import { translate, type Lang } from '../i18n.ts';

@customElement('reach-probability-chart')
export class ReachProbabilityChart extends LitElement {
  static styles = [unsafeCSS(uPlotCss), css`:host { display: block; } .plot { width: 100%; }`];

  @property({ attribute: false }) data?: ReachSeries;
  @property() lang: Lang = 'zh-CN';
  @property({ type: Number }) height = 200;

  private plot?: uPlot;
  private resizeObserver = new ResizeObserver(() => requestAnimationFrame(() => {
    if (this.plot && this.plot.width !== this.clientWidth) this.plot.setSize({ width: this.clientWidth, height: this.height });
  }));

  /** The plotted series, for tests: hours and the probability (0–1) at each. */
  get plotted(): { hours: number[]; p: number[] } | undefined {
    if (!this.plot) return undefined;
    return { hours: Array.from(this.plot.data[0] as ArrayLike<number>), p: Array.from(this.plot.data[1] as ArrayLike<number>, (v) => v / 100) };
  }

  render() {
    return html`<div class="plot" role="img" aria-label=${`${translate(this.lang, 'ensReachAria')}: ${this.data?.id ?? ''}`}></div>`;
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
    const d = this.data;
    if (!target || !d) return;
    const t = (key: string) => translate(this.lang, key);
    this.plot = new uPlot({
      width: Math.max(320, this.clientWidth), height: this.height,
      scales: { x: { time: false }, y: { range: [0, 100] } },
      legend: { live: false },
      axes: [{ label: t('hoursAxis'), stroke: '#445' }, { label: '%', stroke: '#445', size: 48, space: 18 }],
      series: [
        { label: t('hoursAxis') },
        { label: d.id, stroke: '#2a788e', fill: 'rgba(42,120,142,0.18)', width: 2, paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } },
      ],
    }, [d.hours, d.p.map((p) => p * 100)], target);
  }
}

declare global {
  interface HTMLElementTagNameMap { 'reach-probability-chart': ReachProbabilityChart }
}
