/* Native yardstick for assembly/flood/muskingum.ts: the same time-tiled network loop, the same
 * operation order. Reads the packed network written by benchmarks/flood/muskingum.ts, routes it
 * `runs` times with `tile steps` steps per pass (the kernel's tileStepsFor), prints
 * {"seconds": [...], "checksum": x} on stdout. */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* assembly/flood/layout.ts, held to it by test/engine/layout.test.ts */
#define COEFFICIENTS_PER_REACH 3

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

/* Adds the series' inflows of steps first … first+count−1 into columns 0 … count−1 of pending's rows. */
static void gather(int32_t series_count, const int32_t *reach, const double *series,
                   int32_t first, int32_t count, double *pending, size_t row_length) {
  for (int32_t t = 0; t < count; t++) {
    const double *row = series + (size_t)(first + t) * series_count;
    for (int32_t k = 0; k < series_count; k++) pending[(size_t)reach[k] * row_length + t] += row[k];
  }
}

static void record_step(int32_t count, const int32_t *reach, double *recorded, int32_t step, const double *outflow) {
  double *row = recorded + (size_t)step * count;
  for (int32_t k = 0; k < count; k++) row[k] = outflow[reach[k]];
}

/* Routes a reach's tile again (the same operations, the same bits) to record its outflows and count
 * negative and non-finite ones: only recorded reaches and those whose lowest outflow is negative or
 * last one non-finite come here (see revisitTile in the kernel). */
static void revisit_tile(const double *own, int32_t count, double c0, double c1, double c2,
                         double in_old, double out_old, double *record_at, int32_t record_stride,
                         int32_t *negatives, int32_t *nonfinite) {
  for (int32_t t = 0; t < count; t++) {
    double in_new = own[t];
    double out_new = c0 * in_new + c1 * in_old + c2 * out_old;
    in_old = in_new;
    out_old = out_new;
    if (out_new < 0) *negatives += 1;
    if (out_new - out_new != 0) *nonfinite += 1;
    if (record_at) record_at[(size_t)t * record_stride] = out_new;
  }
}

/* pending: (reaches + 1) rows of `row` ≥ tile_steps inflows, the last row the outlets' (see the kernel). */
static double route(const network *net, int32_t tile_steps, double *inflow, double *outflow, double *pending,
                    int32_t *record_slot, double *peak, int32_t *peak_step, double *recorded) {
  int32_t n = net->reaches, record_count = net->record_count;
  size_t row = ((size_t)tile_steps + 7) & ~(size_t)7;
  double *outlet_row = pending + (size_t)n * row;
  memset(pending, 0, sizeof(double) * ((size_t)n + 1) * row);
  memset(record_slot, 0xff, sizeof(int32_t) * n);
  for (int32_t k = record_count - 1; k >= 0; k--) record_slot[net->record_reach[k]] = k;
  gather(net->boundary_count, net->boundary_reach, net->boundary, 0, 1, pending, row);
  gather(net->lateral_count, net->lateral_reach, net->lateral, 0, 1, pending, row);
  double previous_outlet = 0;
  for (int32_t i = 0; i < n; i++) {
    double in0 = pending[(size_t)i * row];
    pending[(size_t)i * row] = 0;
    double given = net->initial_outflow[i];
    double out0 = isnan(given) ? in0 : given;
    inflow[i] = in0; outflow[i] = out0; peak[i] = out0; peak_step[i] = 0;
    int32_t next = net->downstream[i];
    if (next >= 0) pending[(size_t)next * row] += out0; else previous_outlet += out0;
  }
  record_step(record_count, net->record_reach, recorded, 0, outflow);
  double outlet_volume = 0, min_outflow = INFINITY, negative_count = 0, nonfinite_count = 0;
  for (int32_t first = 1; first <= net->steps; first += tile_steps) {
    int32_t count = net->steps - first + 1 < tile_steps ? net->steps - first + 1 : tile_steps;
    gather(net->boundary_count, net->boundary_reach, net->boundary, first, count, pending, row);
    gather(net->lateral_count, net->lateral_reach, net->lateral, first, count, pending, row);
    for (int32_t i = 0; i < n; i++) {
      const double *c = net->coefficients + COEFFICIENTS_PER_REACH * (size_t)i;
      double c0 = c[0], c1 = c[1], c2 = c[2];
      double in_old = inflow[i], out_old = outflow[i], peak_flow = peak[i];
      double in_before = in_old, out_before = out_old, lowest = INFINITY;
      int32_t peak_at = peak_step[i];
      double *own = pending + (size_t)i * row;
      int32_t next = net->downstream[i];
      double *target = next >= 0 ? pending + (size_t)next * row : outlet_row;
      for (int32_t t = 0; t < count; t++) {
        double in_new = own[t];
        double out_new = c0 * in_new + c1 * in_old + c2 * out_old;
        in_old = in_new;
        out_old = out_new;
        if (out_new > peak_flow) { peak_flow = out_new; peak_at = first + t; }
        if (out_new < lowest) lowest = out_new;
        target[t] += out_new;
      }
      int32_t slot = record_slot[i];
      if (slot >= 0 || lowest < 0 || out_old - out_old != 0) {
        int32_t negatives = 0, nonfinite = 0;
        revisit_tile(own, count, c0, c1, c2, in_before, out_before,
                     slot >= 0 ? recorded + (size_t)first * record_count + slot : NULL, record_count,
                     &negatives, &nonfinite);
        negative_count += negatives;
        nonfinite_count += nonfinite;
      }
      if (lowest < min_outflow) min_outflow = lowest;
      memset(own, 0, sizeof(double) * count);
      inflow[i] = in_old; outflow[i] = out_old; peak[i] = peak_flow; peak_step[i] = peak_at;
    }
    for (int32_t t = 0; t < count; t++) {
      double outlet = outlet_row[t];
      outlet_row[t] = 0;
      outlet_volume += 0.5 * (previous_outlet + outlet) * net->dt;
      previous_outlet = outlet;
    }
    for (int32_t k = 0; k < record_count; k++) {
      int32_t slot = record_slot[net->record_reach[k]];
      if (slot == k) continue;
      for (int32_t step = first; step < first + count; step++)
        recorded[(size_t)step * record_count + k] = recorded[(size_t)step * record_count + slot];
    }
  }
  /* Fold the guards into the result so the compiler cannot drop them. */
  return outlet_volume + (negative_count + nonfinite_count) * 0 + (min_outflow < -1e300 ? 1 : 0);
}

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: muskingum <network.bin> <runs> <tile steps>\n"); return 1; }
  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror(argv[1]); return 1; }
  int runs = atoi(argv[2]);
  int32_t tile_steps = atoi(argv[3]);
  if (tile_steps < 1) { fprintf(stderr, "tile steps must be >= 1\n"); return 1; }
  network net;
  int32_t header[5];
  if (fread(header, sizeof header, 1, f) != 1 || fread(&net.dt, sizeof(double), 1, f) != 1) { fprintf(stderr, "bad header\n"); return 1; }
  net.reaches = header[0]; net.steps = header[1]; net.boundary_count = header[2];
  net.lateral_count = header[3]; net.record_count = header[4];
  size_t n = net.reaches, rows = (size_t)net.steps + 1;
  net.coefficients = read_block(f, COEFFICIENTS_PER_REACH * n * sizeof(double));
  net.downstream = read_block(f, n * sizeof(int32_t));
  net.boundary_reach = read_block(f, net.boundary_count * sizeof(int32_t));
  net.boundary = read_block(f, rows * net.boundary_count * sizeof(double));
  net.lateral_reach = read_block(f, net.lateral_count * sizeof(int32_t));
  net.lateral = read_block(f, rows * net.lateral_count * sizeof(double));
  net.initial_outflow = read_block(f, n * sizeof(double));
  net.record_reach = read_block(f, net.record_count * sizeof(int32_t));
  fclose(f);

  double *inflow = malloc(n * sizeof(double)), *outflow = malloc(n * sizeof(double));
  double *pending = malloc((n + 1) * (((size_t)tile_steps + 7) & ~(size_t)7) * sizeof(double)), *peak = malloc(n * sizeof(double));
  int32_t *peak_step = malloc(n * sizeof(int32_t)), *record_slot = malloc((n ? n : 1) * sizeof(int32_t));
  double *recorded = malloc(rows * (net.record_count ? net.record_count : 1) * sizeof(double));
  double volume = route(&net, tile_steps, inflow, outflow, pending, record_slot, peak, peak_step, recorded); /* warm-up */
  printf("{\"seconds\":[");
  for (int r = 0; r < runs; r++) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    volume = route(&net, tile_steps, inflow, outflow, pending, record_slot, peak, peak_step, recorded);
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("%s%.9f", r ? "," : "", (b.tv_sec - a.tv_sec) + 1e-9 * (b.tv_nsec - a.tv_nsec));
  }
  double checksum = volume;
  for (size_t i = 0; i < n; i++) checksum += outflow[i] + peak[i];
  printf("],\"checksum\":%.17g}\n", checksum);
  return 0;
}
