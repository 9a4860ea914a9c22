// A run's model warnings as the trainer reads them: lines of one model, code and severity at many
// places (the shipped storm's 20 reaches whose outflow may dip) make one line that says how many
// places, with each place's own line a click away, so a notice opens on what happened, not on 20
// near-copies. The count stays whole: every warning is in exactly one group. The notice, the record
// tab and the printed report group alike.
import { translate, type Lang } from './i18n.ts';
import { CONTINUATIONS, readingOrder, warningText, whereText, type NoticeWarning } from './model-warning-text.ts';

export interface WarningGroup<W extends NoticeWarning = NoticeWarning> {
  model: W['model'];
  code?: string;
  /** The run's warnings in this group, in reading order; one for a line met at one place. */
  warnings: W[];
}

/** What makes warnings one group: their model, code and severity (none: a warning). */
export const groupKey = (w: NoticeWarning) => `${w.model}\u0000${w.code}\u0000${w.severity ?? 'warning'}`;

/**
 * The warnings in reading order (web/model-warning-text.ts), those of one model, code and severity
 * gathered at the place of the first. A line without a code (an older record, a newer engine) is
 * never gathered: its sameness cannot be known.
 */
export function groupWarnings<W extends NoticeWarning>(warnings: readonly W[]): WarningGroup<W>[] {
  const groups: WarningGroup<W>[] = [];
  const byKey = new Map<string, WarningGroup<W>>();
  for (const w of readingOrder(warnings)) {
    const key = w.code && !CONTINUATIONS.has(w.code) ? groupKey(w) : undefined;
    const found = key === undefined ? undefined : byKey.get(key);
    if (found) { found.warnings.push(w); continue; }
    const group: WarningGroup<W> = { model: w.model, ...(w.code ? { code: w.code } : {}), warnings: [w] };
    groups.push(group);
    if (key !== undefined) byKey.set(key, group);
  }
  return groups;
}

/** "20 reaches", "3 slopes", "4 places": the kind word when every place is of one kind. */
export function placesText(group: WarningGroup, lang: Lang): string {
  const kinds = new Set(group.warnings.map((w) => /^(reach|basin|slope) /.exec(w.where)?.[1] ?? ''));
  const kind = kinds.size === 1 ? [...kinds][0] : '';
  return translate(lang, `modelWherePlural_${kind || 'place'}`).replace('{n}', String(group.warnings.length));
}

/** Where a group is: the place of its one line, or how many places. */
export const groupWhereText = (group: WarningGroup, lang: Lang) => (group.warnings.length === 1 ? whereText(group.warnings[0].where, lang) : placesText(group, lang));

/**
 * What a group says: its one line's text; for many, the text they share, else the code's summary
 * (web/i18n-model-warnings.ts, `modelWarningGroup_<code>`: the same words without one place's
 * numbers), else the first line's own text naming its place, the others' in the list.
 */
export function groupText(group: WarningGroup, lang: Lang): string {
  const texts = group.warnings.map((w) => warningText(w, lang));
  if (texts.every((x) => x === texts[0])) return texts[0];
  const key = `modelWarningGroup_${group.code}`;
  const summary = translate(lang, key);
  if (summary !== key) return summary;
  return translate(lang, 'modelWarningGroupFirst').replace('{where}', () => whereText(group.warnings[0].where, lang)).replace('{text}', () => texts[0]);
}

