// Inject actions are typed from their one declaration (ACTION_FIELDS): a field's kind gives its
// type, `optional` makes it optional, and `type` narrows the union, so the couplings read
// `action.m3_per_s` without a cast (issue 16: there were nine). tsc checks the expectTypeOf lines.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { actionAreas, checkAction, type ActionOf, type InjectAction } from '../../models/scenario/actions.ts';
import type { Problem } from '../../models/errors.ts';

describe('inject action types derive from ACTION_FIELDS', () => {
  it('each field has its kind\'s type, optional where declared optional', () => {
    expectTypeOf<ActionOf<'dam-release'>>().toEqualTypeOf<{ type: 'dam-release' } & { m3_per_s: number } & { reservoir?: string; duration_s?: number }>();
    expectTypeOf<ActionOf<'ignition'>['x_m']>().toEqualTypeOf<number>();
    expectTypeOf<ActionOf<'barrier'>['polyline_m']>().toEqualTypeOf<[number, number][]>();
    expectTypeOf<NonNullable<ActionOf<'warning-issue'>['hazard']>>().toEqualTypeOf<'rainstorm' | 'flood' | 'geohazard' | 'forest-fire'>();
    expectTypeOf<InjectAction['type']>().toEqualTypeOf<'rain' | 'ignition' | 'dam-release' | 'barrier' | 'sensor-reading' | 'warning-issue' | 'warning-lift' | 'evacuation'>();
  });

  it('checkAction is the one narrowing: what it passes is an InjectAction, what it refuses names its path', () => {
    const problems: Problem[] = [];
    const raw: unknown = { type: 'dam-release', m3_per_s: 800, duration_s: 7200 };
    expect(checkAction(raw, '$.injects[0].action', problems)).toBe(true);
    if (checkAction(raw, '$.injects[0].action', problems) && raw.type === 'dam-release') expect(raw.m3_per_s * 2).toBe(1600);
    expect(checkAction({ type: 'dam-release', m3_per_s: 'lots' }, '$.injects[1].action', problems)).toBe(false);
    expect(problems.map((p) => p.path)).toEqual(['$.injects[1].action.m3_per_s']);
  });

  it('areas, the older area, and every district read the same way everywhere', () => {
    expect(actionAreas({ areas: ['yuzhong', 'nanan'] })).toEqual(['yuzhong', 'nanan']);
    expect(actionAreas({ area: 'yuzhong' })).toEqual(['yuzhong']);
    expect(actionAreas({ area: 'all' })).toBe('all');
    expect(actionAreas({})).toBe('all');
  });
});
