// The shipped default categories (models/risklist/categories.json): complete, valid as inputs,
// and carrying the values RISKLIST.md cites at the levels it names.
import { beforeAll, describe, expect, it } from 'vitest';
import categoryData from '../../models/risklist/categories.json' with { type: 'json' };
import { parseGradeCase } from '../../models/risklist/grade.ts';
import type { Kernels } from '../../models/wasm.ts';
import { loadKernels } from '../../models/wasm-node.ts';
import { brief, gradeBoth } from './helpers.ts';

let kernels: Kernels;
beforeAll(async () => { kernels = await loadKernels(); });

const byId = new Map(categoryData.categories.map((c) => [c.id, c]));
const factor = (category: string, id: string) => byId.get(category)!.factors.find((f) => f.id === id)! as unknown as { thresholds: Record<string, number>; direction: string; source: string };

describe('default categories', () => {
  it('has at least the 11 categories of the issue, each usable as "factors": "category"', () => {
    expect(categoryData.categories.length).toBeGreaterThanOrEqual(11);
    const items = categoryData.categories.map((c, k) => ({ id: `I${k}`, category: c.id, factors: 'category' }));
    const parsed = parseGradeCase({ until_s: 1, items });
    expect(parsed.defs.list.items).toBe(categoryData.categories.length);
    for (const c of categoryData.categories) {
      expect(c.factors.length).toBeGreaterThan(0);
      for (const f of c.factors) {
        expect(f.source.length).toBeGreaterThan(10);
        expect(f.unit.length).toBeGreaterThan(0);
        expect(f.interval_s).toBeGreaterThan(0);
      }
      expect(Object.keys(c.hold_s).sort()).toEqual(['2', '3', '4']);
    }
  });

  it('carries the thresholds RISKLIST.md cites, at the levels it names', () => {
    expect(factor('waterlogging', 'depth_cm').thresholds['4']).toBe(30); // underpass 30 cm = red
    for (const category of ['utility-tunnel', 'gas-main', 'septic-tank']) {
      expect(factor(category, 'ch4_pct_lel').thresholds['3']).toBe(20); // alarm
      expect(factor(category, 'ch4_pct_lel').thresholds['4']).toBe(35); // cut-off
    }
    expect(factor('utility-tunnel', 'h2s_mg_per_m3').thresholds['3']).toBe(10);
    const o2 = factor('utility-tunnel', 'o2_pct');
    expect([o2.direction, o2.thresholds['2']]).toEqual(['below', 19.5]);
    expect(categoryData.warning_signals.rainstorm.levels['4']).toMatch(/100 mm in 3 h/);
    expect(categoryData.warning_signals.rainstorm.levels['1']).toMatch(/50 mm in 12 h/);
  });

  it('a category default factor grades with its on-delay, deadband and staleness', () => {
    // waterlogging depth: on-delay 60 s, deadband 2, interval 300 s → stale after 600 s; holds
    // 21600/7200/1800. 31 cm at 100 → red at 160 (on-delay). 0 at 200 starts the red hold, but the
    // gauge then falls silent: stale from 800, the hold is void and the item stays red to the end.
    const out = gradeBoth(kernels, {
      until_s: 30000, items: [{ id: 'U', category: 'waterlogging', factors: 'category' }],
      readings: [{ t_s: 100, item: 'U', factor: 'depth_cm', value: 31 }, { t_s: 200, item: 'U', factor: 'depth_cm', value: 0 }],
    });
    expect(brief(out)).toEqual([[160, 'U', 1, 4, 'sensor', 'depth_cm=31≥30']]);
    expect(out.stale).toEqual([{ item: 'U', factor: 'depth_cm', since_s: 800 }]);
  });
});
