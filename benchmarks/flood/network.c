/* Native yardstick for assembly/flood/network.ts (mixed-method routing: linear Muskingum, MCT,
 * kinematic wave): the same loops and the same operation order. Reads the packed network written by
 * benchmarks/flood/muskingum-cunge.ts, routes it `runs` times, prints
 * {"seconds": [...], "checksum": x} on stdout. */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { METHOD_LINEAR = 0, METHOD_MCT = 1, METHOD_KINEMATIC = 2 };
#define PARAMS_PER_SEGMENT 8
#define STATE_PER_SEGMENT 8
enum { P_C0, P_C1, P_C2, P_K, P_X }; /* a linear segment's params */
enum { P_DX, P_SLOPE, P_WIDTH, P_SIDE, P_PERIMETER, P_RESISTANCE, P_REFERENCE };
enum { S_INFLOW, S_OUTFLOW, S_COURANT, S_REYNOLDS, S_DEPTH, S_PEAK, S_PENDING, S_DEPTH_DISCHARGE };
#define DEPTH_MAX_ITERATIONS 200
#define DEPTH_TOLERANCE 1e-7
#define DEPTH_HALLEY_TOLERANCE 1e-5
#define PARAMETER_MIN_DISCHARGE 1e-6
#define MCT_ITERATIONS 2
#define KINEMATIC_MAX_ITERATIONS 100
#define KINEMATIC_TOLERANCE 1e-13

typedef struct {
  int32_t segments, steps, boundary_count, lateral_count, record_count;
  double dt;
  int32_t *method, *downstream, *boundary_reach, *lateral_reach, *record_reach;
  double *params, *boundary, *lateral, *initial_outflow;
} network;

static int depth_failures;

static void *read_block(FILE *f, size_t bytes) {
  void *p = malloc(bytes ? bytes : 1);
  if (!p || fread(p, 1, bytes, f) != bytes) { fprintf(stderr, "short input\n"); exit(1); }
  return p;
}

static double normal_depth(double q, double resistance, double b, double z, double pf, double guess) {
  if (q <= 0) return 0;
  double ratio = q * resistance;
  double m = ratio * ratio * ratio;
  double h = guess > 0 ? guess : 1.0;
  for (int it = 0; it < DEPTH_MAX_ITERATIONS; it++) {
    double area = (b + z * h) * h;
    double top = b + 2 * z * h;
    double perimeter = b + pf * h;
    double area2 = area * area;
    double area4 = area2 * area2;
    double f = area4 * area - m * perimeter * perimeter;
    double slope = 5 * area4 * top - 2 * m * perimeter * pf;
    double next = f < 0 && !(slope > 0) ? 2 * h : h - f / slope;
    if (!(next > 0)) next = 0.5 * h;
    double change = next - h;
    h = next;
    if ((change < 0 ? -change : change) <= DEPTH_TOLERANCE * h) return h;
  }
  depth_failures++;
  return h;
}

/* The kernel's normalDepthFrom: tangent predictor from (h0, q0), then Halley steps. */
static double normal_depth_from(double q, double resistance, double b, double z, double pf, double h0, double q0) {
  if (!(h0 > 0 && q0 > 0)) return normal_depth(q, resistance, b, z, pf, h0);
  if (q <= 0) return 0;
  double two_z = 2 * z;
  double area0 = (b + z * h0) * h0;
  double top0 = b + two_z * h0;
  double perimeter0 = b + pf * h0;
  double tangent = 3 * area0 * perimeter0 / (q0 * (5 * perimeter0 * top0 - 2 * pf * area0));
  double predicted = h0 + tangent * (q - q0);
  double h = predicted > 0 ? predicted : 0.5 * h0;
  double ratio = q * resistance;
  double m = ratio * ratio * ratio;
  for (int it = 0; it < DEPTH_MAX_ITERATIONS; it++) {
    double area = (b + z * h) * h;
    double top = b + two_z * h;
    double perimeter = b + pf * h;
    double area2 = area * area;
    double area3 = area2 * area;
    double area4 = area2 * area2;
    double f = area4 * area - m * perimeter * perimeter;
    double slope = 5 * area4 * top - 2 * m * perimeter * pf;
    double curvature = 20 * area3 * top * top + 5 * area4 * two_z - 2 * m * pf * pf;
    double denominator = 2 * slope * slope - f * curvature;
    int halley = denominator > 0;
    double next = h - (halley ? 2 * f * slope : f) / (halley ? denominator : slope);
    next = (f < 0) & !(slope > 0) ? 2 * h : next;
    next = next > 0 ? next : 0.5 * h;
    double change = next - h;
    h = next;
    if ((change < 0 ? -change : change) <= DEPTH_HALLEY_TOLERANCE * h) return h;
  }
  depth_failures++;
  return h;
}

static double section_area(double h, double b, double z) { return (b + z * h) * h; }

static double celerity(double q, double h, double b, double z, double pf) {
  double area = (b + z * h) * h;
  double top = b + 2 * z * h;
  double perimeter = b + pf * h;
  return (q / 3) * (5 / area - 2 * pf / (perimeter * top));
}

/* The kernel's mctParameters (t = 0, a cold depth solve). */
/* Out of line: it runs once per reach at t = 0, and inlined it crowds the routing loop. */
__attribute__((noinline)) static void mct_parameters(const double *p, double *s, double q, double dt) {
  double width = p[P_WIDTH], side = p[P_SIDE], pf = p[P_PERIMETER];
  double reference = q < PARAMETER_MIN_DISCHARGE ? PARAMETER_MIN_DISCHARGE : q;
  double h = normal_depth(reference, p[P_RESISTANCE], width, side, pf, s[S_DEPTH]);
  s[S_DEPTH] = h;
  s[S_DEPTH_DISCHARGE] = reference;
  double area = section_area(h, width, side);
  double top = width + 2 * side * h;
  double perimeter = width + pf * h;
  double shape = 5 * perimeter * top - 2 * pf * area;
  double slope_shape2 = p[P_SLOPE] * shape * shape;
  double inverse = 1 / (area * p[P_DX] * slope_shape2);
  double courant = reference * dt * slope_shape2 * inverse;
  double reynolds = 9 * area * perimeter * perimeter * top * area * inverse;
  s[S_COURANT] = courant;
  s[S_REYNOLDS] = reynolds < 1 + courant ? reynolds : 1 + courant;
}

/* The kernel's stepMct: mct_parameters inlined, the parameters read only for a new reference. */
static double step_mct(const double *p, double *s, double inflow_new, double dt) {
  double inflow_old = s[S_INFLOW], outflow_old = s[S_OUTFLOW];
  double c0 = s[S_COURANT], d0 = s[S_REYNOLDS];
  double c1 = c0, d1 = d0;
  double outflow = outflow_old + (inflow_new - inflow_old);
  double last_reference = -1;
  for (int it = 0; it < MCT_ITERATIONS; it++) {
    double guess = outflow > 0 ? outflow : 0;
    double reference = 0.5 * (inflow_new + guess);
    if (reference == last_reference) break;
    last_reference = reference;
    double q = reference < PARAMETER_MIN_DISCHARGE ? PARAMETER_MIN_DISCHARGE : reference;
    double q0 = s[S_DEPTH_DISCHARGE];
    int fixed = 0;
    if (q != q0) {
      fixed = p[P_REFERENCE] > 0;
      if (!fixed) {
        double width = p[P_WIDTH], side = p[P_SIDE], pf = p[P_PERIMETER];
        double h = normal_depth_from(q, p[P_RESISTANCE], width, side, pf, s[S_DEPTH], q0);
        s[S_DEPTH] = h;
        s[S_DEPTH_DISCHARGE] = q;
        double area = section_area(h, width, side);
        double top = width + 2 * side * h;
        double perimeter = width + pf * h;
        double shape = 5 * perimeter * top - 2 * pf * area;
        double slope_shape2 = p[P_SLOPE] * shape * shape;
        double inverse = 1 / (area * p[P_DX] * slope_shape2);
        c1 = q * dt * slope_shape2 * inverse;
        double reynolds = 9 * area * perimeter * perimeter * top * area * inverse;
        d1 = reynolds < 1 + c1 ? reynolds : 1 + c1;
        s[S_COURANT] = c1;
        s[S_REYNOLDS] = d1;
      }
    }
    double scale = 1 / (c0 * (1 + c1 + d1));
    double inverse = c0 * scale;
    double ratio = c1 * scale;
    /* The kernel's steady-exact form: O + a(I' - O) + b(I - O) + (a + b + c - 1)O. */
    outflow = outflow_old + (-1 + c1 + d1) * inverse * (inflow_new - outflow_old) + (1 + c0 - d0) * ratio * (inflow_old - outflow_old)
      + 2 * (c1 - c0) * scale * outflow_old;
    if (fixed) break;
  }
  return outflow;
}

static double step_kinematic(const double *p, double *s, double inflow_new, double dt) {
  double width = p[P_WIDTH], side = p[P_SIDE], pf = p[P_PERIMETER], resistance = p[P_RESISTANCE];
  double ratio = dt / p[P_DX];
  double h = s[S_DEPTH];
  double rhs = ratio * inflow_new + section_area(h, width, side);
  if (!(rhs > 0)) { s[S_DEPTH] = 0; return rhs / ratio; }
  double low = 0, high = rhs / ratio;
  double outflow = s[S_OUTFLOW] + (inflow_new - s[S_INFLOW]);
  if (!(outflow > low && outflow < high)) outflow = 0.5 * high;
  for (int it = 0; it < KINEMATIC_MAX_ITERATIONS; it++) {
    h = normal_depth(outflow, resistance, width, side, pf, h);
    double residual = ratio * outflow + section_area(h, width, side) - rhs;
    if (residual > 0) high = outflow; else low = outflow;
    double slope = ratio + 1 / celerity(outflow, h, width, side, pf);
    double next = outflow - residual / slope;
    if (!(next > low && next < high)) next = 0.5 * (low + high);
    double change = next - outflow;
    outflow = next;
    if ((change < 0 ? -change : change) <= KINEMATIC_TOLERANCE * outflow) break;
  }
  s[S_DEPTH] = normal_depth(outflow, resistance, width, side, pf, h);
  return outflow;
}

static double storage_of(int method, const double *p, const double *s, double dt) {
  double inflow = s[S_INFLOW], outflow = s[S_OUTFLOW];
  if (method == METHOD_LINEAR) { double x = p[P_X]; return p[P_K] * (x * inflow + (1 - x) * outflow); }
  if (method == METHOD_MCT) { double d = s[S_REYNOLDS]; return dt / (2 * s[S_COURANT]) * ((1 - d) * inflow + (1 + d) * outflow); }
  return p[P_DX] * section_area(s[S_DEPTH], p[P_WIDTH], p[P_SIDE]) + 0.5 * dt * (outflow - inflow);
}

static void gather(int32_t count, const int32_t *reach, const double *series, int32_t step, double *state) {
  const double *row = series + (size_t)step * count;
  for (int32_t k = 0; k < count; k++) state[(size_t)reach[k] * STATE_PER_SEGMENT + S_PENDING] += row[k];
}

static void record_step(int32_t count, const int32_t *reach, double *recorded, int32_t step, const double *state) {
  double *row = recorded + (size_t)step * count;
  for (int32_t k = 0; k < count; k++) row[k] = state[(size_t)reach[k] * STATE_PER_SEGMENT + S_OUTFLOW];
}

static double route(const network *net, double *state, int32_t *peak_step, double *recorded) {
  int32_t n = net->segments;
  double dt = net->dt;
  depth_failures = 0;
  for (int32_t i = 0; i < n; i++) state[(size_t)i * STATE_PER_SEGMENT + S_PENDING] = 0;
  gather(net->boundary_count, net->boundary_reach, net->boundary, 0, state);
  gather(net->lateral_count, net->lateral_reach, net->lateral, 0, state);
  double previous_outlet = 0;
  for (int32_t i = 0; i < n; i++) {
    double *s = state + (size_t)i * STATE_PER_SEGMENT;
    const double *p = net->params + (size_t)i * PARAMS_PER_SEGMENT;
    double in0 = s[S_PENDING];
    s[S_PENDING] = 0;
    double given = net->initial_outflow[i];
    double out0 = given != given ? in0 : given;
    s[S_INFLOW] = in0; s[S_OUTFLOW] = out0; s[S_PEAK] = out0; s[S_DEPTH] = 0; s[S_DEPTH_DISCHARGE] = 0;
    peak_step[i] = 0;
    if (net->method[i] == METHOD_MCT) {
      double reference = p[P_REFERENCE];
      mct_parameters(p, s, reference > 0 ? reference : 0.5 * (in0 + out0), dt);
    } else if (net->method[i] == METHOD_KINEMATIC) {
      s[S_DEPTH] = normal_depth(out0, p[P_RESISTANCE], p[P_WIDTH], p[P_SIDE], p[P_PERIMETER], 0);
    }
    int32_t next = net->downstream[i];
    if (next >= 0) state[(size_t)next * STATE_PER_SEGMENT + S_PENDING] += out0; else previous_outlet += out0;
  }
  record_step(net->record_count, net->record_reach, recorded, 0, state);
  double outlet_volume = 0, min_outflow = INFINITY, negative_count = 0, nonfinite_count = 0;
  for (int32_t step = 1; step <= net->steps; step++) {
    gather(net->boundary_count, net->boundary_reach, net->boundary, step, state);
    gather(net->lateral_count, net->lateral_reach, net->lateral, step, state);
    double outlet = 0;
    for (int32_t i = 0; i < n; i++) {
      double *s = state + (size_t)i * STATE_PER_SEGMENT;
      const double *p = net->params + (size_t)i * PARAMS_PER_SEGMENT;
      double in_new = s[S_PENDING];
      int kind = net->method[i];
      double out_new;
      if (kind == METHOD_LINEAR) out_new = p[P_C0] * in_new + p[P_C1] * s[S_INFLOW] + p[P_C2] * s[S_OUTFLOW];
      else if (kind == METHOD_MCT) out_new = step_mct(p, s, in_new, dt);
      else out_new = step_kinematic(p, s, in_new, dt);
      s[S_PENDING] = 0;
      s[S_INFLOW] = in_new;
      s[S_OUTFLOW] = out_new;
      if (out_new > s[S_PEAK]) { s[S_PEAK] = out_new; peak_step[i] = step; }
      if (out_new < min_outflow) min_outflow = out_new;
      if (out_new < 0) negative_count += 1;
      if (out_new - out_new != 0) nonfinite_count += 1;
      int32_t next = net->downstream[i];
      if (next >= 0) state[(size_t)next * STATE_PER_SEGMENT + S_PENDING] += out_new; else outlet += out_new;
    }
    outlet_volume += 0.5 * (previous_outlet + outlet) * dt;
    previous_outlet = outlet;
    record_step(net->record_count, net->record_reach, recorded, step, state);
  }
  double storage = 0;
  for (int32_t i = 0; i < n; i++) storage += storage_of(net->method[i], net->params + (size_t)i * PARAMS_PER_SEGMENT, state + (size_t)i * STATE_PER_SEGMENT, dt);
  /* Fold the guards into the result so the compiler cannot drop them. */
  return outlet_volume + (negative_count + nonfinite_count + depth_failures) * 0 + (min_outflow < -1e300 ? 1 : 0) + storage * 0;
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: network <network.bin> <runs>\n"); return 1; }
  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror(argv[1]); return 1; }
  int runs = atoi(argv[2]);
  network net;
  int32_t header[5];
  if (fread(header, sizeof header, 1, f) != 1 || fread(&net.dt, sizeof(double), 1, f) != 1) { fprintf(stderr, "bad header\n"); return 1; }
  net.segments = header[0]; net.steps = header[1]; net.boundary_count = header[2];
  net.lateral_count = header[3]; net.record_count = header[4];
  size_t n = net.segments, rows = (size_t)net.steps + 1;
  net.method = read_block(f, n * sizeof(int32_t));
  net.downstream = read_block(f, n * sizeof(int32_t));
  net.params = read_block(f, PARAMS_PER_SEGMENT * n * sizeof(double));
  net.boundary_reach = read_block(f, net.boundary_count * sizeof(int32_t));
  net.boundary = read_block(f, rows * net.boundary_count * sizeof(double));
  net.lateral_reach = read_block(f, net.lateral_count * sizeof(int32_t));
  net.lateral = read_block(f, rows * net.lateral_count * sizeof(double));
  net.initial_outflow = read_block(f, n * sizeof(double));
  net.record_reach = read_block(f, net.record_count * sizeof(int32_t));
  fclose(f);

  double *state = malloc(STATE_PER_SEGMENT * n * sizeof(double));
  int32_t *peak_step = malloc(n * sizeof(int32_t));
  double *recorded = malloc(rows * (net.record_count ? net.record_count : 1) * sizeof(double));
  double volume = route(&net, state, peak_step, recorded); /* warm-up */
  printf("{\"seconds\":[");
  for (int r = 0; r < runs; r++) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    volume = route(&net, state, peak_step, recorded);
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("%s%.9f", r ? "," : "", (b.tv_sec - a.tv_sec) + 1e-9 * (b.tv_nsec - a.tv_nsec));
  }
  double checksum = volume;
  for (size_t i = 0; i < n; i++) checksum += state[i * STATE_PER_SEGMENT + S_OUTFLOW] + state[i * STATE_PER_SEGMENT + S_PEAK];
  printf("],\"checksum\":%.17g}\n", checksum);
  return 0;
}
