// One reach's P(flow > warning flow) over time (uPlot, as the gauge fan chart): hours on x,
// percent on y from 0 to 100, a step line since the product is a count at each step boundary.
import { customElement } from 'lit/decorators.js';
import uPlot from 'uplot';
import type { ReachSeries } from '../ensemble-more.ts';
import { translate } from '../i18n.ts';
import { UPlotElement, type ChartSpec } from './uplot-element.ts';

@customElement('reach-probability-chart')
export class ReachProbabilityChart extends UPlotElement<ReachSeries> {
  constructor() {
    super();
    this.height = 200;
  }

  /** The plotted series, for tests: hours and the probability (0–1) at each. */
  get plotted(): { hours: number[]; p: number[] } | undefined {
    if (!this.plot) return undefined;
    return { hours: Array.from(this.plot.data[0] as ArrayLike<number>), p: Array.from(this.plot.data[1] as ArrayLike<number>, (v) => v / 100) };
  }

  protected ariaName(): string { return `${translate(this.lang, 'ensReachAria')}: ${this.data?.id ?? ''}`; }

  protected chart(d: ReachSeries, t: (key: string) => string): ChartSpec {
    return {
      options: {
        scales: { x: { time: false }, y: { range: [0, 100] } },
        legend: { live: false },
        axes: [{ label: t('hoursAxis'), stroke: '#445' }, { label: '%', stroke: '#445', size: 48, space: 18 }],
        series: [
          { label: t('hoursAxis') },
          { label: d.id, stroke: '#2a788e', fill: 'rgba(42,120,142,0.18)', width: 2, paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } },
        ],
      },
      data: [d.hours, d.p.map((p) => p * 100)] as uPlot.AlignedData,
    };
  }
}

declare global {
  interface HTMLElementTagNameMap { 'reach-probability-chart': ReachProbabilityChart }
}
