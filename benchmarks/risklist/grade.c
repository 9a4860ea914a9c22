/* Native yardstick for assembly/risklist/grade.ts: the same event-driven grading, the same
 * instants, timer rings, application and evaluation order. Reads the packed list and reading
 * batch written by benchmarks/risklist/grade.ts, grades it `runs` times from a fresh state,
 * prints {"seconds": [...], "checksum": x} on stdout (checksum of the last run, as
 * benchmarks/risklist/grade.ts computes it). Readings only: the benchmark has no warnings,
 * events or pins, whose paths are the same few stores as in the kernel. */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { QUEUE_HOLD = 0, QUEUE_ON_DELAY = 1 };
enum { RULE_SENSOR = 1, RULE_WARNING = 2, RULE_EVENT = 3, RULE_PIN = 4, RULE_HOLD = 5 };

typedef struct { double *due; int32_t *target; int32_t capacity, kind, head, size; } ring;

typedef struct {
  int32_t items, factors, profiles, queues, readings;
  int32_t *factor_start, *base, *hold_profile, *hold_queue, *factor_item, *on_delay_queue, *queue_kind, *queue_capacity, *reading_factor;
  double *hold_seconds, *thresholds, *deadband, *on_delay, *stale_after, *direction, *reading_time, *reading_value;
  double until;
} list_t;

typedef struct {
  int32_t *level, *warn_count, *warn_first, *event_level, *event_cause, *pin_level, *pin_cause, *dirty_list, *sensor_level;
  uint8_t *dirty_flag;
  double *hold_due, *value, *last_time, *since;
  int32_t dirty_count;
  ring *rings;
  /* change log */
  double *log_t, *log_value, *log_threshold;
  int32_t *log_item, *log_from, *log_to, *log_rule, *log_cause;
  size_t log_count, log_capacity;
} state_t;

static const list_t *L;
static state_t *S;

static void *read_block(FILE *f, size_t bytes) {
  void *p = malloc(bytes ? bytes : 1);
  if (!p || fread(p, 1, bytes, f) != bytes) { fprintf(stderr, "short input\n"); exit(1); }
  return p;
}

static void log_push(double t, int32_t item, int32_t from, int32_t to, int32_t rule, int32_t cause, double value, double threshold) {
  if (S->log_count == S->log_capacity) {
    S->log_capacity = S->log_capacity ? 2 * S->log_capacity : 1024;
#define GROW(a) a = realloc(a, sizeof(*a) * S->log_capacity)
    GROW(S->log_t); GROW(S->log_value); GROW(S->log_threshold); GROW(S->log_item);
    GROW(S->log_from); GROW(S->log_to); GROW(S->log_rule); GROW(S->log_cause);
#undef GROW
  }
  size_t k = S->log_count++;
  S->log_t[k] = t; S->log_item[k] = item; S->log_from[k] = from; S->log_to[k] = to;
  S->log_rule[k] = rule; S->log_cause[k] = cause; S->log_value[k] = value; S->log_threshold[k] = threshold;
}

static void mark_dirty(int32_t item) {
  if (S->dirty_flag[item]) return;
  S->dirty_flag[item] = 1;
  S->dirty_list[S->dirty_count++] = item;
}

static int on_delay_waiting(int32_t factor, double due) {
  double delay = L->on_delay[factor];
  for (int level = 2; level <= 4; level++) if (S->since[factor * 4 + level - 1] + delay == due) return 1;
  return 0;
}

static int timer_alive(int32_t kind, int32_t target, double due) {
  if (kind == QUEUE_HOLD) return S->hold_due[target] == due;
  return on_delay_waiting(target, due);
}

static void compact(ring *r) {
  int32_t write = r->head, kept = 0;
  for (int32_t k = 0; k < r->size; k++) {
    int32_t read = r->head + k;
    if (read >= r->capacity) read -= r->capacity;
    double due = r->due[read];
    int32_t target = r->target[read];
    if (!timer_alive(r->kind, target, due)) continue;
    r->due[write] = due; r->target[write] = target;
    if (++write >= r->capacity) write = 0;
    kept++;
  }
  r->size = kept;
}

static void push_timer(int32_t queue, double due, int32_t target) {
  ring *r = &S->rings[queue];
  if (r->size >= r->capacity) compact(r);
  int32_t at = r->head + r->size;
  if (at >= r->capacity) at -= r->capacity;
  r->due[at] = due; r->target[at] = target;
  r->size++;
}

static double live_head(ring *r) {
  while (r->size > 0) {
    double due = r->due[r->head];
    if (timer_alive(r->kind, r->target[r->head], due)) return due;
    if (++r->head >= r->capacity) r->head = 0;
    r->size--;
  }
  return INFINITY;
}

static void fire_timers(ring *r, double now) {
  while (r->size > 0) {
    double due = r->due[r->head];
    if (due > now) break;
    int32_t target = r->target[r->head];
    if (timer_alive(r->kind, target, due)) mark_dirty(r->kind == QUEUE_HOLD ? target : L->factor_item[target]);
    if (++r->head >= r->capacity) r->head = 0;
    r->size--;
  }
}

static int32_t sensor_level_of(int32_t factor, double value, int32_t previous) {
  const double *thresholds = L->thresholds + (size_t)factor * 4;
  double deadband = L->deadband[factor];
  for (int32_t level = 4; level >= 2; level--) {
    double threshold = thresholds[level - 1];
    if (value >= threshold) return level;
    if (level <= previous && value >= threshold - deadband) return level;
  }
  return 1;
}

static void apply_reading(int32_t factor, double t, double value) {
  int32_t item = L->factor_item[factor];
  double signed_value = value * L->direction[factor];
  S->value[factor] = signed_value;
  if (t - S->last_time[factor] > L->stale_after[factor]) S->hold_due[item] = INFINITY;
  S->last_time[factor] = t;
  int32_t previous = S->sensor_level[factor];
  int32_t level = sensor_level_of(factor, signed_value, previous);
  S->sensor_level[factor] = level;
  if (level != previous) {
    double *since = S->since + (size_t)factor * 4;
    int32_t queue = L->on_delay_queue[factor];
    double delay = L->on_delay[factor];
    for (int32_t l = 2; l <= 4; l++) {
      int was_set = since[l - 1] != INFINITY;
      if (l <= level) {
        if (!was_set) {
          since[l - 1] = t;
          if (queue >= 0) push_timer(queue, t + delay, factor);
        }
      } else if (was_set) {
        since[l - 1] = INFINITY;
      }
    }
  }
  mark_dirty(item);
}

static int32_t delayed_level(int32_t factor, double now) {
  const double *since = S->since + (size_t)factor * 4;
  double delay = L->on_delay[factor];
  for (int32_t level = 4; level >= 2; level--) if (since[level - 1] + delay <= now) return level;
  return 1;
}

static int any_stale(int32_t first, int32_t end, double now) {
  for (int32_t f = first; f < end; f++) if (S->last_time[f] + L->stale_after[f] < now) return 1;
  return 0;
}

static void start_hold(int32_t item, int32_t level, double now) {
  int32_t at = L->hold_profile[item] * 4 + level - 1;
  double due = now + L->hold_seconds[at];
  S->hold_due[item] = due;
  push_timer(L->hold_queue[at], due, item);
}

static void evaluate(int32_t item, double now) {
  int32_t level = S->level[item];
  int32_t raw = L->base[item], target = raw, rule = 0, cause = -1;
  int32_t first = L->factor_start[item], end = L->factor_start[item + 1];
  for (int32_t f = first; f < end; f++) {
    int32_t sensed = S->sensor_level[f];
    if (sensed > raw) raw = sensed;
    if (sensed > target) {
      int32_t delayed = delayed_level(f, now);
      if (delayed > target) { target = delayed; rule = RULE_SENSOR; cause = f; }
    }
  }
  const int32_t *counts = S->warn_count + (size_t)item * 4;
  for (int32_t l = 4; l >= 1; l--) {
    if (counts[l - 1] > 0) {
      if (l > raw) raw = l;
      if (l > target) { target = l; rule = RULE_WARNING; cause = S->warn_first[item * 4 + l - 1]; }
      break;
    }
  }
  int32_t event_level = S->event_level[item];
  if (event_level > raw) raw = event_level;
  if (event_level > target) { target = event_level; rule = RULE_EVENT; cause = S->event_cause[item]; }
  int32_t pin_level = S->pin_level[item];
  if (pin_level > raw) raw = pin_level;
  if (pin_level > target) { target = pin_level; rule = RULE_PIN; cause = S->pin_cause[item]; }

  if (target > level) {
    double value = NAN, threshold = NAN;
    if (rule == RULE_SENSOR) {
      double direction = L->direction[cause];
      value = S->value[cause] * direction;
      threshold = L->thresholds[(size_t)cause * 4 + target - 1] * direction;
    }
    log_push(now, item, level, target, rule, cause, value, threshold);
    S->level[item] = target;
    S->hold_due[item] = INFINITY;
    return;
  }
  if (raw >= level || any_stale(first, end, now)) { S->hold_due[item] = INFINITY; return; }
  double due = S->hold_due[item];
  if (due == INFINITY) { start_hold(item, level, now); return; }
  if (due <= now) {
    double hold_seconds = L->hold_seconds[L->hold_profile[item] * 4 + level - 1];
    log_push(now, item, level, level - 1, RULE_HOLD, -1, hold_seconds, NAN);
    S->level[item] = level - 1;
    if (raw < level - 1) start_hold(item, level - 1, now);
    else S->hold_due[item] = INFINITY;
  }
}

static int32_t reading_pos;

static void advance(double until) {
  int32_t r = reading_pos, n = L->readings;
  for (;;) {
    double now = INFINITY;
    if (r < n) now = L->reading_time[r];
    for (int32_t q = 0; q < L->queues; q++) {
      double head = live_head(&S->rings[q]);
      if (head < now) now = head;
    }
    if (!(now <= until)) break;
    while (r < n && L->reading_time[r] == now) { apply_reading(L->reading_factor[r], now, L->reading_value[r]); r++; }
    for (int32_t q = 0; q < L->queues; q++) fire_timers(&S->rings[q], now);
    int32_t count = S->dirty_count;
    for (int32_t k = 0; k < count; k++) {
      int32_t item = S->dirty_list[k];
      S->dirty_flag[item] = 0;
      evaluate(item, now);
    }
    S->dirty_count = 0;
  }
  reading_pos = r;
}

static void reset(state_t *s) {
  int32_t n = L->items, f = L->factors;
  memcpy(s->level, L->base, sizeof(int32_t) * n);
  for (int32_t i = 0; i < n; i++) s->hold_due[i] = INFINITY;
  memset(s->warn_count, 0, sizeof(int32_t) * 4 * n);
  memset(s->warn_first, 0, sizeof(int32_t) * 4 * n);
  memset(s->event_level, 0, sizeof(int32_t) * n);
  memset(s->event_cause, 0, sizeof(int32_t) * n);
  memset(s->pin_level, 0, sizeof(int32_t) * n);
  for (int32_t i = 0; i < n; i++) s->pin_cause[i] = -1;
  memset(s->dirty_flag, 0, n);
  s->dirty_count = 0;
  memset(s->value, 0, sizeof(double) * f);
  memset(s->last_time, 0, sizeof(double) * f);
  for (int32_t k = 0; k < f; k++) s->sensor_level[k] = 1;
  for (int32_t k = 0; k < 4 * f; k++) s->since[k] = INFINITY;
  for (int32_t q = 0; q < L->queues; q++) { s->rings[q].head = 0; s->rings[q].size = 0; }
  s->log_count = 0;
  reading_pos = 0;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: %s list.bin runs [split_s]\n", argv[0]); return 1; }
  FILE *in = fopen(argv[1], "rb");
  if (!in) { perror(argv[1]); return 1; }
  int runs = atoi(argv[2]);
  /* Optional split time: grade up to it untimed (setup), then time the rest. */
  int has_split = argc > 3;
  double split = has_split ? atof(argv[3]) : 0;
  list_t list;
  int32_t header[5];
  if (fread(header, sizeof header, 1, in) != 1) { fprintf(stderr, "short input\n"); return 1; }
  list.items = header[0]; list.factors = header[1]; list.profiles = header[2]; list.queues = header[3]; list.readings = header[4];
  int32_t n = list.items, f = list.factors, p = list.profiles, q = list.queues, nr = list.readings;
#define I32(count) (int32_t *)read_block(in, sizeof(int32_t) * (size_t)(count))
#define F64(count) (double *)read_block(in, sizeof(double) * (size_t)(count))
  list.factor_start = I32(n + 1); list.base = I32(n); list.hold_profile = I32(n); list.hold_queue = I32(4 * p);
  list.factor_item = I32(f); list.on_delay_queue = I32(f); list.queue_kind = I32(q); list.queue_capacity = I32(q);
  list.reading_factor = I32(nr);
  list.hold_seconds = F64(4 * p); list.thresholds = F64(4 * (size_t)f); list.deadband = F64(f); list.on_delay = F64(f);
  list.stale_after = F64(f); list.direction = F64(f); list.reading_time = F64(nr); list.reading_value = F64(nr);
  double *until = F64(1);
  list.until = until[0];
  fclose(in);
  L = &list;

  state_t state = { 0 };
  state.level = malloc(sizeof(int32_t) * n); state.hold_due = malloc(sizeof(double) * n);
  state.warn_count = malloc(sizeof(int32_t) * 4 * n); state.warn_first = malloc(sizeof(int32_t) * 4 * n);
  state.event_level = malloc(sizeof(int32_t) * n); state.event_cause = malloc(sizeof(int32_t) * n);
  state.pin_level = malloc(sizeof(int32_t) * n); state.pin_cause = malloc(sizeof(int32_t) * n);
  state.dirty_flag = malloc(n); state.dirty_list = malloc(sizeof(int32_t) * n);
  state.value = malloc(sizeof(double) * f); state.last_time = malloc(sizeof(double) * f);
  state.sensor_level = malloc(sizeof(int32_t) * f); state.since = malloc(sizeof(double) * 4 * f);
  state.rings = calloc(q ? q : 1, sizeof(ring));
  for (int32_t k = 0; k < q; k++) {
    state.rings[k].capacity = list.queue_capacity[k];
    state.rings[k].kind = list.queue_kind[k];
    state.rings[k].due = malloc(sizeof(double) * list.queue_capacity[k]);
    state.rings[k].target = malloc(sizeof(int32_t) * list.queue_capacity[k]);
  }
  S = &state;

  printf("{\"seconds\": [");
  for (int run = 0; run <= runs; run++) {
    reset(&state);
    if (has_split) { advance(split); state.log_count = 0; }
    double start = now_seconds();
    advance(list.until);
    double seconds = now_seconds() - start;
    if (run > 0) printf("%s%.9f", run > 1 ? ", " : "", seconds); /* run 0 warms up */
  }
  /* The same sum, in the same order, as checksum() in benchmarks/risklist/grade.ts. */
  double sum = 0;
  for (size_t k = 0; k < state.log_count; k++) {
    sum += state.log_t[k] + state.log_item[k] * 3.0 + state.log_from[k] * 11.0 + state.log_to[k] * 7.0
         + state.log_rule[k] * 13.0 + state.log_cause[k];
  }
  for (int32_t i = 0; i < n; i++) sum += state.level[i] * (double)(i % 97);
  printf("], \"checksum\": %.17g, \"changes\": %zu}\n", sum, state.log_count);
  return 0;
}
