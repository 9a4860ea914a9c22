// The details box over the map: a risk item's level over time with its causes (and a monitored
// slope's factor of safety), a river reach's flow against its warning flow, a district's people
// under each warning level, what the fire does at one cell, a warning of the feed, or a barrier
// (fire break) an inject or decision put on the map. Rendered into the app's own shadow
// root (a view, not a component), its histories built once per selection, run and language.
import { html } from 'lit';
import { districtLevels } from '../models/scenario/timeline.ts';
import type { RegionItem, RegionManifest } from '../models/scenario/region.ts';
import type { ChartSeries } from './components/hydrograph-chart.ts';
import './components/hydrograph-chart.ts';
import type { Decision } from '../models/scenario/aar.ts';
import type { Inject } from '../models/scenario/injects.ts';
import { categoryName, districtName, districtNames, hazardName, injectText, riverName, warningReason } from './content-text.ts';
import { barrierInjectsAt } from './drill-helpers.ts';
import type { FireCells, WorkerScenarioRun } from './engine.worker.ts';
import { translate, type Lang } from './i18n.ts';
import { causeText, LEVEL_COLOURS, levelName } from './levels.ts';
import { elapsedText } from './time-format.ts';

export type DetailFeature = { kind: 'reach' | 'district' | 'warning' | 'barrier'; id: string } | { kind: 'fire-cell'; cell: number };

export interface DetailContext {
  result?: WorkerScenarioRun;
  manifest?: RegionManifest;
  items: readonly RegionItem[];
  /** The MSEL and decisions: what names a warning's inject and a barrier's. */
  injects: readonly Inject[];
  decisions: readonly Decision[];
  /** A risk item (by id), or another feature. */
  selected?: string;
  feature?: DetailFeature;
  levels: Map<string, number>;
  now: number;
  lang: Lang;
  close: () => void;
  /** The map, to place the box beside (not over) what it describes. */
  map?: { clientWidth: number; screenPosition(x: number, y: number): [number, number] | undefined };
}

/** The box's width as a share of the map's: the other side stays clear for the feature. */
const DETAIL_SHARE = 0.45;

export class FeatureDetail {
  /** Folded to its title line by the trainer (stays so from one selection to the next). */
  private folded = false;

  constructor(private readonly changed: () => void = () => {}) {}

  /**
   * The details box: title line always, the rest unless folded; on the half of the map away from
   * the feature (`anchor`, map metres), so the box never hides the fire or flood it describes.
   */
  private box(c: DetailContext, label: string, anchor: [number, number] | undefined, head: unknown, body: unknown) {
    const t = (key: string) => translate(c.lang, key);
    const at = anchor && c.map?.screenPosition(anchor[0], anchor[1]);
    const side = at && at[0] < c.map!.clientWidth / 2 ? 'right' : 'left';
    const fold = () => { this.folded = !this.folded; this.changed(); };
    return html`<div class="detail ${side} ${this.folded ? 'folded' : ''}" role="dialog" aria-label=${label} style="--detail-share:${DETAIL_SHARE * 100}%">
      <button class="close" aria-label=${t('close')} @click=${c.close}>×</button>
      <button class="fold" aria-expanded=${!this.folded} aria-label=${this.folded ? t('detailUnfold') : t('detailFold')} @click=${fold}>${this.folded ? '▸' : '▾'}</button>
      ${head}${this.folded ? '' : body}</div>`;
  }

  /** Histories for the details box, built once per selection, run and language (not per frame). */
  private historyCache?: { key: unknown[]; value: { times: number[]; series: ChartSeries[]; yLabel: string } | undefined };

  private history(c: DetailContext, kind: string, id: string) {
    const key = [kind, id, c.result, c.lang];
    if (!this.historyCache || this.historyCache.key.some((k, i) => k !== key[i])) this.historyCache = { key, value: this.buildHistory(c, kind, id) };
    return this.historyCache.value;
  }

  private buildHistory(c: DetailContext, kind: string, id: string) {
    const run = c.result?.run;
    if (!run) return undefined;
    const t = (key: string) => translate(c.lang, key);
    const times = Array.from({ length: run.grid.steps + 1 }, (_, j) => j * run.grid.stepS);
    if (kind === 'item') {
      // The item's level at every step boundary, from the risk list's changes.
      const changes = run.risk.changes.filter((c) => c.item === id);
      let level = changes[0]?.from ?? run.risk.final[id] ?? 1;
      let next = 0;
      const values = times.map((tS) => {
        while (next < changes.length && changes[next].t_s <= tS) level = changes[next++].to;
        return level;
      });
      return { times, yLabel: t('level'), series: [{ label: t('level'), color: '#c0392b', values }] };
    }
    if (kind === 'reach' && run.route?.reaches[id]) {
      const flows = run.route.reaches[id].outflow_m3_per_s;
      const warning = run.warningFlowByReach[id];
      return { times, yLabel: 'm³/s', series: [
        { label: `${id} ${t('flow')}`, color: '#1f618d', values: flows },
        { label: t('warningFlow'), color: '#e67e22', values: times.map(() => warning), dash: [6, 4] },
      ] };
    }
    if (kind === 'district') {
      const residents = run.residentsByDistrict[id] ?? 0;
      const levels = times.map((tS) => districtLevels(run.warnings, tS).get(id) ?? 0);
      return { times, yLabel: t('people'), series: [4, 3, 2, 1].map((l) => ({
        label: levelName(c.lang, l), color: LEVEL_COLOURS[l], values: levels.map((x) => (x === l ? residents : 0)),
      })) };
    }
    return undefined;
  }

  view(c: DetailContext) {
    const levels = c.levels;
    if (!c.result) return '';
    const t = (key: string) => translate(c.lang, key);
    const now = c.now;
    const run = c.result.run;
    const chart = (kind: string, id: string) => {
      const h = this.history(c, kind, id);
      return h ? html`<hydrograph-chart compact lang=${c.lang} class="history" .timesSeconds=${h.times} .height=${90} yLabel=${h.yLabel} .cursorS=${now} .series=${h.series}></hydrograph-chart>` : '';
    };
    if (c.feature?.kind === 'reach') {
      const id = c.feature.id;
      const flows = run.route?.reaches[id]?.outflow_m3_per_s;
      if (!flows) return '';
      const reach = c.manifest?.reaches.find((r) => r.id === id) as { id: string; river?: string } | undefined;
      const gauge = run.gauges.find((g) => g.reach === id);
      const q = flows[Math.min(flows.length - 1, Math.floor(now / run.grid.stepS))];
      const path = c.manifest?.reaches.find((r) => r.id === id)?.path_m;
      return this.box(c, id, path?.[Math.floor(path.length / 2)], html`
        <h3>${t('reach')} ${id}${gauge ? ` · ${gauge.id}` : ''}${reach?.river ? ` · ${riverName(c.manifest, reach.river, c.lang)}` : ''}</h3>
        <div>${t('flow')} ${q.toFixed(0)} m³/s · ${t('warningFlow')} ${run.warningFlowByReach[id].toFixed(0)} m³/s · ${t('peak')} ${run.route!.reaches[id].peak_m3_per_s.toFixed(0)} m³/s @ ${elapsedText(run.route!.reaches[id].peak_time_s)}</div>`,
        chart('reach', id));
    }
    if (c.feature?.kind === 'warning') return this.renderWarning(c, c.feature.id);
    if (c.feature?.kind === 'barrier') return this.renderBarrier(c, c.feature.id);
    if (c.feature?.kind === 'fire-cell' && c.result.fireCells) return this.renderFireCell(c, c.feature.cell, c.result.fireCells);
    if (c.feature?.kind === 'district') {
      const id = c.feature.id;
      const level = districtLevels(run.warnings, now).get(id) ?? 0;
      const inDistrict = c.items.filter((i) => i.area === id);
      const byLevel = [4, 3, 2, 1].map((l) => [l, inDistrict.filter((i) => (levels.get(i.id) ?? 1) === l).length]);
      return this.box(c, districtName(c.manifest, id, c.lang), undefined, html`
        <h3>${t('district')} · ${districtName(c.manifest, id, c.lang)}</h3>
        <div>${t('residents')} ${(run.residentsByDistrict[id] ?? 0).toLocaleString(c.lang)} ·
          ${level ? html`<span style="color:${LEVEL_COLOURS[level]}; font-weight:700">● ${levelName(c.lang, level)}</span>` : t('noWarning')}</div>`, html`
        <div>${t('itemsNow')}: ${byLevel.map(([l, n]) => html`<span style="color:${LEVEL_COLOURS[l]}">● ${n}</span> `)}</div>
        <div class="sub">${t('peopleByLevelHistory')}</div>
        ${chart('district', id)}`);
    }
    const item = c.items.find((i) => i.id === c.selected);
    if (!item) return '';
    const level = levels.get(item.id) ?? 1;
    const changes = run.risk.changes.filter((c) => c.item === item.id && c.t_s <= now);
    return this.box(c, item.id, [item.x_m, item.y_m], html`
      <h3>${item.id} · ${c.lang === 'zh-CN' ? item.name_zh : item.name}</h3>
      <div><span style="color:${LEVEL_COLOURS[level]}; font-weight:700">● ${levelName(c.lang, level)}</span> · ${categoryName(item.category, c.lang)} · ${districtName(c.manifest, item.area, c.lang)}</div>`, html`
      ${this.renderSlopeChart(c, item.id)}
      <div class="sub">${t('levelHistory')}</div>
      ${chart('item', item.id)}
      <table class="changes">${changes.slice(-5).reverse().map((change) => html`<tr>
        <td>${elapsedText(change.t_s)}</td>
        <td><span style="color:${LEVEL_COLOURS[change.from]}">●</span> → <span style="color:${LEVEL_COLOURS[change.to]}">●</span> ${levelName(c.lang, change.to)}</td>
        <td>${causeText(change.reason, c.lang)}</td></tr>`)}
        ${changes.length === 0 ? html`<tr><td>${t('noChangeYet')}</td></tr>` : ''}
      </table>`);
  }

  /**
   * What the fire does at one cell: when it arrives (or is forecast to), how fast and how hot the
   * head burns there, and what that means for the crews — the fire characteristics chart's
   * intensity classes (Andrews & Rothermel 1982: flame length 1.2 / 2.4 / 3.4 m ≈ Byram intensity
   * 346 / 1730 / 3460 kW/m; flame length from Byram 1959, computed in the worker: models/fire/flame.ts).
   */
  private renderWarning(c: DetailContext, id: string) {
    const w = c.result!.run.warnings.find((x) => x.id === id);
    if (!w) return '';
    const t = (key: string) => translate(c.lang, key);
    const lifted = w.lift_s !== undefined && w.lift_s <= c.now;
    const title = `${t('warning')} · ${hazardName(w.hazard, c.lang)} ${levelName(c.lang, w.level)}`;
    return this.box(c, title, undefined, html`
      <h3>${title}</h3>
      <div><span style="color:${LEVEL_COLOURS[w.level]}; font-weight:700">● ${levelName(c.lang, w.level)}</span> · ${t('report_issued')} ${elapsedText(w.t_s)}${lifted ? ` · ${t('lifted')} ${elapsedText(w.lift_s!)}` : ''}</div>`, html`
      <div>${t('report_areas')}: ${districtNames(c.manifest, w.areas, c.lang)}</div>
      <div>${t('cause')}: ${warningReason(w.reason, c.lang, c.manifest, c.injects)}</div>`);
  }

  private renderBarrier(c: DetailContext, id: string) {
    const barrier = barrierInjectsAt(c.result!.run, c.injects, c.decisions, c.now).find((b) => b.inject.id === id);
    if (!barrier) return '';
    const t = (key: string) => translate(c.lang, key);
    let lengthM = 0;
    for (let k = 1; k < barrier.path.length; k++) lengthM += Math.hypot(barrier.path[k][0] - barrier.path[k - 1][0], barrier.path[k][1] - barrier.path[k - 1][1]);
    const title = `${t('fireBreakLine')} · ${id}`;
    const mid = barrier.path[Math.floor(barrier.path.length / 2)];
    return this.box(c, title, mid, html`
      <h3>${title}</h3>
      <div>${injectText(barrier.inject, 'title', c.lang)}</div>`, html`
      <div>${t('inject_delivered')} ${elapsedText(barrier.t_s)} · ${(lengthM / 1000).toFixed(1)} km</div>
      ${c.injects.includes(barrier.inject) ? html`<div class="sub">${injectText(barrier.inject, 'description', c.lang)}</div>` : ''}`);
  }

  private renderFireCell(c: DetailContext, cell: number, cells: FireCells) {
    const t = (key: string) => translate(c.lang, key);
    const g = c.manifest!.grid;
    const arrival = cells.arrivalS[cell];
    const intensity = cells.intensityKwPerM[cell];
    const flameM = cells.flameLengthM[cell];
    const attack = intensity < 346 ? 'attackHandCrews' : intensity < 1730 ? 'attackEquipment' : intensity < 3460 ? 'attackProblematic' : 'attackIndirect';
    const burned = arrival <= c.now;
    const x = g.xllcorner + ((cell % g.ncols) + 0.5) * g.cellsize_m;
    const y = g.yllcorner + (g.nrows - Math.floor(cell / g.ncols) - 0.5) * g.cellsize_m;
    return this.box(c, t('fireCell'), [x, y], html`
      <h3>${t('fireCell')} · ${x.toFixed(0)} E, ${y.toFixed(0)} N</h3>
      <div>${burned ? t('fireArrived') : t('fireArrives')} ${elapsedText(arrival)}</div>`, html`
      <div>${t('headRos')} ${cells.rosMPerMin[cell].toFixed(1)} m/min · ${t('fireIntensity')} ${intensity.toFixed(0)} kW/m · ${t('flameLength')} ${flameM.toFixed(1)} m</div>
      <div class="sub">${t(attack)}</div>`);
  }

  /** A monitored slope's factor of safety through the storm, with the clock's time marked. */
  private renderSlopeChart(c: DetailContext, itemId: string) {
    const fs = c.result?.run.fsBySlope.get(itemId);
    if (!fs) return '';
    const t = (key: string) => translate(c.lang, key);
    return html`<div class="sub">${t('factorOfSafety')}</div><hydrograph-chart compact lang=${c.lang} .timesSeconds=${fs.tS} .height=${90} yLabel="FS" .cursorS=${c.now}
      .series=${this.slopeSeries(itemId, fs.fs, t('factorOfSafety'))}></hydrograph-chart>`;
  }

  private slopeSeriesCache?: { id: string; series: { label: string; color: string; values: number[] }[] };

  private slopeSeries(id: string, values: number[], label: string) {
    if (this.slopeSeriesCache?.id !== id || this.slopeSeriesCache.series[0].values !== values || this.slopeSeriesCache.series[0].label !== label) {
      this.slopeSeriesCache = { id, series: [{ label, color: '#8e44ad', values }] };
    }
    return this.slopeSeriesCache.series;
  }
}
