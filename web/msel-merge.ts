// An imported MSEL CSV merged into the session by inject id (issue 17 item 6): the CSV is the MSEL
// as the trainer now wants it, but what already happened in the exercise — deliveries by hand and
// cancellations — stays with the injects that are still there. Only deliveries or cancellations of
// injects the CSV leaves out would be lost: the app asks before that.
import type { Decision } from '../models/scenario/aar.ts';
import { checkCsvReferences, type RegionRefs } from '../models/scenario/entry-check.ts';
import { injectsFromCsv, type Inject } from '../models/scenario/injects.ts';

export interface MergeReport {
  added: string[];
  changed: string[];
  removed: string[];
  /** Deliveries and cancellations kept (their injects are still in the MSEL). */
  kept: number;
  /** Injects delivered or cancelled that the import removes, with their record. */
  lost: string[];
}

export interface Merged {
  injects: Inject[];
  delivered: Map<string, number>;
  cancelled: Map<string, number>;
  report: MergeReport;
}

export function mergeMsel(current: readonly Inject[], imported: Inject[], delivered: ReadonlyMap<string, number>, cancelled: ReadonlyMap<string, number>): Merged {
  const before = new Map(current.map((i) => [i.id, i]));
  const ids = new Set(imported.map((i) => i.id));
  const keep = (m: ReadonlyMap<string, number>) => new Map([...m].filter(([id]) => ids.has(id)));
  const kept = { delivered: keep(delivered), cancelled: keep(cancelled) };
  return {
    injects: imported,
    ...kept,
    report: {
      added: imported.filter((i) => !before.has(i.id)).map((i) => i.id),
      changed: imported.filter((i) => before.has(i.id) && JSON.stringify(before.get(i.id)) !== JSON.stringify(i)).map((i) => i.id),
      removed: current.filter((i) => !ids.has(i.id)).map((i) => i.id),
      kept: kept.delivered.size + kept.cancelled.size,
      lost: [...new Set([...delivered.keys(), ...cancelled.keys()])].filter((id) => !ids.has(id)),
    },
  };
}

export interface Session {
  injects: readonly Inject[];
  delivered: ReadonlyMap<string, number>;
  cancelled: ReadonlyMap<string, number>;
  decisions: readonly Decision[];
  durationS: number;
  /** The region's districts and items, once loaded: what the CSV's actions must name. */
  region?: RegionRefs;
}

/** An MSEL CSV read and checked in full (form, then the region: InputError), merged into `session`. */
export function importMsel(text: string, fileName: string, session: Session): Merged {
  const imported = injectsFromCsv(text, fileName, session.durationS);
  if (session.region) checkCsvReferences(imported, session.decisions, text, fileName, session.region);
  return mergeMsel(session.injects, imported, session.delivered, session.cancelled);
}

/** One line of the report, in the UI's language (`fill` applies {n}-style fill-ins). */
export function reportText(report: MergeReport, fileName: string, template: string): string {
  const list = (ids: string[]) => (ids.length ? `${ids.length} (${ids.join(', ')})` : '0');
  return template.replace('{file}', fileName).replace('{added}', list(report.added)).replace('{changed}', list(report.changed))
    .replace('{removed}', list(report.removed)).replace('{kept}', String(report.kept));
}
