// Chinese (default) and English UI text. A message catalogue in a few lines: no library needed.
export type Lang = 'zh-CN' | 'en';

const MESSAGES = {
  appTitle: { 'zh-CN': '沙盘 · 山城', en: 'Sandtable · Mountain City' },
  exercise: { 'zh-CN': '演练 EXERCISE', en: 'EXERCISE 演练' },
  language: { 'zh-CN': 'English', en: '中文' },
  scenarioTab: { 'zh-CN': '推演', en: 'Scenario' },
  routingTab: { 'zh-CN': '河道演算', en: 'Routing lab' },
  play: { 'zh-CN': '播放', en: 'Play' },
  pause: { 'zh-CN': '暂停', en: 'Pause' },
  step: { 'zh-CN': '单步', en: 'Step' },
  rewind: { 'zh-CN': '回到开始', en: 'Rewind' },
  speed: { 'zh-CN': '倍速', en: 'Speed' },
  scenarioTime: { 'zh-CN': '推演时间', en: 'Scenario time' },
  wallTime: { 'zh-CN': '实际时间', en: 'Wall time' },
  seek: { 'zh-CN': '时间轴', en: 'Timeline' },
  state_ready: { 'zh-CN': '就绪', en: 'ready' },
  state_running: { 'zh-CN': '运行中', en: 'running' },
  state_paused: { 'zh-CN': '已暂停', en: 'paused' },
  state_finished: { 'zh-CN': '已结束', en: 'finished' },
  injects: { 'zh-CN': '情景注入 (MSEL)', en: 'Injects (MSEL)' },
  importCsv: { 'zh-CN': '导入 CSV', en: 'Import CSV' },
  exportCsv: { 'zh-CN': '导出 CSV', en: 'Export CSV' },
  deliver: { 'zh-CN': '下达', en: 'Deliver' },
  cancel: { 'zh-CN': '取消', en: 'Cancel' },
  due: { 'zh-CN': '时间', en: 'Due' },
  title: { 'zh-CN': '标题', en: 'Title' },
  kind: { 'zh-CN': '类型', en: 'Kind' },
  state: { 'zh-CN': '状态', en: 'State' },
  fromTo: { 'zh-CN': '发送 → 接收', en: 'From → to' },
  'kind_information': { 'zh-CN': '信息', en: 'information' },
  'kind_model-change': { 'zh-CN': '模型变更', en: 'model change' },
  'kind_decision-request': { 'zh-CN': '决策请求', en: 'decision request' },
  'inject_on-hold': { 'zh-CN': '待定', en: 'on hold' },
  inject_scheduled: { 'zh-CN': '已计划', en: 'scheduled' },
  inject_delivered: { 'zh-CN': '已下达', en: 'delivered' },
  inject_cancelled: { 'zh-CN': '已取消', en: 'cancelled' },
  onCondition: { 'zh-CN': '条件触发', en: 'on condition' },
  manual: { 'zh-CN': '手动', en: 'manual' },
  rain: { 'zh-CN': '面雨量 (mm/h)', en: 'Areal rain (mm/h)' },
  riverInflow: { 'zh-CN': '入境流量 (m³/s)', en: 'River inflow (m³/s)' },
  forcing: { 'zh-CN': '强迫条件', en: 'Forcing' },
  mapLabel: { 'zh-CN': '山城地形与土地覆盖', en: 'Mountain City: shaded terrain and land cover' },
  engineReady: { 'zh-CN': '计算引擎就绪 (wasm)', en: 'engine ready (wasm)' },
  csvProblems: { 'zh-CN': 'CSV 有误', en: 'CSV problems' },
} as const satisfies Record<string, Record<Lang, string>>;

export type MessageKey = keyof typeof MESSAGES;

export function translate(lang: Lang, key: MessageKey | string): string {
  const entry = (MESSAGES as Record<string, Record<Lang, string>>)[key];
  return entry ? entry[lang] : key;
}
