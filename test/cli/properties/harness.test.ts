// The property tests' own checks, on outcomes made by hand: each invariant of issue 15 must catch
// what it is there for, or the properties would pass on anything.
import { describe, expect, it } from 'vitest';
import { applyMutation } from './arbitraries.ts';
import { judge, type Outcome, type Tree } from './harness.ts';

const ok = (o: Partial<Outcome>): Outcome => ({ code: 0, stdout: '{"a": 1}\n', stderr: '', ms: 5, nonFinite: [], ...o });
const kinds = (o: Outcome, before: Tree = new Map(), after: Tree = new Map(), valid = false) => judge(o, before, after, ['case-1/work/out'], valid).map((v) => v.kind);

describe('property-test invariants', () => {
  it('exit 2 with one `error: <path>: …` line per problem passes; exit 1, a stack trace, a bad line or stdout do not', () => {
    expect(kinds(ok({ code: 2, stdout: '', stderr: 'error: $.reaches[0].X: out of range (got 0.7, expected [0, 0.5])\n' }))).toEqual([]);
    expect(kinds(ok({ code: 1, stdout: '', stderr: 'sandtable: internal failure: RangeError: x\n' }))).toEqual(['exit1']);
    expect(kinds(ok({ code: 2, stdout: '', stderr: 'error: $.x: bad (got 1, expected 2)\n    at parse (file.ts:1:2)\n' }))).toEqual(['stack-trace', 'error-format']);
    expect(kinds(ok({ code: 2, stdout: '', stderr: 'something went wrong\n' }))).toEqual(['error-format']);
    expect(kinds(ok({ code: 2, stdout: '{}', stderr: 'error: $.x: bad (got 1, expected 2)\n' }))).toEqual(['stdout-on-error']);
    expect(kinds(ok({ code: null, timedOut: true, stdout: '' }))).toContain('hang');
  });

  it('a valid case must exit 0 with JSON and finite numbers', () => {
    expect(kinds(ok({}), undefined, undefined, true)).toEqual([]);
    expect(kinds(ok({ code: 2, stdout: '', stderr: 'error: $.x: bad (got 1, expected 2)\n' }), undefined, undefined, true)).toEqual(['valid-refused']);
    expect(kinds(ok({ stdout: 'not json' }))).toEqual(['stdout-not-json']);
    expect(kinds(ok({ nonFinite: ['$.peak = NaN'] }))).toEqual(['non-finite']);
  });

  it('files: new ones only inside --out, none changed or removed', () => {
    const before: Tree = new Map([['case-1/data/case.json', 'h1'], ['case-1/work', 'dir']]);
    const inside: Tree = new Map([...before, ['case-1/work/out', 'dir'], ['case-1/work/out/a.asc', 'h2']]);
    expect(kinds(ok({}), before, inside)).toEqual([]);
    expect(kinds(ok({}), before, new Map([...before, ['case-1/PWNED.alert.xml', 'h3']]))).toEqual(['wrote-outside']);
    expect(kinds(ok({}), before, new Map([...before, ['case-1/data/case.json', 'changed']]))).toEqual(['changed-file']);
    expect(kinds(ok({}), before, new Map([['case-1/work', 'dir']]))).toEqual(['removed-file']);
  });

  it('mutations write what they say: raw non-finite numbers, a deep nest, a BOM, a truncation', () => {
    expect(applyMutation({ a: [1, 2] }, { op: 'replace', at: 2, value: '@@RAW:1e999@@' })).toBe('{\n "a": [\n  1e999,\n  2\n ]\n}');
    expect(applyMutation({ a: 1 }, { op: 'bom' }).charCodeAt(0)).toBe(0xfeff);
    expect(applyMutation({ a: 1 }, { op: 'truncate', fraction: 0.5 })).toBe('{\n "a');
    expect(applyMutation({ a: 1 }, { op: 'delete', at: 0 })).toBe('{}');
    expect(applyMutation({ id: 'R1', r: [{ reach: 'R1' }] }, { op: 'replace-id', at: 1, value: '../../x' })).toContain('"reach": "../../x"');
  });
});
