// The ensemble tab's views beyond the probability layers, with their choices: the reach whose
// P(flow > warning flow) is charted (from the ranking or a click on the map), the first-failure
// quantile the map shows, and the members table's sort. web/ensemble-desk.ts owns one and wires
// it into its map overlay, legend, readout and panel.
import { html } from 'lit';
import type { EnsembleView } from '../models/ensemble/open-products.ts';
import { FAILURE_QUANTILES, type FailureQuantile } from '../models/ensemble/open-more-products.ts';
import { gridValueAt } from '../models/ensemble/open-products.ts';
import type { RegionManifest } from '../models/scenario/region.ts';
import type { MapOverlay } from './components/region-map.ts';
import './components/exposure-table.ts';
import './components/members-table.ts';
import './components/quantile-picker.ts';
import './components/reach-probability-chart.ts';
import './components/reach-ranking.ts';
import { exposureShown, FAILURE_HOUR_CLASSES, FLAME_CLASSES, flameClass, hoursText, rankReaches, reachSeries, valueGrid, type SortKey, type ValueLayer } from './ensemble-more.ts';
import { translate, type Lang } from './i18n.ts';
import { probabilityColour } from './probability-ramp.ts';


export class EnsembleMore {
  reach?: string;
  quantile: FailureQuantile = 'q50';
  sort: SortKey = { column: 'member', descending: false };
  /** Where the pointer last rested, so the readout follows a change of language or quantile. */
  at?: { x: number; y: number };

  /** A newly shown ensemble: keep the chosen reach if it has it, else its most likely one. */
  shown(view: EnsembleView): void {
    if (!view.reachP) { this.reach = undefined; return; }
    if (!this.reach || !view.reachP.reaches.some((r) => r.id === this.reach)) this.reach = rankReaches(view.reachP)[0]?.id ?? view.reachP.reaches[0]?.id;
  }

  /** Reaches coloured by their peak P(flow > warning flow), the chosen one outlined; clickable. */
  reachLines(view: EnsembleView, manifest: RegionManifest | undefined): MapOverlay['lines'] {
    if (!view.reachP || !manifest) return [];
    const peak = new Map(view.reachP.reaches.map((r) => [r.id, Math.max(0, ...r.p)]));
    const lines: MapOverlay['lines'] = [];
    const chosen = manifest.reaches.find((r) => r.id === this.reach);
    // A white halo: it stands out from every class of the ramp, the darkest included.
    if (chosen) lines.push({ path: chosen.path_m, width: 14, colour: '#ffffff' });
    for (const reach of manifest.reaches) {
      const colour = probabilityColour(peak.get(reach.id) ?? 0);
      lines.push({ id: reach.id, kind: 'reach', path: reach.path_m, width: colour ? 6 : 2.5, colour: colour ?? '#9aa3ad' });
    }
    return lines;
  }

  /** What a value layer says under the pointer; the reaches layer names the reach nearest in the ranking. */
  readout(view: EnsembleView, layer: ValueLayer, at: { x: number; y: number }, lang: Lang): string {
    const grid = valueGrid(view, layer, this.quantile);
    const v = grid ? gridValueAt(grid, at.x, at.y) : undefined;
    if (v === undefined) return '';
    if (layer === 'failure') return Number.isNaN(v) ? translate(lang, 'ensNever') : hoursText(v);
    if (Number.isNaN(v)) return translate(lang, 'ensNoValue');
    return `${v} m · ${translate(lang, FLAME_CLASSES[flameClass(v)].key.replace('ensFlame_', 'ensFlameShort_'))}`;
  }

  /** The legend's classes for a value layer, the quantile chosen there for first failure; `labels` override messages by key. */
  legend(view: EnsembleView, layer: ValueLayer, lang: Lang, onQuantile: (q: FailureQuantile) => void, labels: Record<string, string> = {}) {
    const t = (key: string) => labels[key] ?? translate(lang, key);
    const readout = this.at ? this.readout(view, layer, this.at, lang) : '';
    const swatch = (rgb: readonly number[]) => html`<span class="swatch" style="border-radius:2px;background:rgb(${rgb.join(',')})"></span>`;
    const here = html`<span>${t('ensHere')}: ${readout || '—'}</span>`;
    if (layer === 'flame') {
      return html`<div class="legend ensemble-legend" role="group" aria-label=${t('ensFlameLegend')}>
        <strong>${t('ensLayer_flame')}</strong><span>${t('ensFlameLegend')}</span>
        ${FLAME_CLASSES.map((c) => html`<span>${swatch(c.rgb)}${t(c.key)}</span>`)}${here}</div>`;
    }
    return html`<div class="legend ensemble-legend" role="group" aria-label=${t('ensLayer_failure')}
      @ensemble-quantile=${(e: CustomEvent<FailureQuantile>) => { if (FAILURE_QUANTILES.includes(e.detail)) onQuantile(e.detail); }}>
      <strong>${t('ensLayer_failure')}</strong>
      <quantile-picker lang=${lang} quantile=${this.quantile}></quantile-picker>
      <span class="ramp" role="list" style="margin-left:0">${FAILURE_HOUR_CLASSES.map((c, k) => html`<span role="listitem" class=${k >= 4 ? 'light' : ''}
        style="background:rgb(${c.rgb.join(',')})">${c.key}</span>`)}</span>
      <span>${t('ensHours')} · ${t('ensFailureNote')}</span>${here}</div>`;
  }

  /** The panel's part below the probability controls: the reach chart and ranking, exposure, members. */
  panel(view: EnsembleView | undefined, lang: Lang, changed: () => void) {
    if (!view) return '';
    const t = (key: string) => translate(lang, key);
    const series = view.reachP && this.reach ? reachSeries(view.reachP, this.reach) : undefined;
    const exposure = exposureShown(view.exposure ?? []);
    return html`<div class="ensemble-more" style="display:grid;grid-template-columns:minmax(0,1fr);gap:0.6rem;margin-top:0.6rem;font-size:14px"
      @ensemble-reach=${(e: CustomEvent<string>) => { this.reach = e.detail; changed(); }}
      @members-sort=${(e: CustomEvent<SortKey>) => { this.sort = e.detail; changed(); }}>
      ${view.reachP ? html`<section style="min-width:0"><h3 style="margin:0.3rem 0;font-size:15px">${t('ensReachChart')}${series ? ` · ${t('ensReach')} ${series.id}` : ''}</h3>
        <reach-probability-chart .data=${series} lang=${lang}></reach-probability-chart>
        <h4 style="margin:0.3rem 0;font-size:13px;font-weight:600">${t('ensReachRank')}</h4>
        <reach-ranking lang=${lang} .reaches=${rankReaches(view.reachP)} chosen=${this.reach ?? ''}></reach-ranking></section>` : ''}
      ${exposure.length ? html`<section style="min-width:0"><h3 style="margin:0.3rem 0;font-size:15px">${t('ensExposure')}</h3><exposure-table lang=${lang} .rows=${exposure}></exposure-table></section>` : ''}
      ${view.memberRows ? html`<section style="min-width:0"><h3 style="margin:0.3rem 0;font-size:15px">${t('ensMembersTable')}</h3>
        <members-table lang=${lang} .table=${view.memberRows} .sort=${this.sort}></members-table></section>` : ''}
    </div>`;
  }
}
