/* Native yardstick for assembly/region/terrain.ts: the same priority-flood+ε fill (Barnes, Lehman &
 * Mulla 2014, with the pit queue), D8, accumulation in topological order, HAND and Horn slope/aspect,
 * operation for operation. Reads the DEM written by benchmarks/region/terrain.ts, computes the
 * passes before `pass` once, then times `pass` `runs` times and prints
 * {"seconds": [...], "cpu_seconds": [...], "checksum": x} (the same sums the JS side takes, in
 * row-major order; CPU time beside wall time because the machine is shared).
 * usage: terrain dem.bin runs fill|d8|accumulation|hand|slope */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DIR_OUTLET (-1)
#define HAND_UNKNOWN (-2)

static const int D8_ROW[8] = {-1, -1, 0, 1, 1, 1, 0, -1};
static const int D8_COL[8] = {0, 1, 1, 1, 0, -1, -1, -1};
static const double D8_LENGTH[8] = {1, 1.4142135623730951, 1, 1.4142135623730951, 1, 1.4142135623730951, 1, 1.4142135623730951};

typedef struct { double key; int32_t cell; int32_t pad; } entry;

static int32_t heap_push(entry *heap, int32_t size, double key, int32_t cell) {
  int32_t hole = size;
  while (hole > 0) {
    int32_t parent = (hole - 1) >> 1;
    if (heap[parent].key <= key) break;
    heap[hole] = heap[parent];
    hole = parent;
  }
  heap[hole].key = key; heap[hole].cell = cell;
  return size + 1;
}

static int32_t heap_remove_top(entry *heap, int32_t size) {
  int32_t last = size - 1;
  entry moving = heap[last];
  int32_t hole = 0;
  for (;;) {
    int32_t child = 2 * hole + 1;
    if (child >= last) break;
    if (child + 1 < last && heap[child + 1].key < heap[child].key) child++;
    if (moving.key <= heap[child].key) break;
    heap[hole] = heap[child];
    hole = child;
  }
  if (last > 0) heap[hole] = moving;
  return last;
}

static void fill(int32_t nrows, int32_t ncols, const double *dem, double epsilon, double *filled, uint8_t *done, entry *heap, int32_t *pit) {
  int32_t n = nrows * ncols, size = 0;
  memcpy(filled, dem, (size_t)n * 8);
  memset(done, 0, (size_t)n);
  for (int32_t r = 0; r < nrows; r++) {
    for (int32_t c = 0; c < ncols; c++) {
      int32_t i = r * ncols + c;
      if (isnan(filled[i])) { done[i] = 1; continue; }
      int edge = r == 0 || c == 0 || r == nrows - 1 || c == ncols - 1;
      for (int k = 0; k < 8 && !edge; k++) edge = isnan(dem[(r + D8_ROW[k]) * ncols + c + D8_COL[k]]);
      if (edge) { size = heap_push(heap, size, filled[i], i); done[i] = 1; }
    }
  }
  int32_t pit_head = 0, pit_tail = 0;
  while (size > 0 || pit_head < pit_tail) {
    int32_t i;
    if (pit_head < pit_tail && (size == 0 || filled[pit[pit_head]] <= heap[0].key)) i = pit[pit_head++];
    else { i = heap[0].cell; size = heap_remove_top(heap, size); }
    double zi = filled[i];
    int32_t r = i / ncols, c = i - r * ncols;
    int interior = r > 0 && c > 0 && r < nrows - 1 && c < ncols - 1;
    for (int k = 0; k < 8; k++) {
      int32_t rr = r + D8_ROW[k], cc = c + D8_COL[k];
      if (!interior && (rr < 0 || rr >= nrows || cc < 0 || cc >= ncols)) continue;
      int32_t j = rr * ncols + cc;
      if (done[j]) continue;
      done[j] = 1;
      double zj = filled[j];
      if (zj <= zi) { filled[j] = zi + epsilon; pit[pit_tail++] = j; }
      else size = heap_push(heap, size, zj, j);
    }
  }
}

static void flow_directions(int32_t nrows, int32_t ncols, const double *z, int8_t *direction) {
  for (int32_t r = 0; r < nrows; r++) {
    for (int32_t c = 0; c < ncols; c++) {
      int32_t i = r * ncols + c, best = DIR_OUTLET;
      double zi = z[i];
      if (!isnan(zi)) {
        double best_drop = 0;
        for (int k = 0; k < 8; k++) {
          int32_t rr = r + D8_ROW[k], cc = c + D8_COL[k];
          if (rr < 0 || rr >= nrows || cc < 0 || cc >= ncols) continue;
          double zj = z[rr * ncols + cc];
          if (isnan(zj)) continue;
          double drop = (zi - zj) / D8_LENGTH[k];
          if (drop > best_drop) { best_drop = drop; best = k; }
        }
      }
      direction[i] = (int8_t)best;
    }
  }
}

static inline int32_t downstream(const int8_t *direction, int32_t n, int32_t ncols, int32_t i) {
  int k = direction[i];
  if (k < 0) return -1;
  int32_t j = i + D8_ROW[k & 7] * ncols + D8_COL[k & 7];
  return j < 0 || j >= n ? -1 : j;
}

static void accumulation(int32_t n, int32_t ncols, const int8_t *direction, int32_t *inflow, int32_t *queue, double *acc) {
  memset(inflow, 0, (size_t)n * 4);
  for (int32_t i = 0; i < n; i++) { int32_t j = downstream(direction, n, ncols, i); if (j >= 0) inflow[j]++; }
  int32_t tail = 0;
  for (int32_t i = 0; i < n; i++) { acc[i] = 1; if (inflow[i] == 0) queue[tail++] = i; }
  for (int32_t head = 0; head < tail; head++) {
    int32_t i = queue[head], j = downstream(direction, n, ncols, i);
    if (j < 0) continue;
    acc[j] += acc[i];
    if (--inflow[j] == 0) queue[tail++] = j;
  }
}

static void hand(int32_t n, int32_t ncols, const double *z, const int8_t *direction, const uint8_t *stream, int32_t *drain, int32_t *path, double *out) {
  for (int32_t i = 0; i < n; i++) drain[i] = HAND_UNKNOWN;
  for (int32_t i = 0; i < n; i++) {
    if (drain[i] != HAND_UNKNOWN) continue;
    int32_t length = 0, j = i;
    while (j >= 0 && length < n && drain[j] == HAND_UNKNOWN && !stream[j]) { path[length++] = j; j = downstream(direction, n, ncols, j); }
    int32_t target = -1;
    if (j >= 0) { if (stream[j]) drain[j] = j; target = drain[j]; if (target == HAND_UNKNOWN) target = -1; }
    for (int32_t k = 0; k < length; k++) drain[path[k]] = target;
  }
  for (int32_t i = 0; i < n; i++) out[i] = drain[i] < 0 ? NAN : z[i] - z[drain[i]];
}

/* V8's Math.hypot for two arguments, as the kernel. */
static inline double hypot_v8(double x, double y) {
  double ax = fabs(x), ay = fabs(y), max = 0;
  if (isnan(ax) || isnan(ay)) return isinf(ax) || isinf(ay) ? INFINITY : NAN;
  if (ax > max) max = ax;
  if (ay > max) max = ay;
  if (isinf(max)) return INFINITY;
  if (max == 0) return 0;
  double nx = ax / max, ny = ay / max;
  return sqrt(nx * nx + ny * ny) * max;
}

static inline double at(const double *v, int32_t nrows, int32_t ncols, int32_t r, int32_t c) {
  return r < 0 || r >= nrows || c < 0 || c >= ncols ? NAN : v[r * ncols + c];
}
static inline double side(double value, double opposite, double centre) { return !isnan(value) ? value : isnan(opposite) ? centre : 2 * centre - opposite; }
static inline double corner(double value, double row_side, double col_side, double centre) { return !isnan(value) ? value : row_side + col_side - centre; }

static void slope_aspect(int32_t nrows, int32_t ncols, double cellsize, const double *v, double *slope, double *aspect) {
  const double pi = 3.141592653589793;
  for (int32_t r = 0; r < nrows; r++) {
    for (int32_t c = 0; c < ncols; c++) {
      int32_t i = r * ncols + c;
      double e = v[i];
      if (isnan(e)) { slope[i] = NAN; aspect[i] = NAN; continue; }
      double b = side(at(v, nrows, ncols, r - 1, c), at(v, nrows, ncols, r + 1, c), e);
      double h = side(at(v, nrows, ncols, r + 1, c), at(v, nrows, ncols, r - 1, c), e);
      double d = side(at(v, nrows, ncols, r, c - 1), at(v, nrows, ncols, r, c + 1), e);
      double f = side(at(v, nrows, ncols, r, c + 1), at(v, nrows, ncols, r, c - 1), e);
      double a = corner(at(v, nrows, ncols, r - 1, c - 1), b, d, e), cc = corner(at(v, nrows, ncols, r - 1, c + 1), b, f, e);
      double g = corner(at(v, nrows, ncols, r + 1, c - 1), h, d, e), k = corner(at(v, nrows, ncols, r + 1, c + 1), h, f, e);
      double dzdx = ((cc + 2 * f + k) - (a + 2 * d + g)) / (8 * cellsize);
      double dzdy = ((a + 2 * b + cc) - (g + 2 * h + k)) / (8 * cellsize);
      double gradient = hypot_v8(dzdx, dzdy);
      slope[i] = (atan(gradient) * 180) / pi;
      aspect[i] = gradient == 0 ? NAN : fmod((atan2(-dzdx, -dzdy) * 180) / pi + 360, 360);
    }
  }
}

static double clock_s(clockid_t id) { struct timespec t; clock_gettime(id, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

static double finite_sum(const double *v, int32_t n) { double s = 0; for (int32_t i = 0; i < n; i++) if (isfinite(v[i])) s += v[i]; return s; }

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: terrain dem.bin runs fill|d8|accumulation|hand|slope\n"); return 2; }
  FILE *file = fopen(argv[1], "rb");
  if (!file) { perror(argv[1]); return 1; }
  int32_t dims[2]; double params[3];
  if (fread(dims, 4, 2, file) != 2 || fread(params, 8, 3, file) != 3) { fprintf(stderr, "short input\n"); return 1; }
  int32_t nrows = dims[0], ncols = dims[1], n = nrows * ncols;
  double cellsize = params[0], epsilon = params[1], stream_cells = params[2];
  double *dem = malloc((size_t)n * 8);
  if ((int32_t)fread(dem, 8, n, file) != n) { fprintf(stderr, "short input\n"); return 1; }
  fclose(file);
  int runs = atoi(argv[2]);
  const char *pass = argv[3];

  double *filled = malloc((size_t)n * 8), *acc = malloc((size_t)n * 8), *out = malloc((size_t)n * 8), *out2 = malloc((size_t)n * 8);
  uint8_t *done = malloc(n), *stream = malloc(n);
  int8_t *direction = malloc(n);
  int32_t *ints = malloc((size_t)n * 4), *ints2 = malloc((size_t)n * 4);
  entry *heap = malloc((size_t)n * sizeof(entry));
  int stage = strcmp(pass, "fill") == 0 ? 0 : strcmp(pass, "d8") == 0 ? 1 : strcmp(pass, "accumulation") == 0 ? 2 : strcmp(pass, "hand") == 0 ? 3 : strcmp(pass, "slope") == 0 ? 4 : -1;
  if (stage < 0) { fprintf(stderr, "unknown pass %s\n", pass); return 2; }
  /* Inputs of the timed pass, untimed. */
  if (stage >= 1 && stage <= 3) fill(nrows, ncols, dem, epsilon, filled, done, heap, ints);
  if (stage >= 2 && stage <= 3) flow_directions(nrows, ncols, filled, direction);
  if (stage == 3) {
    accumulation(n, ncols, direction, ints, ints2, acc);
    for (int32_t i = 0; i < n; i++) stream[i] = acc[i] >= stream_cells;
  }
  double checksum = 0;
  double seconds[64], cpu_seconds[64];
  if (runs > 63) runs = 63;
  for (int run = 0; run <= runs; run++) { /* run 0 warms up */
    double start = clock_s(CLOCK_MONOTONIC), cpu_start = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    switch (stage) {
      case 0: fill(nrows, ncols, dem, epsilon, filled, done, heap, ints); break;
      case 1: flow_directions(nrows, ncols, filled, direction); break;
      case 2: accumulation(n, ncols, direction, ints, ints2, acc); break;
      case 3: hand(n, ncols, filled, direction, stream, ints, ints2, out); break;
      case 4: slope_aspect(nrows, ncols, cellsize, dem, out, out2); break;
    }
    seconds[run] = clock_s(CLOCK_MONOTONIC) - start;
    cpu_seconds[run] = clock_s(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
  }
  printf("{\"seconds\": [");
  for (int run = 1; run <= runs; run++) printf("%s%.6f", run > 1 ? ", " : "", seconds[run]);
  printf("], \"cpu_seconds\": [");
  for (int run = 1; run <= runs; run++) printf("%s%.6f", run > 1 ? ", " : "", cpu_seconds[run]);
  switch (stage) {
    case 0: checksum = finite_sum(filled, n); break;
    case 1: for (int32_t i = 0; i < n; i++) checksum += direction[i] + 1; break;
    case 2: checksum = finite_sum(acc, n); break;
    case 3: checksum = finite_sum(out, n); break;
    case 4: checksum = finite_sum(out, n) + finite_sum(out2, n); break;
  }
  printf("], \"checksum\": %.17g}\n", checksum);
  return 0;
}
