// The synthetic "mountain city" region: two rivers meeting below a peninsula city, NNE–SSW ridges
// (the ridge-and-valley country of the reference city), a reservoir on a side valley. Synthetic but
// physically plausible, and a pure function of the seed.
import { dmath } from '../../models/dmath.ts';
import { seededRandom } from '../../models/random.ts';

export const REGION = {
  ncols: 1024,
  nrows: 1024,
  cellsizeM: 20,
  /** UTM zone 48N (EPSG:32648) corner, so the region sits where the reference city does. */
  xllcorner: 640000,
  yllcorner: 3262000,
  seed: 20260723,
} as const;

export interface Point { x: number; y: number }

/** Smooth value noise: hashes integer lattice points, blends with a quintic fade. */
export function valueNoise(seed: number): (x: number, y: number) => number {
  const random = seededRandom(seed);
  const size = 256;
  const table = Float64Array.from({ length: size * size }, () => random() * 2 - 1);
  const fade = (t: number) => t * t * t * (t * (t * 6 - 15) + 10);
  return (x, y) => {
    const xi = Math.floor(x); const yi = Math.floor(y);
    const xf = x - xi; const yf = y - yi;
    const at = (i: number, j: number) => table[(((j % size) + size) % size) * size + (((i % size) + size) % size)];
    const u = fade(xf); const v = fade(yf);
    const top = at(xi, yi) * (1 - u) + at(xi + 1, yi) * u;
    const bottom = at(xi, yi + 1) * (1 - u) + at(xi + 1, yi + 1) * u;
    return top * (1 - v) + bottom * v;
  };
}

/** Fractal sum of `octaves` noise layers; about −1…1. */
export function fbm(seed: number, octaves: number): (x: number, y: number) => number {
  const layers = Array.from({ length: octaves }, (_, k) => valueNoise(seed + 101 * k));
  return (x, y) => {
    let sum = 0; let amplitude = 0.5; let frequency = 1;
    for (const layer of layers) {
      sum += amplitude * layer(x * frequency, y * frequency);
      amplitude *= 0.5;
      frequency *= 2;
    }
    return sum;
  };
}

/** Catmull-Rom through the control points, then resampled every `stepM` metres. */
export function smoothPath(controls: Point[], stepM: number): Point[] {
  const dense: Point[] = [];
  for (let i = 0; i < controls.length - 1; i++) {
    const p0 = controls[Math.max(0, i - 1)]; const p1 = controls[i];
    const p2 = controls[i + 1]; const p3 = controls[Math.min(controls.length - 1, i + 2)];
    for (let t = 0; t < 1; t += 0.02) {
      const t2 = t * t; const t3 = t2 * t;
      const blend = (a: number, b: number, c: number, d: number) =>
        0.5 * (2 * b + (-a + c) * t + (2 * a - 5 * b + 4 * c - d) * t2 + (-a + 3 * b - 3 * c + d) * t3);
      dense.push({ x: blend(p0.x, p1.x, p2.x, p3.x), y: blend(p0.y, p1.y, p2.y, p3.y) });
    }
  }
  dense.push(controls[controls.length - 1]);
  const out: Point[] = [dense[0]];
  let carried = 0;
  for (let i = 1; i < dense.length; i++) {
    const a = dense[i - 1]; const b = dense[i];
    let segment = Math.hypot(b.x - a.x, b.y - a.y);
    let from = a;
    while (carried + segment >= stepM) {
      const take = stepM - carried;
      const f = take / segment;
      const p = { x: from.x + (b.x - from.x) * f, y: from.y + (b.y - from.y) * f };
      out.push(p);
      segment -= take;
      from = p;
      carried = 0;
    }
    carried += segment;
  }
  return out;
}

export interface RiverDesign {
  id: string;
  name: string;
  nameZh: string;
  /** Control points in km from the region's south-west corner. */
  controlsKm: [number, number][];
  bedTopM: number;
  bedBottomM: number;
  channelHalfWidthM: number;
  valleyHalfWidthM: number;
  /** Catchment upstream of where the river enters the region. */
  upstreamAreaKm2: number;
}

// The main river enters from the west-south-west and leaves to the east; the tributary comes from
// the north and joins it at the peninsula, as the reference city's two rivers do.
export const RIVERS: RiverDesign[] = [
  {
    id: 'main', name: 'Great River', nameZh: '大江',
    controlsKm: [[0, 5.2], [2.5, 4.6], [4.8, 5.6], [6.6, 4.9], [8.4, 6.9], [10.3, 8.1], [12.3, 9.4], [13.6, 10.9], [15.6, 11.3], [17.6, 12.8], [20.48, 13.4]],
    bedTopM: 168, bedBottomM: 158, channelHalfWidthM: 230, valleyHalfWidthM: 900, upstreamAreaKm2: 690000,
  },
  {
    id: 'tributary', name: 'Jade River', nameZh: '玉江',
    controlsKm: [[4.6, 20.48], [5.6, 18.6], [7.4, 17.9], [7.0, 15.8], [8.9, 14.6], [9.4, 12.9], [11.2, 12.3], [12.3, 11.2], [13.3, 10.6]],
    bedTopM: 178, bedBottomM: 161, channelHalfWidthM: 140, valleyHalfWidthM: 650, upstreamAreaKm2: 156000,
  },
  {
    // A creek from the southern hills, dammed into a reservoir before it reaches the main river.
    id: 'creek', name: 'Clear Creek', nameZh: '清溪',
    controlsKm: [[13.0, 0], [13.5, 1.6], [13.1, 3.2], [13.4, 4.7], [12.8, 6.4], [11.9, 7.9], [11.4, 8.7]],
    bedTopM: 275, bedBottomM: 163, channelHalfWidthM: 12, valleyHalfWidthM: 700, upstreamAreaKm2: 0,
  },
];

/**
 * The reservoir on Clear Creek: water stands at `levelM` in the creek valley upstream of the dam,
 * whose crest runs across the valley at `damKm`.
 */
export const RESERVOIR = {
  id: 'clear-creek-dam', name: 'Clear Creek Reservoir', nameZh: '清溪水库',
  damKm: [13.35, 4.75] as [number, number], damHalfLengthM: 420, damThicknessM: 50,
  levelM: 246, damCrestM: 252, creekBedAtDamM: 224,
};

/** NNE–SSW ridges, as in the ridge-and-valley country of the reference city. */
export const RIDGES = [
  { axisKm: [[1.2, 0], [5.6, 20.48]] as [number, number][], heightM: 560, halfWidthM: 1500 },
  { axisKm: [[15.2, 0], [19.8, 20.48]] as [number, number][], heightM: 470, halfWidthM: 1300 },
  { axisKm: [[9.2, 0], [10.6, 4.5]] as [number, number][], heightM: 260, halfWidthM: 900 },
];

export const CITY_CENTRE_KM: [number, number] = [12.2, 10.3];

function distanceToSegment(p: Point, a: Point, b: Point): { distance: number; t: number } {
  const dx = b.x - a.x; const dy = b.y - a.y;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared));
  return { distance: Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy)), t };
}

/** Bed level at a fraction of the river's length: linear, except the creek, which is gentle above
 * the dam (so the reservoir has a basin) and falls steeply below it. */
function bedProfile(river: RiverDesign, fraction: number): number {
  if (river.id !== 'creek') return river.bedTopM + (river.bedBottomM - river.bedTopM) * fraction;
  const damFraction = 0.5;
  if (fraction <= damFraction) return river.bedTopM + (RESERVOIR.creekBedAtDamM - river.bedTopM) * (fraction / damFraction);
  return RESERVOIR.creekBedAtDamM + (river.bedBottomM - RESERVOIR.creekBedAtDamM) * ((fraction - damFraction) / (1 - damFraction));
}

export interface RiverRaster {
  /** Distance from each cell centre to the river's centre line, m. */
  distanceM: Float64Array;
  /** Bed elevation at the nearest point of the centre line, m. */
  bedM: Float64Array;
  path: Point[];
}

/** Distance to a river and the bed level there, for every cell within reach of its valley. */
export function rasterRiver(river: RiverDesign, ncols: number, nrows: number, cellsize: number): RiverRaster {
  // 100 m chords: on bends of ≥ 1 km radius the chord strays < 1.3 m from the curve.
  const path = smoothPath(river.controlsKm.map(([x, y]) => ({ x: x * 1000, y: y * 1000 })), 100);
  const along = [0];
  for (let k = 1; k < path.length; k++) along.push(along[k - 1] + Math.hypot(path[k].x - path[k - 1].x, path[k].y - path[k - 1].y));
  const total = along[along.length - 1];
  const distanceM = new Float64Array(ncols * nrows).fill(Infinity);
  const bedM = new Float64Array(ncols * nrows).fill(NaN);
  const reach = river.valleyHalfWidthM * 1.5;
  for (let k = 1; k < path.length; k++) {
    const a = path[k - 1]; const b = path[k];
    const c0 = Math.max(0, Math.floor((Math.min(a.x, b.x) - reach) / cellsize));
    const c1 = Math.min(ncols - 1, Math.ceil((Math.max(a.x, b.x) + reach) / cellsize));
    const r0 = Math.max(0, Math.floor(nrows - (Math.max(a.y, b.y) + reach) / cellsize));
    const r1 = Math.min(nrows - 1, Math.ceil(nrows - (Math.min(a.y, b.y) - reach) / cellsize));
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const p = { x: (c + 0.5) * cellsize, y: (nrows - r - 0.5) * cellsize };
        const { distance, t } = distanceToSegment(p, a, b);
        const i = r * ncols + c;
        if (distance < distanceM[i]) {
          distanceM[i] = distance;
          const s = along[k - 1] + t * (along[k] - along[k - 1]);
          bedM[i] = bedProfile(river, s / total);
        }
      }
    }
  }
  return { distanceM, bedM, path };
}

const smoothstep = (t: number) => (t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t));

/** Distance from the dam's axis (a line across the creek valley) and which side of it a point is. */
function damFrame(xM: number, yM: number): { across: number; along: number } {
  const [dx, dy] = RESERVOIR.damKm;
  // The dam runs east–west; upstream (the lake) is to the south.
  return { across: yM - dy * 1000, along: Math.abs(xM - dx * 1000) };
}

export interface Terrain {
  elevationM: Float64Array;
  /** 1 where a river channel runs (open water). */
  riverMask: Uint8Array;
  reservoirMask: Uint8Array;
  rivers: RiverRaster[];
}

export function buildTerrain(): Terrain {
  const { ncols, nrows, cellsizeM, seed } = REGION;
  const hills = fbm(seed, 5);
  const detail = fbm(seed + 7, 3);
  const undulate = valueNoise(seed + 13);
  const creek = RIVERS.findIndex((r) => r.id === 'creek');
  const rivers = RIVERS.map((r) => rasterRiver(r, ncols, nrows, cellsizeM));
  const elevationM = new Float64Array(ncols * nrows);
  const riverMask = new Uint8Array(ncols * nrows);
  const reservoirMask = new Uint8Array(ncols * nrows);
  for (let r = 0; r < nrows; r++) {
    for (let c = 0; c < ncols; c++) {
      const i = r * ncols + c;
      const x = (c + 0.5) * cellsizeM; const y = (nrows - r - 0.5) * cellsizeM;
      // Upland surface: rolling hills on a plateau, plus the ridges.
      let z = 300 + 90 * hills(x / 2600, y / 2600) + 12 * detail(x / 300, y / 300);
      for (const ridge of RIDGES) {
        const [[ax, ay], [bx, by]] = ridge.axisKm;
        const { distance } = distanceToSegment({ x, y }, { x: ax * 1000, y: ay * 1000 }, { x: bx * 1000, y: by * 1000 });
        const undulation = 1 + 0.25 * undulate(x / 1500, y / 1500);
        const across = distance / ridge.halfWidthM;
        z += ridge.heightM * undulation * dmath.exp(-(across * across));
      }
      // Valleys: the surface falls to the river's bed across the valley, flat inside the channel.
      rivers.forEach((river, k) => {
        const design = RIVERS[k];
        const d = river.distanceM[i];
        if (!Number.isFinite(d)) return;
        const bank = smoothstep((d - design.channelHalfWidthM) / (design.valleyHalfWidthM - design.channelHalfWidthM));
        const floor = river.bedM[i] + (d <= design.channelHalfWidthM ? 0 : 6 + 4 * bank);
        z = Math.min(z, floor + (z - floor) * bank);
        if (d <= design.channelHalfWidthM) riverMask[i] = 1;
      });
      // The dam closes the creek valley; upstream of it the valley holds the lake.
      const dam = damFrame(x, y);
      const inCreekValley = rivers[creek].distanceM[i] < RIVERS[creek].valleyHalfWidthM;
      if (inCreekValley && Math.abs(dam.across) <= RESERVOIR.damThicknessM / 2 && dam.along <= RESERVOIR.damHalfLengthM) {
        z = Math.max(z, RESERVOIR.damCrestM);
        riverMask[i] = 0;
      } else if (inCreekValley && dam.across < 0 && z < RESERVOIR.levelM) {
        z = RESERVOIR.levelM;
        reservoirMask[i] = 1;
        riverMask[i] = 0;
      }
      elevationM[i] = z;
    }
  }
  return { elevationM, riverMask, reservoirMask, rivers };
}
