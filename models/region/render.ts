// The base map: land cover coloured, shaded by the terrain (light from the north-west, 45° up, as
// topographic maps are lit). RGBA bytes, row 0 north, ready to hand to a canvas.
import type { Grid } from '../grid/ascii.ts';
import { slopeAspect } from '../grid/terrain.ts';

/** Land-cover colours, indexed by the codes of the demo region (scenarios/mountain-city). */
export const LANDCOVER_COLOURS: Record<number, [number, number, number]> = {
  1: [74, 128, 196], // river
  2: [62, 112, 184], // reservoir
  3: [196, 184, 176], // urban
  4: [226, 214, 150], // farmland
  5: [176, 202, 128], // grass and shrub
  6: [92, 140, 86], // forest
};
const UNKNOWN: [number, number, number] = [200, 200, 200];

export function hillshade(dem: Grid, azimuthDeg = 315, altitudeDeg = 45): Float32Array {
  const { slopeDeg, aspectDeg } = slopeAspect(dem);
  const zenith = ((90 - altitudeDeg) * Math.PI) / 180;
  const azimuth = (azimuthDeg * Math.PI) / 180;
  const shade = new Float32Array(dem.values.length);
  for (let i = 0; i < shade.length; i++) {
    const slope = (slopeDeg[i] * Math.PI) / 180;
    const facing = Number.isNaN(aspectDeg[i]) ? 0 : (aspectDeg[i] * Math.PI) / 180;
    const lit = Math.cos(zenith) * Math.cos(slope) + Math.sin(zenith) * Math.sin(slope) * Math.cos(azimuth - facing);
    shade[i] = Number.isNaN(lit) ? 1 : Math.max(0, lit);
  }
  return shade;
}

/** RGBA pixels of land cover under hillshade; water is drawn flat so rivers stay legible. */
export function renderBaseMap(dem: Grid, landcover: Grid): Uint8ClampedArray {
  const shade = hillshade(dem);
  const flat = Math.cos(((90 - 45) * Math.PI) / 180);
  const rgba = new Uint8ClampedArray(dem.values.length * 4);
  for (let i = 0; i < shade.length; i++) {
    const code = landcover.values[i];
    const colour = LANDCOVER_COLOURS[code] ?? UNKNOWN;
    // Relative to flat ground, so flat land keeps its true colour and slopes darken or lighten.
    const light = code === 1 || code === 2 ? 1 : 0.55 + 0.45 * (shade[i] / flat);
    rgba[4 * i] = colour[0] * light;
    rgba[4 * i + 1] = colour[1] * light;
    rgba[4 * i + 2] = colour[2] * light;
    rgba[4 * i + 3] = Number.isNaN(dem.values[i]) ? 0 : 255;
  }
  return rgba;
}
