import { InputError } from './errors.ts';

/** Parses JSON text; a syntax error becomes an InputError located as `file:line:col`. */
export function parseJson(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const found = findSyntaxError(text);
    const before = text.slice(0, found.offset).split('\n');
    const line = before.length;
    const column = before[before.length - 1].length + 1;
    // Show what stands at the error: the rest of that line, or nothing at the end of the text.
    const seen = text.slice(found.offset).split('\n')[0].slice(0, 20) || undefined;
    throw InputError.single(`${fileName}:${line}:${column}`, 'not valid JSON', seen, found.expected);
  }
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
