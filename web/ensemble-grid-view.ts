// What the ensemble tab says of a grid landslide ensemble (web/ensemble-grid-open.ts) beside what it
// says of any ensemble: its layers' names per cell rather than per slope block, where the folder
// came from (run id, cells, CRS, cells off the map), and the choice of output time for P(FS < 1).
import { html } from 'lit';
import type { RegionManifest } from '../models/scenario/region.ts';
import type { GridEnsembleInfo } from './ensemble-grid-open.ts';
import { translate, type Lang } from './i18n.ts';

/** The messages a grid ensemble says differently, by the key the tab would use; none without `lang`. */
export function gridLabels(lang: Lang | undefined): Record<string, string> {
  if (!lang) return {};
  return {
    ensLayer_slope: translate(lang, 'ensGridLayer_slope'),
    ensLayer_failure: translate(lang, 'ensGridLayer_failure'),
    ensFailureNote: translate(lang, 'ensGridFailureNote'),
  };
}

const hours = (s: number) => String(Number((s / 3600).toFixed(2)));

/** "grid landslide ensemble · run 6efae5a3 · 1 200 cells · CRS …" for the line naming what is shown. */
export function gridSource(lang: Lang, info: GridEnsembleInfo, region: RegionManifest | undefined): string {
  const t = (key: string) => translate(lang, key);
  const cells = info.atTimes[0] ? info.atTimes[0].grid.ncols * info.atTimes[0].grid.nrows : 0;
  const parts = [
    t('ensGridFrom').replace('{run}', info.runId.slice(0, 8)).replace('{cells}', String(cells)),
    info.prj ? t('ensGridPrj').replace('{crs}', () => info.prj!) : t('ensGridNoPrj').replace('{crs}', () => region?.crs ?? ''),
  ];
  if (info.cellsOutside > 0) parts.push(t('ensGridOutside').replace('{n}', String(info.cellsOutside)));
  return parts.join(' · ');
}

/** The legend's choice of output time for P(FS < 1): any of them (the file's p_fs_below_1.asc) or one. */
export function slopeTimeSelect(lang: Lang, info: GridEnsembleInfo, chosen: number | undefined, choose: (tS: number | undefined) => void) {
  if (!info.atTimes.length) return '';
  const t = (key: string) => translate(lang, key);
  const last = info.atTimes.at(-1)!.tS;
  return html`<label>${t('ensGridWhen')} <select class="slope-time" @change=${(e: Event) => {
    const v = (e.target as HTMLSelectElement).value;
    choose(v === 'any' ? undefined : Number(v));
  }}>
    <option value="any" ?selected=${chosen === undefined}>${t('ensGridAnyTime').replace('{hours}', hours(last))}</option>
    ${info.atTimes.map((a) => html`<option value=${a.tS} ?selected=${chosen === a.tS}>${t('ensGridAtTime').replace('{hours}', hours(a.tS))}</option>`)}
  </select></label>`;
}
