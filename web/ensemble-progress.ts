// How far an ensemble run in the app is, as the run controls say it: members done, bad members,
// time elapsed and an estimate of the time left (the members' pace so far, the shared inputs'
// loading excluded), and the few moments worth announcing to a screen reader (start, each
// quarter, the end): a polite live region that speaks after every member would drown the page.
import { translate, type Lang } from './i18n.ts';
import type { PoolProgress } from './ensemble-pool.ts';

export interface ProgressFigures { done: number; total: number; bad: number; elapsedS: number; remainingS?: number }

export function progressFigures(p: PoolProgress, nowMs: number): ProgressFigures {
  const pace = p.done > 0 && p.membersFromMs !== undefined ? (nowMs - p.membersFromMs) / p.done : undefined;
  return {
    done: p.done, total: p.total, bad: p.bad.length, elapsedS: Math.max(0, (nowMs - p.startedMs) / 1000),
    ...(pace === undefined ? {} : { remainingS: ((p.total - p.done) * pace) / 1000 }),
  };
}

/** "45 s", "3 min 05 s" (zh: "45 秒", "3 分 05 秒"), whole seconds. */
export function duration(lang: Lang, seconds: number): string {
  const s = Math.round(seconds);
  const [min, sec] = [translate(lang, 'ensMinutes'), translate(lang, 'ensSeconds')];
  return s < 60 ? `${s} ${sec}` : `${Math.floor(s / 60)} ${min} ${String(s % 60).padStart(2, '0')} ${sec}`;
}

/** One line: "3/10 members · 1 bad · 12 s elapsed · about 28 s left". */
export function progressLine(lang: Lang, f: ProgressFigures): string {
  const t = (key: string) => translate(lang, key);
  return [
    `${f.done}/${f.total} ${t('ensMembersDone')}`,
    t('ensBadSoFar').replace('{n}', String(f.bad)),
    t('ensElapsed').replace('{time}', duration(lang, f.elapsedS)),
    f.remainingS === undefined ? t('ensRemainingUnknown') : t('ensRemaining').replace('{time}', duration(lang, f.remainingS)),
  ].join(' · ');
}

/** The quarter (25, 50, 75) that going from `before` to `after` members done passes, if any; 100 % is the end's own message. */
export function quarterPassed(before: number, after: number, total: number): number | undefined {
  for (const q of [75, 50, 25]) if (after < total && before * 100 < q * total && after * 100 >= q * total) return q;
  return undefined;
}
