/* Native yardstick for assembly/fire/spread.ts: the same Dijkstra over the same stencil, the same
 * cache records, cell numbering in column strips and operation order. Reads the packed (row-major)
 * landscape written by benchmarks/fire/spread.ts, renumbers it into strips as the host does, burns it
 * `runs` times, prints {"seconds": [...], "cpu_seconds": [...], "checksum": x} on stdout (the checksum
 * sums arrival times in row-major order, as the JS side does).
 * usage: spread landscape.bin runs [strip_shift, default 4] */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#define _ISOC11_SOURCE /* aligned_alloc */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BED_STRIDE 8
enum { BED_R0, BED_IR, BED_TAU, BED_WIND_B, BED_WIND_K, BED_SLOPE_K };
#define BLOCKED (-1.0f)
#define DONE (-2.0f)

/* The smallest float >= x (x >= 0), as the kernel's upperF32. */
static inline float upper_f32(double x) {
  float u = (float)x;
  if ((double)u < x) { int32_t bits; memcpy(&bits, &u, 4); bits++; memcpy(&u, &bits, 4); }
  return u;
}
static const double M_S_PER_FT_MIN = 0.3048 / 60.0;
static const double FT_MIN_PER_M_S = 60.0 / 0.3048;

/* The kernel's 32-byte cell record, field for field. */
typedef struct { double arrival; float slow, ex, ey; int32_t period; int32_t unused; float head; } record;

typedef struct {
  int32_t nrows, ncols, n_beds, n_wind, n_stencil, n_cross, n_ignition, wind_limit;
  double duration;
  int32_t *bed_index; double *beds; float *slope_x, *slope_y;
  double *wind_t, *wind_speed, *wind_x, *wind_y;
  int32_t *dr, *dc; double *dist, *ux, *uy; int32_t *cross_start, *cross_dr, *cross_dc;
  int32_t *ignition_cell; double *ignition_t;
} landscape;

static void *read_block(FILE *f, size_t bytes) {
  void *p = malloc(bytes ? bytes : 1);
  if (!p || fread(p, 1, bytes, f) != bytes) { fprintf(stderr, "short input\n"); exit(1); }
  return p;
}

static double eccentricity(double mph) {
  if (!(mph > 1.0e-7)) return 0.0;
  double lw = 0.936 * exp(0.1147 * mph) + 0.461 * exp(-0.0692 * mph) - 0.397;
  if (lw > 8.0) lw = 8.0;
  double x = lw * lw - 1.0;
  return x > 0.0 ? sqrt(x) / lw : 0.0;
}

static double *bed_phi_w;

static void wind_factors(const landscape *L, double wind_ft_min) {
  for (int32_t b = 0; b < L->n_beds; b++) {
    const double *bed = L->beds + (size_t)b * BED_STRIDE;
    bed_phi_w[b] = wind_ft_min < 1.0e-7 ? 0.0 : pow(wind_ft_min, bed[BED_WIND_B]) * bed[BED_WIND_K];
  }
}

static void evaluate(const landscape *L, int32_t cell, double wx, double wy, record *r, int32_t period) {
  int32_t b = L->bed_index[cell];
  const double *bed = L->beds + (size_t)b * BED_STRIDE;
  double r0 = bed[BED_R0], reaction = bed[BED_IR], wind_b = bed[BED_WIND_B], wind_k = bed[BED_WIND_K];
  double phi_w = bed_phi_w[b];
  double vx = r0 * (phi_w * wx + (double)L->slope_x[cell]);
  double vy = r0 * (phi_w * wy + (double)L->slope_y[cell]);
  double push = sqrt(vx * vx + vy * vy);
  double head = r0 + push;
  double effective = 0.0;
  if (r0 > 0.0 && push > 0.0) {
    effective = pow((push / r0) / wind_k, 1.0 / wind_b);
    double limit = 0.9 * reaction;
    if (L->wind_limit && effective > limit) {
      effective = limit;
      head = r0 * (1.0 + wind_k * pow(limit, wind_b));
    }
  }
  double ecc = eccentricity(effective / 88.0);
  double head_ms = head * M_S_PER_FT_MIN;
  r->head = (float)head_ms;
  r->slow = head_ms > 0.0 ? (float)(1.0 / (head_ms * (1.0 - ecc))) : INFINITY;
  r->ex = push > 0.0 ? (float)(ecc * (vx / push)) : 0.0f;
  r->ey = push > 0.0 ? (float)(ecc * (vy / push)) : 0.0f;
  r->period = period;
}

static inline double slowness(const record *r, double ux, double uy) {
  double e_cos = ux * (double)r->ex + uy * (double)r->ey;
  return (double)r->slow * (1.0 - e_cos);
}

static int32_t *heap_cell; static record *C; static float *B;
static double *heap_key;
static int32_t *heap_slot; /* per cell, dense (not in the record), as the kernel */
static double *arrival_out; static float *head_out; /* row-major outputs, written at pop as the kernel */

static inline void place(int32_t slot, int32_t cell, double t) { heap_cell[slot] = cell; heap_key[slot] = t; heap_slot[cell] = slot; }

static void sift_up(int32_t slot) {
  int32_t cell = heap_cell[slot]; double t = heap_key[slot];
  while (slot > 0) {
    int32_t parent = (slot - 1) >> 1;
    double pk = heap_key[parent];
    if (pk <= t) break;
    place(slot, heap_cell[parent], pk);
    slot = parent;
  }
  place(slot, cell, t);
}

static void sift_down(int32_t size, int32_t slot) {
  int32_t cell = heap_cell[slot]; double t = heap_key[slot];
  for (;;) {
    int32_t child = 2 * slot + 1;
    if (child >= size) break;
    double ck = heap_key[child];
    if (child + 1 < size) { double rk = heap_key[child + 1]; if (rk < ck) { child++; ck = rk; } }
    if (ck >= t) break;
    place(slot, heap_cell[child], ck);
    slot = child;
  }
  place(slot, cell, t);
}

static int32_t reach;
/* Column strips of S = 1 << strip_shift columns: cell (row, col) is numbered
 * (col / S) * nrows * S + row * S + col % S; a step is dr * S + dc plus strip_jump[c][dc + R]
 * (±(nrows * S − S) when column c + dc of the strip leaves it). See the kernel. */
static int32_t strip_shift, strip_columns, strip_cells, n_strips, *strip_jump;
static inline int32_t strip_cell_of(int32_t row, int32_t col) {
  return (col >> strip_shift) * strip_cells + (row << strip_shift) + (col & (strip_columns - 1));
}

/* Bitmaps, one bit per cell, rows padded by `reach` cells on every side so a stencil window never
 * needs a bounds check: open = may still be improved (not burned, not blocked); blocked. */
static uint8_t *open_bits, *blocked_bits;
static int64_t bit_stride; /* bits per padded row, a multiple of 8 */
typedef struct { double ux, uy, half; int32_t cross_start, cross_end; } direction; /* 32 bytes */
static direction *window_dir; /* (2R+1)^2 entries, by (dr+R)*(2R+1) + (dc+R) */
static uint64_t *row_mask;    /* per dr+R: the window columns that are stencil steps */
static int32_t *step_offset;  /* per strip column c, (2R+1)^2: the whole step, dr*S + dc + strip jump */
/* The neighbours of one pop that pass the bound screen, as the kernel's `pending`. */
typedef struct { int32_t cell; int32_t dir; double slow; } pending_entry;
static pending_entry *pending;

static inline int64_t bit_of(int32_t row, int32_t col) { return (int64_t)(row + reach) * bit_stride + col + reach; }
static inline void clear_bit(uint8_t *bits, int64_t i) { bits[i >> 3] &= (uint8_t)~(1u << (i & 7)); }
static inline void set_bit(uint8_t *bits, int64_t i) { bits[i >> 3] |= (uint8_t)(1u << (i & 7)); }

/* The kernel's relaxPending: the full candidate, the barrier scan, the record, bound and queue. */
static inline int32_t relax_pending(const landscape *L, const pending_entry *e, int32_t cell, double t,
                                    int32_t size, uint64_t near_blocked, const int32_t *jumps) {
  const direction *d = window_dir + e->dir;
  int32_t next = e->cell;
  double slow = e->slow, half = d->half;
  record *there = C + next;
  double best = there->arrival;
  if (!(t + half * slow < best)) return size;
  double candidate = t + half * (slow + slowness(there, d->ux, d->uy));
  if (!(candidate < best)) return size;
  if (near_blocked) {
    for (int32_t m = d->cross_start; m < d->cross_end; m++) {
      int32_t through_dc = L->cross_dc[m];
      int32_t through = cell + (L->cross_dr[m] << strip_shift) + through_dc + jumps[through_dc + reach];
      if (B[through] == BLOCKED) return size;
    }
  }
  there->arrival = candidate;
  B[next] = upper_f32(candidate);
  int32_t slot = heap_slot[next];
  if (slot < 0) slot = size++;
  /* sift up with the new key, as the kernel's siftUpWith */
  while (slot > 0) {
    int32_t parent = (slot - 1) >> 1;
    double pk = heap_key[parent];
    if (pk <= candidate) break;
    place(slot, heap_cell[parent], pk);
    slot = parent;
  }
  place(slot, next, candidate);
  return size;
}

/* The kernel's commitAt for an improving entry: barrier scan, then record, bound and queue. The
 * kernel's relaxPending ends in the same commitAt; here the tail stays written out twice: folded into
 * one always-inline function, gcc's code for the 2048² burn ran 3.2 s -> 4.9 s (same checksum). */
static inline int32_t commit_improvement(const landscape *L, const pending_entry *e, int32_t cell,
                                         int32_t size, uint64_t near_blocked, const int32_t *jumps) {
  const direction *d = window_dir + e->dir;
  int32_t next = e->cell;
  double candidate = e->slow; /* the entry's third field holds the candidate here */
  if (near_blocked) {
    for (int32_t m = d->cross_start; m < d->cross_end; m++) {
      int32_t through_dc = L->cross_dc[m];
      int32_t through = cell + (L->cross_dr[m] << strip_shift) + through_dc + jumps[through_dc + reach];
      if (B[through] == BLOCKED) return size;
    }
  }
  C[next].arrival = candidate;
  B[next] = upper_f32(candidate);
  int32_t slot = heap_slot[next];
  if (slot < 0) slot = size++;
  while (slot > 0) {
    int32_t parent = (slot - 1) >> 1;
    double pk = heap_key[parent];
    if (pk <= candidate) break;
    place(slot, heap_cell[parent], pk);
    slot = parent;
  }
  place(slot, next, candidate);
  return size;
}

static double burn(const landscape *L, record *cache) {
  int32_t nrows = L->nrows, ncols = L->ncols;
  int32_t width = 2 * reach + 1;
  C = cache;
  size_t bitmap_bytes = (size_t)(nrows + 2 * reach) * (size_t)(bit_stride >> 3) + 8;
  memset(open_bits, 0, bitmap_bytes); memset(blocked_bits, 0, bitmap_bytes);
  size_t grid_cells = (size_t)nrows * ncols;
  for (size_t at = 0; at < grid_cells; at++) arrival_out[at] = INFINITY;
  memset(head_out, 0, grid_cells * sizeof(float));
  for (int32_t strip = 0, i = 0; strip < n_strips; strip++) {
    for (int32_t row = 0; row < nrows; row++) {
      for (int32_t c = 0; c < strip_columns; c++, i++) {
        cache[i].arrival = INFINITY; heap_slot[i] = -1; cache[i].period = -1; cache[i].head = 0;
        int blocked = L->bed_index[i] < 0;
        B[i] = blocked ? BLOCKED : INFINITY;
        int32_t col = (strip << strip_shift) + c;
        if (col >= ncols) continue; /* padding: in neither bitmap */
        int64_t bit = bit_of(row, col);
        if (blocked) set_bit(blocked_bits, bit); else set_bit(open_bits, bit);
      }
    }
  }
  int32_t size = 0;
  for (int32_t k = 0; k < L->n_ignition; k++) {
    int32_t cell = L->ignition_cell[k]; double t = L->ignition_t[k];
    if (B[cell] == BLOCKED || !(t < C[cell].arrival)) continue;
    C[cell].arrival = t;
    B[cell] = upper_f32(t);
    int32_t slot = heap_slot[cell];
    if (slot < 0) { place(size, cell, t); size++; sift_up(size - 1); } else { heap_key[slot] = t; sift_up(slot); }
  }
  int32_t period = 0;
  wind_factors(L, L->wind_speed[0] * FT_MIN_PER_M_S);
  double wx = L->wind_x[0], wy = L->wind_y[0];
  while (size > 0) {
    int32_t cell = heap_cell[0]; double t = heap_key[0];
    if (t > L->duration) break;
    size--;
    if (size > 0) { place(0, heap_cell[size], heap_key[size]); sift_down(size, 0); }
    B[cell] = DONE;
    int32_t strip = cell / strip_cells, in_strip = cell - strip * strip_cells;
    int32_t row = in_strip >> strip_shift, column_in_strip = in_strip & (strip_columns - 1);
    int32_t col = (strip << strip_shift) + column_in_strip;
    const int32_t *jumps = strip_jump + column_in_strip * width;
    clear_bit(open_bits, bit_of(row, col));
    while (period + 1 < L->n_wind && L->wind_t[period + 1] <= t) {
      period++;
      wind_factors(L, L->wind_speed[period] * FT_MIN_PER_M_S); wx = L->wind_x[period]; wy = L->wind_y[period];
    }
    record *here = cache + cell;
    if (here->period != period) evaluate(L, cell, wx, wy, here, period);
    double head_here = (double)here->head;
    size_t out_at = (size_t)row * ncols + col;
    arrival_out[out_at] = t; head_out[out_at] = (float)head_here;
    if (!isfinite(head_here) || isnan((double)here->slow)) continue;
    if (!(head_here > 0.0)) continue;
    uint64_t near_blocked = 0;
    int64_t first_bit = (int64_t)row * bit_stride + col; /* window cell (row - R, col - R), padded */
    for (int32_t r = 0; r < width; r++) {
      int64_t i = first_bit + r * bit_stride;
      uint64_t w; memcpy(&w, blocked_bits + (i >> 3), 8);
      near_blocked |= w >> (i & 7);
    }
    near_blocked &= (1ull << width) - 1;
    /* The kernel's passes: the bound screen into `pending` (branch-free); full candidates of the
     * entries whose ellipse is current, the improving ones into `improving` (branch-free); those
     * committed; then the stale entries, evaluated first and relaxed in full. */
    pending_entry *end = pending;
    const int32_t *offsets = step_offset + column_in_strip * width * width;
    double slow_here = here->slow, east_here = here->ex, north_here = here->ey;
    for (int32_t r = 0; r < width; r++) {
      int64_t i = first_bit + r * bit_stride;
      uint64_t w; memcpy(&w, open_bits + (i >> 3), 8);
      w = (w >> (i & 7)) & row_mask[r];
      const direction *dirs = window_dir + r * width;
      const int32_t *row_offsets = offsets + r * width;
      while (w) {
        int j = __builtin_ctzll(w);
        w &= w - 1;
        const direction *d = dirs + j;
        int32_t next = cell + row_offsets[j];
        double slow = slow_here * (1.0 - (d->ux * east_here + d->uy * north_here));
        double lower = t + d->half * slow;
        end->cell = next; end->dir = (int32_t)(d - window_dir); end->slow = slow;
        end += lower < (double)B[next];
      }
    }
    pending_entry *stale = pending, *improving = pending + L->n_stencil, *improved = improving;
    for (pending_entry *e = pending; e < end; e++) {
      record *there = cache + e->cell;
      if (there->period != period) { *stale++ = *e; continue; }
      const direction *d = window_dir + e->dir;
      double best = there->arrival;
      double candidate = t + d->half * (e->slow + slowness(there, d->ux, d->uy));
      improved->cell = e->cell; improved->dir = e->dir; improved->slow = candidate;
      improved += (t + d->half * e->slow < best) & (candidate < best);
    }
    for (pending_entry *e = improving; e < improved; e++) size = commit_improvement(L, e, cell, size, near_blocked, jumps);
    for (pending_entry *e = pending; e < stale; e++) {
      record *there = cache + e->cell;
      if (!(t + window_dir[e->dir].half * e->slow < there->arrival)) continue;
      evaluate(L, e->cell, wx, wy, there, period);
      size = relax_pending(L, e, cell, t, size, near_blocked, jumps);
    }
  }
  double sum = 0;
  for (size_t at = 0; at < grid_cells; at++) if (isfinite(arrival_out[at])) sum += arrival_out[at];
  return sum;
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: spread landscape.bin runs [strip_shift]\n"); return 2; }
  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror(argv[1]); return 1; }
  int runs = atoi(argv[2]);
  landscape L;
  int32_t *h = read_block(f, 8 * sizeof(int32_t));
  L.nrows = h[0]; L.ncols = h[1]; L.n_beds = h[2]; L.n_wind = h[3]; L.n_stencil = h[4]; L.n_cross = h[5]; L.n_ignition = h[6]; L.wind_limit = h[7];
  double *d = read_block(f, sizeof(double)); L.duration = d[0];
  size_t grid_cells = (size_t)L.nrows * L.ncols;
  L.bed_index = read_block(f, grid_cells * 4); L.beds = read_block(f, (size_t)L.n_beds * BED_STRIDE * 8);
  L.slope_x = read_block(f, grid_cells * 4); L.slope_y = read_block(f, grid_cells * 4);
  L.wind_t = read_block(f, L.n_wind * 8); L.wind_speed = read_block(f, L.n_wind * 8);
  L.wind_x = read_block(f, L.n_wind * 8); L.wind_y = read_block(f, L.n_wind * 8);
  L.dr = read_block(f, L.n_stencil * 4); L.dc = read_block(f, L.n_stencil * 4);
  L.dist = read_block(f, L.n_stencil * 8); L.ux = read_block(f, L.n_stencil * 8); L.uy = read_block(f, L.n_stencil * 8);
  L.cross_start = read_block(f, (L.n_stencil + 1) * 4); L.cross_dr = read_block(f, L.n_cross * 4); L.cross_dc = read_block(f, L.n_cross * 4);
  L.ignition_cell = read_block(f, L.n_ignition * 4); L.ignition_t = read_block(f, L.n_ignition * 8);
  fclose(f);
  bed_phi_w = malloc((size_t)L.n_beds * 8);
  reach = 0;
  for (int32_t k = 0; k < L.n_stencil; k++) {
    if (abs(L.dr[k]) > reach) reach = abs(L.dr[k]);
    if (abs(L.dc[k]) > reach) reach = abs(L.dc[k]);
  }
  strip_shift = argc > 3 ? atoi(argv[3]) : 4;
  strip_columns = 1 << strip_shift;
  if (strip_columns < reach) { fprintf(stderr, "strips narrower than the stencil's reach\n"); return 2; }
  strip_cells = L.nrows << strip_shift;
  n_strips = (L.ncols + strip_columns - 1) >> strip_shift;
  size_t cells = (size_t)n_strips * strip_cells;
  {
    /* Renumber the per-cell inputs into strips, as models/fire/kernel.ts does; padding never burns. */
    int32_t *bed_index = malloc(cells * 4); float *slope_x = calloc(cells, 4), *slope_y = calloc(cells, 4);
    for (size_t i = 0; i < cells; i++) bed_index[i] = -1;
    for (int32_t row = 0; row < L.nrows; row++) {
      for (int32_t col = 0; col < L.ncols; col++) {
        size_t from = (size_t)row * L.ncols + col, to = strip_cell_of(row, col);
        bed_index[to] = L.bed_index[from]; slope_x[to] = L.slope_x[from]; slope_y[to] = L.slope_y[from];
      }
    }
    free(L.bed_index); free(L.slope_x); free(L.slope_y);
    L.bed_index = bed_index; L.slope_x = slope_x; L.slope_y = slope_y;
    for (int32_t k = 0; k < L.n_ignition; k++) {
      int32_t cell = L.ignition_cell[k];
      L.ignition_cell[k] = strip_cell_of(cell / L.ncols, cell % L.ncols);
    }
  }
  {
    int32_t width = 2 * reach + 1;
    strip_jump = malloc((size_t)strip_columns * width * 4);
    for (int32_t c = 0; c < strip_columns; c++) {
      for (int32_t k = 0; k < width; k++) {
        int32_t to = c + k - reach;
        strip_jump[c * width + k] = to >= strip_columns ? strip_cells - strip_columns : to < 0 ? strip_columns - strip_cells : 0;
      }
    }
    bit_stride = ((int64_t)L.ncols + 2 * reach + 7) / 8 * 8;
    size_t bitmap_bytes = (size_t)(L.nrows + 2 * reach) * (size_t)(bit_stride >> 3) + 8;
    open_bits = malloc(bitmap_bytes); blocked_bits = malloc(bitmap_bytes);
    window_dir = calloc((size_t)width * width, sizeof(direction));
    step_offset = calloc((size_t)strip_columns * width * width, sizeof(int32_t));
    pending = malloc(2 * (size_t)L.n_stencil * sizeof(pending_entry)); /* pending, then improving */
    row_mask = calloc((size_t)width, sizeof(uint64_t));
    for (int32_t k = 0; k < L.n_stencil; k++) {
      int32_t p = (L.dr[k] + reach) * width + L.dc[k] + reach;
      direction *d = window_dir + p;
      d->ux = L.ux[k]; d->uy = L.uy[k]; d->half = 0.5 * L.dist[k];
      for (int32_t c = 0; c < strip_columns; c++)
        step_offset[c * width * width + p] = (L.dr[k] << strip_shift) + L.dc[k] + strip_jump[c * width + L.dc[k] + reach];
      d->cross_start = L.cross_start[k]; d->cross_end = L.cross_start[k + 1];
      row_mask[L.dr[k] + reach] |= 1ull << (L.dc[k] + reach);
    }
  }
  record *cache = aligned_alloc(64, (cells * sizeof(record) + 63) / 64 * 64);
  B = malloc(cells * sizeof(float));
  heap_cell = malloc(cells * 4); heap_key = malloc(cells * 8); heap_slot = malloc(cells * 4);
  arrival_out = malloc(grid_cells * sizeof(double)); head_out = malloc(grid_cells * sizeof(float));
  double checksum = burn(&L, cache); /* warm-up, as the JS side does */
  /* CPU time beside wall time: on a shared machine only the former compares runs. */
  double *cpu = malloc((size_t)(runs > 0 ? runs : 1) * sizeof(double));
  printf("{\"seconds\": [");
  for (int i = 0; i < runs; i++) {
    struct timespec a, b, ca, cb;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ca);
    clock_gettime(CLOCK_MONOTONIC, &a);
    checksum = burn(&L, cache);
    clock_gettime(CLOCK_MONOTONIC, &b);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cb);
    cpu[i] = (cb.tv_sec - ca.tv_sec) + 1e-9 * (cb.tv_nsec - ca.tv_nsec);
    printf("%s%.9f", i ? ", " : "", (b.tv_sec - a.tv_sec) + 1e-9 * (b.tv_nsec - a.tv_nsec));
  }
  printf("], \"cpu_seconds\": [");
  for (int i = 0; i < runs; i++) printf("%s%.9f", i ? ", " : "", cpu[i]);
  printf("], \"checksum\": %.17g}\n", checksum);
  return 0;
}
