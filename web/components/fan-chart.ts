// A gauge's ensemble fan: the 5–95 % band of the members' flows (uPlot bands), the median, the
// reach's warning flow and the deterministic run, hours on x and m³/s on y.
import { customElement } from 'lit/decorators.js';
import type uPlot from 'uplot';
import type { FanData } from '../ensemble-layers.ts';
import { translate } from '../i18n.ts';
import { UPlotElement, type ChartSpec } from './uplot-element.ts';

export const FAN_COLOURS = { band: 'rgba(42,120,142,0.25)', edge: '#2a788e', median: '#414487', warning: '#c0392b', deterministic: '#1d2430' };

@customElement('fan-chart')
export class FanChart extends UPlotElement<FanData> {
  /** The plotted series by label, for tests: [label, values]. */
  get plotted(): [string, (number | null | undefined)[]][] {
    if (!this.plot) return [];
    return this.plot.series.slice(1).map((s, k) => [String(s.label), Array.from(this.plot!.data[k + 1] as ArrayLike<number>)]);
  }

  protected ariaName(): string { return translate(this.lang, 'ensFanAria'); }

  protected chart(d: FanData, t: (key: string) => string): ChartSpec {
    const series: uPlot.Series[] = [
      { label: t('hoursAxis') },
      { label: t('ensQ05'), stroke: FAN_COLOURS.edge, width: 1, points: { show: false } },
      { label: t('ensQ50'), stroke: FAN_COLOURS.median, width: 2.5, points: { show: false } },
      { label: t('ensQ95'), stroke: FAN_COLOURS.edge, width: 1, points: { show: false } },
    ];
    const data: (number[])[] = [d.timesS.map((s) => s / 3600), d.q05, d.q50, d.q95];
    if (d.warning) { series.push({ label: t('ensWarningFlow'), stroke: FAN_COLOURS.warning, width: 1.5, dash: [6, 4], points: { show: false } }); data.push(d.warning); }
    if (d.deterministic) { series.push({ label: t('ensDeterministic'), stroke: FAN_COLOURS.deterministic, width: 1.5, dash: [2, 3], points: { show: false } }); data.push(d.deterministic); }
    return {
      options: {
        scales: { x: { time: false } },
        legend: { live: false },
        axes: [{ label: t('hoursAxis'), stroke: '#445' }, { label: 'm³/s', stroke: '#445', size: 64, space: 18 }],
        // The band between the 95 % (series 3) and the 5 % (series 1) lines.
        bands: [{ series: [3, 1], fill: FAN_COLOURS.band }],
        series,
      },
      data: data as uPlot.AlignedData,
    };
  }
}

declare global {
  interface HTMLElementTagNameMap { 'fan-chart': FanChart }
}
