// A gauge's ensemble fan: the 5–95 % band of the members' flows (uPlot bands), the median, the
// reach's warning flow and the deterministic run, hours on x and m³/s on y.
import { css, html, LitElement, unsafeCSS, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import uPlot from 'uplot';
import uPlotCss from 'uplot/dist/uPlot.min.css?inline';
import type { FanData } from '../ensemble-layers.ts';
import { translate, type Lang } from '../i18n.ts';

export const FAN_COLOURS = { band: 'rgba(42,120,142,0.25)', edge: '#2a788e', median: '#414487', warning: '#c0392b', deterministic: '#1d2430' };

@customElement('fan-chart')
export class FanChart extends LitElement {
  static styles = [unsafeCSS(uPlotCss), css`:host { display: block; } .plot { width: 100%; }`];

  @property({ attribute: false }) data?: FanData;
  @property() lang: Lang = 'zh-CN';
  @property({ type: Number }) height = 280;

  private plot?: uPlot;
  private resizeObserver = new ResizeObserver(() => requestAnimationFrame(() => {
    if (this.plot && this.plot.width !== this.clientWidth) this.plot.setSize({ width: this.clientWidth, height: this.height });
  }));

  /** The plotted series by label, for tests: [label, values]. */
  get plotted(): [string, (number | null | undefined)[]][] {
    if (!this.plot) return [];
    return this.plot.series.slice(1).map((s, k) => [String(s.label), Array.from(this.plot!.data[k + 1] as ArrayLike<number>)]);
  }

  render() {
    return html`<div class="plot" role="img" aria-label=${translate(this.lang, 'ensFanAria')}></div>`;
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
    const series: uPlot.Series[] = [
      { label: t('hoursAxis') },
      { label: t('ensQ05'), stroke: FAN_COLOURS.edge, width: 1, points: { show: false } },
      { label: t('ensQ50'), stroke: FAN_COLOURS.median, width: 2.5, points: { show: false } },
      { label: t('ensQ95'), stroke: FAN_COLOURS.edge, width: 1, points: { show: false } },
    ];
    const data: (number[])[] = [d.timesS.map((s) => s / 3600), d.q05, d.q50, d.q95];
    if (d.warning) { series.push({ label: t('ensWarningFlow'), stroke: FAN_COLOURS.warning, width: 1.5, dash: [6, 4], points: { show: false } }); data.push(d.warning); }
    if (d.deterministic) { series.push({ label: t('ensDeterministic'), stroke: FAN_COLOURS.deterministic, width: 1.5, dash: [2, 3], points: { show: false } }); data.push(d.deterministic); }
    this.plot = new uPlot({
      width: Math.max(320, this.clientWidth), height: this.height,
      scales: { x: { time: false } },
      legend: { live: false },
      axes: [{ label: t('hoursAxis'), stroke: '#445' }, { label: 'm³/s', stroke: '#445', size: 64, space: 18 }],
      // The band between the 95 % (series 3) and the 5 % (series 1) lines.
      bands: [{ series: [3, 1], fill: FAN_COLOURS.band }],
      series,
    }, data as uPlot.AlignedData, target);
  }
}

declare global {
  interface HTMLElementTagNameMap { 'fan-chart': FanChart }
}
