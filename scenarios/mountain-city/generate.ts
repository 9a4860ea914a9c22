// Generates the mountain-city demo region into scenarios/mountain-city/region/ (not committed:
// `npm install` and `npm start` run this, and the same seed always gives the same files).
//
//   dem.asc          elevation, m
//   landcover.asc    1 river, 2 reservoir, 3 urban, 4 farmland, 5 grass/shrub, 6 forest
//   fuel.asc         fire behaviour fuel model numbers (Anderson / Scott & Burgan)
//   population.asc   residents per cell
//   buildings.asc    buildings per cell (from residents and how dense the settlement is)
//   districts.asc    district index (see region.json)
//   basins.asc       index of the river reach whose sub-basin each cell drains to (see region.json)
//   hand.asc         height above the nearest stream cell along the flow path, m (for flood depth;
//                    NODATA inside filled depressions)
//   region.json      districts, rivers, reservoir, the river network and sub-basins, checksums
//   risk-items.json  the risk-list items: category, district, location, sub-basin, static level inputs
//   radar/rain-hNN.asc  24 hourly radar-style rain grids (1 km, mm/h) for storm-radar-24h.json
import { dmath } from '../../models/dmath.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatAsciiGrid, type Grid } from '../../models/grid/ascii.ts';
import { heightAboveDrainage, slopeAspect } from '../../models/region/terrain.ts';
import { extractRiverNetwork } from '../../models/region/network.ts';
import { seededRandom } from '../../models/random.ts';
import { placeRiskItems } from './risk-items.ts';
import { buildTerrain, CITY_CENTRE_KM, fbm, REGION, RESERVOIR, RIVERS } from './terrain.ts';

export const GENERATOR_VERSION = 7;
const OUT_DIR = fileURLToPath(new URL('./region/', import.meta.url));

export const LANDCOVER = { river: 1, reservoir: 2, urban: 3, farmland: 4, grassShrub: 5, forest: 6 } as const;

export const DISTRICTS = [
  { id: 'yuzhong', name: 'Yuzhong', nameZh: '渝中', centreKm: [12.3, 10.3] },
  { id: 'jiangbei', name: 'Jiangbei', nameZh: '江北', centreKm: [13.0, 12.8] },
  { id: 'nanan', name: "Nan'an", nameZh: '南岸', centreKm: [14.2, 8.4] },
  { id: 'shapingba', name: 'Shapingba', nameZh: '沙坪坝', centreKm: [8.8, 12.2] },
  { id: 'jiulongpo', name: 'Jiulongpo', nameZh: '九龙坡', centreKm: [9.2, 8.3] },
  { id: 'dadukou', name: 'Dadukou', nameZh: '大渡口', centreKm: [6.2, 5.8] },
  { id: 'yubei', name: 'Yubei', nameZh: '渝北', centreKm: [15.8, 15.6] },
  { id: 'banan', name: 'Banan', nameZh: '巴南', centreKm: [13.2, 3.0] },
  { id: 'beibei', name: 'Beibei', nameZh: '北碚', centreKm: [6.4, 18.2] },
] as const;

/** Towns beyond the centre: (x km, y km, radius km, peak density per km²). */
const SETTLEMENTS: [number, number, number, number][] = [
  [CITY_CENTRE_KM[0], CITY_CENTRE_KM[1], 4.2, 28000],
  [6.4, 18.2, 1.4, 9000],
  [16.2, 15.4, 1.8, 8000],
  [9.0, 7.6, 1.6, 12000],
];

function sha256(data: string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function generateRegion() {
  const { ncols, nrows, cellsizeM, xllcorner, yllcorner, seed } = REGION;
  const terrain = buildTerrain();
  const grid = (values: Float64Array, nodata = -9999): Grid => ({ ncols, nrows, xllcorner, yllcorner, cellsize: cellsizeM, nodata, values });
  const dem = grid(terrain.elevationM);
  const { slopeDeg } = slopeAspect(dem);
  const patches = fbm(seed + 31, 4);
  const random = seededRandom(seed + 5);

  const n = ncols * nrows;
  const landcover = new Float64Array(n);
  const population = new Float64Array(n);
  const buildings = new Float64Array(n);
  const district = new Float64Array(n);
  const cellAreaKm2 = (cellsizeM * cellsizeM) / 1e6;
  for (let r = 0; r < nrows; r++) {
    for (let c = 0; c < ncols; c++) {
      const i = r * ncols + c;
      const xKm = ((c + 0.5) * cellsizeM) / 1000; const yKm = ((nrows - r - 0.5) * cellsizeM) / 1000;
      let nearest = 0; let best = Infinity;
      DISTRICTS.forEach((d, k) => {
        const dist = Math.hypot(xKm - d.centreKm[0], yKm - d.centreKm[1]);
        if (dist < best) { best = dist; nearest = k; }
      });
      district[i] = nearest;
      const z = terrain.elevationM[i];
      const slope = slopeDeg[i];
      const patch = patches(xKm / 1.2, yKm / 1.2);
      // Urban density falls off from each settlement; steep slopes and ridges stay wooded.
      let density = 0;
      for (const [sx, sy, radius, peak] of SETTLEMENTS) {
        const d = Math.hypot(xKm - sx, yKm - sy) / radius;
        density = Math.max(density, peak * dmath.exp(-d * d) * (1 + 0.35 * patch));
      }
      if (terrain.riverMask[i]) landcover[i] = LANDCOVER.river;
      else if (terrain.reservoirMask[i]) landcover[i] = LANDCOVER.reservoir;
      else if (density > 2500 && slope < 28 && z < 420) landcover[i] = LANDCOVER.urban;
      else if (slope > 22 || z > 480 || patch > 0.25) landcover[i] = LANDCOVER.forest;
      else if (slope < 10 && z < 360 && patch < 0) landcover[i] = LANDCOVER.farmland;
      else landcover[i] = LANDCOVER.grassShrub;
      const people = landcover[i] === LANDCOVER.urban ? density : landcover[i] <= LANDCOVER.reservoir ? 0 : 60;
      // Expected residents per cell: rural cells hold a few hundredths, so keep three decimals.
      population[i] = Math.round(people * cellAreaKm2 * (0.8 + 0.4 * random()) * 1000) / 1000;
      // Residents per building: towers in the dense centre, mid-rise blocks, village houses.
      const perBuilding = landcover[i] === LANDCOVER.urban ? (density > 15000 ? 240 : density > 6000 ? 90 : 24) : 3.5;
      buildings[i] = Math.round((population[i] / perBuilding) * 1000) / 1000;
    }
  }

  // Fuel models (Scott & Burgan numbers; 91 urban, 93 farmland, 98 open water are non-burnable):
  // forests are pine–cypress with shrub understory (TU5 165, TL8 188), shrub SH5 145, grass GR2 102.
  const fuel = new Float64Array(n);
  const mix = fbm(seed + 47, 3);
  for (let i = 0; i < n; i++) {
    const r = Math.floor(i / ncols); const c = i % ncols;
    const m = mix(c / 40, r / 40);
    switch (landcover[i]) {
      case LANDCOVER.river: case LANDCOVER.reservoir: fuel[i] = 98; break;
      case LANDCOVER.urban: fuel[i] = 91; break;
      case LANDCOVER.farmland: fuel[i] = m > 0.15 ? 102 : 93; break;
      case LANDCOVER.grassShrub: fuel[i] = m > 0.1 ? 145 : 102; break;
      default: fuel[i] = m > 0.2 ? 188 : m < -0.25 ? 145 : 165;
    }
  }

  const network = extractRiverNetwork(dem, 2.0);
  const basinOfCell = Float64Array.from(network.basinOfCell);
  // Cells inside filled depressions (noise pits of the synthetic terrain) get no HAND: a closed
  // hollow ponds from its own rain, and river overflow mapped over its filled lid would be a lake
  // that is not there.
  const hand = heightAboveDrainage(network.filledElevation, network.direction, ncols, network.isStream)
    .map((h, i) => (network.filledElevation[i] - terrain.elevationM[i] > 0.05 ? NaN : Math.round(h * 100) / 100));

  // Where each river enters the region, its upstream catchment joins the reach it first reaches.
  const entries = RIVERS.filter((r) => r.upstreamAreaKm2 > 0).map((river) => {
    const [xKm, yKm] = river.controlsKm[0];
    const col = Math.min(ncols - 1, Math.floor((xKm * 1000) / cellsizeM));
    const row = Math.min(nrows - 1, Math.max(0, nrows - 1 - Math.floor((yKm * 1000) / cellsizeM)));
    const reach = network.reaches[network.basinOfCell[row * ncols + col]];
    return { river: river.id, name: river.name, name_zh: river.nameZh, reach: reach?.id ?? null, upstream_area_km2: river.upstreamAreaKm2 };
  });

  const riskItems = placeRiskItems(
    { ncols, nrows, cellsize: cellsizeM, xllcorner, yllcorner, elevation: terrain.elevationM, slopeDeg, landcover,
      accumulationCells: network.accumulationCells, population, district, basin: basinOfCell },
    DISTRICTS.map((d) => d.id), DISTRICTS.map((d) => d.nameZh), network.reaches.map((r) => r.id), seed + 11,
  );

  const files = {
    'dem.asc': formatAsciiGrid(dem, 6),
    'landcover.asc': formatAsciiGrid(grid(landcover)),
    'fuel.asc': formatAsciiGrid(grid(fuel)),
    'population.asc': formatAsciiGrid(grid(population)),
    'buildings.asc': formatAsciiGrid(grid(buildings)),
    'districts.asc': formatAsciiGrid(grid(district)),
    'basins.asc': formatAsciiGrid(grid(basinOfCell, -1)),
    'hand.asc': formatAsciiGrid(grid(hand)),
    ...radarStorm(),
    'risk-items.json': JSON.stringify({ _about: 'Risk-list items of the synthetic demo region (generated).', items: riskItems }, null, 1) + '\n',
  };
  const region = {
    _about: 'Synthetic demo region in the spirit of a mountain city on two rivers; generated by scenarios/mountain-city/generate.ts. Not real terrain.',
    generator_version: GENERATOR_VERSION,
    seed,
    crs: 'EPSG:32648 (WGS 84 / UTM zone 48N)',
    grid: { ncols, nrows, xllcorner, yllcorner, cellsize_m: cellsizeM },
    landcover_codes: LANDCOVER,
    districts: DISTRICTS.map((d, index) => ({ index, id: d.id, name: d.name, name_zh: d.nameZh, centre_m: [xllcorner + d.centreKm[0] * 1000, yllcorner + d.centreKm[1] * 1000] })),
    rivers: RIVERS.map((r) => ({ id: r.id, name: r.name, name_zh: r.nameZh })),
    river_entries: entries,
    reservoir: {
      id: RESERVOIR.id, name: RESERVOIR.name, name_zh: RESERVOIR.nameZh, level_m: RESERVOIR.levelM, dam_crest_m: RESERVOIR.damCrestM,
      dam_m: [xllcorner + RESERVOIR.damKm[0] * 1000, yllcorner + RESERVOIR.damKm[1] * 1000],
      area_km2: Math.round(terrain.reservoirMask.reduce((a, b) => a + b, 0) * cellAreaKm2 * 100) / 100,
    },
    reaches: network.reaches.map((r, index) => ({
      index, id: r.id, downstream: r.downstream, length_m: Math.round(r.lengthM), slope: Number(r.slope.toPrecision(4)),
      drainage_area_km2: Number(r.drainageAreaKm2.toFixed(3)), local_area_km2: Number(r.localAreaKm2.toFixed(3)),
      strahler_order: r.strahlerOrder,
      path_m: r.cells.filter((_, k) => k % 5 === 0 || k === r.cells.length - 1).map((cell) => [
        xllcorner + ((cell % ncols) + 0.5) * cellsizeM, yllcorner + (nrows - Math.floor(cell / ncols) - 0.5) * cellsizeM,
      ]),
    })),
    checksums: Object.fromEntries(Object.entries(files).map(([name, text]) => [name, sha256(text)])),
  };
  return { files, region };
}

/**
 * Radar-style rain for storm-radar-24h.json: 24 hourly 1-km grids (mm/h). Widespread rain following
 * the peak day's areal profile at half strength, and a convective cell (σ 3 km, up to 90 mm/h)
 * that tracks from the south-west across the city centre to the north-east, peaking at hour 11 —
 * the storm an areal series cannot show: one district drowned while its neighbour stays dry.
 */
function radarStorm(): Record<string, string> {
  const areal = [20, 15, 10, 8, 6, 5, 8, 12, 20, 35, 52, 61, 48, 30, 18, 10, 6, 4, 3, 2, 2, 4, 6, 9];
  const cellKm = 1;
  const size = Math.ceil((REGION.ncols * REGION.cellsizeM) / 1000 / cellKm) + 1;
  const files: Record<string, string> = {};
  areal.forEach((base, hour) => {
    const centre = [2 + 1.6 * (hour - 5), 1 + 1.4 * (hour - 5)];
    const peak = 90 * dmath.exp(-(((hour - 11) / 2.5) ** 2));
    const values = new Float64Array(size * size);
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const xKm = (c + 0.5) * cellKm; const yKm = (size - r - 0.5) * cellKm;
        const d2 = (xKm - centre[0]) ** 2 + (yKm - centre[1]) ** 2;
        // Orographic lift: a little more rain on the north-west than the south-east.
        const widespread = 0.5 * base * (0.85 + 0.3 * (1 - xKm / (size * cellKm)) * (yKm / (size * cellKm)));
        values[r * size + c] = Math.round((widespread + peak * dmath.exp(-d2 / (2 * 3 * 3))) * 10) / 10;
      }
    }
    const grid: Grid = { ncols: size, nrows: size, xllcorner: REGION.xllcorner, yllcorner: REGION.yllcorner, cellsize: cellKm * 1000, nodata: -9999, values };
    files[`radar/rain-h${String(hour).padStart(2, '0')}.asc`] = formatAsciiGrid(grid);
  });
  return files;
}

/**
 * Writes the region unless it is already there for this generator version. Returns the folder.
 * Loads the kernels first: the generator's exp and log come from them (models/dmath.ts), so every
 * machine writes the same bytes.
 */
export async function ensureRegion(force = false): Promise<string> {
  const marker = `${OUT_DIR}region.json`;
  if (!force && existsSync(marker)) {
    const existing = JSON.parse(readFileSync(marker, 'utf8')) as { generator_version?: number };
    if (existing.generator_version === GENERATOR_VERSION) return OUT_DIR;
  }
  await loadKernels();
  const { files, region } = generateRegion();
  mkdirSync(`${OUT_DIR}radar`, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(`${OUT_DIR}${name}`, text);
  writeFileSync(marker, JSON.stringify(region, null, 1) + '\n');
  return OUT_DIR;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const dir = await ensureRegion(process.argv.includes('--force'));
  process.stderr.write(`mountain-city region ready in ${dir} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}
