// The after-action record's model warnings, run by run: the recorded run's, then each what-if's own
// (a wetter what-if may cap its routing where the base did not), in the UI's language and grouped as
// the run's notice groups them (web/model-warning-groups.ts): one line per code at many places, its
// places listed. The record tab and the printed report read the same lines (web/aar-facts.ts).
import type { AfterActionRecord } from '../models/scenario/aar.ts';
import type { RecordedWarnings } from '../models/scenario/model-warnings-record.ts';
import { translate, type Lang } from './i18n.ts';
import { groupText, groupWarnings, groupWhereText, type WarningGroup } from './model-warning-groups.ts';
import { isInfo, warningText, whereText } from './model-warning-text.ts';
import { settingsText } from './whatif-text.ts';

/** One line of a run: one warning, or one code at many places (`places`, each with its own text). */
export interface RunWarningLine { kind: string; model: string; where: string; text: string; places?: { where: string; text: string }[] }
/** A run's lines, warnings before notes, and the lines the record did not keep, counted. */
export interface RunWarnings { run: string; lines: RunWarningLine[]; leftOut?: string }

function line(g: WarningGroup, lang: Lang): RunWarningLine {
  const t = (key: string) => translate(lang, key);
  return {
    kind: t(`modelSeverity_${g.warnings[0].severity ?? 'warning'}`), model: t(`model_${g.model}`), where: groupWhereText(g, lang), text: groupText(g, lang),
    ...(g.warnings.length > 1 ? { places: g.warnings.map((w) => ({ where: whereText(w.where, lang), text: warningText(w, lang) })) } : {}),
  };
}

/** Each run that recorded any warning or note: the base run first, then the what-ifs in order. */
export function modelWarningRuns(record: AfterActionRecord, lang: Lang, timeAt: (tS: number) => string): RunWarnings[] {
  const t = (key: string) => translate(lang, key);
  const run = (name: string, recorded: RecordedWarnings): RunWarnings[] => {
    const all = recorded.model_warnings ?? [];
    const lines = [...groupWarnings(all.filter((w) => !isInfo(w))), ...groupWarnings(all.filter(isInfo))].map((g) => line(g, lang));
    const leftOut = recorded.model_warnings_left_out ? t('modelWarningsRunLeftOut').replace('{n}', String(recorded.model_warnings_left_out)) : undefined;
    return lines.length || leftOut ? [{ run: name, lines, ...(leftOut ? { leftOut } : {}) }] : [];
  };
  return [
    ...run(t('modelWarningsBaseRun'), record),
    ...(record.whatifs ?? []).flatMap((w) => run(t('modelWarningsWhatIfRun').replace('{time}', timeAt(w.t_s)).replace('{settings}', () => settingsText(w.settings, lang)), w)),
  ];
}

/** The printed table's rows: run, kind, model, place and text; a group's place names each of its places. */
export function modelWarningRows(runs: readonly RunWarnings[]): string[][] {
  const placeIds = (l: RunWarningLine) => (l.places ? `${l.where}: ${l.places.map((p) => p.where).join(', ')}` : l.where);
  return runs.flatMap((r) => [
    ...r.lines.map((l) => [r.run, l.kind, l.model, placeIds(l), l.text]),
    ...(r.leftOut ? [[r.run, '', '', '', r.leftOut]] : []),
  ]);
}
