// Text files from a city's GIS office: UTF-8 (with or without a byte order mark) or, as Excel in
// China saves CSV, GB18030/GBK. Decoded strictly as UTF-8 first: GB18030 bytes are almost never
// valid UTF-8, while every UTF-8 file is "valid" GB18030 (as mojibake), so the order matters.
import { InputError } from '../../errors.ts';

export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'gb18030' } {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(body), encoding: 'gb18030' };
  }
}

export interface CsvTable {
  /** Header names, trimmed and lower-cased. */
  header: string[];
  /** Data rows with their 1-based line number in the file. */
  rows: { line: number; cells: string[] }[];
}

/** RFC 4180 CSV: quoted fields (with doubled quotes and line breaks inside), CRLF or LF, blank lines skipped. */
export function parseCsv(text: string, file: string): CsvTable {
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = []; let field = ''; let quoted = false; let line = 1; let recordLine = 1; let fieldStarted = false;
  const endRecord = () => {
    cells.push(field);
    if (!(cells.length === 1 && cells[0].trim() === '')) records.push({ line: recordLine, cells });
    cells = []; field = ''; fieldStarted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false;
      else { if (ch === '\n') line++; field += ch; }
      continue;
    }
    if (ch === '"' && !fieldStarted) { quoted = true; fieldStarted = true; } else if (ch === ',') { cells.push(field); field = ''; fieldStarted = false; } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord(); line++; recordLine = line;
    } else { field += ch; fieldStarted = true; }
  }
  if (quoted) throw InputError.single(`${file}:${recordLine}:1`, 'has a quoted field that never ends', undefined, 'a closing "');
  if (field !== '' || cells.length) endRecord();
  if (records.length === 0) throw InputError.single(`${file}:1:1`, 'is empty', undefined, 'a header row and one row per item');
  const [head, ...rows] = records;
  return { header: head.cells.map((h) => h.trim().toLowerCase()), rows };
}
