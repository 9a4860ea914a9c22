// The paged stale list (/v1/live/stale) at the city's scale, not a test: the answer the route
// gives, from the index (models/risklist/serve/live-stale.ts) against the scan it replaced, on the
// city list (520 000 items, 910 000 factors), in this process without HTTP or a database (the
// route adds the same JSON either way). The service's state is simulated as the live-page
// benchmark leaves it: readings on a share of the factors, the rest silent, so most are stale,
// levels spread over 1–4. Each case is timed --repeat times; medians of wall and CPU ms, JSON on stdout:
//   - the first page under no filter, a district, a category, level 4 (state unchanged: cached);
//   - the same after readings arrived (--burst factors' last times moved, clock moved one tick:
//     the index resyncs first), the case a live page sees under load;
//   - the fifth page (by cursor).
// Then the search of /v1/live/items (q=, models/risklist/serve/live-search.ts) on the same list
// with display names: the first search (which lays out the list's text), a new search, a repeated one.
//   node --import tsx benchmarks/risklist/live-stale.ts [--items 520000] [--fresh 0.1] [--burst 2500] [--repeat 15]
import { loadavg } from 'node:os';
import { referenceGrading } from '../../models/risklist/reference.ts';
import { RisklistSession } from '../../models/risklist/session.ts';
import { LiveIndex, type Cursor, type LiveFilter } from '../../models/risklist/serve/live-index.ts';
import { ItemSearch } from '../../models/risklist/serve/live-search.ts';
import { StaleIndex, stalePageByScan, TouchJournal, type StalePage } from '../../models/risklist/serve/live-stale.ts';
import { cityList } from './city-list.ts';

const arg = (name: string, fallback: number) => { const k = process.argv.indexOf(`--${name}`); return k === -1 ? fallback : Number(process.argv[k + 1]); };
const items = arg('items', 520_000), fresh = arg('fresh', 0.1), burst = arg('burst', 2500), repeat = arg('repeat', 15);
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x * 100) / 100;

let t = performance.now();
// Names live beside the list (the serve file keeps them out of what the kernel grades).
const { list: named } = cityList(items, true);
const list = named.map(({ name: _n, name_zh: _z, ...item }) => item);
const { defs } = new RisklistSession({ items: list }, referenceGrading);
const setupS = (performance.now() - t) / 1000;
// A seeded generator (Park–Miller): the same state every run.
let seed = 19;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
const clock = 3600;
const source = { defs, levels: defs.list.base.slice(), lastTime: new Float64Array(defs.list.factors), clock, touched: new TouchJournal() };
for (let g = 0; g < defs.list.factors; g++) if (random() < fresh) source.lastTime[g] = clock - random() * 60;
for (let k = 0; k < defs.list.items; k++) source.levels[k] = 1 + Math.floor(random() ** 3 * 4);
const index = new LiveIndex(source);
const stale = new StaleIndex(source, index);

const area = index.areaIds[0], category = index.categoryIds[0];
const filters: [string, LiveFilter][] = [['all', {}], [`district=${area}`, { area }], [`category=${category}`, { category }], ['level=4', { level: 4 }]];
const readingsArrive = () => {
  for (let k = 0; k < burst; k++) { const g = Math.floor(random() * defs.list.factors); source.lastTime[g] = source.clock; source.touched.note(g); }
  source.clock += 0.25;
};
// Wall time and this process's CPU time (user + system): on a loaded machine the CPU time says
// more about the work itself.
const time = (work: () => StalePage, before?: () => void) => {
  const ms: number[] = [];
  const cpu: number[] = [];
  let last: StalePage | undefined;
  for (let r = 0; r < repeat; r++) {
    before?.();
    const c = process.cpuUsage();
    const s = performance.now();
    last = work();
    ms.push(performance.now() - s);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  return { ms: round(median(ms)), cpu_ms: round(median(cpu)), total: last!.total };
};
const fifthCursor = (f: LiveFilter): Cursor | undefined => {
  let after: Cursor | undefined;
  for (let p = 0; p < 4; p++) { const rows = stale.page(f, after, 100).rows; const last = rows.at(-1); if (!last) return after; after = { level: last.level, index: last.factor }; }
  return after;
};

const cases: Record<string, unknown>[] = [];
for (const [name, f] of filters) {
  // Equal answers first: the benchmark times the same thing twice.
  if (JSON.stringify(stale.page(f, undefined, 100)) !== JSON.stringify(stalePageByScan(source, index, f, undefined, 100))) throw new Error(`${name}: the index and the scan disagree`);
  const cursor = fifthCursor(f);
  cases.push({
    filter: name,
    scan_ms: time(() => stalePageByScan(source, index, f, undefined, 100)),
    index_ms: time(() => stale.page(f, undefined, 100)),
    index_after_readings_ms: time(() => stale.page(f, undefined, 100), readingsArrive),
    scan_page5: time(() => stalePageByScan(source, index, f, cursor, 100)),
    index_page5: time(() => stale.page(f, cursor, 100)),
  });
}
const names = new Map(named.map((i) => [i.id as string, { name: (i.name as string) ?? null, name_zh: (i.name_zh as string) ?? null }]));
const search = new ItemSearch(defs.ids, (id) => names.get(id)!);
const popcount = (bits: Uint32Array) => bits.reduce((n, w) => { let c = 0; for (let x = w; x !== 0; x &= x - 1) c++; return n + c; }, 0);
// Wall time (the search yields to the event loop between slices) and CPU time.
const searchMs = async (q: string) => {
  const c = process.cpuUsage();
  const s = performance.now();
  const hits = popcount(await search.match(q));
  const used = process.cpuUsage(c);
  return { q, ms: round(performance.now() - s), cpu_ms: round((used.user + used.system) / 1000), hits };
};
const searches = [await searchMs('#12345'), await searchMs('bridge banan #4'), await searchMs('渝中'), await searchMs('ZZZ-none'), await searchMs('#12345')];

console.log(JSON.stringify({
  date: new Date().toISOString(), load_average: loadavg().map(round), items: defs.list.items, factors: defs.list.factors,
  fresh_share: fresh, burst, repeat, setup_s: round(setupS), cases, searches,
}, null, 1));
