// The after-action report's model warnings, run by run: the recorded run's, then each what-if's own
// (a wetter what-if may cap its routing where the base did not), in the report's language.
import type { AfterActionRecord } from '../models/scenario/aar.ts';
import type { RecordedWarnings } from '../models/scenario/model-warnings-record.ts';
import { translate, type Lang } from './i18n.ts';
import { warningText, whereText } from './model-warning-text.ts';
import { settingsText } from './whatif-text.ts';

/** Rows of run, kind, model, place and text; none when no run recorded any. */
export function modelWarningRows(record: AfterActionRecord, lang: Lang, timeAt: (tS: number) => string): string[][] {
  const t = (key: string) => translate(lang, key);
  const rows = (run: string, recorded: RecordedWarnings): string[][] => [
    ...(recorded.model_warnings ?? []).map((w) => [run, t(`modelSeverity_${w.severity}`), t(`model_${w.model}`), whereText(w.where, lang), warningText(w, lang)]),
    ...(recorded.model_warnings_left_out ? [[run, '', '', '', t('modelWarningsRunLeftOut').replace('{n}', String(recorded.model_warnings_left_out))]] : []),
  ];
  return [
    ...rows(t('modelWarningsBaseRun'), record),
    ...(record.whatifs ?? []).flatMap((w) => rows(t('modelWarningsWhatIfRun').replace('{time}', timeAt(w.t_s)).replace('{settings}', () => settingsText(w.settings, lang)), w)),
  ];
}
