import { describe, expect, it } from 'vitest';
import { formatProblem, InputError } from '../../models/errors.ts';
import { parseJson } from '../../models/json.ts';

function locate(text: string): string {
  try {
    parseJson(text, 'case.json');
  } catch (error) {
    return formatProblem((error as InputError).problems[0]);
  }
  return 'parsed';
}

describe('JSON syntax errors are located as file:line:col', () => {
  it.each([
    ['{\n  "dt_s": 3600,\n  "reaches": [ }\n}', 'error: case.json:3:16: not valid JSON (got "}", expected a value (object, array, string, number, true, false or null))'],
    ['{ "a": 1 "b": 2 }', 'error: case.json:1:10: not valid JSON (got "\\"b\\": 2 }", expected "," or "}" after a value in an object)'],
    ['{ "a": [1, 2,, 3] }', 'error: case.json:1:14: not valid JSON (got ", 3] }", expected a value (object, array, string, number, true, false or null))'],
    ['{ a: 1 }', 'error: case.json:1:3: not valid JSON (got "a: 1 }", expected a string in double quotes)'],
    ['{ "a": tru }', 'error: case.json:1:11: not valid JSON (got " }", expected "true")'],
    ['{ "a": 1 }\n}', 'error: case.json:2:1: not valid JSON (got "}", expected the end of the document)'],
    ['{ "a": "x', 'error: case.json:1:10: not valid JSON (got nothing, expected a closing ")'],
    ['', 'error: case.json:1:1: not valid JSON (got nothing, expected a value (object, array, string, number, true, false or null))'],
  ])('%j', (text, expected) => {
    expect(locate(text)).toBe(expected);
  });

  it('parses valid JSON unchanged', () => {
    expect(parseJson('{"a":[1,2.5e3,"\\u00e9"]}', 'x')).toEqual({ a: [1, 2500, 'é'] });
  });
});

describe('JSON limits and a byte order mark', () => {
  it('a nest deeper than 256 levels is refused at the bracket that opens level 257, before JSON.parse recurses', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(locate(deep)).toBe('error: case.json:1:257: nesting deeper than 256 levels (expected at most 256 nested arrays and objects)');
    const unclosed = '{\n  "a": ' + '{"b": '.repeat(300);
    expect(locate(unclosed)).toBe('error: case.json:2:1538: nesting deeper than 256 levels (expected at most 256 nested arrays and objects)');
  });

  it('256 levels parse; brackets inside strings (escaped quotes too) do not count', () => {
    expect(locate('['.repeat(256) + ']'.repeat(256))).toBe('parsed');
    expect(parseJson(`{"a": "${'['.repeat(300)}\\"${'{'.repeat(300)}"}`, 'x')).toEqual({ a: `${'['.repeat(300)}"${'{'.repeat(300)}` });
  });

  it('a leading UTF-8 byte order mark (Windows editors write one) is skipped; errors keep their columns', () => {
    expect(parseJson('\uFEFF{"a": 1}', 'x')).toEqual({ a: 1 });
    expect(locate('\uFEFF{ "a": tru }')).toBe('error: case.json:1:11: not valid JSON (got " }", expected "true")');
  });
});
