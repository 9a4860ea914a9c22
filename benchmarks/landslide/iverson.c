/* Native yardstick for assembly/landslide/iverson.ts (landslideLagged, infinite depth, no
 * profiles): the same exp/erfc (fdlibm method; Cody's CALERF), the same lag precomputation and
 * convolution, the same operation order, so the checksum matches wasm and TS bit for bit.
 * Reads the run written by benchmarks/landslide/iverson.ts, evaluates it `runs` times, prints
 * {"seconds": [...], "checksum": x}. */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { SOIL_DEPTH, WATER_TABLE, BETA, FOUR_D1, KS, FRICTION_RATIO, COHESION, WATER_FRICTION, WEIGHT_SHEAR, STRIDE };

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
    const double *cell = in->packed + (size_t)c * STRIDE;
    double ks = cell[KS];
    for (int32_t n = 0; n < P; n++) { double r = in->intensity[n] / ks; rik[n] = r > 1.0 ? 1.0 : r; }
    double *fs_row = fs_min + (size_t)c * T, *z_row = z_min + (size_t)c * T;
    for (int32_t j = 0; j < T; j++) { fs_row[j] = INFINITY; z_row[j] = NAN; }
    double soil_depth = cell[SOIL_DEPTH], four_d1 = cell[FOUR_D1], beta = cell[BETA], water_table = cell[WATER_TABLE];
    /* Two depths and four output times at a time, as the wasm kernel does with SIMD: eight
     * independent sums, each adding its terms in period order (so the same bits). */
    for (int32_t k = 0; k < K; k += 2) {
      int32_t k1 = k + 1 < K ? k + 1 : k;
      double z[2] = { in->depth_fraction[k] * soil_depth, in->depth_fraction[k1] * soil_depth };
      double previous[2] = { 0.0, 0.0 };
      for (int32_t lag = 1; lag <= max_lag; lag++) {
        double lag_time = (double)lag * in->period;
        double r0 = unit_response(z[0], lag_time, four_d1);
        double r1 = k1 == k ? r0 : unit_response(z[1], lag_time, four_d1);
        lag_response[2 * lag] = r0 - previous[0];
        lag_response[2 * lag + 1] = r1 - previous[1];
        previous[0] = r0;
        previous[1] = r1;
      }
      double base[2] = { beta * (z[0] - water_table), beta * (z[1] - water_table) };
      int32_t j = 0;
      double psi[4][2];
      for (; j < T; j += 4) {
        int32_t group = T - j < 4 ? T - j : 4;
        int32_t step[4], active[4];
        for (int g = 0; g < group; g++) {
          step[g] = in->time_steps[j + g];
          active[g] = step[g] < P ? step[g] : P;
          psi[g][0] = base[0];
          psi[g][1] = base[1];
        }
        for (int32_t n = 0; n < active[group - 1]; n++) {
          double r = rik[n];
          if (r == 0.0) continue;
          for (int g = 0; g < group; g++) {
            if (n >= active[g]) continue;
            const double *lr = lag_response + 2 * (size_t)(step[g] - n);
            psi[g][0] += r * lr[0];
            psi[g][1] += r * lr[1];
          }
        }
        for (int g = 0; g < group; g++) {
          for (int lane = 0; lane < (k1 == k ? 1 : 2); lane++) {
            double zz = z[lane];
            double p = psi[g][lane];
            double cap = beta * zz;
            if (p > cap) p = cap;
            double wet = p > 0.0 ? p : 0.0;
            double fs = cell[FRICTION_RATIO] + (cell[COHESION] - wet * cell[WATER_FRICTION]) / (cell[WEIGHT_SHEAR] * zz);
            if (fs > 10.0) fs = 10.0;
            if (fs < fs_row[j + g]) { fs_row[j + g] = fs; z_row[j + g] = zz; }
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
  in.packed = read_block(f, sizeof(double) * STRIDE * (size_t)in.cells);
  in.intensity = read_block(f, sizeof(double) * in.periods);
  in.depth_fraction = read_block(f, sizeof(double) * in.depths);
  in.time_steps = read_block(f, sizeof(int32_t) * in.times);
  fclose(f);
  int runs = atoi(argv[2]);
  double *fs_min = malloc(sizeof(double) * in.cells * in.times), *z_min = malloc(sizeof(double) * in.cells * in.times);
  double *first = malloc(sizeof(double) * in.cells), *rik = malloc(sizeof(double) * (in.periods + 1));
  double *lag_response = malloc(sizeof(double) * 2 * (in.time_steps[in.times - 1] + 1));
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
