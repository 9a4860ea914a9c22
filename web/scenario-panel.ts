// The scenario tab: the briefing, the gauges' hydrographs (or the burned area), the rain, items per
// level, the forecast against observations with its scores, people under warning, and the warnings
// issued. A view rendered into the app's shadow root; its chart data is built once per run and
// language, not at every clock step.
import { html } from 'lit';
import { loadObservations, scoreGauges, type GaugeScore, type ObservedSeries } from '../models/scenario/observations.ts';
import type { Inject } from '../models/scenario/injects.ts';
import type { RegionManifest } from '../models/scenario/region.ts';
import type { Scenario } from '../models/scenario/schema.ts';
import type { levelCounts } from '../models/scenario/timeline.ts';
import './components/hydrograph-chart.ts';
import './components/warning-feed.ts';
import './components/model-warnings-notice.ts';
import type { PageRun, WorkerScenarioRun } from './engine.worker.ts';
import { translate, type Lang } from './i18n.ts';
import { LEVEL_COLOURS, levelName } from './levels.ts';

export interface ScenarioPanelContext {
  result?: WorkerScenarioRun;
  scenario: Scenario;
  manifest?: RegionManifest;
  injects: readonly Inject[];
  counts?: ReturnType<typeof levelCounts>;
  observed?: { series: ObservedSeries[]; scores: GaugeScore[] };
  scoredGauge?: string;
  now: number;
  lang: Lang;
  /** What went wrong with the last CAP export, shown under the warnings. */
  capProblem: unknown;
  scoreGauge: (gauge: string) => void;
  exportCap: (id: string) => void;
  /** A warning of the feed opened (its details box over the map). */
  select: (event: CustomEvent<{ id: string; kind: 'warning' }>) => void;
}

export class ScenarioPanel {
  /**
   * The charts' data, built once per run and language: handing the charts new arrays at every clock
   * step would make each redraw all its data (and feed the garbage collector) while playing.
   */
  private chartData?: { key: unknown[]; value: ReturnType<ScenarioPanel['buildCharts']> };

  private charts(c: ScenarioPanelContext) {
    const key = [c.result, c.lang, c.counts, c.scenario, c.observed, c.scoredGauge];
    if (!this.chartData || this.chartData.key.some((k, i) => k !== key[i])) this.chartData = { key, value: this.buildCharts(c) };
    return this.chartData.value;
  }

  private buildCharts(c: ScenarioPanelContext) {
    const t = (key: string) => translate(c.lang, key);
    const run = c.result?.run;
    const rain = c.scenario.rain.series ?? meanDistrictRain(run);
    const stepTimes = run ? Array.from({ length: run.grid.steps + 1 }, (_, j) => j * run.grid.stepS) : [];
    const gaugeColours = ['#1f618d', '#17a589', '#8e44ad'];
    return {
      stepTimes, stepEnds: stepTimes.slice(1),
      rainTimes: Array.from(rain.values, (_, i) => i * rain.periodS),
      rain: [{ label: t('rain'), color: '#2e86c1', values: rain.values }],
      gauges: run?.route ? run.gauges.map((g, k) => ({ label: `${g.id} ${g.reach}`, color: gaugeColours[k % 3], values: run.route!.reaches[g.reach].outflow_m3_per_s })) : undefined,
      observed: this.observedChart(c, stepTimes),
      burned: run?.fire ? [{ label: t('burnedArea'), color: '#d35400', values: [0, ...run.fire.burnedAreaM2.map((a) => a / 1e6)] }] : undefined,
      counts: c.counts ? [1, 2, 3, 4].map((l) => ({ label: levelName(c.lang, l), color: LEVEL_COLOURS[l], values: c.counts![l as 1 | 2 | 3 | 4] })) : undefined,
      people: run ? [4, 3, 2, 1].map((l) => ({ label: levelName(c.lang, l), color: LEVEL_COLOURS[l], values: run.peopleByWarningLevel[l as 1 | 2 | 3 | 4] })) : undefined,
    };
  }

  /** The scored gauge's forecast (line) and observations (dots on the step times they fall on). */
  private observedChart(c: ScenarioPanelContext, stepTimes: number[]) {
    const run = c.result?.run;
    const observed = c.observed?.series.find((o) => o.gauge === c.scoredGauge);
    const gauge = run?.gauges.find((g) => g.id === c.scoredGauge);
    if (!run?.route || !observed || !gauge) return undefined;
    const t = (key: string) => translate(c.lang, key);
    const dots: (number | null)[] = stepTimes.map(() => null);
    observed.tS.forEach((tS, k) => { dots[Math.round(tS / run.grid.stepS)] = observed.m3PerS[k]; });
    return [
      { label: `${gauge.id} ${t('forecast')}`, color: '#1f618d', values: run.route.reaches[gauge.reach].outflow_m3_per_s },
      { label: `${gauge.id} ${t('observed')}`, color: '#c0392b', values: dots, dash: [5, 4], points: true },
    ];
  }

  /** Forecast against observations: the chart of one gauge, and every observed gauge's scores. */
  private renderObserved(c: ScenarioPanelContext, series: NonNullable<ReturnType<ScenarioPanel['observedChart']>>) {
    const t = (key: string) => translate(c.lang, key);
    const hours = (s: number) => `${s > 0 ? '+' : ''}${(s / 3600).toFixed(0)} h`;
    return html`<section class="observed">
      <h2>${t('observedVsForecast')}</h2>
      <hydrograph-chart lang=${c.lang} .timesSeconds=${this.charts(c).stepTimes} .height=${170} .cursorS=${c.now} .series=${series}></hydrograph-chart>
      <table class="scores">
        <thead><tr><th>${t('gauge')}</th><th title=${t('nseTitle')}>NSE</th><th title=${t('kgeTitle')}>KGE</th>
          <th>${t('peakError')}</th><th>${t('peakTimeError')}</th><th title=${t('gbtTitle')}>GB/T 22482</th></tr></thead>
        <tbody>${c.observed!.scores.map(({ gauge, scores: s }) => html`
          <tr data-gauge=${gauge} aria-selected=${gauge === c.scoredGauge} @click=${() => c.scoreGauge(gauge)}>
            <td>${gauge}</td><td class="nse">${s.nse.toFixed(3)}</td><td>${s.kge_2012.toFixed(3)}</td>
            <td>${(100 * s.peak_error_relative).toFixed(1)} %</td><td>${hours(s.peak_time_error_s)}</td>
            <td class=${s.gb_t_22482.qualified ? 'ok' : 'bad'}>${s.gb_t_22482.qualified ? t('qualified') : t('notQualified')}${s.gb_t_22482.dc_grade ? ` · ${t('grade')} ${s.gb_t_22482.dc_grade}` : ''}</td>
          </tr>`)}</tbody>
      </table>
      <p class="note">${t('observedNote')}</p>
    </section>`;
  }

  view(c: ScenarioPanelContext) {
    const t = (key: string) => translate(c.lang, key);
    const now = c.now;
    const run = c.result?.run;
    const charts = this.charts(c);
    return html`
      <section class="briefing">
        <h2>${c.scenario.exercise ? `${t('exercise')} · ` : ''}${c.lang === 'zh-CN' ? c.scenario.titleZh : c.scenario.title}</h2>
        <p class="note"><strong>${t('briefing')}${c.lang === 'zh-CN' ? '：' : ': '}</strong>${c.lang === 'zh-CN' ? c.scenario.descriptionZh : c.scenario.description}</p>
      </section>
      <section>
        ${!run ? html`<p>${t('computing')}</p>` : ''}
        <model-warnings-notice .warnings=${run?.modelWarnings ?? []} lang=${c.lang}></model-warnings-notice>
        ${charts.gauges ? html`<h2>${t('gauges')}</h2><hydrograph-chart lang=${c.lang} .timesSeconds=${charts.stepTimes} .height=${170} .cursorS=${now} .series=${charts.gauges}></hydrograph-chart>` : ''}
        ${charts.burned ? html`<h2>${t('burnedArea')}</h2><hydrograph-chart lang=${c.lang} .timesSeconds=${charts.stepTimes} .height=${150} yLabel="km²" .cursorS=${now} .series=${charts.burned}></hydrograph-chart>` : ''}
        <h2>${t('rain')}</h2>
        <hydrograph-chart lang=${c.lang} .timesSeconds=${charts.rainTimes} .height=${150} yLabel="mm/h" .cursorS=${now} .series=${charts.rain}></hydrograph-chart>
        ${charts.counts ? html`<h2>${t('itemsPerLevel')}</h2>
          <hydrograph-chart lang=${c.lang} .timesSeconds=${charts.stepTimes} .height=${140} yLabel=${t('itemsAxis')} .cursorS=${now} .series=${charts.counts}></hydrograph-chart>` : ''}
      </section>
      ${charts.observed ? this.renderObserved(c, charts.observed) : ''}
      ${charts.people ? html`<section>
        <h2>${t('peopleUnderWarning')}</h2>
        <hydrograph-chart lang=${c.lang} .timesSeconds=${charts.stepEnds} .height=${140} yLabel=${t('people')} .cursorS=${now} .series=${charts.people}></hydrograph-chart>
      </section>` : ''}
      <section>
        <h2>${t('warnings')}</h2>
        <warning-feed .manifest=${c.manifest} .injects=${c.injects} .warnings=${run?.warnings ?? []} .timeS=${now} lang=${c.lang}
          @cap-export=${(e: CustomEvent<{ id: string }>) => c.exportCap(e.detail.id)} @feature-select=${c.select}></warning-feed>
        ${c.capProblem}
      </section>`;
  }
}

/** Rain given per sub-basin or as grids: the chart shows the mean of the districts' rain, mm/h. */
function meanDistrictRain(run: PageRun | undefined): { periodS: number; values: Float64Array } {
  if (!run) return { periodS: 3600, values: new Float64Array(0) };
  const series = [...run.rainMmByDistrict.values()];
  const values = new Float64Array(run.grid.steps);
  for (const depths of series) for (let j = 0; j < values.length; j++) values[j] += (depths[j] * 3600) / run.grid.stepS / series.length;
  return { periodS: run.grid.stepS, values };
}

/** The scenario's gauge observations (small CSVs) and the forecast's scores against them; none without observations. */
export async function scoreRun(scenario: Scenario, run: PageRun, readFile: (file: string) => Promise<string>): Promise<{ series: ObservedSeries[]; scores: GaugeScore[] } | undefined> {
  if (!scenario.observations.length) return undefined;
  const series = await loadObservations(scenario.observations, scenario, readFile);
  const scores = scoreGauges(series, (id) => {
    const g = run.gauges.find((x) => x.id === id);
    return g && run.route?.reaches[g.reach].outflow_m3_per_s;
  }, run.grid.stepS, run.gauges.map((g) => g.id));
  return { series, scores };
}
