// The four risk and warning levels as shown: colour and name in both languages (RISKLIST.md).
import type { Lang } from './i18n.ts';

export const LEVEL_COLOURS = ['#9aa4b1', '#2e86de', '#f1c40f', '#e67e22', '#c0392b'];
const NAMES: Record<Lang, string[]> = {
  'zh-CN': ['', '蓝 低', '黄 一般', '橙 较大', '红 重大'],
  en: ['', 'blue', 'yellow', 'orange', 'red'],
};

export function levelName(lang: Lang, level: number): string {
  return NAMES[lang][level] ?? String(level);
}
