// A model warning in the UI's language: its code's entry (web/i18n-model-warnings.ts) filled with
// its params, its place with the kind word translated. A warning without a code (an older record)
// or with one this app does not know (a newer engine) shows the model's own English line.
import type { ModelWarning } from '../models/scenario/model-warnings.ts';
import { translate, type Lang } from './i18n.ts';

/** What the notice needs of a warning: a run's, an ensemble's grouped one, or an older record's (no code). */
export type NoticeWarning = Pick<ModelWarning, 'model' | 'where' | 'what'> & Partial<Pick<ModelWarning, 'severity' | 'code' | 'params'>>;

/** Information, not a doubt on the results; a warning without a severity (older records) counts as a warning. */
export const isInfo = (w: NoticeWarning) => w.severity === 'info';

function fill(lang: Lang, template: string, params: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(@?)(\w+)\}/g, (whole, part: string, name: string) => {
    const value = params[name];
    if (value === undefined) return part ? '' : whole;
    return part ? fill(lang, translate(lang, `modelWarningRemedy_${value}`), params) : String(value);
  });
}

export function warningText(w: NoticeWarning, lang: Lang): string {
  if (!w.code || !w.params) return w.what;
  const key = `modelWarning_${w.code}`;
  const template = translate(lang, key);
  return template === key ? w.what : fill(lang, template, w.params);
}

export function whereText(where: string, lang: Lang): string {
  const wholeKey = `modelWhere_${where}`;
  const whole = translate(lang, wholeKey);
  if (whole !== wholeKey) return whole;
  const m = /^(reach|basin|slope) (.+)$/s.exec(where);
  return m ? translate(lang, `modelWhere_${m[1]}`).replace('{id}', () => m[2]) : where;
}

/** The lines that count the reach lines left out ("… and 11 more"): they stay after the reach lines they continue, each its own line. */
export const CONTINUATIONS = new Set(['flood.more_unstable', 'flood.more_reach_lines']);

/**
 * The order a trainer reads them in: what the whole run met (outflow below zero, a capped routing,
 * blocks run at 60°) before the reach-by-reach lines, and the "… and N more" lines after those.
 * Within each part the run's order is kept.
 */
export function readingOrder<W extends NoticeWarning>(warnings: readonly W[]): W[] {
  const part = (w: W) => (w.code && CONTINUATIONS.has(w.code) ? 2 : w.where.startsWith('reach ') ? 1 : 0);
  return [0, 1, 2].flatMap((p) => warnings.filter((w) => part(w) === p));
}
