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

const OUT = ['landslide fs --out', 'fire spread --out', 'run --out'];

export const KNOWN_FAILURES: KnownFailure[] = [
  // Refused though valid.
  { id: 'bom-refused', commands: '*', kind: 'valid-refused', detail: /not valid JSON/, issue: '#15 Silently accepted, or wrongly refused: a case file starting with a UTF-8 BOM' },
  { id: 'note-key-refused', commands: '*', kind: 'valid-refused', detail: /\._note\b/, issue: '#15 Silently accepted, or wrongly refused: an "_note" key (underscore keys are comments)' },
  // Output folders (CONTRACT.md "Output folders").
  { id: 'out-is-a-file-exit1', commands: OUT, kind: 'exit1', detail: /EEXIST|ENOTDIR/, issue: '#15 --out naming an existing file is an input error (today exit 1 with EEXIST)' },
  { id: 'out-not-empty-accepted', commands: OUT, kind: 'out-not-refused', issue: '#15 a command writes only into a new or empty folder (or one it wrote itself) unless --force' },
  { id: 'out-overwrites-users-files', commands: OUT, kind: 'changed-file', issue: '#15 --out overwrites users\' files; an input file is never overwritten' },
  { id: 'id-climbs-out-of-out', commands: ['run --out'], kind: 'wrote-outside', detail: /PWNED/, issue: '#15 A scenario can write anywhere: an inject action id ../../../PWNED writes PWNED.alert.xml outside --out' },
  { id: 'writes-outside-out', commands: OUT, kind: 'wrote-outside', issue: '#15 fire spread without --out writes into the current folder; every file written resolves inside DIR' },
  { id: 'id-nul-byte-exit1', commands: ['run --out'], kind: 'exit1', detail: /null bytes/, issue: '#15 ids used in file names are restricted to a safe set: a NUL byte in a warning id ends in TypeError (exit 1)' },
  { id: 'id-too-long-for-file-name-exit1', commands: ['run --out'], kind: 'exit1', detail: /ENAMETOOLONG/, issue: '#15 ids used in file names are restricted (or mapped) to a safe set, else an input error naming the JSON path' },
  { id: 'far-geometry-hang', commands: ['fire spread --out'], kind: 'hang', issue: '#15 Hangs: an ignition line to x = 1e9 or a barrier polyline to ±1e9 on a 3×3 grid never finishes; clip geometry to the grid' },
  // The scenario's settings.
  { id: 'scenario-setting-accepted', commands: ['run --out'], kind: 'invalid-accepted', issue: '#15 run does not validate its models block (runoff "magic", manning_n "rough", enabled "no", basal_boundary "bedrock", unknown keys, risklist.items "region/nope.json"), district_factors atlantis, start_time 2026-02-30, an inject condition on "banana" or an unknown gauge' },
  { id: 'scenario-error-names-internal-path', commands: ['run --out'], kind: 'path-not-named', detail: /^\$\.models\./, issue: '#15 errors name a path of an internal case ($.reaches[0].method) instead of the scenario\'s ($.models.flood.routing)' },
  { id: 'scenario-text-type-accepted', commands: ['run --out'], kind: 'wrong-type-accepted', detail: /\.(description|title_zh|expected_action|objective|from|to)$/, issue: '#15 silently accepted: a number where the scenario (or an inject) has free text, e.g. "description": 12345' },
  // Numbers and sizes.
  { id: 'route-huge-inflow-exit1', commands: ['flood route'], kind: 'exit1', detail: /NumericalError/, issue: '#15 huge but finite inputs (1e308 m³/s) end in NumericalError (exit 1): bound them at the parser' },
  { id: 'tiff-corrupt-exit1', commands: ['landslide fs --out'], kind: 'exit1', detail: /outside the bounds of the DataView/, issue: '#15 Truncated TIFFs, strip offsets past the end (and a width of 1e9): exit 2 naming the file, not RangeError' },
  { id: 'tiff-huge-height-hang', commands: ['landslide fs --out'], kind: 'hang', issue: '#15 Resource exhaustion: a TIFF claiming huge dimensions (height 1e9) runs past the time bound instead of exit 2 naming the limit' },
  { id: 'tiff-rotated-read-as-north-up', commands: ['landslide fs --out'], kind: 'invalid-accepted', detail: /\.tif$/, issue: '#15 Rotated GeoTIFFs are read as north-up (rotated, sheared and south-up transforms run with exit 0)' },
  { id: 'tiff-transform-only-refused', commands: ['landslide fs --out'], kind: 'valid-refused', detail: /is not north-up/, issue: '#15 a north-up transform-only TIFF is refused' },
  { id: 'grid-huge-header-exit1', commands: OUT, kind: 'exit1', detail: /RangeError|Invalid typed array length|Array buffer allocation/, issue: '#15 Resource exhaustion: an ESRI header with ncols 1000000000 ends in RangeError' },
  // Wrong types.
  { id: 'ignition-line-type-misnamed', commands: ['fire spread --out'], kind: 'path-not-named', detail: /^\$\.ignitions\[\d+\]\.line_m/, issue: '#15 every error names the path in the file the user wrote: a line_m that is not an array is reported as missing x_m/y_m' },
  { id: 'zone-name-type-accepted', commands: ['landslide fs --out'], kind: 'wrong-type-accepted', detail: /zone_table\[\d+\]\.name$/, issue: '#15 silently accepted: a number as a zone name' },
];

export function classify(command: string, violations: Violation[]): { known: Violation[]; unknown: Violation[] } {
  const known: Violation[] = [];
  const unknown: Violation[] = [];
  for (const v of violations) {
    const entry = KNOWN_FAILURES.find((k) => k.kind === v.kind && (k.commands === '*' || k.commands.includes(command)) && (!k.detail || k.detail.test(v.detail)));
    if (entry) known.push({ ...v, known: entry.id }); else unknown.push(v);
  }
  return { known, unknown };
}
