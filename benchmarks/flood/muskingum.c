/* Native yardstick for assembly/flood/muskingum.ts: the same network loop, the same operation
 * order. Reads the packed network written by benchmarks/flood/muskingum.ts, routes it `runs`
 * times, prints {"seconds": [...], "checksum": x} on stdout. */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
  int32_t reaches, steps, boundary_count, lateral_count, record_count;
  double dt;
  double *coefficients, *boundary, *lateral, *initial_outflow;
  int32_t *downstream, *boundary_reach, *lateral_reach, *record_reach;
} network;

static void *read_block(FILE *f, size_t bytes) {
  void *p = malloc(bytes ? bytes : 1);
  if (!p || fread(p, 1, bytes, f) != bytes) { fprintf(stderr, "short input\n"); exit(1); }
  return p;
}

static void gather(int32_t count, const int32_t *reach, const double *series, int32_t step, double *pending) {
  const double *row = series + (size_t)step * count;
  for (int32_t k = 0; k < count; k++) pending[reach[k]] += row[k];
}

static void record_step(int32_t count, const int32_t *reach, double *recorded, int32_t step, const double *outflow) {
  double *row = recorded + (size_t)step * count;
  for (int32_t k = 0; k < count; k++) row[k] = outflow[reach[k]];
}

static double route(const network *net, double *inflow, double *outflow, double *pending,
                    double *peak, int32_t *peak_step, double *recorded) {
  int32_t n = net->reaches;
  memset(pending, 0, sizeof(double) * n);
  gather(net->boundary_count, net->boundary_reach, net->boundary, 0, pending);
  gather(net->lateral_count, net->lateral_reach, net->lateral, 0, pending);
  double previous_outlet = 0;
  for (int32_t i = 0; i < n; i++) {
    double in0 = pending[i];
    pending[i] = 0;
    double given = net->initial_outflow[i];
    double out0 = isnan(given) ? in0 : given;
    inflow[i] = in0; outflow[i] = out0; peak[i] = out0; peak_step[i] = 0;
    int32_t next = net->downstream[i];
    if (next >= 0) pending[next] += out0; else previous_outlet += out0;
  }
  record_step(net->record_count, net->record_reach, recorded, 0, outflow);
  double outlet_volume = 0, min_outflow = INFINITY, negative_count = 0, nonfinite_count = 0;
  for (int32_t step = 1; step <= net->steps; step++) {
    gather(net->boundary_count, net->boundary_reach, net->boundary, step, pending);
    gather(net->lateral_count, net->lateral_reach, net->lateral, step, pending);
    double outlet = 0;
    for (int32_t i = 0; i < n; i++) {
      const double *c = net->coefficients + 3 * (size_t)i;
      double in_new = pending[i];
      double out_new = c[0] * in_new + c[1] * inflow[i] + c[2] * outflow[i];
      pending[i] = 0;
      inflow[i] = in_new;
      outflow[i] = out_new;
      if (out_new > peak[i]) { peak[i] = out_new; peak_step[i] = step; }
      if (out_new < min_outflow) min_outflow = out_new;
      if (out_new < 0) negative_count += 1;
      if (out_new - out_new != 0) nonfinite_count += 1;
      int32_t next = net->downstream[i];
      if (next >= 0) pending[next] += out_new; else outlet += out_new;
    }
    outlet_volume += 0.5 * (previous_outlet + outlet) * net->dt;
    previous_outlet = outlet;
    record_step(net->record_count, net->record_reach, recorded, step, outflow);
  }
  /* Fold the guards into the result so the compiler cannot drop them. */
  return outlet_volume + (negative_count + nonfinite_count) * 0 + (min_outflow < -1e300 ? 1 : 0);
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: muskingum <network.bin> <runs>\n"); return 1; }
  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror(argv[1]); return 1; }
  int runs = atoi(argv[2]);
  network net;
  int32_t header[5];
  if (fread(header, sizeof header, 1, f) != 1 || fread(&net.dt, sizeof(double), 1, f) != 1) { fprintf(stderr, "bad header\n"); return 1; }
  net.reaches = header[0]; net.steps = header[1]; net.boundary_count = header[2];
  net.lateral_count = header[3]; net.record_count = header[4];
  size_t n = net.reaches, rows = (size_t)net.steps + 1;
  net.coefficients = read_block(f, 3 * n * sizeof(double));
  net.downstream = read_block(f, n * sizeof(int32_t));
  net.boundary_reach = read_block(f, net.boundary_count * sizeof(int32_t));
  net.boundary = read_block(f, rows * net.boundary_count * sizeof(double));
  net.lateral_reach = read_block(f, net.lateral_count * sizeof(int32_t));
  net.lateral = read_block(f, rows * net.lateral_count * sizeof(double));
  net.initial_outflow = read_block(f, n * sizeof(double));
  net.record_reach = read_block(f, net.record_count * sizeof(int32_t));
  fclose(f);

  double *inflow = malloc(n * sizeof(double)), *outflow = malloc(n * sizeof(double));
  double *pending = malloc(n * sizeof(double)), *peak = malloc(n * sizeof(double));
  int32_t *peak_step = malloc(n * sizeof(int32_t));
  double *recorded = malloc(rows * (net.record_count ? net.record_count : 1) * sizeof(double));
  double volume = route(&net, inflow, outflow, pending, peak, peak_step, recorded); /* warm-up */
  printf("{\"seconds\":[");
  for (int r = 0; r < runs; r++) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    volume = route(&net, inflow, outflow, pending, peak, peak_step, recorded);
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("%s%.9f", r ? "," : "", (b.tv_sec - a.tv_sec) + 1e-9 * (b.tv_nsec - a.tv_nsec));
  }
  double checksum = volume;
  for (size_t i = 0; i < n; i++) checksum += outflow[i] + peak[i];
  printf("],\"checksum\":%.17g}\n", checksum);
  return 0;
}
