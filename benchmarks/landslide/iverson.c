/* Native yardstick for assembly/landslide/iverson.ts (landslideLagged, infinite depth, no
 * profiles): the same exp/erfc (fdlibm method; Cody's CALERF), the same lag precomputation (lags
 * in runs per Cody interval, two per SSE pair, exp(-ysq^2) from a table), the same convolution
 * (eight output times, two depths per pair) and the same operation order per value, so the
 * checksum matches wasm and TS bit for bit.
 * Reads the run written by benchmarks/landslide/iverson.ts, evaluates it `runs` times, prints
 * {"seconds": [...], "checksum": x}. */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <immintrin.h> /* SSE4.1: the same two-lane pairs as the wasm kernel's f64x2 */

enum { CELL_SOIL_DEPTH, CELL_WATER_TABLE, CELL_BETA, CELL_FOUR_D1, CELL_KS, CELL_FRICTION_RATIO, CELL_COHESION, CELL_WATER_FRICTION, CELL_WEIGHT_SHEAR, CELL_STRIDE };

static const double INV_SQRT_PI = 5.6418958354775628695e-1;

static double power_of_two(int k) {
  union { uint64_t bits; double value; } u;
  u.bits = (uint64_t)(k + 1023) << 52;
  return u.value;
}

static double scale_by_power_of_two(double y, int k) {
  if (k > 1023) return y * power_of_two(1023) * power_of_two(k - 1023);
  if (k < -1022) return y * power_of_two(k + 1000) * power_of_two(-1000);
  return y * power_of_two(k);
}

static double exp_d(double x) {
  if (x != x) return x;
  if (x > 709.782712893383973096) return INFINITY;
  if (x < -745.13321910194110842) return 0.0;
  double k = floor(x * 1.44269504088896338700e+00 + 0.5);
  double hi = x - k * 6.93147180369123816490e-01;
  double lo = k * 1.90821492927058770002e-10;
  double r = hi - lo;
  double rr = r * r;
  double c = r - rr * (1.66666666666666019037e-01 + rr * (-2.77777777770155933842e-03 + rr * (6.61375632143793436117e-05
    + rr * (-1.65339022054652515390e-06 + rr * 4.13813679705723846039e-08))));
  double y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
  return scale_by_power_of_two(y, (int)k);
}

static double exp_minus_square(double y) {
  double ysq = floor(y * 16.0) / 16.0;
  double del = (y - ysq) * (y + ysq);
  return exp_d(-ysq * ysq) * exp_d(-del);
}

static double erf_small(double x) {
  double ysq = x * x;
  double num = 1.85777706184603153e-1 * ysq, den = ysq;
  num = (num + 3.16112374387056560e00) * ysq; den = (den + 2.36012909523441209e01) * ysq;
  num = (num + 1.13864154151050156e02) * ysq; den = (den + 2.44024637934444173e02) * ysq;
  num = (num + 3.77485237685302021e02) * ysq; den = (den + 1.28261652607737228e03) * ysq;
  return x * (num + 3.20937758913846947e03) / (den + 2.84423683343917062e03);
}

static double erfc_middle(double y) {
  double num = 2.15311535474403846e-8 * y, den = y;
  num = (num + 5.64188496988670089e-1) * y; den = (den + 1.57449261107098347e01) * y;
  num = (num + 8.88314979438837594e00) * y; den = (den + 1.17693950891312499e02) * y;
  num = (num + 6.61191906371416295e01) * y; den = (den + 5.37181101862009858e02) * y;
  num = (num + 2.98635138197400131e02) * y; den = (den + 1.62138957456669019e03) * y;
  num = (num + 8.81952221241769090e02) * y; den = (den + 3.29079923573345963e03) * y;
  num = (num + 1.71204761263407058e03) * y; den = (den + 4.36261909014324716e03) * y;
  num = (num + 2.05107837782607147e03) * y; den = (den + 3.43936767414372164e03) * y;
  return (num + 1.23033935479799725e03) / (den + 1.23033935480374942e03);
}

static double erfc_large(double y) {
  double ysq = 1.0 / (y * y);
  double num = 1.63153871373020978e-2 * ysq, den = ysq;
  num = (num + 3.05326634961232344e-1) * ysq; den = (den + 2.56852019228982242e00) * ysq;
  num = (num + 3.60344899949804439e-1) * ysq; den = (den + 1.87295284992346047e00) * ysq;
  num = (num + 1.25781726111229246e-1) * ysq; den = (den + 5.27905102951428412e-1) * ysq;
  num = (num + 1.60837851487422766e-2) * ysq; den = (den + 6.05183413124413191e-2) * ysq;
  double tail = ysq * (num + 6.58749161529837803e-4) / (den + 2.33520497626869185e-3);
  return (INV_SQRT_PI - tail) / y;
}

static double erfc_given_gaussian(double y, double gaussian) {
  if (y <= 0.46875) return 1.0 - erf_small(y);
  if (y <= 4.0) return gaussian * erfc_middle(y);
  if (y >= 26.543) return 0.0;
  return gaussian * erfc_large(y);
}

static double iverson_r(double t_star) {
  if (!(t_star > 0.0)) return 0.0;
  double s = sqrt(t_star);
  double eta = 1.0 / s;
  if (eta >= 27.5) return 0.0;
  double gaussian = eta <= 0.46875 ? exp_d(-(eta * eta)) : exp_minus_square(eta);
  return s * INV_SQRT_PI * gaussian - erfc_given_gaussian(eta, gaussian);
}

static double unit_response(double z, double lag, double four_d1) {
  if (!(lag > 0.0)) return 0.0;
  return z * iverson_r(four_d1 * lag / (z * z));
}

/* ---- Two depths per 128-bit pair, as assembly/landslide/simd.ts: per lane the scalar operations. */
typedef __m128d v2;
static inline v2 splat(double x) { return _mm_set1_pd(x); }
static inline v2 poly2(v2 acc, double c, v2 x) { return _mm_mul_pd(_mm_add_pd(acc, splat(c)), x); }

static inline v2 exp_pair(v2 x) {
  v2 k = _mm_floor_pd(_mm_add_pd(_mm_mul_pd(x, splat(1.44269504088896338700e+00)), splat(0.5)));
  v2 hi = _mm_sub_pd(x, _mm_mul_pd(k, splat(6.93147180369123816490e-01)));
  v2 lo = _mm_mul_pd(k, splat(1.90821492927058770002e-10));
  v2 r = _mm_sub_pd(hi, lo);
  v2 rr = _mm_mul_pd(r, r);
  v2 t = _mm_mul_pd(rr, splat(4.13813679705723846039e-08));
  t = _mm_mul_pd(rr, _mm_add_pd(splat(-1.65339022054652515390e-06), t));
  t = _mm_mul_pd(rr, _mm_add_pd(splat(6.61375632143793436117e-05), t));
  t = _mm_mul_pd(rr, _mm_add_pd(splat(-2.77777777770155933842e-03), t));
  t = _mm_mul_pd(rr, _mm_add_pd(splat(1.66666666666666019037e-01), t));
  v2 c = _mm_sub_pd(r, t);
  v2 rc = _mm_div_pd(_mm_mul_pd(r, c), _mm_sub_pd(splat(2.0), c));
  v2 y = _mm_sub_pd(splat(1.0), _mm_sub_pd(_mm_sub_pd(lo, rc), hi));
  __m128i bits = _mm_slli_epi64(_mm_add_epi64(_mm_cvtepi32_epi64(_mm_cvttpd_epi32(k)), _mm_set1_epi64x(1023)), 52);
  return _mm_mul_pd(y, _mm_castsi128_pd(bits));
}

static inline v2 neg(v2 x) { return _mm_xor_pd(x, splat(-0.0)); }

/* exp(-(k/16)^2) for k = floor(16 eta), eta < 26: the first factor of Cody's split, looked up. */
static double gaussian_table[416];
static void prepare_gaussian_table(void) {
  for (int k = 0; k < 416; k++) { double ysq = (double)k / 16.0; gaussian_table[k] = exp_d(-ysq * ysq); }
}

static inline v2 exp_minus_square_pair(v2 y) {
  v2 steps = _mm_floor_pd(_mm_mul_pd(y, splat(16.0)));
  v2 ysq = _mm_mul_pd(steps, splat(0.0625));
  v2 del = _mm_mul_pd(_mm_sub_pd(y, ysq), _mm_add_pd(y, ysq));
  __m128i index = _mm_cvttpd_epi32(steps);
  v2 first = _mm_set_pd(gaussian_table[_mm_extract_epi32(index, 1)], gaussian_table[_mm_extract_epi32(index, 0)]);
  return _mm_mul_pd(first, exp_pair(neg(del)));
}

static inline v2 erf_small_pair(v2 x) {
  v2 ysq = _mm_mul_pd(x, x);
  v2 num = _mm_mul_pd(splat(1.85777706184603153e-1), ysq), den = ysq;
  num = poly2(num, 3.16112374387056560e00, ysq); den = poly2(den, 2.36012909523441209e01, ysq);
  num = poly2(num, 1.13864154151050156e02, ysq); den = poly2(den, 2.44024637934444173e02, ysq);
  num = poly2(num, 3.77485237685302021e02, ysq); den = poly2(den, 1.28261652607737228e03, ysq);
  return _mm_div_pd(_mm_mul_pd(x, _mm_add_pd(num, splat(3.20937758913846947e03))), _mm_add_pd(den, splat(2.84423683343917062e03)));
}

static inline v2 middle_pair(v2 y) {
  v2 num = _mm_mul_pd(splat(2.15311535474403846e-8), y), den = y;
  num = poly2(num, 5.64188496988670089e-1, y); den = poly2(den, 1.57449261107098347e01, y);
  num = poly2(num, 8.88314979438837594e00, y); den = poly2(den, 1.17693950891312499e02, y);
  num = poly2(num, 6.61191906371416295e01, y); den = poly2(den, 5.37181101862009858e02, y);
  num = poly2(num, 2.98635138197400131e02, y); den = poly2(den, 1.62138957456669019e03, y);
  num = poly2(num, 8.81952221241769090e02, y); den = poly2(den, 3.29079923573345963e03, y);
  num = poly2(num, 1.71204761263407058e03, y); den = poly2(den, 4.36261909014324716e03, y);
  num = poly2(num, 2.05107837782607147e03, y); den = poly2(den, 3.43936767414372164e03, y);
  return _mm_div_pd(_mm_add_pd(num, splat(1.23033935479799725e03)), _mm_add_pd(den, splat(1.23033935480374942e03)));
}

static inline v2 large_pair(v2 y) {
  v2 ysq = _mm_div_pd(splat(1.0), _mm_mul_pd(y, y));
  v2 num = _mm_mul_pd(splat(1.63153871373020978e-2), ysq), den = ysq;
  num = poly2(num, 3.05326634961232344e-1, ysq); den = poly2(den, 2.56852019228982242e00, ysq);
  num = poly2(num, 3.60344899949804439e-1, ysq); den = poly2(den, 1.87295284992346047e00, ysq);
  num = poly2(num, 1.25781726111229246e-1, ysq); den = poly2(den, 5.27905102951428412e-1, ysq);
  num = poly2(num, 1.60837851487422766e-2, ysq); den = poly2(den, 6.05183413124413191e-2, ysq);
  v2 tail = _mm_div_pd(_mm_mul_pd(ysq, _mm_add_pd(num, splat(6.58749161529837803e-4))), _mm_add_pd(den, splat(2.33520497626869185e-3)));
  return _mm_div_pd(_mm_sub_pd(splat(INV_SQRT_PI), tail), y);
}

/* As simd.ts: the lags of one depth in one Cody interval, two lags per pair, into one lane. */
enum { SMALL, MIDDLE, LARGE };
static inline void eta_responses(double *into, int32_t from, int32_t to, double period, double four_d1, double z, int which) {
  v2 zv = splat(z), zz = splat(z * z), d = splat(four_d1);
  for (int32_t lag = from; lag < to; lag += 2) {
    int32_t second = lag + 1 < to ? lag + 1 : lag;
    v2 lag_time = _mm_mul_pd(_mm_set_pd((double)second, (double)lag), splat(period));
    v2 s = _mm_sqrt_pd(_mm_div_pd(_mm_mul_pd(d, lag_time), zz));
    v2 eta = _mm_div_pd(splat(1.0), s);
    v2 gaussian, erfc;
    if (which == SMALL) {
      gaussian = exp_pair(neg(_mm_mul_pd(eta, eta)));
      erfc = _mm_sub_pd(splat(1.0), erf_small_pair(eta));
    } else {
      gaussian = exp_minus_square_pair(eta);
      erfc = _mm_mul_pd(gaussian, which == MIDDLE ? middle_pair(eta) : large_pair(eta));
    }
    v2 r = _mm_mul_pd(zv, _mm_sub_pd(_mm_mul_pd(_mm_mul_pd(s, splat(INV_SQRT_PI)), gaussian), erfc));
    _mm_storel_pd(into + 2 * (size_t)lag, r);
    if (second != lag) _mm_storeh_pd(into + 2 * (size_t)second, r);
  }
}

static inline double eta_at(int32_t lag, double period, double four_d1, double z) {
  return 1.0 / sqrt(four_d1 * ((double)lag * period) / (z * z));
}
static inline int eta_below(double eta, double limit, int inclusive) { return inclusive ? eta <= limit : eta < limit; }

static int32_t first_lag_below(double limit, int inclusive, int32_t from, int32_t max_lag, double period, double four_d1, double z) {
  double guess = ceil(z * z / (four_d1 * period * limit * limit));
  if (!(guess >= from)) guess = from;
  if (guess > max_lag + 1) guess = max_lag + 1;
  int32_t lag = (int32_t)guess;
  while (lag > from && eta_below(eta_at(lag - 1, period, four_d1, z), limit, inclusive)) lag--;
  while (lag <= max_lag && !eta_below(eta_at(lag, period, four_d1, z), limit, inclusive)) lag++;
  return lag;
}

static void infinite_responses(double *into, int32_t max_lag, double period, double four_d1, double z) {
  int32_t simd_from = first_lag_below(26.0, 0, 1, max_lag, period, four_d1, z);
  int32_t middle_from = first_lag_below(4.0, 1, simd_from, max_lag, period, four_d1, z);
  int32_t small_from = first_lag_below(0.46875, 1, middle_from, max_lag, period, four_d1, z);
  for (int32_t lag = 1; lag < simd_from; lag++) into[2 * (size_t)lag] = unit_response(z, (double)lag * period, four_d1);
  eta_responses(into, simd_from, middle_from, period, four_d1, z, LARGE);
  eta_responses(into, middle_from, small_from, period, four_d1, z, MIDDLE);
  eta_responses(into, small_from, max_lag + 1, period, four_d1, z, SMALL);
}

typedef struct {
  int32_t cells, periods, times, depths;
  double period;
  double *packed, *intensity, *depth_fraction;
  int32_t *time_steps;
} run_input;

/* Returns the checksum of the outputs: Σ fs_min + Σ z_at_fs_min + Σ first failure time. */
static double evaluate(const run_input *in, double *fs_min, double *z_min, double *first_failure, double *rik, double *lag_response) {
  int32_t T = in->times, K = in->depths, P = in->periods;
  int32_t max_lag = T > 0 ? in->time_steps[T - 1] : 0;
  for (int32_t c = 0; c < in->cells; c++) {
    const double *cell = in->packed + (size_t)c * CELL_STRIDE;
    double ks = cell[CELL_KS];
    for (int32_t n = 0; n < P; n++) { double r = in->intensity[n] / ks; rik[n] = r > 1.0 ? 1.0 : r; }
    double *fs_row = fs_min + (size_t)c * T, *z_row = z_min + (size_t)c * T;
    for (int32_t j = 0; j < T; j++) { fs_row[j] = INFINITY; z_row[j] = NAN; }
    double soil_depth = cell[CELL_SOIL_DEPTH], four_d1 = cell[CELL_FOUR_D1], beta = cell[CELL_BETA], water_table = cell[CELL_WATER_TABLE];
    /* Two depths and four output times at a time, as the wasm kernel does with SIMD: eight
     * independent sums, each adding its terms in period order (so the same bits). */
    for (int32_t k = 0; k < K; k += 2) {
      int32_t k1 = k + 1 < K ? k + 1 : k;
      double z[2] = { in->depth_fraction[k] * soil_depth, in->depth_fraction[k1] * soil_depth };
      infinite_responses(lag_response, max_lag, in->period, four_d1, z[0]);
      if (k1 != k) infinite_responses(lag_response + 1, max_lag, in->period, four_d1, z[1]);
      else for (int32_t lag = 1; lag <= max_lag; lag++) lag_response[2 * lag + 1] = lag_response[2 * lag];
      for (int32_t lag = max_lag; lag >= 2; lag--) {
        lag_response[2 * lag] -= lag_response[2 * lag - 2];
        lag_response[2 * lag + 1] -= lag_response[2 * lag - 1];
      }
      double base[2] = { beta * (z[0] - water_table), beta * (z[1] - water_table) };
      /* Eight output times at a time (pairs of depths per __m128d, as the wasm kernel), each sum
       * adding its terms in period order; FS for both depths of a pair in one __m128d. */
      v2 base_v = _mm_loadu_pd(base), z_v = _mm_loadu_pd(z);
      v2 cap = _mm_mul_pd(splat(beta), z_v), weight_shear_z = _mm_mul_pd(splat(cell[CELL_WEIGHT_SHEAR]), z_v);
      for (int32_t j = 0; j < T; j += 8) {
        int32_t group = T - j < 8 ? T - j : 8;
        int32_t step[8], active[8];
        v2 psi[8];
        for (int g = 0; g < group; g++) {
          step[g] = in->time_steps[j + g];
          active[g] = step[g] < P ? step[g] : P;
          psi[g] = base_v;
        }
        for (int32_t n = 0; n < active[group - 1]; n++) {
          double r = rik[n];
          if (r == 0.0) continue;
          v2 rv = splat(r);
          for (int g = 0; g < group; g++) {
            if (n >= active[g]) continue;
            psi[g] = _mm_add_pd(psi[g], _mm_mul_pd(rv, _mm_loadu_pd(lag_response + 2 * (size_t)(step[g] - n))));
          }
        }
        for (int g = 0; g < group; g++) {
          /* minpd(a, b) = a < b ? a : b and maxpd likewise: the kernel's comparisons, NaN included */
          v2 p = _mm_min_pd(cap, psi[g]); /* psi > cap ? cap : psi */
          v2 wet = _mm_max_pd(p, splat(0.0)); /* psi > 0 ? psi : 0 */
          v2 fs = _mm_add_pd(splat(cell[CELL_FRICTION_RATIO]), _mm_div_pd(_mm_sub_pd(splat(cell[CELL_COHESION]), _mm_mul_pd(wet, splat(cell[CELL_WATER_FRICTION]))), weight_shear_z));
          fs = _mm_min_pd(splat(10.0), fs); /* fs > 10 ? 10 : fs */
          double f[2];
          _mm_storeu_pd(f, fs);
          for (int lane = 0; lane < (k1 == k ? 1 : 2); lane++) {
            if (f[lane] < fs_row[j + g]) { fs_row[j + g] = f[lane]; z_row[j + g] = z[lane]; }
          }
        }
      }
    }
    double first = NAN;
    for (int32_t j = 0; j < T; j++) if (fs_row[j] < 1.0 && first != first) { first = (double)in->time_steps[j] * in->period; }
    first_failure[c] = first;
  }
  double sum = 0.0;
  for (size_t i = 0; i < (size_t)in->cells * T; i++) sum += fs_min[i] + z_min[i];
  for (int32_t c = 0; c < in->cells; c++) if (first_failure[c] == first_failure[c]) sum += first_failure[c];
  return sum;
}

static void *read_block(FILE *f, size_t bytes) {
  void *p = malloc(bytes ? bytes : 1);
  if (!p || fread(p, 1, bytes, f) != bytes) { fprintf(stderr, "short input\n"); exit(1); }
  return p;
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: iverson <run.bin> <runs>\n"); return 1; }
  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror(argv[1]); return 1; }
  run_input in;
  int32_t *header = read_block(f, 4 * sizeof(int32_t));
  in.cells = header[0]; in.periods = header[1]; in.times = header[2]; in.depths = header[3];
  double *period = read_block(f, sizeof(double));
  in.period = *period;
  in.packed = read_block(f, sizeof(double) * CELL_STRIDE * (size_t)in.cells);
  in.intensity = read_block(f, sizeof(double) * in.periods);
  in.depth_fraction = read_block(f, sizeof(double) * in.depths);
  in.time_steps = read_block(f, sizeof(int32_t) * in.times);
  fclose(f);
  int runs = atoi(argv[2]);
  double *fs_min = malloc(sizeof(double) * in.cells * in.times), *z_min = malloc(sizeof(double) * in.cells * in.times);
  double *first = malloc(sizeof(double) * in.cells), *rik = malloc(sizeof(double) * (in.periods + 1));
  double *lag_response = malloc(sizeof(double) * 2 * (in.time_steps[in.times - 1] + 1));
  prepare_gaussian_table();
  double checksum = evaluate(&in, fs_min, z_min, first, rik, lag_response); /* warm-up */
  printf("{\"seconds\": [");
  for (int i = 0; i < runs; i++) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    double again = evaluate(&in, fs_min, z_min, first, rik, lag_response);
    clock_gettime(CLOCK_MONOTONIC, &b);
    if (again != checksum) { fprintf(stderr, "non-deterministic\n"); return 1; }
    printf("%s%.9f", i ? ", " : "", (b.tv_sec - a.tv_sec) + 1e-9 * (b.tv_nsec - a.tv_nsec));
  }
  printf("], \"checksum\": %.17g}\n", checksum);
  return 0;
}
