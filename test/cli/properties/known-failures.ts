// Failures the property tests find on main that other branches of issue 15 are fixing. Each entry
// names its class and the part of the issue that covers it; a violation that matches one is
// counted (SANDTABLE_PROPS_REPORT=1 prints the counts) but does not fail the test. Remove an entry
// when its fix merges: the properties then hold the fix in place. SANDTABLE_PROPS_STRICT=1 ignores
// this list, so fast-check shrinks each failure to its minimal case.

export type ViolationKind =
  | 'hang' | 'crash' | 'exit1' | 'exit-other' | 'stack-trace' | 'valid-refused' | 'error-format' | 'stdout-on-error'
  | 'stdout-not-json' | 'non-finite' | 'wrote-outside' | 'changed-file' | 'removed-file'
  | 'wrong-type-accepted' | 'invalid-accepted' | 'path-not-named' | 'out-not-refused';

export interface Violation { kind: ViolationKind; detail: string; known?: string }

interface KnownFailure {
  /** A short name for the class, as the report counts it. */
  id: string;
  /** Commands as suite.ts names them ('flood route', 'fire spread --out', …), or '*' for all. */
  commands: string[] | '*';
  kind: ViolationKind;
  /** Matched against the violation's detail (the first stderr line, or the path). */
  detail?: RegExp;
  /** Where issue 15 asks for the fix. */
  issue: string;
}

// Every class the properties found has been fixed (issue 15); add an entry only for a class whose
// fix is under way on another branch, and remove it when that fix merges.
export const KNOWN_FAILURES: KnownFailure[] = [];

export function classify(command: string, violations: Violation[]): { known: Violation[]; unknown: Violation[] } {
  const known: Violation[] = [];
  const unknown: Violation[] = [];
  for (const v of violations) {
    const entry = KNOWN_FAILURES.find((k) => k.kind === v.kind && (k.commands === '*' || k.commands.includes(command)) && (!k.detail || k.detail.test(v.detail)));
    if (entry) known.push({ ...v, known: entry.id }); else unknown.push(v);
  }
  return { known, unknown };
}
