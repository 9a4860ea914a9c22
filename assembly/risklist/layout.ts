// Memory layout shared by the risk-list kernel (assembly/risklist/grade.ts), its host
// (models/risklist/) and, checked by test/engine/layout.test.ts, the C yardstick
// (benchmarks/risklist/grade.c). Plain number literals so that both asc (which infers i32) and
// tsc accept the file: change a slot here and every side follows.

// Context slots (i32 each). Pointers are byte addresses of host-allocated regions.
export const CTX_ITEMS = 0;
export const CTX_FACTORS = 1;
export const CTX_FACTOR_START = 2; // i32[items + 1]: factors of item i are [start[i], start[i+1])
export const CTX_BASE = 3; // i32[items]
export const CTX_LEVEL = 4; // i32[items] current level
export const CTX_HOLD_PROFILE = 5; // i32[items]
export const CTX_HOLD_SECONDS = 6; // f64[profiles·4]: hold_s to leave level L at [p·4 + L − 1]
export const CTX_HOLD_QUEUE = 7; // i32[profiles·4]: the ring that times that hold
export const CTX_HOLD_DUE = 8; // f64[items]: when the running hold ends; +∞ = none
export const CTX_WARN_COUNT = 9; // i32[items·4]: active applicable warnings per level
export const CTX_WARN_FIRST = 10; // i32[items·4]: warning that took that level from 0 to 1
export const CTX_EVENT_LEVEL = 11; // i32[items], 0 = no unverified event
export const CTX_EVENT_CAUSE = 12; // i32[items]
export const CTX_PIN_LEVEL = 13; // i32[items], 0 = no pin
export const CTX_PIN_CAUSE = 14; // i32[items]
export const CTX_DIRTY_FLAG = 15; // u8[items]
export const CTX_DIRTY_LIST = 16; // i32[items]
export const CTX_FACTOR_ITEM = 17; // i32[factors]
export const CTX_THRESHOLDS = 18; // f64[factors·4]: signed threshold of level L at [f·4 + L − 1]; NaN = none
export const CTX_DEADBAND = 19; // f64[factors]
export const CTX_ON_DELAY = 20; // f64[factors]
export const CTX_ON_DELAY_QUEUE = 21; // i32[factors], −1 when on_delay_s = 0
export const CTX_STALE_AFTER = 22; // f64[factors]
export const CTX_DIRECTION = 23; // f64[factors]: +1 above, −1 below
export const CTX_VALUE = 24; // f64[factors]: latest reading, signed
export const CTX_LAST_TIME = 25; // f64[factors]: time of the latest reading (0 before any)
export const CTX_SENSOR_LEVEL = 26; // i32[factors]: level with deadband, 1 = none
export const CTX_SINCE = 27; // f64[factors·4]: since when the sensor level has been ≥ L; +∞ = not
export const CTX_QUEUES = 28; // number of rings
export const CTX_QUEUE_TABLE = 29; // i32[queues·6]: duePtr, targetPtr, capacity, kind, head, size
export const CTX_LOG = 30; // LOG_STRIDE-byte records
export const CTX_LOG_CAPACITY = 31;
export const CTX_LOG_COUNT = 32;
export const CTX_READ_POS = 33; // readings consumed of the current batch
export const CTX_WARN_POS = 34;
export const CTX_EVENT_POS = 35;
export const CTX_PIN_POS = 36;
export const CTX_EVALUATIONS = 37; // item evaluations so far (statistics)
export const CTX_COMPACTIONS = 38;
export const CTX_INSTANTS = 39;
export const CTX_DIRTY_COUNT = 40;
export const CTX_LENGTH = 41;

// Timer rings: the kind of a ring, then the QUEUE_STRIDE i32 fields of its row of the queue table.
export const QUEUE_HOLD = 0;
export const QUEUE_ON_DELAY = 1;
export const QUEUE_DUE_PTR = 0; // f64[capacity]
export const QUEUE_TARGET_PTR = 1; // i32[capacity]
export const QUEUE_CAPACITY = 2;
export const QUEUE_KIND = 3;
export const QUEUE_HEAD = 4;
export const QUEUE_SIZE = 5;
export const QUEUE_STRIDE = 6;

// Why a level changed, in the change log.
export const RULE_SENSOR = 1;
export const RULE_WARNING = 2;
export const RULE_EVENT = 3;
export const RULE_PIN = 4;
export const RULE_HOLD = 5;

// One change-log record, LOG_STRIDE bytes; the LOG_* fields are byte offsets in it.
export const LOG_T = 0; // f64
export const LOG_VALUE = 8; // f64: sensor: original-sign reading; hold: hold_s
export const LOG_THRESHOLD = 16; // f64: sensor: original-sign threshold
export const LOG_ITEM = 24; // i32
export const LOG_FROM = 28; // i32
export const LOG_TO = 32; // i32
export const LOG_RULE = 36; // i32: RULE_*
export const LOG_CAUSE = 40; // i32: factor / warning / event / pin index
export const LOG_PAD = 44; // i32, written 0
export const LOG_STRIDE = 48;

// riskAdvance's result.
export const ADVANCE_DONE = 0;
export const ADVANCE_LOG_FULL = 1;

// riskAdvance's input batch, one f64 slot each, written by the host (models/risklist/kernel.ts):
// counts and wasm pointers are whole numbers, exact in an f64. Replaces 19 positional arguments
// whose order each side kept by hand.
export const BATCH_READING_COUNT = 0;
export const BATCH_READING_FACTOR = 1;
export const BATCH_READING_TIME = 2;
export const BATCH_READING_VALUE = 3;
export const BATCH_WARN_COUNT = 4;
export const BATCH_WARN_ITEM = 5;
export const BATCH_WARN_TIME = 6;
export const BATCH_WARN_DELTA = 7;
export const BATCH_WARN_INDEX = 8;
export const BATCH_EVENT_COUNT = 9;
export const BATCH_EVENT_ITEM = 10;
export const BATCH_EVENT_TIME = 11;
export const BATCH_EVENT_LEVEL = 12;
export const BATCH_EVENT_INDEX = 13;
export const BATCH_PIN_COUNT = 14;
export const BATCH_PIN_ITEM = 15;
export const BATCH_PIN_TIME = 16;
export const BATCH_PIN_LEVEL = 17;
export const BATCH_PIN_INDEX = 18;
export const BATCH_LENGTH = 19;
