// Ids that become file names (a warning's id names its CAP files, `cap/<id>.alert.xml`) are
// checked where the user wrote them, so `run --out DIR` can only ever write inside DIR. Letters,
// digits, `_`, `-` and `.` cover every id the shipped scenarios and regions use.
import type { Problem } from '../errors.ts';

const FILE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const FILE_ID_EXPECTED = '1 to 64 letters, digits, "_", "-" or "." (no ".."), starting with a letter or digit';

export function isFileId(value: string): boolean {
  return FILE_ID.test(value) && !value.includes('..');
}

/** Adds a problem at `path` when `value` is a string that cannot name a file (other kinds are checked elsewhere). */
export function checkFileId(value: unknown, path: string, problems: Problem[], use: string): void {
  if (typeof value === 'string' && value !== '' && !isFileId(value)) {
    problems.push({ path, message: `cannot be used in file names (it names ${use})`, value, expected: FILE_ID_EXPECTED });
  }
}

/**
 * A region's ids that reach warning ids, and so CAP file names: districts (every rule warning)
 * and entering rivers (their gauges, in flood warnings). Paths are `<region.json> $.districts[k].id`.
 */
export function regionIdProblems(manifest: unknown, shownAs: string): Problem[] {
  const problems: Problem[] = [];
  const m = manifest as { districts?: unknown; river_entries?: unknown };
  const each = (list: unknown, key: string, field: string, use: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((entry, k) => {
      if (entry && typeof entry === 'object') checkFileId((entry as Record<string, unknown>)[field], `${shownAs} $.${key}[${k}].${field}`, problems, use);
    });
  };
  each(m?.districts, 'districts', 'id', 'the CAP files of its warnings');
  each(m?.river_entries, 'river_entries', 'river', 'the CAP files of its gauge\'s flood warnings');
  return problems;
}
