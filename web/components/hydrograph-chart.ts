// A uPlot time-series chart: hours on x, discharge on y, one line per series.
import { css, html, LitElement, unsafeCSS, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import uPlot from 'uplot';
import uPlotCss from 'uplot/dist/uPlot.min.css?inline';
import { translate, type Lang } from '../i18n.ts';

export interface ChartSeries {
  label: string;
  color: string;
  /** One value per time; null where the series has none (observations between their times). */
  values: ArrayLike<number | null>;
  dash?: number[];
  /** Draw each value as a dot (observations); the line then joins across the gaps. */
  points?: boolean;
}

@customElement('hydrograph-chart')
export class HydrographChart extends LitElement {
  static styles = [unsafeCSS(uPlotCss), css`
    :host { display: block; }
    .plot { width: 100%; }
  `];

  /** Time of each point, seconds since scenario start. */
  @property({ attribute: false }) timesSeconds: ArrayLike<number> = [];
  @property({ attribute: false }) series: ChartSeries[] = [];
  @property() yLabel = 'm³/s';
  /** Language of the time axis' label. */
  @property() lang: Lang = 'zh-CN';
  @property({ type: Number }) height = 360;
  /** Small (the map's details box): no axis titles, a one-series chart without its legend, any width. */
  @property({ type: Boolean }) compact = false;
  /** Scenario time to mark with a vertical line, seconds (none when undefined). */
  @property({ type: Number }) cursorS?: number;

  private plot?: uPlot;
  private plotSignature = '';
  private resizeObserver?: ResizeObserver;

  /** Number of points drawn: read by tests and by the page's status line. */
  get pointCount(): number {
    return this.plot ? this.plot.data[0].length : 0;
  }

  render() {
    return html`<div class="plot" role="img" aria-label=${`${translate(this.lang, 'chartOf')} ${this.series.map((s) => s.label).join(', ')}`}></div>`;
  }

  protected updated(changed: PropertyValues<this>): void {
    if (changed.has('series') || changed.has('timesSeconds') || changed.has('lang') || changed.has('yLabel')) this.draw();
    else if (changed.has('cursorS')) this.plot?.redraw(false, false);
  }

  connectedCallback(): void {
    super.connectedCallback();
    // Follow the width only: the height is fixed, so resizing the plot cannot resize the host again.
    // Resized in the next frame: a page that gains a scroll bar from the new size would otherwise
    // notify this observer again within the same frame (a "ResizeObserver loop" error).
    this.resizeObserver = new ResizeObserver(() => requestAnimationFrame(() => {
      if (this.plot && this.plot.width !== this.clientWidth) this.plot.setSize({ width: this.clientWidth, height: this.height });
    }));
    this.resizeObserver.observe(this);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    this.plot?.destroy();
    this.plot = undefined;
  }

  private drawCursor(u: uPlot): void {
    if (this.cursorS === undefined) return;
    const x = u.valToPos(this.cursorS / 3600, 'x', true);
    const { ctx } = u;
    ctx.save();
    ctx.strokeStyle = '#e67e22';
    ctx.lineWidth = 2 * (window.devicePixelRatio || 1);
    ctx.beginPath();
    ctx.moveTo(x, u.bbox.top);
    ctx.lineTo(x, u.bbox.top + u.bbox.height);
    ctx.stroke();
    ctx.restore();
  }

  private draw(): void {
    const target = this.renderRoot.querySelector<HTMLElement>('.plot');
    if (!target || this.series.length === 0) return;
    const hours = Array.from(this.timesSeconds, (t) => t / 3600);
    const data = [hours, ...this.series.map((s) => Array.from(s.values))] as uPlot.AlignedData;
    const xLabel = translate(this.lang, 'hoursAxis');
    // Same series and axis labels: new data only; otherwise uPlot needs a new plot.
    const signature = [xLabel, this.yLabel, this.compact, ...this.series.map((s) => s.label)].join('|');
    if (this.plot && this.plotSignature === signature) {
      this.plot.setData(data);
      return;
    }
    this.plot?.destroy();
    this.plotSignature = signature;
    this.plot = new uPlot({
      width: Math.max(this.compact ? 160 : 320, this.clientWidth),
      height: this.height,
      scales: { x: { time: false } },
      // Labels with swatches only: live values under a moving cursor clutter small charts.
      legend: { live: false, show: !this.compact || this.series.length > 1 },
      axes: this.compact ? [
        { stroke: '#445', size: 24 },
        { stroke: '#445', size: 40, space: 18 },
      ] : [
        { label: xLabel, stroke: '#445' },
        // Tick labels at least 18 px apart, so short charts still show their scale.
        { label: this.yLabel, stroke: '#445', size: 60, space: 18 },
      ],
      hooks: { draw: [(u: uPlot) => this.drawCursor(u)] },
      series: [
        { label: xLabel },
        ...this.series.map((s) => ({ label: s.label, stroke: s.color, width: s.points ? 1.2 : 2, dash: s.dash, spanGaps: s.points === true, points: s.points ? { show: true, size: 5, fill: s.color, stroke: s.color } : { show: false } })),
      ],
    }, data, target);
  }
}

declare global {
  interface HTMLElementTagNameMap { 'hydrograph-chart': HydrographChart }
}
