// The map's legend: risk item levels, river flow against warning flow, district shading, the rain
// ramp, the fire's lines, and the switches of the layers that can drown each other at the storm's
// peak (rain, forecast flood extent, failed slopes). It folds away to leave the map clear.
import { html, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { RAIN_CLASSES, rainMapIsDry } from '../models/scenario/rain-map.ts';
import type { RegionManifest } from '../models/scenario/region.ts';
import type { MapOverlay } from './components/region-map.ts';
import type { PageRun, WorkerScenarioRun } from './engine.worker.ts';
import { translate, type Lang } from './i18n.ts';
import { LEVEL_COLOURS, levelName } from './levels.ts';
import { FIRE_ISOCHRONE_COLOUR, rainLayer, SLOPE_FAILED_COLOUR } from './scenario-overlay.ts';

export type Layer = 'rain' | 'flood' | 'slopes';

export interface LegendContext {
  run?: PageRun;
  lang: Lang;
  /** The run has no rain worth a colour (a fire day): no rain layer. */
  dry: boolean;
  layers: Record<Layer, boolean>;
  /** The forecast flood extent is offered (the player view never shows it). */
  offerFlood: boolean;
  collapsed: boolean;
  toggle: (layer: Layer, on: boolean) => void;
  fold: (collapsed: boolean) => void;
}

export function mapLegend(c: LegendContext) {
  const t = (key: string) => translate(c.lang, key);
  const run = c.run;
  const layer = (name: Layer, label: unknown) => html`<label><input type="checkbox" name=${`layer-${name}`} .checked=${c.layers[name]}
    @change=${(e: Event) => c.toggle(name, (e.target as HTMLInputElement).checked)}>${label}</label>`;
  return html`<div class="legend ${c.collapsed ? 'collapsed' : ''}" role="group" aria-label=${t('legend')}>
    <button class="fold" aria-expanded=${!c.collapsed} @click=${() => c.fold(!c.collapsed)}>${t('legend')} ${c.collapsed ? '▸' : '▾'}</button>
    ${c.collapsed ? '' : html`
      <strong>${t('legendItems')}</strong>
      ${[1, 2, 3, 4].map((l) => html`<span><span class="swatch" style="background:${LEVEL_COLOURS[l]}"></span>${levelName(c.lang, l)}</span>`)}
      ${run?.route ? html`<strong>${t('legendRiver')}</strong>
        ${[['#2f6fb0', '< 0.5'], ['#1f4e8c', '0.5–1'], ['#e67e22', '1–1.3'], ['#c0392b', '≥ 1.3']].map(([colour, label]) => html`<span><span class="bar" style="background:${colour}"></span>${label}</span>`)}` : ''}
      ${run?.warnings.length ? html`<span><span class="swatch" style="background:${LEVEL_COLOURS[4]}55;border-radius:0"></span>${t('legendDistricts')}</span>` : ''}
      ${run && !c.dry ? html`${layer('rain', t('layerRain'))}
        <span class="ramp" aria-hidden="true">${RAIN_CLASSES.map((r, k) => html`<span class=${k < 3 ? 'light' : ''} style="background:rgb(${r.colour.join(',')})">${r.fromMmPerH}</span>`)}</span>` : ''}
      ${run?.inundation && c.offerFlood ? layer('flood', html`<span class="bar" style="background:#2878dc"></span>${t('layerFlood')}`) : ''}
      ${run?.slopeGrid ? layer('slopes', html`<span class="swatch" style="background:${SLOPE_FAILED_COLOUR};border-radius:0"></span>${t('layerSlopes')}`) : ''}
      ${run?.fire ? html`<span><span class="bar" style="background:#ff3d00"></span>${t('fireFront')}</span>
        <span><span class="bar thin" style="background:${FIRE_ISOCHRONE_COLOUR}"></span>${t('fireIsochrones')}</span>
        <span><span class="bar" style="background:#4a235a"></span>${t('fireBreakLine')}</span>` : ''}`}
  </div>`;
}

/**
 * The layers the trainer switches from the legend, and their images: the rain at the clock's hour
 * (repainted only when the hour or the run changes) and the run's forecast flood extent.
 */
export class MapLayers implements ReactiveController {
  layers: Record<Layer, boolean> = { rain: true, flood: true, slopes: true };
  /** Folded or unfolded by the trainer; until then it folds while a details box is open. */
  folded?: boolean;
  private floodImage?: ImageBitmap;
  private rainCanvas = document.createElement('canvas');
  private dryRuns = new WeakMap<PageRun, boolean>();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** The run's flood extent as an image, once per run. */
  async setFlood(flood: WorkerScenarioRun['floodLayer']): Promise<void> {
    this.floodImage = flood ? await createImageBitmap(new ImageData(new Uint8ClampedArray(flood.rgba), flood.width, flood.height)) : undefined;
    this.host.requestUpdate();
  }

  /** A run without rain worth a colour (a fire day) has no rain layer. */
  dry(run: PageRun): boolean {
    if (!this.dryRuns.has(run)) this.dryRuns.set(run, rainMapIsDry(run.rainMap));
    return this.dryRuns.get(run)!;
  }

  /** Rain under the flood extent, each when its layer is on. */
  rasters(run: PageRun, tS: number, manifest: RegionManifest | undefined): NonNullable<MapOverlay['rasters']> {
    const rasters: NonNullable<MapOverlay['rasters']> = [];
    if (this.layers.rain && !this.dry(run)) rasters.push(rainLayer(run.rainMap, tS, this.rainCanvas));
    if (this.layers.flood && this.floodImage && manifest) rasters.push({ image: this.floodImage, cols: manifest.grid.ncols, rows: manifest.grid.nrows });
    return rasters;
  }

  legend(run: PageRun | undefined, lang: Lang, detailOpen: boolean) {
    return mapLegend({
      // On a projector's 1024 px the open legend would hide a third of the map: it starts folded there.
      run, lang, dry: run ? this.dry(run) : true, offerFlood: true, collapsed: this.folded ?? (detailOpen || window.matchMedia('(max-width: 1200px)').matches), layers: this.layers,
      toggle: (layer, on) => { this.layers = { ...this.layers, [layer]: on }; this.host.requestUpdate(); },
      fold: (folded) => { this.folded = folded; this.host.requestUpdate(); },
    });
  }
}
