// The four risk and warning levels as shown: colour and name in both languages (RISKLIST.md).
import { causeLine } from './content-text.ts';
import type { Lang } from './i18n.ts';

export const LEVEL_COLOURS = ['#9aa4b1', '#2e86de', '#f1c40f', '#e67e22', '#c0392b'];
const NAMES: Record<Lang, string[]> = {
  'zh-CN': ['', '蓝 低', '黄 一般', '橙 较大', '红 重大'],
  en: ['', 'blue', 'yellow', 'orange', 'red'],
};

export function levelName(lang: Lang, level: number): string {
  return NAMES[lang][level] ?? String(level);
}

/** A risk-list change's cause in a line: the rule and the reading or warning behind it. */
export function causeText(reason: Record<string, unknown>, lang: Lang): string {
  return causeLine(reason, lang);
}
