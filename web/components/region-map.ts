// The map: a base map image drawn on a canvas with zoom (wheel, +/−) and pan (drag, arrow keys).
// Overlays come later as layers; the view transform is the one place map metres meet pixels.
import { css, html, LitElement, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { BaseMap } from '../engine.worker.ts';

/** What is drawn over the base map, in map metres (the region's CRS). */
export interface MapOverlay {
  /** Areas with an id (districts under a warning) can be reached by keyboard. */
  areas: { ring: [number, number][]; fill: string; stroke: string; id?: string }[];
  /**
   * Lines with an id can be clicked: river reaches, and barriers (fire breaks and barriers an inject
   * or decision put on the map), which the keyboard reaches too.
   */
  lines: { path: [number, number][]; width: number; colour: string; id?: string; kind?: 'reach' | 'barrier' }[];
  points: { id: string; x: number; y: number; colour: string; radius: number }[];
  /**
   * Images drawn under the areas over `cols` × `rows` of the base map's cells, from its north-west
   * corner or `col0`/`row0` cells east and south of it (a grid that covers part of the region; a
   * coarse layer may hang over the edge); `smooth` blends coarse pixels when drawn large;
   * `fromZoom`/`belowZoom` draw it only in that zoom range (an overview and its detail).
   */
  rasters?: { image: CanvasImageSource; cols: number; rows: number; col0?: number; row0?: number; smooth?: boolean; alpha?: number; belowZoom?: number; fromZoom?: number }[];
  /** Names written over everything (districts), with a light halo so they read over any layer. */
  labels?: { x: number; y: number; text: string }[];
  /**
   * An area to bring into view (map metres), once per object: a grid that covers a few hundred
   * metres of a city-wide map would otherwise open as a speck.
   */
  frame?: { x0: number; y0: number; x1: number; y1: number };
}

const MIN_ZOOM = 1;
const MAX_ZOOM = 16;

@customElement('region-map')
export class RegionMap extends LitElement {
  static styles = css`
    :host { display: block; position: relative; background: #dfe3e8; border-radius: 4px; overflow: hidden; }
    canvas { display: block; width: 100%; height: 100%; cursor: grab; touch-action: none; }
    canvas:focus-visible { outline: 3px solid #2e86c1; outline-offset: -3px; }
    .scale { position: absolute; left: 10px; bottom: 10px; font-size: 12px; background: rgba(255,255,255,.85); padding: 2px 6px; border-radius: 3px; }
    .scale span { display: inline-block; height: 4px; background: #1d2430; vertical-align: middle; margin-right: 6px; }
  `;

  @property({ attribute: false }) baseMap?: BaseMap;
  @property({ attribute: false }) overlay?: MapOverlay;
  /** Id of the point to ring as selected. */
  @property() selected?: string;
  @property() label = 'map';
  /** How what the keyboard reaches is named (the app names it in the UI's language), by id and kind. */
  @property({ attribute: false }) pointName: (id: string, kind: string) => string = (id) => id;
  /**
   * What the keyboard has reached (`]` next, `[` previous): the districts under a warning, the
   * barriers on the map, then the points, the most urgent first; Enter opens it.
   */
  private keyboardPoint?: string;
  private keyboardKind = 'item';

  @query('canvas') private canvas!: HTMLCanvasElement;

  /** Map pixels per screen pixel at zoom 1 is "fit"; zoom multiplies it. Centre in map cells. */
  private zoom = 1;
  private centre = { col: 0, row: 0 };
  private image?: ImageBitmap;
  private framed?: MapOverlay['frame'];
  private drag?: { x: number; y: number; col: number; row: number };
  private resizeObserver = new ResizeObserver(() => this.draw());

  /** True once the base map is drawn: read by tests. */
  get drawn(): boolean {
    return this.image !== undefined;
  }

  render() {
    return html`<canvas tabindex="0" role="img" aria-label=${this.keyboardPoint ? `${this.label}: ${this.pointName(this.keyboardPoint, this.keyboardKind)}` : this.label}
      aria-keyshortcuts="] [ Enter"
      @wheel=${this.onWheel} @pointerdown=${this.onPointerDown} @pointermove=${this.onPointerMove}
      @pointerup=${this.onPointerUp} @keydown=${this.onKey} @click=${this.onClick}></canvas>
      <div class="scale">${this.scaleBar()}</div>`;
  }

  connectedCallback(): void {
    super.connectedCallback();
    this.resizeObserver.observe(this);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver.disconnect();
  }

  protected async updated(changed: PropertyValues<this>): Promise<void> {
    const frame = this.overlay?.frame;
    if (frame && frame !== this.framed && this.baseMap && !changed.has('baseMap')) {
      this.framed = frame;
      const b = this.baseMap;
      this.centre = { col: ((frame.x0 + frame.x1) / 2 - b.xllcorner) / b.cellsize, row: b.height - ((frame.y0 + frame.y1) / 2 - b.yllcorner) / b.cellsize };
      const fit = Math.min(b.width / ((frame.x1 - frame.x0) / b.cellsize), b.height / ((frame.y1 - frame.y0) / b.cellsize));
      this.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, fit * 0.7));
    }
    if ((changed.has('overlay') || changed.has('selected')) && !changed.has('baseMap')) this.draw();
    if (changed.has('baseMap') && this.baseMap) {
      const { width, height, rgba } = this.baseMap;
      this.image = await createImageBitmap(new ImageData(new Uint8ClampedArray(rgba), width, height));
      this.centre = { col: width / 2, row: height / 2 };
      this.zoom = 1;
      this.draw();
      this.requestUpdate();
    }
  }

  /** Screen pixels per map cell at the current zoom. */
  private scale(): number {
    if (!this.baseMap) return 1;
    const fit = Math.min(this.clientWidth / this.baseMap.width, this.clientHeight / this.baseMap.height);
    return fit * this.zoom;
  }

  private scaleBar() {
    if (!this.baseMap) return '';
    const metresPerPixel = this.baseMap.cellsize / this.scale();
    const target = metresPerPixel * 120;
    const nice = [100, 200, 500, 1000, 2000, 5000, 10000].find((m) => m >= target * 0.5) ?? 10000;
    return html`<span style="width:${nice / metresPerPixel}px"></span>${nice >= 1000 ? `${nice / 1000} km` : `${nice} m`}`;
  }

  private draw(): void {
    const canvas = this.canvas;
    if (!canvas || !this.image || !this.baseMap) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(this.clientWidth * ratio);
    canvas.height = Math.round(this.clientHeight * ratio);
    const context = canvas.getContext('2d')!;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.fillStyle = '#dfe3e8';
    context.fillRect(0, 0, this.clientWidth, this.clientHeight);
    const s = this.scale();
    context.imageSmoothingEnabled = this.zoom < 4;
    context.drawImage(this.image, this.clientWidth / 2 - this.centre.col * s, this.clientHeight / 2 - this.centre.row * s, this.baseMap.width * s, this.baseMap.height * s);
    for (const raster of this.overlay?.rasters ?? []) {
      if (this.zoom < (raster.fromZoom ?? 0) || this.zoom >= (raster.belowZoom ?? Infinity)) continue;
      context.imageSmoothingEnabled = raster.smooth ?? false;
      context.globalAlpha = raster.alpha ?? 1;
      context.drawImage(raster.image, this.clientWidth / 2 - (this.centre.col - (raster.col0 ?? 0)) * s, this.clientHeight / 2 - (this.centre.row - (raster.row0 ?? 0)) * s, raster.cols * s, raster.rows * s);
    }
    context.globalAlpha = 1;
    if (this.overlay) this.drawOverlay(context, this.overlay);
  }

  /** Where a point in map metres shows on the map now (px from its top left), once the base map is there. */
  screenPosition(x: number, y: number): [number, number] | undefined {
    return this.baseMap ? this.toScreen(x, y) : undefined;
  }

  /** Screen position of a point in map metres. */
  private toScreen(x: number, y: number): [number, number] {
    const map = this.baseMap!;
    const s = this.scale();
    const col = (x - map.xllcorner) / map.cellsize;
    const row = map.height - (y - map.yllcorner) / map.cellsize;
    return [this.clientWidth / 2 + (col - this.centre.col) * s, this.clientHeight / 2 + (row - this.centre.row) * s];
  }

  private drawOverlay(context: CanvasRenderingContext2D, overlay: MapOverlay): void {
    for (const area of overlay.areas) {
      context.beginPath();
      area.ring.forEach(([x, y], k) => { const [px, py] = this.toScreen(x, y); if (k) context.lineTo(px, py); else context.moveTo(px, py); });
      context.closePath();
      context.fillStyle = area.fill;
      context.fill();
      context.strokeStyle = area.stroke;
      context.lineWidth = 1;
      context.stroke();
    }
    context.lineCap = 'round';
    context.lineJoin = 'round';
    for (const line of overlay.lines) {
      context.beginPath();
      line.path.forEach(([x, y], k) => { const [px, py] = this.toScreen(x, y); if (k) context.lineTo(px, py); else context.moveTo(px, py); });
      context.strokeStyle = line.colour;
      context.lineWidth = line.width;
      context.stroke();
    }
    for (const point of overlay.points) {
      const [px, py] = this.toScreen(point.x, point.y);
      context.beginPath();
      context.arc(px, py, point.radius, 0, 2 * Math.PI);
      context.fillStyle = point.colour;
      context.fill();
      context.strokeStyle = point.id === this.selected ? '#000' : 'rgba(255,255,255,0.9)';
      context.lineWidth = point.id === this.selected ? 3 : 1.2;
      context.stroke();
      if (point.id === this.keyboardPoint) {
        context.beginPath();
        context.arc(px, py, point.radius + 5, 0, 2 * Math.PI);
        context.strokeStyle = '#2e86c1';
        context.lineWidth = 3;
        context.stroke();
      }
    }
    context.font = '600 13px system-ui, "Noto Sans CJK SC", sans-serif';
    context.textAlign = 'center';
    context.textBaseline = 'middle';
    context.lineWidth = 3.5;
    context.strokeStyle = 'rgba(255,255,255,0.85)';
    context.fillStyle = '#1d2430';
    for (const label of overlay.labels ?? []) {
      const [px, py] = this.toScreen(label.x, label.y);
      context.strokeText(label.text, px, py);
      context.fillText(label.text, px, py);
    }
  }

  /** The overlay point under a screen position, if any (for clicks). */
  private pointAt(screenX: number, screenY: number): string | undefined {
    if (!this.overlay || !this.baseMap) return undefined;
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const point of this.overlay.points) {
      const [px, py] = this.toScreen(point.x, point.y);
      const d = Math.hypot(px - screenX, py - screenY);
      if (d <= point.radius + 4 && d < bestDistance) { best = point.id; bestDistance = d; }
    }
    return best;
  }

  /** The clickable line within a few pixels of a screen position, if any. */
  private lineAt(screenX: number, screenY: number): MapOverlay['lines'][number] | undefined {
    let best: MapOverlay['lines'][number] | undefined;
    let bestDistance = Infinity;
    for (const line of this.overlay?.lines ?? []) {
      if (!line.id) continue;
      const tolerance = line.width / 2 + 4;
      for (let k = 1; k < line.path.length; k++) {
        const [ax, ay] = this.toScreen(...line.path[k - 1]);
        const [bx, by] = this.toScreen(...line.path[k]);
        const dx = bx - ax; const dy = by - ay;
        const f = dx === 0 && dy === 0 ? 0 : Math.max(0, Math.min(1, ((screenX - ax) * dx + (screenY - ay) * dy) / (dx * dx + dy * dy)));
        const d = Math.hypot(ax + f * dx - screenX, ay + f * dy - screenY);
        if (d <= tolerance && d < bestDistance) { best = line; bestDistance = d; }
      }
    }
    return best;
  }

  private zoomBy(factor: number, atX = this.clientWidth / 2, atY = this.clientHeight / 2): void {
    const before = this.scale();
    const next = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, this.zoom * factor));
    // Keep the map point under the cursor where it is.
    const col = this.centre.col + (atX - this.clientWidth / 2) / before;
    const row = this.centre.row + (atY - this.clientHeight / 2) / before;
    this.zoom = next;
    const after = this.scale();
    this.centre = { col: col - (atX - this.clientWidth / 2) / after, row: row - (atY - this.clientHeight / 2) / after };
    this.clampCentre();
    this.draw();
    this.requestUpdate();
  }

  private clampCentre(): void {
    if (!this.baseMap) return;
    this.centre.col = Math.max(0, Math.min(this.baseMap.width, this.centre.col));
    this.centre.row = Math.max(0, Math.min(this.baseMap.height, this.centre.row));
  }

  private onWheel(event: WheelEvent): void {
    event.preventDefault();
    const box = this.canvas.getBoundingClientRect();
    this.zoomBy(event.deltaY < 0 ? 1.25 : 0.8, event.clientX - box.left, event.clientY - box.top);
  }

  private onPointerDown(event: PointerEvent): void {
    this.canvas.setPointerCapture(event.pointerId);
    this.drag = { x: event.clientX, y: event.clientY, col: this.centre.col, row: this.centre.row };
  }

  private onClick(event: MouseEvent): void {
    const box = this.canvas.getBoundingClientRect();
    const [sx, sy] = [event.clientX - box.left, event.clientY - box.top];
    const id = this.pointAt(sx, sy);
    const line = id ? undefined : this.lineAt(sx, sy);
    if (id) this.dispatchEvent(new CustomEvent('feature-select', { detail: { id, kind: 'item' }, bubbles: true, composed: true }));
    else if (line) this.dispatchEvent(new CustomEvent('feature-select', { detail: { id: line.id, kind: line.kind ?? 'reach' }, bubbles: true, composed: true }));
    else if (this.baseMap) {
      // Anywhere else: the place in map metres, for what lies there (a district, a burned cell).
      const s = this.scale();
      const col = this.centre.col + (sx - this.clientWidth / 2) / s;
      const row = this.centre.row + (sy - this.clientHeight / 2) / s;
      const detail = { x: this.baseMap.xllcorner + col * this.baseMap.cellsize, y: this.baseMap.yllcorner + (this.baseMap.height - row) * this.baseMap.cellsize };
      this.dispatchEvent(new CustomEvent('map-click', { detail, bubbles: true, composed: true }));
    }
  }

  private onPointerMove(event: PointerEvent): void {
    if (!this.drag) { this.hoverAt(event); return; }
    const s = this.scale();
    this.centre = { col: this.drag.col - (event.clientX - this.drag.x) / s, row: this.drag.row - (event.clientY - this.drag.y) / s };
    this.clampCentre();
    this.draw();
  }

  /** Where the pointer rests, in map metres, and the point under it: for readouts of values there. */
  private hoverAt(event: PointerEvent): void {
    if (!this.baseMap) return;
    const box = this.canvas.getBoundingClientRect();
    const [sx, sy] = [event.clientX - box.left, event.clientY - box.top];
    const s = this.scale();
    const col = this.centre.col + (sx - this.clientWidth / 2) / s;
    const row = this.centre.row + (sy - this.clientHeight / 2) / s;
    const detail = { x: this.baseMap.xllcorner + col * this.baseMap.cellsize, y: this.baseMap.yllcorner + (this.baseMap.height - row) * this.baseMap.cellsize, id: this.pointAt(sx, sy) };
    this.dispatchEvent(new CustomEvent('map-hover', { detail, bubbles: true, composed: true }));
  }

  private onPointerUp(): void {
    this.drag = undefined;
  }

  /** Moves the keyboard along the points, the largest (most urgent) first, and brings it into view. */
  private stepPoint(by: 1 | -1): void {
    const areas = (this.overlay?.areas ?? []).filter((a) => a.id && a.ring.length).map((a) => ({
      id: a.id!, kind: 'district', x: a.ring.reduce((sum, [x]) => sum + x, 0) / a.ring.length, y: a.ring.reduce((sum, [, y]) => sum + y, 0) / a.ring.length,
    }));
    const barriers = (this.overlay?.lines ?? []).filter((l) => l.kind === 'barrier' && l.id && l.path.length).map((l) => ({
      id: l.id!, kind: 'barrier', x: (l.path[0][0] + l.path.at(-1)![0]) / 2, y: (l.path[0][1] + l.path.at(-1)![1]) / 2,
    }));
    const items = [...(this.overlay?.points ?? [])].sort((a, b) => b.radius - a.radius || a.id.localeCompare(b.id)).map((p) => ({ ...p, kind: 'item' }));
    const points = [...areas, ...barriers, ...items];
    if (!points.length || !this.baseMap) return;
    const at = points.findIndex((p) => p.id === this.keyboardPoint);
    const next = points[at < 0 ? (by > 0 ? 0 : points.length - 1) : (at + by + points.length) % points.length];
    this.keyboardPoint = next.id;
    this.keyboardKind = next.kind;
    const [px, py] = this.toScreen(next.x, next.y);
    if (px < 20 || py < 20 || px > this.clientWidth - 20 || py > this.clientHeight - 20) {
      this.centre = { col: (next.x - this.baseMap.xllcorner) / this.baseMap.cellsize, row: this.baseMap.height - (next.y - this.baseMap.yllcorner) / this.baseMap.cellsize };
    }
    this.requestUpdate();
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key === ']' || event.key === '[') {
      event.preventDefault();
      this.stepPoint(event.key === ']' ? 1 : -1);
      this.draw();
      return;
    }
    if (event.key === 'Enter' && this.keyboardPoint) {
      event.preventDefault();
      this.dispatchEvent(new CustomEvent('feature-select', { detail: { id: this.keyboardPoint, kind: this.keyboardKind }, bubbles: true, composed: true }));
      return;
    }
    const panCells = 60 / this.scale();
    const moves: Record<string, () => void> = {
      '+': () => this.zoomBy(1.25), '=': () => this.zoomBy(1.25), '-': () => this.zoomBy(0.8),
      ArrowLeft: () => { this.centre.col -= panCells; }, ArrowRight: () => { this.centre.col += panCells; },
      ArrowUp: () => { this.centre.row -= panCells; }, ArrowDown: () => { this.centre.row += panCells; },
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    move();
    this.clampCentre();
    this.draw();
  }
}

declare global {
  interface HTMLElementTagNameMap { 'region-map': RegionMap }
}
