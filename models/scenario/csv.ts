// RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. Each row remembers the
// line it starts on so errors can name `file.csv:line`.
//
// What the project writes opens in a spreadsheet as it reads: a UTF-8 byte-order mark first (Excel
// on Chinese Windows otherwise reads UTF-8 as GBK and garbles every Chinese title), and a text cell
// a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first: OWASP "CSV injection")
// written behind an apostrophe, which spreadsheets show as text. Numbers such as -3.5 stay numbers.
// The project's readers take the mark and the apostrophe off again, so files round-trip.

export const BOM = '\ufeff';

const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A cell as a spreadsheet should show it: text that would start a formula gets an apostrophe. */
export function safeCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  return FORMULA_START.test(value) && !NUMBER.test(value) ? `'${value}` : value;
}

/** The cell as written before safeCell. */
function unsafeCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) && !NUMBER.test(value.slice(1)) ? value.slice(1) : value;
}

export interface CsvRow { line: number; fields: string[] }

export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else { if (ch === '\n') line++; field += ch; }
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') { fields.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.length > 1 || fields[0] !== '') rows.push({ line: rowLine, fields });
      fields = []; field = '';
      line++;
      rowLine = line;
    } else field += ch;
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    rows.push({ line: rowLine, fields });
  }
  for (const row of rows) row.fields = row.fields.map(unsafeCell);
  return rows;
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One field as written: formula-like text neutralised, then quoted (RFC 4180) where it must be. */
export function csvField(value: string | number): string {
  return quote(safeCell(value));
}

type Rows = readonly (readonly (string | number)[])[];

/** The project's one way to write rows: every field through csvField, one line per row. */
function csvLines(header: readonly string[], rows: Rows, eol: string): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join(eol) + eol;
}

/** A CSV file for people: BOM, CRLF lines, quoted where needed, formula-like text neutralised. */
export function formatCsv(header: readonly string[], rows: Rows): string {
  return BOM + csvLines(header, rows, '\r\n');
}

/**
 * A results table for scripts as well as spreadsheets: no mark (the header reads `t_s`, not
 * `\ufefft_s`) and LF lines, but quoted and neutralised like every CSV the project writes.
 */
export function formatResultsCsv(header: readonly string[], rows: Rows): string {
  return csvLines(header, rows, '\n');
}
