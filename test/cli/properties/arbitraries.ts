// Generators for the property tests: small valid cases per command (CONTRACT.md forms, values in
// the ranges the models document), and mutations of them as a hostile user or an attacker writes
// them: a value replaced by a wrong type, a non-finite or huge number, a path that climbs out of
// its folder, a key deleted or added, an id duplicated, the JSON text truncated or given a BOM.
import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

// Values that cannot be written as JSON values (or that JSON.stringify would change) travel as
// marked strings and are put into the text after stringify.
const RAW = (text: string) => `@@RAW:${text}@@`;
const DEEP = 100_000;
/** Replaced by the case's own folder when it is laid out (harness.ts), for absolute paths. */
export const CASE_ROOT = '@@CASE_ROOT@@';

export const hostileValues: Json[] = [
  null, true, false, 0, -1, -0.5, 1e308, -1e308, 5e-324, 1e9, -1e9, 2 ** 53, 4294967296,
  '', 'abc', 'NaN', '1e999', '3600', ' ', '\u0000', '😀'.repeat(3),
  [], {}, [null], [[]], [1, 'a', null], { x: 1 }, { _note: 'x' },
  RAW('1e999'), RAW('-1e999'), RAW('NaN'), RAW('Infinity'), RAW(`${'['.repeat(DEEP)}${']'.repeat(DEEP)}`), RAW(`${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`),
  'x'.repeat(100_000),
  '../x', '../../x', '../../../PWNED', '../../../../../../../../tmp/PWNED', '..', '.', 'a/b', 'a\\b', '/', 'x\ny',
  `${CASE_ROOT}/elsewhere/PWNED`, `${CASE_ROOT}/data`, '/etc/passwd', 'missing.asc', 'missing.json',
];

/** Values for fields that become file names or are looked up by id: ways out of a folder, and odd names. */
export const idValues: Json[] = [
  '../x', '../../../PWNED', '../../../../../../../../tmp/sandtable-PWNED', `${CASE_ROOT}/elsewhere/PWNED`, '/', '', '.', '..', 'a/b', 'a\\b',
  'x\u0000y', 'CON', 'x'.repeat(300), '😀', ' ', 'manifest', 'summary', 'flows',
];

export type Mutation =
  | { op: 'replace-id'; at: number; value: Json }
  | { op: 'retype'; at: number }
  | { op: 'replace'; at: number; value: Json }
  | { op: 'delete'; at: number }
  | { op: 'add-key'; at: number; key: string; value: Json }
  | { op: 'duplicate'; at: number }
  | { op: 'truncate'; fraction: number }
  | { op: 'bom' }
  | { op: 'garbage'; text: string }
  | { op: 'whole'; value: Json };

/** Every path in a JSON value, containers included, root first. */
export function pathsOf(value: Json, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...path, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...path, k], out);
  return out;
}

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('replace-id' as const), at: fc.nat(), value: fc.constantFrom(...idValues) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('retype' as const), at: fc.nat() }) },
  { weight: 10, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: fc.constantFrom(...hostileValues) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 8 })) as fc.Arbitrary<Json> }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('add-key' as const), at: fc.nat(), key: fc.constantFrom('unknown', '_note', '__proto__', 'constructor'), value: fc.constantFrom<Json>(1, 'x', null) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'bom' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('garbage' as const), text: fc.constantFrom('x', ',', '}', '\u0000', ' // comment', '{}') }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('whole' as const), value: fc.constantFrom<Json>(null, [], {}, 'case', 1, [{}]) }) },
);

function parentOf(root: Json, path: Path): Json {
  let node = root;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, Json>)[key];
  return node;
}

/** Applies a mutation to a case; returns the file text. A path index wraps around the paths of the case. */
export function applyMutation(value: Json, m: Mutation): string {
  const copy = structuredClone(value);
  const paths = pathsOf(copy);
  let root: Json = copy;
  const pick = (at: number, containersOnly = false): Path => {
    const candidates = containersOnly ? paths.filter((p) => { const v = p.reduce<Json>((n, k) => (n as Record<string, Json>)[k], copy); return v !== null && typeof v === 'object'; }) : paths;
    return candidates[at % candidates.length];
  };
  switch (m.op) {
    case 'replace-id': {
      const ids = paths.filter((p) => typeof p[p.length - 1] === 'string' && /(^|_)id$|^(reach|item|inject|river|downstream)$/.test(p[p.length - 1] as string));
      if (!ids.length) break;
      const path = ids[m.at % ids.length];
      (parentOf(copy, path) as Record<string | number, Json>)[path[path.length - 1]] = m.value;
      break;
    }
    case 'retype': {
      const path = retypePaths(copy)[m.at % Math.max(1, retypePaths(copy).length)];
      if (!path) break;
      (parentOf(copy, path) as Record<string | number, Json>)[path[path.length - 1]] = retyped(valueAt(copy, path));
      break;
    }
    case 'replace': {
      const path = pick(m.at);
      if (path.length === 0) root = m.value;
      else (parentOf(copy, path) as Record<string | number, Json>)[path[path.length - 1]] = m.value;
      break;
    }
    case 'delete': {
      const path = paths.length > 1 ? pick(m.at % (paths.length - 1) + 1) : [];
      if (path.length === 0) break;
      const parent = parentOf(copy, path) as Json[] | Record<string, Json>;
      if (Array.isArray(parent)) parent.splice(path[path.length - 1] as number, 1);
      else delete parent[path[path.length - 1] as string];
      break;
    }
    case 'add-key': {
      const path = pick(m.at, true);
      const node = path.reduce<Json>((n, k) => (n as Record<string, Json>)[k], copy);
      if (Array.isArray(node)) node.push(m.value);
      else Object.defineProperty(node, m.key, { value: m.value, enumerable: true, configurable: true, writable: true });
      break;
    }
    case 'duplicate': {
      // Duplicates an array element (a second reach, item or ignition with the same id).
      const arrays = paths.filter((p) => Array.isArray(p.reduce<Json>((n, k) => (n as Record<string, Json>)[k], copy)));
      const path = arrays.length ? arrays[m.at % arrays.length] : [];
      const node = path.reduce<Json>((n, k) => (n as Record<string, Json>)[k], copy);
      if (Array.isArray(node) && node.length) node.push(structuredClone(node[0]));
      break;
    }
    case 'whole':
      root = m.value;
      break;
    default:
      break;
  }
  let text = JSON.stringify(root, null, 1).replace(/"@@RAW:([^"]*)@@"/g, (_, raw: string) => raw);
  if (m.op === 'truncate') text = text.slice(0, Math.floor(text.length * m.fraction));
  if (m.op === 'bom') text = '\uFEFF' + text;
  if (m.op === 'garbage') text += m.text;
  return text;
}

function valueAt(root: Json, path: Path): Json {
  return path.reduce<Json>((n, k) => (n as Record<string | number, Json>)[k], root);
}

/** Leaves and containers below the root, each of which a wrong JSON type must make invalid. */
export function retypePaths(root: Json): Path[] {
  return pathsOf(root).filter((p) => p.length > 0);
}

/** The same place, another JSON type: a number as text, text as a number, an object as a list… */
export function retyped(value: Json): Json {
  if (typeof value === 'number') return 'abc';
  if (typeof value === 'string') return 12345;
  if (typeof value === 'boolean') return 'no';
  if (value === null) return {};
  if (Array.isArray(value)) return { length: value.length };
  return [value];
}

/** The JSON path as the CLI prints it ($.a.b[2]); for a retyped value the error must name it, or a path inside or around it. */
export function jsonPath(path: Path): string {
  return '$' + path.map((k) => (typeof k === 'number' ? `[${k}]` : /^[A-Za-z_][\w]*$/.test(k) ? `.${k}` : `["${k}"]`)).join('');
}

export function retypedPath(value: Json, m: Mutation & { op: 'retype' }): string | undefined {
  const paths = retypePaths(value);
  return paths.length ? jsonPath(paths[m.at % paths.length]) : undefined;
}

/** Edits that keep a case valid and must not change whether it runs: a BOM, CRLF line ends, a `_note` comment key, no indentation. */
export type Harmless = { op: 'bom' } | { op: 'crlf' } | { op: 'note'; at: number } | { op: 'compact' } | { op: 'none' };
export const harmlessArb: fc.Arbitrary<Harmless> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ op: 'none' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'bom' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'crlf' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'compact' as const }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('note' as const), at: fc.nat() }) },
);

export function applyHarmless(value: Json, h: Harmless): string {
  const copy = structuredClone(value);
  if (h.op === 'note') {
    const objects = pathsOf(copy).filter((p) => { const v = valueAt(copy, p); return v !== null && typeof v === 'object' && !Array.isArray(v); });
    if (objects.length) (valueAt(copy, objects[h.at % objects.length]) as Record<string, Json>)._note = 'a comment, as users write them';
  }
  const text = h.op === 'compact' ? JSON.stringify(copy) : JSON.stringify(copy, null, 1);
  if (h.op === 'bom') return '\uFEFF' + text;
  if (h.op === 'crlf') return text.replace(/\n/g, '\r\n');
  return text;
}

export function describeMutation(value: Json, m: Mutation): string {
  const paths = pathsOf(value);
  const where = 'at' in m ? ` at $${paths[m.at % paths.length].map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')} (about)` : '';
  const v = 'value' in m ? JSON.stringify(m.value)?.slice(0, 80) : '';
  return `${m.op}${where}${v ? ` → ${v}` : ''}`;
}

// ---------------------------------------------------------------- valid cases

const num = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const logUniform = (min: number, max: number) => num(Math.log10(min), Math.log10(max)).map((e) => Number((10 ** e).toPrecision(4)));
const round = (digits: number) => (x: number) => Number(x.toFixed(digits));
const series = (n: number, min: number, max: number, digits = 2) => fc.array(num(min, max).map(round(digits)), { minLength: n, maxLength: n });

const sectionArb = fc.oneof(
  fc.record({ shape: fc.constant('rectangular'), width_m: num(2, 80).map(round(1)) }),
  fc.record({ shape: fc.constant('trapezoid'), bottom_width_m: num(0, 60).map(round(1)), side_slope_h_per_v: num(0.5, 6).map(round(2)) }),
);

function reachArb(dt: number) {
  return fc.oneof(
    fc.record({ method: fc.constant('muskingum'), K_s: num(dt * 0.6, dt * 4).map(round(0)), X: num(0, 0.4).map(round(3)), initial_outflow_m3_per_s: num(1, 200).map(round(1)) }),
    fc.record({
      method: fc.constantFrom('muskingum-cunge', 'kinematic-wave'), length_m: num(1000, 20000).map(round(0)), slope: logUniform(2e-4, 0.01),
      manning_n: num(0.025, 0.08).map(round(3)), section: sectionArb,
    }),
  );
}

export const floodRouteArb: fc.Arbitrary<Json> = fc.record({ dt: fc.constantFrom(900, 1800, 3600), n: fc.integer({ min: 3, max: 16 }), reaches: fc.integer({ min: 1, max: 3 }) })
  .chain(({ dt, n, reaches }) => fc.record({
    reaches: fc.array(reachArb(dt), { minLength: reaches, maxLength: reaches }),
    inflow: series(n, 1, 2000, 1),
    lateral: fc.option(series(n, 0, 50, 1), { nil: undefined }),
  }).map(({ reaches: rs, inflow, lateral }) => ({
    dt_s: dt,
    reaches: rs.map((r, i) => ({ id: `R${i}`, downstream: i + 1 < rs.length ? `R${i + 1}` : null, ...r })),
    inflows: [{ reach: 'R0', m3_per_s: inflow }],
    ...(lateral ? { lateral: [{ reach: `R${rs.length - 1}`, m3_per_s: lateral }] } : {}),
  }) as Json));

const xinanjiangArb = fc.record({
  K: num(0.6, 1.2).map(round(2)), B: num(0.1, 0.5).map(round(2)), IM: num(0, 0.05).map(round(3)), UM_mm: num(5, 30).map(round(0)),
  LM_mm: num(50, 100).map(round(0)), DM_mm: num(10, 100).map(round(0)), C: num(0.08, 0.2).map(round(2)), SM_mm: num(5, 60).map(round(0)),
  EX: num(0.5, 2).map(round(2)), KI: num(0, 0.5).map(round(2)), KG: num(0, 0.45).map(round(2)), CI: num(0, 0.95).map(round(2)), CG: num(0.5, 0.995).map(round(3)),
});
const routingArb = fc.oneof(
  fc.constant({ method: 'unit-hydrograph', ordinates: [0.1, 0.3, 0.3, 0.2, 0.1] }),
  fc.record({ method: fc.constant('linear-reservoir'), CS: num(0, 0.95).map(round(2)), lag_steps: fc.integer({ min: 0, max: 3 }) }),
);

export const floodRunoffArb: fc.Arbitrary<Json> = fc.integer({ min: 2, max: 24 }).chain((n) => fc.array(fc.oneof(
  fc.record({ area_km2: num(1, 2000).map(round(1)), rain_mm: series(n, 0, 60, 1), evaporation_mm: series(n, 0, 1, 2), xinanjiang: xinanjiangArb, surface_routing: routingArb }),
  fc.record({ area_km2: num(1, 2000).map(round(1)), rain_mm: series(n, 0, 60, 1), scs: fc.record({ CN: num(30, 98).map(round(0)), baseflow_m3_per_s: num(0, 5).map(round(1)) }), surface_routing: routingArb }),
), { minLength: 1, maxLength: 2 })).map((basins) => ({ dt_s: 3600, basins: basins.map((b, i) => ({ id: `B${i}`, ...b })) }) as Json);

const cellArb = num(0.5, 8).chain((soil) => fc.record({
  slope_deg: num(5, 60).map(round(1)), soil_depth_m: fc.constant(Number(soil.toFixed(2))), water_table_depth_m: num(0, soil).map(round(2)),
  cohesion_pa: num(0, 20000).map(round(0)), friction_deg: num(15, 45).map(round(1)), unit_weight_soil_n_per_m3: num(15000, 25000).map(round(0)),
  ks_m_per_s: logUniform(1e-7, 1e-4), diffusivity_m2_per_s: logUniform(1e-6, 1e-3), background_infiltration_m_per_s: logUniform(1e-10, 1e-8),
}));

const rainArb = fc.oneof(
  fc.record({ period_s: fc.constantFrom(600, 3600), m_per_s: fc.array(logUniform(1e-8, 2e-5), { minLength: 1, maxLength: 6 }) }),
  fc.record({ period_s: fc.constant(3600), mm_per_h: fc.array(num(0, 60).map(round(1)), { minLength: 1, maxLength: 6 }) }),
);
const outputTimesArb = fc.uniqueArray(fc.integer({ min: 0, max: 48 }).map((h) => h * 3600), { minLength: 1, maxLength: 3 }).map((t) => t.sort((a, b) => a - b));

export const landslideCellsArb: fc.Arbitrary<Json> = fc.record({
  cells: fc.array(cellArb, { minLength: 1, maxLength: 3 }), rain: rainArb, output_times_s: outputTimesArb,
  basal_boundary: fc.constantFrom('infinite', 'finite'),
}).map((c) => c as Json);

/** An ESRI ASCII grid's text. */
export function asciiGrid(ncols: number, nrows: number, values: number[], cellsize = 10, digits = 2): string {
  const rows = Array.from({ length: nrows }, (_, r) => values.slice(r * ncols, (r + 1) * ncols).map((v) => v.toFixed(digits)).join(' '));
  return `ncols ${ncols}\nnrows ${nrows}\nxllcorner 500000\nyllcorner 3290000\ncellsize ${cellsize}\nNODATA_value -9999\n${rows.join('\n')}\n`;
}

export interface GridCase { json: Json; grids: Record<string, string> }

/** The grid form: a DEM, a soil-depth grid and zones, two zones in the table. */
export const landslideGridArb: fc.Arbitrary<GridCase> = fc.record({ ncols: fc.integer({ min: 2, max: 6 }), nrows: fc.integer({ min: 2, max: 6 }) }).chain(({ ncols, nrows }) => fc.record({
  dem: fc.array(num(0, 3), { minLength: ncols * nrows, maxLength: ncols * nrows }),
  soil: fc.array(num(0.5, 4), { minLength: ncols * nrows, maxLength: ncols * nrows }),
  zones: fc.array(fc.constantFrom(1, 2), { minLength: ncols * nrows, maxLength: ncols * nrows }),
  tilt: num(0.5, 8),
  water: num(0, 0.5).map(round(2)),
  rain: fc.array(num(0, 40).map(round(1)), { minLength: 1, maxLength: 6 }),
  times: outputTimesArb,
  zone: fc.array(cellArb, { minLength: 2, maxLength: 2 }),
}).map(({ dem, soil, zones, tilt, water, rain, times, zone }) => ({
  json: {
    grid: {
      elevation_m: 'dem.asc', soil_depth_m: 'soil.asc', water_table_depth_m: water, zones: 'zones.asc',
      zone_table: zone.map((z, i) => ({ zone: i + 1, name: `zone ${i + 1}`, cohesion_pa: z.cohesion_pa, friction_deg: z.friction_deg, unit_weight_soil_n_per_m3: z.unit_weight_soil_n_per_m3, ks_m_per_s: z.ks_m_per_s, diffusivity_m2_per_s: z.diffusivity_m2_per_s, background_infiltration_m_per_s: z.background_infiltration_m_per_s })),
    },
    rain: { period_s: 3600, mm_per_h: rain },
    output_times_s: times,
  } as Json,
  grids: {
    'dem.asc': asciiGrid(ncols, nrows, dem.map((v, k) => 100 + v + tilt * (k % ncols))),
    'soil.asc': asciiGrid(ncols, nrows, soil),
    'zones.asc': asciiGrid(ncols, nrows, zones, 10, 0),
  },
})));

const FUELS = ['FM1', 'FM2', 'FM3', 'FM4', 'FM5', 'FM6', 'FM7', 'FM8', 'FM9', 'FM10', 'FM11', 'FM12', 'FM13', 'GR1', 'GR2', 'GR4', 'GS2', 'GS4', 'SH2', 'SH5', 'TU1', 'TL1', 'TL3', 'SB1', 'SB4'];
const moistureArb = fc.record({ d1h: num(2, 30).map(round(1)), d10h: num(2, 30).map(round(1)), d100h: num(2, 30).map(round(1)), live_herb: num(30, 300).map(round(0)), live_woody: num(30, 300).map(round(0)) });
// Dry enough to burn in every fuel model chosen for spread (dead moisture below their extinction).
const spreadMoistureArb = fc.record({ d1h: num(2, 10).map(round(1)), d10h: num(2, 10).map(round(1)), d100h: num(2, 10).map(round(1)), live_herb: num(30, 120).map(round(0)), live_woody: num(60, 200).map(round(0)) });
const fireBehaviorOne = fc.record({
  fuel_model: fc.constantFrom(...FUELS), moisture_percent: moistureArb, midflame_wind_m_per_s: num(0, 20).map(round(2)),
  wind_from_deg: num(0, 360).map(round(0)), slope_percent: num(0, 100).map(round(0)), aspect_deg: num(0, 360).map(round(0)),
});
export const fireBehaviorArb: fc.Arbitrary<Json> = fc.oneof(fireBehaviorOne, fc.array(fireBehaviorOne, { minLength: 1, maxLength: 3 })) as fc.Arbitrary<Json>;

export const fireSpreadArb: fc.Arbitrary<Json> = fc.record({ ncols: fc.integer({ min: 3, max: 24 }), nrows: fc.integer({ min: 3, max: 24 }), cell: fc.constantFrom(10, 30, 50) })
  .chain(({ ncols, nrows, cell }) => {
    const point = fc.record({ col: fc.nat({ max: ncols - 1 }), row: fc.nat({ max: nrows - 1 }) });
    const at = (p: { col: number; row: number }) => [(p.col + 0.5) * cell, (nrows - p.row - 0.5) * cell];
    return fc.record({
      fuel_model: fc.constantFrom('GR2', 'GR4', 'SH5', 'TU1', 'FM1', 'FM4', 'TL3'),
      slope_deg: num(0, 40).map(round(1)), aspect_deg: num(0, 360).map(round(0)), moisture_percent: spreadMoistureArb,
      wind: fc.record({ midflame_m_per_s: num(0, 8).map(round(2)), from_deg: num(0, 360).map(round(0)) }),
      ignitions: fc.array(fc.record({ from: point, to: fc.option(point, { nil: undefined }), t_s: fc.constantFrom(0, 0, 300) }), { minLength: 1, maxLength: 2 }),
      barrier: fc.option(fc.record({ from: point, to: point, polyline: fc.boolean() }), { nil: undefined }),
      duration_s: fc.constantFrom(600, 1800, 3600),
    }).map((c) => {
      const lit = new Set(c.ignitions.flatMap((i) => [i.from, i.to ?? i.from]).map((p) => `${p.row},${p.col}`));
      const lines = c.ignitions.some((i) => i.to);
      // A barrier never crosses an ignition (such a case is refused, rightly): cells off the
      // ignitions, or a polyline along a row with no ignition when all ignitions are points.
      const b = c.barrier;
      const barrier = !b ? undefined
        : b.polyline ? (!lines && !c.ignitions.some((i) => i.from.row === b.from.row) ? { polyline_m: [at(b.from), at({ row: b.from.row, col: b.to.col })] } : undefined)
        : !lit.has(`${b.from.row},${b.from.col}`) ? { cells: [[b.from.row, b.from.col]] } : undefined;
      return {
        grid: { ncols, nrows, cellsize_m: cell, xllcorner: 0, yllcorner: 0 },
        fuel_model: c.fuel_model, slope_deg: c.slope_deg, aspect_deg: c.aspect_deg, moisture_percent: c.moisture_percent, wind: c.wind,
        ignitions: c.ignitions.map((i) => (i.to ? { line_m: [at(i.from), at(i.to)], t_s: i.t_s } : { x_m: at(i.from)[0], y_m: at(i.from)[1], t_s: i.t_s })),
        ...(barrier ? { barriers: [barrier] } : {}),
        duration_s: c.duration_s,
        output_times_s: [c.duration_s / 2, c.duration_s],
      } as unknown as Json;
    });
  });

const levelThresholds = fc.tuple(num(1, 20), num(1, 20), num(1, 20)).map(([a, b, c]) => ({ 2: round(1)(a), 3: round(1)(a + b), 4: round(1)(a + b + c) }));

export const risklistArb: fc.Arbitrary<Json> = fc.record({
  items: fc.integer({ min: 1, max: 3 }),
  thresholds: levelThresholds,
  until: fc.integer({ min: 1000, max: 40000 }),
}).chain(({ items, thresholds, until }) => fc.record({
  readings: fc.array(fc.record({ t: fc.integer({ min: 0, max: until }), item: fc.nat({ max: items - 1 }), value: num(0, 80).map(round(1)) }), { maxLength: 30 }),
  warning: fc.option(fc.record({ t: fc.integer({ min: 0, max: until }), lift: fc.integer({ min: 1, max: 20000 }), level: fc.integer({ min: 2, max: 4 }) }), { nil: undefined }),
  event: fc.option(fc.record({ t: fc.integer({ min: 0, max: until }), level: fc.integer({ min: 2, max: 4 }) }), { nil: undefined }),
  pin: fc.option(fc.record({ t: fc.integer({ min: 0, max: until }), level: fc.integer({ min: 1, max: 4 }), expires: fc.integer({ min: 1, max: 5000 }) }), { nil: undefined }),
  hold: fc.boolean(),
}).map((c) => ({
  until_s: until,
  ...(c.hold ? { hold_s: { 4: 21600, 3: 7200, 2: 1800 } } : {}),
  items: [
    ...Array.from({ length: items }, (_, i) => ({
      id: `UP-0${i}`, category: 'waterlogging', area: i % 2 ? 'yuzhong' : 'shapingba', base_level: 1,
      factors: [{ id: 'depth_cm', direction: 'above', thresholds, deadband: 1, on_delay_s: 0, stale_after_s: 3600 }],
    })),
    { id: 'ST-02', category: 'septic-tank', lec: { L: 3, E: 6, C: 7 }, factors: [] },
  ],
  readings: [...c.readings].sort((a, b) => a.t - b.t).map((r) => ({ t_s: r.t, item: `UP-0${r.item}`, factor: 'depth_cm', value: r.value })),
  warnings: c.warning ? [{ id: 'W1', t_s: c.warning.t, lift_s: c.warning.t + c.warning.lift, level: c.warning.level, hazard: 'rainstorm', categories: ['waterlogging'] }] : [],
  events: c.event ? [{ t_s: c.event.t, item: 'ST-02', kind: 'accident', level: c.event.level }] : [],
  pins: c.pin ? [{ t_s: c.pin.t, item: 'UP-00', level: c.pin.level, expires_s: c.pin.t + c.pin.expires }] : [],
}) as Json));

/**
 * Scenarios on the shipped demo region, cut short (1–2 h) so a run takes about a second: the
 * storm scenario's forcing and injects, with the landslide and fire models switched on or off.
 */
export function scenarioArb(storm: Record<string, Json>, fireIgnition: Json): fc.Arbitrary<Json> {
  const forcing = storm.forcing as Record<string, Json>;
  const rivers = forcing.river_inflows as { river: string; period_s: number; m3_per_s: number[] }[];
  const injects = storm.injects as { id: string; trigger: { type: string; inject?: string } }[];
  // An inject triggered after another needs that one in the scenario too.
  // Timed injects are moved into the short run (their times must lie inside it).
  const consistent = (chosen: number[]) => chosen.filter((k) => !injects[k].trigger.inject || chosen.some((j) => injects[j].id === injects[k].trigger.inject))
    .map((k, n) => (injects[k].trigger.type === 'time' ? { ...injects[k], trigger: { type: 'time', t_s: 300 * (n + 1) } } : injects[k]));
  return fc.record({ hours: fc.integer({ min: 1, max: 2 }), step: fc.constantFrom(900, 1800, 3600) }).chain(({ hours, step }) => fc.record({
    seed: fc.nat({ max: 2 ** 32 - 1 }),
    rain: fc.array(num(0, 80).map(round(1)), { minLength: hours, maxLength: hours }),
    riverScale: num(0.5, 1.5),
    wind: fc.record({ speed: num(0, 15).map(round(1)), from: num(0, 359).map(round(0)) }),
    landslide: fc.boolean(),
    fire: fc.boolean(),
    injects: fc.subarray(injects.map((_, k) => k)),
  }).map((s) => ({
    ...storm,
    duration_s: hours * 3600,
    step_s: step,
    seed: s.seed,
    forcing: {
      ...forcing,
      rain: { period_s: 3600, mm_per_h: s.rain, district_factors: (forcing.rain as Record<string, Json>).district_factors },
      river_inflows: rivers.map((r) => ({ ...r, m3_per_s: r.m3_per_s.slice(0, hours + 1).map((q) => Math.round(q * s.riverScale)) })),
      wind: [{ t_s: 0, speed_10m_m_per_s: s.wind.speed, from_deg: s.wind.from }],
      fuel_moisture_percent: s.fire ? { d1h: 4, d10h: 5, d100h: 7, live_herb: 45, live_woody: 75 } : forcing.fuel_moisture_percent,
    },
    models: {
      ...(storm.models as Record<string, Json>),
      landslide: s.landslide ? (storm.models as Record<string, Json>).landslide : { enabled: false },
      fire: s.fire ? { spread: 'ellipse-minimum-travel-time' } : { enabled: false },
    },
    injects: [...(consistent(s.injects) as Json[]), ...(s.fire ? [fireIgnition] : [])],
  }) as Json));
}
