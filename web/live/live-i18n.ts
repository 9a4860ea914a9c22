// The live page's own words, zh-CN and en; category, factor, hazard and cause names come from the
// app's catalogue (web/i18n.ts through web/content-text.ts and web/levels.ts).
import type { Lang } from '../i18n.ts';

const LIVE_MESSAGES = {
  title: { 'zh-CN': '风险清单 · 实时', en: 'Live risk list' },
  language: { 'zh-CN': 'English', en: '中文' },
  tokenPrompt: { 'zh-CN': '输入访问令牌（操作员或设备令牌）', en: 'Enter an access token (operator or device)' },
  tokenLabel: { 'zh-CN': '访问令牌', en: 'Access token' },
  tokenNote: { 'zh-CN': '令牌只保存在本标签页（sessionStorage），关闭即清除。', en: 'The token stays in this tab only (sessionStorage) and is gone when the tab closes.' },
  connect: { 'zh-CN': '连接', en: 'Connect' },
  signOut: { 'zh-CN': '退出', en: 'Sign out' },
  badToken: { 'zh-CN': '服务器拒绝了这个令牌', en: 'The server refused this token' },
  forbidden: { 'zh-CN': '这个令牌无权查看清单', en: 'This token may not read the list' },
  // The service's reasons for a refusal (models/risklist/serve/http.ts), in the page's language.
  'reason_unknown token': { 'zh-CN': '未知令牌', en: 'unknown token' },
  'reason_missing bearer token': { 'zh-CN': '缺少令牌', en: 'missing bearer token' },
  'reason_rate limit exceeded': { 'zh-CN': '请求过于频繁', en: 'rate limit exceeded' },
  live: { 'zh-CN': '实时', en: 'live' },
  connecting: { 'zh-CN': '连接中…', en: 'connecting…' },
  reconnecting: { 'zh-CN': '连接中断，正在重连…', en: 'connection lost, reconnecting…' },
  clock: { 'zh-CN': '评估时刻', en: 'Graded up to' },
  level: { 'zh-CN': '等级', en: 'Level' },
  district: { 'zh-CN': '区域', en: 'District' },
  category: { 'zh-CN': '类别', en: 'Category' },
  all: { 'zh-CN': '全部', en: 'all' },
  item: { 'zh-CN': '风险点', en: 'Item' },
  items: { 'zh-CN': '风险点', en: 'Items' },
  shown: { 'zh-CN': '显示 {shown} / 共 {total}', en: '{shown} shown of {total}' },
  changeLog: { 'zh-CN': '变更日志', en: 'Change log' },
  noChanges: { 'zh-CN': '尚无等级变更', en: 'No level changes yet' },
  time: { 'zh-CN': '时间', en: 'Time' },
  change: { 'zh-CN': '变更', en: 'Change' },
  cause: { 'zh-CN': '原因', en: 'Cause' },
  stale: { 'zh-CN': '失联传感器', en: 'Stale sensors' },
  noStale: { 'zh-CN': '没有失联传感器', en: 'No stale sensors' },
  noItems: { 'zh-CN': '没有符合筛选或搜索条件的风险点', en: 'No items match the filters or the search' },
  factor: { 'zh-CN': '因子', en: 'Factor' },
  staleSince: { 'zh-CN': '失联起', en: 'Stale since' },
  countsTitle: { 'zh-CN': '各等级数量（当前筛选）', en: 'Items per level (current filter)' },
  search: { 'zh-CN': '搜索', en: 'Search' },
  searchHint: { 'zh-CN': '编号或名称', en: 'id or name' },
  clearFilter: { 'zh-CN': '清除筛选', en: 'Clear filters' },
  more: { 'zh-CN': '显示更多', en: 'Show more' },
  older: { 'zh-CN': '更早的变更', en: 'Older changes' },
} as const satisfies Record<string, Record<Lang, string>>;

export type LiveKey = keyof typeof LIVE_MESSAGES;
export const LIVE_KEYS = Object.keys(LIVE_MESSAGES) as LiveKey[];

/** A reason the service gave, translated when known. */
export function liveReason(lang: Lang, reason: string): string {
  const entry = (LIVE_MESSAGES as Record<string, Record<Lang, string>>)[`reason_${reason}`];
  return entry ? entry[lang] : reason;
}

export function liveText(lang: Lang, key: LiveKey, values: Record<string, string | number> = {}): string {
  return LIVE_MESSAGES[key][lang].replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));
}
