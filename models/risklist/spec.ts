// The risk-list inputs, declared once: validation, CLI docs and the web form read these.
import type { NumberParam, ParamSpec } from '../params.ts';

const time = (description: string, extra: Partial<NumberParam> = {}): NumberParam =>
  ({ kind: 'number', unit: 's', min: 0, max: 1e12, description, ...extra });
const levelParam = (description: string, extra: Partial<NumberParam> = {}): NumberParam =>
  ({ kind: 'number', unit: '1', min: 1, max: 4, integer: true, description, ...extra });

export const DEFAULT_HOLD_S = { 4: 21600, 3: 7200, 2: 1800 } as const;
/** Expected reporting interval of a factor that states neither stale_after_s nor interval_s. */
export const DEFAULT_INTERVAL_S = 300;

export const caseParams = {
  until_s: time('End of the run; changes due at or before it are emitted'),
  default_interval_s: time('Expected reporting interval of factors that state none (stale after twice it)', {
    min: 0, exclusiveMin: true, default: DEFAULT_INTERVAL_S,
  }),
} satisfies ParamSpec;

export const holdParams = {
  4: time('Hold to leave red for orange', { min: 0, exclusiveMin: true, default: DEFAULT_HOLD_S[4] }),
  3: time('Hold to leave orange for yellow', { min: 0, exclusiveMin: true, default: DEFAULT_HOLD_S[3] }),
  2: time('Hold to leave yellow for blue', { min: 0, exclusiveMin: true, default: DEFAULT_HOLD_S[2] }),
} satisfies ParamSpec;

export const itemParams = {
  base_level: levelParam('Static level set directly', { optional: true }),
} satisfies ParamSpec;

export const matrixParams = {
  likelihood: { kind: 'number', unit: '1', min: 1, max: 5, integer: true, description: 'Risk-matrix likelihood' },
  severity: { kind: 'number', unit: '1', min: 1, max: 5, integer: true, description: 'Risk-matrix severity' },
} satisfies ParamSpec;

export const factorParams = {
  deadband: { kind: 'number', unit: 'factor unit', min: 0, max: 1e12, default: 0, description: 'A level reached keeps counting until the reading clears its threshold by more than this' },
  on_delay_s: time('A sensor rise must last this long before the item moves up', { default: 0 }),
  stale_after_s: time('No reading for longer than this makes the factor stale (default 2 × interval_s)', { min: 0, exclusiveMin: true, optional: true }),
  interval_s: time('Expected reporting interval', { min: 0, exclusiveMin: true, optional: true }),
} satisfies ParamSpec;

export const thresholdParam: NumberParam = { kind: 'number', unit: 'factor unit', min: -1e12, max: 1e12, description: 'Threshold of a level' };

export const readingParams = {
  t_s: time('Time of the reading'),
  value: { kind: 'number', unit: 'factor unit', min: -1e12, max: 1e12, description: 'Reading' },
} satisfies ParamSpec;

export const warningParams = {
  t_s: time('Warning issued'),
  lift_s: time('Warning lifted (default: still in force at the end)', { optional: true }),
  level: levelParam('Warning colour as a level (1 blue … 4 red)', { optional: true }),
} satisfies ParamSpec;

export const WARNING_COLOURS: Record<string, number> = { blue: 1, yellow: 2, orange: 3, red: 4 };
export const EVENT_KINDS = ['accident', 'hidden-danger', 'verified'] as const;

export const eventParams = {
  t_s: time('Event time'),
  level: levelParam('Level the event raises the item to (not for verified)', { optional: true }),
} satisfies ParamSpec;

export const pinParams = {
  t_s: time('Pin set'),
  level: levelParam('Pinned level'),
  expires_s: time('Pin expires (default: never)', { optional: true }),
} satisfies ParamSpec;

export const LEVEL_KEYS = ['1', '2', '3', '4'] as const;
