// What the live page asks for at the city's scale, answered from memory instead of scans of the
// whole list: items per level × district × category kept as a small count table, and one bitmap
// per level, district and category over the items in kernel order (= id order), so a page of the
// list "most urgent first" under any filter reads a few thousand words, not 520 000 objects.
// The index follows the service's `levels` by diffing it against its own copy before each answer
// (a loop over one typed array, ~0.5 ms at 520 000 items): whatever changed the levels (a cycle,
// a rebuild after a restart or a failed commit, a snapshot) is picked up without hooks.
import type { RisklistService } from './service.ts';

export const LEVELS = [4, 3, 2, 1] as const;

export interface LiveFilter { level?: number; area?: string; category?: string }

/** Where a page of the list (or of the stale sensors) goes on: the level and index last shown. */
export interface Cursor { level: number; index: number }

export function parseCursor(text: string | null): Cursor | undefined | null {
  if (text === null || text === '') return undefined;
  const m = /^([1-4])\.(\d{1,9})$/.exec(text);
  return m ? { level: Number(m[1]), index: Number(m[2]) } : null;
}

export const cursorText = (c: Cursor) => `${c.level}.${c.index}`;

const words = (n: number) => (n + 31) >>> 5;

export class LiveIndex {
  readonly areaIds: string[];
  readonly categoryIds: string[];
  private readonly areaOf: Uint16Array;
  private readonly categoryOf: Uint16Array;
  private readonly areaBits: Uint32Array[];
  private readonly categoryBits: Uint32Array[];
  /** Bitmaps of the items at levels 0–4 (the grading uses 1–4). */
  private readonly levelBits: Uint32Array[];
  private readonly known: Int8Array;
  /** Items per (level, area, category): [level * A * C + area * C + category]; code 0 = none given. */
  private readonly cube: Int32Array;
  private readonly n: number;
  /** Told of every item whose level moved, after the index took it in (from -1: the first sync). */
  private readonly movers: ((item: number, from: number, to: number) => void)[] = [];

  constructor(private readonly service: Pick<RisklistService, 'defs' | 'levels'>) {
    const defs = service.defs.itemOfIndex;
    this.n = defs.length;
    this.areaIds = [...new Set(defs.map((d) => d.area).filter((a): a is string => a !== undefined))].sort();
    this.categoryIds = [...new Set(defs.map((d) => d.category).filter((c): c is string => c !== undefined))].sort();
    const areaCode = new Map(this.areaIds.map((a, k) => [a, k + 1]));
    const categoryCode = new Map(this.categoryIds.map((c, k) => [c, k + 1]));
    this.areaOf = Uint16Array.from(defs, (d) => (d.area === undefined ? 0 : areaCode.get(d.area)!));
    this.categoryOf = Uint16Array.from(defs, (d) => (d.category === undefined ? 0 : categoryCode.get(d.category)!));
    const bitmaps = (codes: number, of: Uint16Array) => {
      const maps = Array.from({ length: codes }, () => new Uint32Array(words(this.n)));
      for (let k = 0; k < this.n; k++) maps[of[k]][k >>> 5] |= 1 << (k & 31);
      return maps;
    };
    this.areaBits = bitmaps(this.areaIds.length + 1, this.areaOf);
    this.categoryBits = bitmaps(this.categoryIds.length + 1, this.categoryOf);
    this.levelBits = Array.from({ length: 5 }, () => new Uint32Array(words(this.n)));
    this.known = new Int8Array(this.n).fill(-1);
    this.cube = new Int32Array(5 * (this.areaIds.length + 1) * (this.categoryIds.length + 1));
    this.sync();
  }

  private cell(level: number, area: number, category: number): number {
    return (level * (this.areaIds.length + 1) + area) * (this.categoryIds.length + 1) + category;
  }

  /** Brings the bitmaps and counts up to the service's levels. */
  sync(): void {
    const levels = this.service.levels;
    const known = this.known;
    for (let k = 0; k < this.n; k++) {
      const to = levels[k];
      if (known[k] === to) continue;
      const from = known[k];
      const bit = 1 << (k & 31);
      if (from >= 0) {
        this.levelBits[from][k >>> 5] &= ~bit;
        this.cube[this.cell(from, this.areaOf[k], this.categoryOf[k])]--;
      }
      this.levelBits[to][k >>> 5] |= bit;
      this.cube[this.cell(to, this.areaOf[k], this.categoryOf[k])]++;
      known[k] = to;
      for (const m of this.movers) m(k, from, to);
    }
  }

  onMove(mover: (item: number, from: number, to: number) => void): void { this.movers.push(mover); }

  /** The level the index last saw for an item (-1 before its first sync). */
  levelOf(k: number): number { return this.known[k]; }

  /** Cells are numbered 0 … cells − 1 over (level 0–4, district, category). */
  get cells(): number { return this.cube.length; }
  cellOf(level: number, k: number): number { return this.cell(level, this.areaOf[k], this.categoryOf[k]); }

  /** The cells of the items a walk under this filter visits: levels 1–4 (or the filter's), its district and category. */
  cellsUnder(f: LiveFilter): number[] {
    const { area, category } = this.codes(f);
    const out: number[] = [];
    if (area === -1 || category === -1) return out;
    for (const level of LEVELS) {
      if (f.level !== undefined && f.level !== level) continue;
      for (let a = 0; a <= this.areaIds.length; a++) {
        if (area !== undefined && area !== a) continue;
        for (let c = 0; c <= this.categoryIds.length; c++) if (category === undefined || category === c) out.push(this.cell(level, a, c));
      }
    }
    return out;
  }

  /** Codes of a filter's district and category (0 = none, -1 = no such one: nothing matches). */
  private codes(f: LiveFilter): { area: number | undefined; category: number | undefined } {
    const area = f.area === undefined ? undefined : this.areaIds.indexOf(f.area) + 1 || -1;
    const category = f.category === undefined ? undefined : this.categoryIds.indexOf(f.category) + 1 || -1;
    return { area, category };
  }

  /**
   * Items per level under the filter's district and category, per district under its level and
   * category, per category under its level and district: each facet ignores its own choice, so
   * the page can show what picking another value would give.
   */
  counts(f: LiveFilter): { total: number; levels: number[]; districts: Record<string, number>; categories: Record<string, number> } {
    this.sync();
    const { area, category } = this.codes(f);
    const levels = [0, 0, 0, 0, 0];
    const districts = new Array<number>(this.areaIds.length + 1).fill(0);
    const categories = new Array<number>(this.categoryIds.length + 1).fill(0);
    let total = 0;
    for (let l = 0; l < 5; l++) {
      for (let a = 0; a <= this.areaIds.length; a++) {
        for (let c = 0; c <= this.categoryIds.length; c++) {
          const n = this.cube[this.cell(l, a, c)];
          if (n === 0) continue;
          const inLevel = f.level === undefined || f.level === l;
          const inArea = area === undefined || area === a;
          const inCategory = category === undefined || category === c;
          if (inArea && inCategory) levels[l] += n;
          if (inLevel && inCategory) districts[a] += n;
          if (inLevel && inArea) categories[c] += n;
          if (inLevel && inArea && inCategory) total += n;
        }
      }
    }
    return {
      total, levels,
      districts: Object.fromEntries(this.areaIds.map((id, k) => [id, districts[k + 1]])),
      categories: Object.fromEntries(this.categoryIds.map((id, k) => [id, categories[k + 1]])),
    };
  }

  /** The district and category bitmap of a filter, AND-ed (undefined: every item). */
  private mask(f: LiveFilter): Uint32Array | undefined {
    const { area, category } = this.codes(f);
    if (area === undefined && category === undefined) return undefined;
    const out = new Uint32Array(words(this.n));
    if (area === -1 || category === -1) return out;
    const a = area === undefined ? undefined : this.areaBits[area];
    const c = category === undefined ? undefined : this.categoryBits[category];
    for (let w = 0; w < out.length; w++) out[w] = (a ? a[w] : ~0) & (c ? c[w] : ~0);
    return out;
  }

  /**
   * Items under the filter, most urgent first (level 4 to 1, then id order), after the cursor;
   * `visit` is called for each until it returns false. Levels outside 1–4 never appear. `only`:
   * a bitmap of items to keep besides the filter (e.g. those with a stale sensor).
   */
  walk(f: LiveFilter, after: Cursor | undefined, visit: (index: number, level: number) => boolean, only?: Uint32Array): void {
    this.sync();
    const filterMask = this.mask(f);
    const mask = only && filterMask ? filterMask.map((w, k) => w & only[k]) : only ?? filterMask;
    for (const level of LEVELS) {
      if (f.level !== undefined && f.level !== level) continue;
      if (after && level > after.level) continue;
      const bits = this.levelBits[level];
      const start = after && level === after.level ? after.index + 1 : 0;
      for (let w = start >>> 5; w < bits.length; w++) {
        let word = mask ? bits[w] & mask[w] : bits[w];
        if (w === start >>> 5) word &= ~0 << (start & 31);
        while (word !== 0) {
          const low = word & -word;
          const k = (w << 5) + 31 - Math.clz32(low);
          word ^= low;
          if (!visit(k, level)) return;
        }
      }
    }
  }

  areaOfIndex(k: number): string | null { return this.areaOf[k] === 0 ? null : this.areaIds[this.areaOf[k] - 1]; }
  categoryOfIndex(k: number): string | null { return this.categoryOf[k] === 0 ? null : this.categoryIds[this.categoryOf[k] - 1]; }
}
