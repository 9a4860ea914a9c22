import { InputError } from './errors.ts';
import { MAX_JSON_DEPTH } from './limits.ts';

/**
 * Parses JSON text; a syntax error becomes an InputError located as `file:line:col`. A leading
 * UTF-8 byte order mark (Windows editors write one) is not part of the JSON and is skipped.
 */
export function parseJson(text: string, fileName: string): unknown {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // JSON.parse (and findSyntaxError) recurse once per level: a deep enough nest overflows the
  // stack, so the depth is measured first with a flat scan.
  const tooDeep = findExcessiveNesting(text, MAX_JSON_DEPTH);
  if (tooDeep !== undefined) {
    throw new InputError([{ path: locate(text, tooDeep, fileName), message: `nesting deeper than ${MAX_JSON_DEPTH} levels`, expected: `at most ${MAX_JSON_DEPTH} nested arrays and objects` }]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const found = findSyntaxError(text);
    // Show what stands at the error: the rest of that line, or nothing at the end of the text.
    const seen = text.slice(found.offset).split('\n')[0].slice(0, 20) || undefined;
    throw InputError.single(locate(text, found.offset, fileName), 'not valid JSON', seen, found.expected);
  }
}

function locate(text: string, offset: number, fileName: string): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return `${fileName}:${line}:${offset - lineStart + 1}`;
}

/** Offset of the first `[` or `{` (outside strings) that opens level `limit + 1`, if any. */
export function findExcessiveNesting(text: string, limit: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++; // backslash: the next character is escaped
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > limit) return i;
    } else if (ch === 0x5d || ch === 0x7d) {
      depth--;
    }
  }
  return undefined;
}

/**
 * Finds where JSON text first goes wrong and what was expected there. JSON.parse knows, but not
 * every engine says where (Node 20 often gives no position), and users need the line and column.
 */
export function findSyntaxError(text: string): { offset: number; expected: string } {
  let at = 0;
  class Stop { constructor(readonly expected: string) {} }
  const space = () => { while (at < text.length && ' \t\n\r'.includes(text[at])) at++; };
  const literal = (word: string) => {
    for (const ch of word) { if (text[at] !== ch) throw new Stop(`"${word}"`); at++; }
  };
  const string = () => {
    if (text[at] !== '"') throw new Stop('a string in double quotes');
    at++;
    while (at < text.length && text[at] !== '"') {
      if (text.charCodeAt(at) < 0x20) throw new Stop('a closing " before the end of the line');
      if (text[at] === '\\') {
        at++;
        if (text[at] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 1, at + 5))) throw new Stop('four hex digits after \\u');
          at += 4;
        } else if (!'"\\/bfnrt'.includes(text[at] ?? '')) throw new Stop('a valid escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
      }
      at++;
    }
    if (at >= text.length) throw new Stop('a closing "');
    at++;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at));
    if (!match) throw new Stop('a value (object, array, string, number, true, false or null)');
    at += match[0].length;
  };
  const value = (): void => {
    space();
    const ch = text[at];
    if (ch === '{') {
      at++; space();
      if (text[at] === '}') { at++; return; }
      for (;;) {
        space(); string(); space();
        if (text[at] !== ':') throw new Stop('":" after the key');
        at++; value(); space();
        if (text[at] === ',') { at++; continue; }
        if (text[at] === '}') { at++; return; }
        throw new Stop('"," or "}" after a value in an object');
      }
    }
    if (ch === '[') {
      at++; space();
      if (text[at] === ']') { at++; return; }
      for (;;) {
        value(); space();
        if (text[at] === ',') { at++; continue; }
        if (text[at] === ']') { at++; return; }
        throw new Stop('"," or "]" after a value in an array');
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    number();
  };
  try {
    value(); space();
    if (at < text.length) throw new Stop('the end of the document');
    return { offset: text.length, expected: 'valid JSON' };
  } catch (stop) {
    if (stop instanceof Stop) return { offset: Math.min(at, text.length), expected: stop.expected };
    throw stop;
  }
}
