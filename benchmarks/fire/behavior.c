/* Native yardstick for assembly/fire/rothermel.ts: the same two stages (fuel bed from fuel model
 * and moisture; behaviour from bed, wind and slope) in the same operation order. Reads the packed
 * cases written by benchmarks/fire/behavior.ts; mode 0 runs the full path per case, mode 1 the
 * table-driven path; prints {"seconds": [...], "checksum": x}. */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define FUEL_STRIDE 13
#define BED_STRIDE 8
#define CASE_STRIDE 9
#define OUT_STRIDE 12
#define MOISTURE_STRIDE 5
#define WIND_STRIDE 3
enum { BED_R0, BED_IR, BED_TAU, BED_WIND_B, BED_WIND_K, BED_SLOPE_K, BED_SIGMA, BED_BETA_REL };
enum { CASE_WIND = 5, CASE_WIND_TO_UPSLOPE, CASE_TAN_SLOPE };
static const double M_PER_FT = 0.3048, KG_PER_LB = 0.45359237, KJ_PER_BTU = 1.05505585262;
#define LB_FT2_PER_KG_M2 ((M_PER_FT * M_PER_FT) / KG_PER_LB)
#define BTU_LB_PER_KJ_KG (KG_PER_LB / KJ_PER_BTU)
#define FT_MIN_PER_M_S (60.0 / M_PER_FT)
#define M_S_PER_FT_MIN (M_PER_FT / 60.0)
#define KW_M2_PER_BTU_FT2_MIN (KJ_PER_BTU / (M_PER_FT * M_PER_FT) / 60.0)
#define KJ_M2_PER_BTU_FT2 (KJ_PER_BTU / (M_PER_FT * M_PER_FT))
#define KW_M_PER_BTU_FT_S (KJ_PER_BTU / M_PER_FT)
#define DEG_PER_RAD (180.0 / 3.141592653589793)

enum { LOAD, SAV, MOIST, AREA, FRACTION, SORTED };
#define P 6
static double scratch[6 * P];
#define SGET(f, i) scratch[(f) * P + (i)]

static int size_bin(double sav) {
  if (sav >= 1200.0) return 0;
  if (sav >= 192.0) return 1;
  if (sav >= 96.0) return 2;
  if (sav >= 48.0) return 3;
  if (sav >= 16.0) return 4;
  return -1;
}

static double weight_life_state(int first, int count, int has_fuel) {
  double total = 0.0;
  for (int i = first; i < first + count; i++) {
    double area = has_fuel ? SGET(LOAD, i) * SGET(SAV, i) / 32.0 : 0.0;
    SGET(AREA, i) = area;
    total += area;
  }
  for (int i = first; i < first + count; i++) SGET(FRACTION, i) = total > 1.0e-7 ? SGET(AREA, i) / total : 0.0;
  double bin[5] = {0, 0, 0, 0, 0};
  for (int i = first; i < first + count; i++) { int b = size_bin(SGET(SAV, i)); if (b >= 0) bin[b] += SGET(FRACTION, i); }
  for (int i = first; i < first + count; i++) { int b = size_bin(SGET(SAV, i)); SGET(SORTED, i) = b >= 0 ? bin[b] : 0.0; }
  return total;
}

static double moisture_damping(double m, double mx, double previous) {
  double ratio = mx > 0.0 ? m / mx : previous;
  if (m >= mx || ratio > 1.0) return 0.0;
  return 1.0 - 2.59 * ratio + 5.11 * ratio * ratio - 3.52 * ratio * ratio * ratio;
}

static double mineral_damping(double silica) {
  double d = pow(silica, 0.19);
  if (d < 1.0e-6) return 0.0;
  double eta = 0.174 / d;
  return eta > 1.0 ? 1.0 : eta;
}

static void prepare_bed(const double *fuel, const double *moisture, double *bed) {
  double depth = fuel[0] / M_PER_FT, mx_dead = fuel[1];
  double heat_dead = fuel[2] * BTU_LB_PER_KJ_KG, heat_live = fuel[3] * BTU_LB_PER_KJ_KG;
  double herb = fuel[7] * LB_FT2_PER_KG_M2, woody = fuel[8] * LB_FT2_PER_KG_M2;
  double sav_herb = fuel[10] * M_PER_FT;
  int dynamic = fuel[12] != 0.0;
  double m1 = moisture[0], m_herb = moisture[3];
  SGET(LOAD, 0) = fuel[4] * LB_FT2_PER_KG_M2; SGET(LOAD, 1) = fuel[5] * LB_FT2_PER_KG_M2; SGET(LOAD, 2) = fuel[6] * LB_FT2_PER_KG_M2;
  SGET(LOAD, 3) = 0.0; SGET(LOAD, 4) = herb; SGET(LOAD, 5) = woody;
  SGET(SAV, 0) = fuel[9] * M_PER_FT; SGET(SAV, 1) = 109.0; SGET(SAV, 2) = 30.0; SGET(SAV, 3) = sav_herb; SGET(SAV, 4) = sav_herb;
  SGET(SAV, 5) = fuel[11] * M_PER_FT;
  SGET(MOIST, 0) = m1; SGET(MOIST, 1) = moisture[1]; SGET(MOIST, 2) = moisture[2]; SGET(MOIST, 3) = m1;
  SGET(MOIST, 4) = m_herb; SGET(MOIST, 5) = moisture[4];
  int has_dead = SGET(LOAD, 0) != 0.0 || SGET(LOAD, 1) != 0.0 || SGET(LOAD, 2) != 0.0;
  int has_live = herb != 0.0 || woody != 0.0;
  if (dynamic) {
    if (m_herb < 0.30) { SGET(LOAD, 3) = herb; SGET(LOAD, 4) = 0.0; }
    else if (m_herb <= 1.20) { double cured = herb * (1.333 - 1.11 * m_herb); SGET(LOAD, 3) = cured; SGET(LOAD, 4) = herb - cured; }
    /* Cured herb is dead fuel even in a model with no dead load of its own (see assembly/fire/rothermel.ts). */
    if (SGET(LOAD, 3) > 0.0) has_dead = 1;
  }
  double area_dead = weight_life_state(0, 4, has_dead);
  double area_live = weight_life_state(4, 2, has_live);
  double total = SGET(LOAD, 0) + SGET(LOAD, 1) + SGET(LOAD, 2) + SGET(LOAD, 3) + SGET(LOAD, 4) + SGET(LOAD, 5);
  if (!(total > 0.0) || !(depth > 0.0)) { for (int k = 0; k < BED_STRIDE; k++) bed[k] = 0.0; return; }
  double f_dead = area_dead / (area_dead + area_live), f_live = 1.0 - f_dead;
  double mx_live = 0.0;
  if (has_live) {
    double fine_dead = 0.0, water = 0.0;
    for (int i = 0; i < 4; i++) { double w = SGET(LOAD, i) * exp(-138.0 / SGET(SAV, i)); fine_dead += w; water += w * SGET(MOIST, i); }
    double fdm = fine_dead > 1.0e-7 ? water / fine_dead : 0.0;
    double fine_live = 0.0;
    for (int i = 4; i < 6; i++) fine_live += SGET(LOAD, i) * exp(-500.0 / SGET(SAV, i));
    double ratio = fine_live > 1.0e-7 ? fine_dead / fine_live : 0.0;
    mx_live = 2.9 * ratio * (1.0 - fdm / mx_dead) - 0.226;
    if (mx_live < mx_dead) mx_live = mx_dead;
  }
  double hd = 0, sd = 0, md = 0, vd = 0, ld = 0, hl = 0, sl = 0, ml = 0, vl = 0, ll = 0;
  for (int i = 0; i < 4; i++) {
    double f = SGET(FRACTION, i);
    hd += f * heat_dead; sd += f * 0.01; md += f * SGET(MOIST, i); vd += f * SGET(SAV, i);
    ld += SGET(SORTED, i) * (SGET(LOAD, i) * (1.0 - 0.0555));
  }
  for (int i = 4; i < 6; i++) {
    double f = SGET(FRACTION, i);
    hl += f * heat_live; sl += f * 0.01; ml += f * SGET(MOIST, i); vl += f * SGET(SAV, i);
    ll += SGET(SORTED, i) * (SGET(LOAD, i) * (1.0 - 0.0555));
  }
  double sigma = f_dead * vd + f_live * vl;
  double bulk = total / depth;
  double packing = 0.0;
  for (int i = 0; i < P; i++) packing += SGET(LOAD, i) / (depth * 32.0);
  double rel = packing / (3.348 / pow(sigma, 0.8189));
  double sink = 0.0;
  for (int i = 0; i < P; i++) {
    double lf = i < 4 ? f_dead : f_live;
    sink += lf * SGET(FRACTION, i) * (250.0 + 1116.0 * SGET(MOIST, i)) * exp(-138.0 / SGET(SAV, i));
  }
  sink *= bulk;
  double flux = exp((0.792 + 0.681 * sqrt(sigma)) * (packing + 0.1)) / (192.0 + 0.2595 * sigma);
  double aa = 133.0 / pow(sigma, 0.7913);
  double s15 = pow(sigma, 1.5);
  double gmax = s15 / (495.0 + 0.0594 * s15);
  double gamma = gmax * pow(rel, aa) * exp(aa * (1.0 - rel));
  double em_d = moisture_damping(md, mx_dead, 0.0);
  double em_l = moisture_damping(ml, mx_live, mx_dead > 0.0 ? md / mx_dead : 0.0);
  double reaction = gamma * (ld * hd * em_d * mineral_damping(sd) + ll * hl * em_l * mineral_damping(sl));
  double r0 = sink < 1.0e-7 ? 0.0 : reaction * flux / sink;
  double wc = 7.47 * exp(-0.133 * pow(sigma, 0.55)), wb = 0.02526 * pow(sigma, 0.54), we = 0.715 * exp(-0.000359 * sigma);
  bed[BED_R0] = r0; bed[BED_IR] = reaction; bed[BED_TAU] = 384.0 / sigma; bed[BED_WIND_B] = wb; bed[BED_WIND_K] = wc * pow(rel, -we);
  bed[BED_SLOPE_K] = 5.275 * pow(packing, -0.3); bed[BED_SIGMA] = sigma; bed[BED_BETA_REL] = rel;
}

static double length_to_width(double mph) {
  if (!(mph > 1.0e-7)) return 1.0;
  double lw = 0.936 * exp(0.1147 * mph) + 0.461 * exp(-0.0692 * mph) - 0.397;
  return lw > 8.0 ? 8.0 : lw;
}

static void behaviour_at(const double *bed, double wind_ms, double to_upslope, double tan_slope, int limit_on, double *out) {
  double r0 = bed[BED_R0], reaction = bed[BED_IR], tau = bed[BED_TAU], wb = bed[BED_WIND_B], wk = bed[BED_WIND_K];
  double wind = wind_ms * FT_MIN_PER_M_S;
  double phi_w = wind < 1.0e-7 ? 0.0 : pow(wind, wb) * wk;
  double phi_s = bed[BED_SLOPE_K] * (tan_slope * tan_slope);
  double slope_rate = r0 * phi_s, wind_rate = r0 * phi_w;
  double x = slope_rate + wind_rate * cos(to_upslope), y = wind_rate * sin(to_upslope);
  double head = r0 + sqrt(x * x + y * y);
  double az = atan2(y, x) * DEG_PER_RAD;
  if (az < -1.0e-20) az += 360.0;
  if (fabs(az) < 0.5) az = 0.0;
  double eff = 0.0;
  if (r0 > 0.0) {
    double phi_e = head / r0 - 1.0;
    eff = phi_e > 0.0 ? pow(phi_e / wk, 1.0 / wb) : 0.0;
    double limit = 0.9 * reaction;
    if (limit_on && eff > limit) { eff = limit; head = r0 * (1.0 + wk * pow(limit, wb)); }
  }
  double lw = length_to_width(eff / 88.0);
  double lw2m1 = lw * lw - 1.0;
  double ecc = lw2m1 > 0.0 ? sqrt(lw2m1) / lw : 0.0;
  double back = head * (1.0 - ecc) / (1.0 + ecc);
  double flank = (head + back) / (2.0 * lw);
  double intensity = head * reaction * (tau / 60.0);
  double flame = intensity < 1.0e-7 ? 0.0 : 0.45 * pow(intensity, 0.46);
  out[0] = head * M_S_PER_FT_MIN; out[1] = back * M_S_PER_FT_MIN; out[2] = flank * M_S_PER_FT_MIN;
  out[3] = intensity * KW_M_PER_BTU_FT_S; out[4] = flame * M_PER_FT; out[5] = lw; out[6] = az;
  out[7] = reaction * KW_M2_PER_BTU_FT2_MIN; out[8] = reaction * tau * KJ_M2_PER_BTU_FT2; out[9] = tau * 60.0;
  out[10] = eff / FT_MIN_PER_M_S; out[11] = ecc;
}

static void *read_block(FILE *f, size_t bytes) {
  void *p = malloc(bytes ? bytes : 1);
  if (!p || fread(p, 1, bytes, f) != bytes) { fprintf(stderr, "short input\n"); exit(1); }
  return p;
}

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: behavior cases.bin runs mode\n"); return 2; }
  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror(argv[1]); return 1; }
  int runs = atoi(argv[2]), mode = atoi(argv[3]);
  int32_t *h = read_block(f, 3 * 4);
  int32_t n_fuels = h[0], n_beds = h[1], n = h[2];
  double *fuels = read_block(f, (size_t)n_fuels * FUEL_STRIDE * 8);
  int32_t *bed_fuel = read_block(f, (size_t)n_beds * 4);
  double *moistures = read_block(f, (size_t)n_beds * 5 * 8);
  int32_t *bed_index = read_block(f, (size_t)n * 4);
  double *winds = read_block(f, (size_t)n * 3 * 8);
  double *cases = read_block(f, (size_t)n * CASE_STRIDE * 8);
  int32_t *case_fuel = read_block(f, (size_t)n * 4);
  fclose(f);
  double *beds = malloc((size_t)n_beds * BED_STRIDE * 8), *out = malloc((size_t)n * OUT_STRIDE * 8);
  double checksum = 0;
  printf("{\"seconds\": [");
  for (int r = 0; r <= runs; r++) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    if (mode == 1) {
      for (int i = 0; i < n_beds; i++) prepare_bed(fuels + (size_t)bed_fuel[i] * FUEL_STRIDE, moistures + (size_t)i * MOISTURE_STRIDE, beds + (size_t)i * BED_STRIDE);
      for (int i = 0; i < n; i++) behaviour_at(beds + (size_t)bed_index[i] * BED_STRIDE, winds[WIND_STRIDE * i], winds[WIND_STRIDE * i + 1], winds[WIND_STRIDE * i + 2], 0, out + (size_t)i * OUT_STRIDE);
    } else {
      double bed[BED_STRIDE];
      for (int i = 0; i < n; i++) {
        const double *c = cases + (size_t)i * CASE_STRIDE;
        prepare_bed(fuels + (size_t)case_fuel[i] * FUEL_STRIDE, c, bed);
        behaviour_at(bed, c[CASE_WIND], c[CASE_WIND_TO_UPSLOPE], c[CASE_TAN_SLOPE], 0, out + (size_t)i * OUT_STRIDE);
      }
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    if (r > 0) printf("%s%.9f", r > 1 ? ", " : "", (b.tv_sec - a.tv_sec) + 1e-9 * (b.tv_nsec - a.tv_nsec));
  }
  for (size_t i = 0; i < (size_t)n * OUT_STRIDE; i++) checksum += out[i];
  printf("], \"checksum\": %.17g}\n", checksum);
  return 0;
}
