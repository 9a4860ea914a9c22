// The risk-list inputs and outputs, declared once: validation, CLI help, docs and the web form read these.
import type { CommandContract, DeclaredParam, Label, OutputSpec, ParamSpec } from '../params.ts';

const time = (description: string, label: Label, extra: Partial<DeclaredParam> = {}): DeclaredParam =>
  ({ kind: 'number', unit: 's', min: 0, max: 1e12, description, label, ...extra });
const levelParam = (description: string, label: Label, extra: Partial<DeclaredParam> = {}): DeclaredParam =>
  ({ kind: 'number', unit: '1', min: 1, max: 4, integer: true, description, label, ...extra });

export const DEFAULT_HOLD_S = { 4: 21600, 3: 7200, 2: 1800 } as const;
/** Expected reporting interval of a factor that states neither stale_after_s nor interval_s. */
export const DEFAULT_INTERVAL_S = 300;

export const caseParams = {
  until_s: time('End of the run; changes due at or before it are emitted', { en: 'Run until', zh: '计算截止时刻' }),
  default_interval_s: time('Expected reporting interval of factors that state none (stale after twice it)', { en: 'Default reporting interval', zh: '默认上报间隔' }, {
    min: 0, exclusiveMin: true, default: DEFAULT_INTERVAL_S,
  }),
} satisfies ParamSpec;

export const holdParams = {
  4: time('Hold to leave red for orange', { en: 'Hold before red → orange', zh: '红色降为橙色前保持时长' }, { min: 0, exclusiveMin: true, default: DEFAULT_HOLD_S[4] }),
  3: time('Hold to leave orange for yellow', { en: 'Hold before orange → yellow', zh: '橙色降为黄色前保持时长' }, { min: 0, exclusiveMin: true, default: DEFAULT_HOLD_S[3] }),
  2: time('Hold to leave yellow for blue', { en: 'Hold before yellow → blue', zh: '黄色降为蓝色前保持时长' }, { min: 0, exclusiveMin: true, default: DEFAULT_HOLD_S[2] }),
} satisfies ParamSpec;

export const itemParams = {
  base_level: levelParam('Static level set directly', { en: 'Base level', zh: '基础风险等级' }, { optional: true }),
} satisfies ParamSpec;

export const matrixParams = {
  likelihood: { kind: 'number', unit: '1', min: 1, max: 5, integer: true, description: 'Risk-matrix likelihood', label: { en: 'Likelihood', zh: '可能性' } },
  severity: { kind: 'number', unit: '1', min: 1, max: 5, integer: true, description: 'Risk-matrix severity', label: { en: 'Severity', zh: '严重性' } },
} satisfies ParamSpec;

export const factorParams = {
  deadband: { kind: 'number', unit: 'factor unit', min: 0, max: 1e12, default: 0, description: 'A level reached keeps counting until the reading clears its threshold by more than this', label: { en: 'Deadband', zh: '回差' } },
  on_delay_s: time('A sensor rise must last this long before the item moves up', { en: 'Rise delay', zh: '升级延时' }, { default: 0 }),
  stale_after_s: time('No reading for longer than this makes the factor stale (default 2 × interval_s)', { en: 'Stale after', zh: '数据超时时限' }, { min: 0, exclusiveMin: true, optional: true }),
  interval_s: time('Expected reporting interval', { en: 'Reporting interval', zh: '上报间隔' }, { min: 0, exclusiveMin: true, optional: true }),
} satisfies ParamSpec;

export const thresholdParam: DeclaredParam = { kind: 'number', unit: 'factor unit', min: -1e12, max: 1e12, description: 'Threshold of a level', label: { en: 'Threshold', zh: '阈值' } };

export const readingParams = {
  t_s: time('Time of the reading', { en: 'Time', zh: '时刻' }),
  value: { kind: 'number', unit: 'factor unit', min: -1e12, max: 1e12, description: 'Reading', label: { en: 'Reading', zh: '监测值' } },
} satisfies ParamSpec;

export const warningParams = {
  t_s: time('Warning issued', { en: 'Time', zh: '时刻' }),
  lift_s: time('Warning lifted (default: still in force at the end)', { en: 'Lifted at', zh: '预警解除时刻' }, { optional: true }),
  level: levelParam('Warning colour as a level (1 blue … 4 red)', { en: 'Level', zh: '等级' }, { optional: true }),
} satisfies ParamSpec;

export const WARNING_COLOURS: Record<string, number> = { blue: 1, yellow: 2, orange: 3, red: 4 };
export const EVENT_KINDS = ['accident', 'hidden-danger', 'verified'] as const;

export const eventParams = {
  t_s: time('Event time', { en: 'Time', zh: '时刻' }),
  level: levelParam('Level the event raises the item to (not for verified)', { en: 'Level', zh: '等级' }, { optional: true }),
} satisfies ParamSpec;

export const pinParams = {
  t_s: time('Pin set', { en: 'Time', zh: '时刻' }),
  level: levelParam('Pinned level', { en: 'Level', zh: '等级' }),
  expires_s: time('Pin expires (default: never)', { en: 'Pin expires at', zh: '锁定到期时刻' }, { optional: true }),
} satisfies ParamSpec;

export const LEVEL_KEYS = ['1', '2', '3', '4'] as const;

const out = (unit: string, description: string, en: string, zh: string) => ({ unit, description, label: { en, zh } });

/** `risklist grade` prints these (RISKLIST.md). */
export const gradeOutputs = {
  changes: out('text', 'Every level change: { t_s, item, from, to, reason }', 'Level changes', '等级变更记录'),
  final: out('1', 'Level of every item at until_s (1 blue … 4 red)', 'Final levels', '最终风险等级'),
  stale_spells: out('text', 'Every spell a factor was stale: { item, factor, since_s, fresh_s }', 'Stale spells', '数据超时时段'),
  stale: out('text', 'Factors with no reading for longer than they allow: { item, factor, since_s }', 'Stale factors', '数据超时因子'),
} satisfies OutputSpec;

export const gradeContract: CommandContract = {
  inputs: [
    { at: '$', params: caseParams },
    { at: '$.hold_s', params: holdParams },
    { at: '$.items[]', params: itemParams },
    { at: '$.items[].matrix', params: matrixParams },
    { at: '$.items[].factors[]', params: factorParams },
    { at: '$.readings[]', params: readingParams },
    { at: '$.warnings[]', params: warningParams },
    { at: '$.events[]', params: eventParams },
    { at: '$.pins[]', params: pinParams },
  ],
  outputs: gradeOutputs,
};
