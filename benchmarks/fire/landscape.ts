// A synthetic landscape for the spread benchmark: three fuels in patches, rolling terrain, hourly
// wind that veers and gusts, one ignition in the middle, and long enough to burn every cell.
import { parseSpreadCase } from '../../models/fire/spread-case.ts';
import type { PackedSpread } from '../../models/fire/packed.ts';
import type { Grid } from '../../models/grid/ascii.ts';
import type { Kernels } from '../../models/wasm.ts';

export const CELLSIZE_M = 30;

export function syntheticLandscape(kernels: Kernels, n: number, stencilRadius?: number): PackedSpread {
  const fuel = new Float64Array(n * n);
  const dem = new Float64Array(n * n);
  const codes = [102, 122, 165];
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const patch = Math.floor(r / 64) * 7 + Math.floor(c / 64) * 13;
      fuel[r * n + c] = codes[patch % 3];
      dem[r * n + c] = 800 + 150 * Math.sin((2 * Math.PI * r) / 700) * Math.cos((2 * Math.PI * c) / 900);
    }
  }
  const grid = (values: Float64Array): Grid => ({ ncols: n, nrows: n, xllcorner: 0, yllcorner: 0, cellsize: CELLSIZE_M, nodata: -9999, values });
  const hours = 24 * 30;
  const input = {
    grid: { ncols: n, nrows: n, cellsize_m: CELLSIZE_M },
    fuel_model: 'fuel.asc', elevation_m: 'dem.asc',
    moisture_percent: { d1h: 4, d10h: 5, d100h: 7, live_herb: 40, live_woody: 80 },
    wind: { series: Array.from({ length: hours }, (_, h) => ({ t_s: h * 3600, midflame_m_per_s: 2 + 2 * Math.sin(h / 5) ** 2, from_deg: (200 + 37 * h) % 360 })) },
    ignitions: [{ x_m: (n / 2 + 0.5) * CELLSIZE_M, y_m: (n / 2 + 0.5) * CELLSIZE_M }],
    duration_s: hours * 3600,
    ...(stencilRadius ? { stencil_radius: stencilRadius } : {}),
  };
  return parseSpreadCase(kernels, input, new Map([['fuel.asc', grid(fuel)], ['dem.asc', grid(dem)]])).packed;
}

export function landscapeToBytes(p: PackedSpread): Uint8Array {
  const s = p.stencil;
  const parts: ArrayBufferView[] = [
    new Int32Array([p.nrows, p.ncols, p.beds.length / 8, p.windT.length, s.n, s.crossDr.length, p.ignitionCell.length, p.windLimit ? 1 : 0]),
    new Float64Array([p.duration]),
    p.bedIndex, p.beds, p.slopeX, p.slopeY, p.windT, p.windMidflameMPerS, p.windX, p.windY,
    s.dr, s.dc, s.dist, s.ux, s.uy, s.crossStart, s.crossDr, s.crossDc, p.ignitionCell, p.ignitionT,
  ];
  const bytes = new Uint8Array(parts.reduce((sum, v) => sum + v.byteLength, 0));
  let offset = 0;
  for (const v of parts) {
    bytes.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), offset);
    offset += v.byteLength;
  }
  return bytes;
}
