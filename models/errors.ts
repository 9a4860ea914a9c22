// One error type for everything a user supplied: each problem names where it is (a JSON path
// such as `$.reaches[2].K_s`, or `file.asc:7:12`), what was wrong, the value seen and what was
// expected. The CLI prints one line per problem and exits 2.

export interface Problem {
  path: string;
  message: string;
  value?: unknown;
  expected?: string;
}

export class InputError extends Error {
  readonly problems: Problem[];

  constructor(problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'InputError';
    this.problems = problems;
  }

  static single(path: string, message: string, value?: unknown, expected?: string): InputError {
    return new InputError([{ path, message, value, expected }]);
  }
}

/** Numerical trouble found in a run (instability, NaN, broken conservation): not the user's fault. */
export class NumericalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NumericalError';
  }
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value) && 'length' in value) return `an array of ${value.length as number}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

export function formatProblem(p: Problem): string {
  const detail = [
    'value' in p ? `got ${describeValue(p.value)}` : undefined,
    p.expected ? `expected ${p.expected}` : undefined,
  ].filter(Boolean);
  return `error: ${p.path}: ${p.message}${detail.length ? ` (${detail.join(', ')})` : ''}`;
}

/** JSON path of a child: `$.a.b`, `$.list[3]`, `$["odd key"]`. */
/** A problem for each key of `raw` not in `known`: a record read back carries nothing else. */
export function unknownFields(raw: Record<string, unknown>, known: readonly string[], at: string, problems: Problem[]): void {
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) problems.push({ path: childPath(at, key), message: 'unknown field', expected: `one of ${known.join(', ')}` });
  }
}

export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}
