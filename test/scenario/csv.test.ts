import { describe, expect, it } from 'vitest';
import { formatCsv, formatResultsCsv, parseCsv, safeCell } from '../../models/scenario/csv.ts';
import { injectsFromCsv, injectsToCsv, parseInjects } from '../../models/scenario/injects.ts';
import { resultsHash } from '../../models/scenario/outputs.ts';

describe('CSV for spreadsheets', () => {
  it('starts with a UTF-8 byte-order mark so Excel on Chinese Windows reads UTF-8, not GBK', () => {
    const text = formatCsv(['id', 'title'], [['I1', '堤防巡查']]);
    expect(text).toBe('\ufeffid,title\r\nI1,堤防巡查\r\n');
    expect(new TextEncoder().encode(text).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
  });

  it('writes text a spreadsheet would run as a formula behind an apostrophe, numbers as numbers', () => {
    expect(['=HYPERLINK("http://x","y")', '+1+2', '-cmd', '@SUM(A1)', '\tx', '\rx'].map(safeCell))
      .toEqual(['\'=HYPERLINK("http://x","y")', "'+1+2", "'-cmd", "'@SUM(A1)", "'\tx", "'\rx"]);
    expect(['-3.5', '+2', '-1e-3', '.5', 'title', '', '3 - 2'].map(safeCell)).toEqual(['-3.5', '+2', '-1e-3', '.5', 'title', '', '3 - 2']);
    expect(safeCell(-3.5)).toBe('-3.5');
    expect(formatCsv(['a', 'b'], [['=1+1', '-2']])).toBe("\ufeffa,b\r\n'=1+1,-2\r\n");
  });

  it('reads its own files back as they were written: the mark and the apostrophes come off', () => {
    expect(parseCsv(formatCsv(['a', 'b', 'c'], [['=1+1', '-2', "'quoted"], ['@x', '\r=y', 'z']])).map((r) => r.fields))
      .toEqual([['a', 'b', 'c'], ['=1+1', '-2', "'quoted"], ['@x', '\r=y', 'z']]);
  });

  it('an MSEL with formula-like titles round-trips through CSV', () => {
    const injects = parseInjects([
      { id: 'I1', title: '=cmd|\' /C calc\'!A0', description: '-20% 水位', from: '@trainer', kind: 'information', trigger: { type: 'time', t_s: 60 } },
    ], '$.injects', 3600);
    const csv = injectsToCsv(injects);
    expect(csv.split('\r\n')[1]).toContain(",'=cmd|' /C calc'!A0,'-20% 水位,'@trainer,");
    expect(injectsFromCsv(csv, 'msel.csv', 3600)).toEqual(injects);
  });

  it('quotes fields per RFC 4180 (commas, quotes, line breaks) after neutralising formulas, in both kinds of table', () => {
    // RFC 4180 §2.6–2.7: a field holding a comma, double quote or line break is enclosed in double
    // quotes, and a double quote inside it is written twice.
    const header = ['a', 'b', 'c', 'd', 'e', 'f'];
    const row = ['Min, upper', 'say "hi"', 'two\nlines', '=1,2', 3.5, 'plain'];
    expect(formatResultsCsv(header, [row])).toBe('a,b,c,d,e,f\n"Min, upper","say ""hi""","two\nlines","\'=1,2",3.5,plain\n');
    expect(formatCsv(header, [row])).toBe('\ufeffa,b,c,d,e,f\r\n"Min, upper","say ""hi""","two\nlines","\'=1,2",3.5,plain\r\n');
    expect(parseCsv(formatResultsCsv(header, [row]))[1].fields).toEqual(['Min, upper', 'say "hi"', 'two\nlines', '=1,2', '3.5', 'plain']);
  });

  it('the results hash covers every byte: run tables carry no mark, so a mark would be a change', async () => {
    expect(await resultsHash({ 'flows.csv': '\ufefft_s,q\n0,1\n' })).not.toBe(await resultsHash({ 'flows.csv': 't_s,q\n0,1\n' }));
    expect(await resultsHash({ 'flows.csv': 't_s,q\n0,2\n' })).not.toBe(await resultsHash({ 'flows.csv': 't_s,q\n0,1\n' }));
  });
});
