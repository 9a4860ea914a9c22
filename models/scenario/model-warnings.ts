// What the models could not honour exactly in a coupled run, carried to the user. Each model's
// own command prints its `warnings`; a scenario run calls the models through the typed paths and
// used to keep only their numbers, so an unstable routing (sub-steps capped, outflow below zero)
// reached nobody. Here each warning gets the model and the place it concerns (a reach, a basin,
// the scenario field or region file that caused it) so the CLI, summary.json and the app can say
// where as well as what. Each also gets a severity, a stable code and its params
// (warning-codes.ts): information is not a reason to doubt the results, and the app says each line
// in the trainer's language.
import { classify, type WarningParams, type WarningSeverity } from './warning-codes.ts';

export type { WarningParams, WarningSeverity } from './warning-codes.ts';

/** The models that warn: one list for the type and for every reader of a recorded line. */
export const WARNING_MODELS = ['flood', 'landslide', 'fire', 'risklist'] as const;

/** One model's warning in a scenario run. */
export interface ModelWarning {
  model: (typeof WARNING_MODELS)[number];
  /** A reach (`reach R012`), a basin, the scenario's JSON path or a region file; `network`/`grid` for the whole. */
  where: string;
  /** The model's own English line, as its command prints it. */
  what: string;
  /** `warning`: the results may be inexact; `info`: worth knowing, no loss of accuracy. */
  severity: WarningSeverity;
  /** Stable across wordings (warning-codes.ts); `other` for a line no rule knows. */
  code: string;
  /** The numbers and names of `what`, by name, for rendering the code in another language. */
  params: WarningParams;
}

/** A model line, placed, with its code, params and severity. */
export function modelWarning(model: ModelWarning['model'], where: string, what: string): ModelWarning {
  return { model, where, what, ...classify(what) };
}

/** `reach <id>: …` and `basin <id>: …` lines of the router (models/flood/route-plan.ts, runoff.ts). */
export function floodWarnings(warnings: readonly string[], reachIds: ReadonlySet<string>, basinIds: ReadonlySet<string> = new Set()): ModelWarning[] {
  return warnings.map((text) => {
    const placed = placeOf(text, 'reach', reachIds) ?? placeOf(text, 'basin', basinIds);
    return modelWarning('flood', placed?.where ?? 'network', placed?.what ?? text);
  });
}

function placeOf(text: string, kind: string, ids: ReadonlySet<string>): { where: string; what: string } | undefined {
  if (!text.startsWith(`${kind} `)) return undefined;
  // Ids are matched whole against the known ones, longest first: an id may itself hold ': '.
  const rest = text.slice(kind.length + 1);
  for (let at = rest.lastIndexOf(': '); at >= 0; at = at > 0 ? rest.lastIndexOf(': ', at - 1) : -1) {
    const id = rest.slice(0, at);
    if (ids.has(id)) return { where: `${kind} ${id}`, what: rest.slice(at + 2) };
  }
  return undefined;
}

/** Paths of the fire's typed case (models/fire/spread-typed.ts) as the scenario's fields that fill them. */
const FIRE_PLACES: { pattern: RegExp; where: (m: RegExpMatchArray) => string }[] = [
  { pattern: /^\$\.wind\.series\[(\d+)\] /, where: (m) => `$.forcing.wind[${m[1]}]` },
  { pattern: /^\$\.ignitions\[\d+\] /, where: () => '$.injects (ignition)' },
  { pattern: /^fuel models .* at this moisture/, where: () => '$.forcing.fuel_moisture_percent' },
  { pattern: /NODATA fuel/, where: () => 'region fuel grid' },
  { pattern: /NODATA slope or elevation/, where: () => 'region DEM' },
];

export function fireWarningsOf(warnings: readonly string[]): ModelWarning[] {
  return warnings.map((text) => {
    for (const { pattern, where } of FIRE_PLACES) {
      const m = text.match(pattern);
      if (m) return modelWarning('fire', where(m), text);
    }
    return modelWarning('fire', 'fire', text);
  });
}

export function landslideWarningsOf(warnings: readonly string[], where: string): ModelWarning[] {
  return warnings.map((what) => modelWarning('landslide', where, what));
}

/** One line per warning, in a run's order, without repeats (a model run per slope case says the same thing each time). */
export function uniqueWarnings(warnings: readonly ModelWarning[]): ModelWarning[] {
  const seen = new Set<string>();
  return warnings.filter((w) => {
    const key = `${w.model}\0${w.where}\0${w.what}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The CLI's stderr line: `warning: <model>: <where>: <what>`, and `note: …` for information, so a
 * script that counts `warning:` lines counts only what may make the results inexact.
 */
export function warningLine(w: Pick<ModelWarning, 'model' | 'where' | 'what'> & { severity?: WarningSeverity }): string {
  return `${w.severity === 'info' ? 'note' : 'warning'}: ${w.model}: ${w.where}: ${w.what}`;
}
