// Plain-TS twin of assembly/landslide/special.ts (./reference.ts re-exports it): the same operations
// in the same order, so the reference, the wasm kernel and the native C benchmark agree bit for bit.
// See that file for the sources (fdlibm e_exp.c; W. J. Cody's CALERF).

const LN2_HI = 6.93147180369123816490e-01;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700e+00;
const EXP_P1 = 1.66666666666666019037e-01;
const EXP_P2 = -2.77777777770155933842e-03;
const EXP_P3 = 6.61375632143793436117e-05;
const EXP_P4 = -1.65339022054652515390e-06;
const EXP_P5 = 4.13813679705723846039e-08;
const EXP_OVERFLOW = 709.782712893383973096;
const EXP_UNDERFLOW = -745.13321910194110842;

export const INV_SQRT_PI = 5.6418958354775628695e-1;

/** 2^k for k in [-1074, 1023], built by exact doubling and halving (Math.pow is not promised exact). */
const POWERS_OF_TWO = (() => {
  const table = new Float64Array(1023 + 1075);
  table[1074] = 1;
  for (let k = 1; k <= 1023; k++) table[1074 + k] = table[1073 + k] * 2;
  for (let k = -1; k >= -1074; k--) table[1074 + k] = table[1075 + k] / 2;
  return table;
})();

function powerOfTwo(k: number): number {
  return POWERS_OF_TWO[1074 + k];
}

function scaleByPowerOfTwo(y: number, k: number): number {
  if (k > 1023) return y * powerOfTwo(1023) * powerOfTwo(k - 1023);
  if (k < -1022) return y * powerOfTwo(k + 1000) * powerOfTwo(-1000);
  return y * powerOfTwo(k);
}

export function expD(x: number): number {
  if (x !== x) return x;
  if (x > EXP_OVERFLOW) return Infinity;
  if (x < EXP_UNDERFLOW) return 0;
  const k = Math.floor(x * INV_LN2 + 0.5);
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  const r = hi - lo;
  const rr = r * r;
  const c = r - rr * (EXP_P1 + rr * (EXP_P2 + rr * (EXP_P3 + rr * (EXP_P4 + rr * EXP_P5))));
  const y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
  return scaleByPowerOfTwo(y, k);
}

export function expMinusSquare(y: number): number {
  const ysq = Math.floor(y * 16.0) / 16.0;
  const del = (y - ysq) * (y + ysq);
  return expD(-ysq * ysq) * expD(-del);
}

function erfSmall(x: number): number {
  const ysq = x * x;
  let num = 1.85777706184603153e-1 * ysq;
  let den = ysq;
  num = (num + 3.16112374387056560e00) * ysq;
  den = (den + 2.36012909523441209e01) * ysq;
  num = (num + 1.13864154151050156e02) * ysq;
  den = (den + 2.44024637934444173e02) * ysq;
  num = (num + 3.77485237685302021e02) * ysq;
  den = (den + 1.28261652607737228e03) * ysq;
  return x * (num + 3.20937758913846947e03) / (den + 2.84423683343917062e03);
}

function erfcMiddleRational(y: number): number {
  let num = 2.15311535474403846e-8 * y;
  let den = y;
  num = (num + 5.64188496988670089e-1) * y;
  den = (den + 1.57449261107098347e01) * y;
  num = (num + 8.88314979438837594e00) * y;
  den = (den + 1.17693950891312499e02) * y;
  num = (num + 6.61191906371416295e01) * y;
  den = (den + 5.37181101862009858e02) * y;
  num = (num + 2.98635138197400131e02) * y;
  den = (den + 1.62138957456669019e03) * y;
  num = (num + 8.81952221241769090e02) * y;
  den = (den + 3.29079923573345963e03) * y;
  num = (num + 1.71204761263407058e03) * y;
  den = (den + 4.36261909014324716e03) * y;
  num = (num + 2.05107837782607147e03) * y;
  den = (den + 3.43936767414372164e03) * y;
  return (num + 1.23033935479799725e03) / (den + 1.23033935480374942e03);
}

function erfcLargeRational(y: number): number {
  const ysq = 1.0 / (y * y);
  let num = 1.63153871373020978e-2 * ysq;
  let den = ysq;
  num = (num + 3.05326634961232344e-1) * ysq;
  den = (den + 2.56852019228982242e00) * ysq;
  num = (num + 3.60344899949804439e-1) * ysq;
  den = (den + 1.87295284992346047e00) * ysq;
  num = (num + 1.25781726111229246e-1) * ysq;
  den = (den + 5.27905102951428412e-1) * ysq;
  num = (num + 1.60837851487422766e-2) * ysq;
  den = (den + 6.05183413124413191e-2) * ysq;
  const tail = ysq * (num + 6.58749161529837803e-4) / (den + 2.33520497626869185e-3);
  return (INV_SQRT_PI - tail) / y;
}

/** erfc(y) for y ≥ 0 given gaussian = expMinusSquare(y) (Iverson's R needs exp(−y²) too). */
export function erfcGivenGaussian(y: number, gaussian: number): number {
  if (y <= 0.46875) return 1.0 - erfSmall(y);
  if (y <= 4.0) return gaussian * erfcMiddleRational(y);
  if (y >= 26.543) return 0;
  return gaussian * erfcLargeRational(y);
}

export function erfcD(x: number): number {
  if (x !== x) return x;
  const y = Math.abs(x);
  if (y <= 0.46875) return 1.0 - erfSmall(x);
  const upper = erfcGivenGaussian(y, expMinusSquare(y));
  return x < 0 ? 2.0 - upper : upper;
}

export function ierfcD(eta: number): number {
  return expD(-(eta * eta)) * INV_SQRT_PI - eta * erfcD(eta);
}

// cos(πu) for u in [0, 1], from fdlibm's k_sin.c / k_cos.c polynomials on [−π/4, π/4]. The
// reductions 0.5 − u and 1 − u are exact there (Sterbenz), so only π·v rounds before the kernel.
const PI = 3.14159265358979311600e+00;
const S1 = -1.66666666666666324348e-01;
const S2 = 8.33333333332248946124e-03;
const S3 = -1.98412698298579493134e-04;
const S4 = 2.75573137070700676789e-06;
const S5 = -2.50507602534068634195e-08;
const S6 = 1.58969099521155010221e-10;
const C1 = 4.16666666666666019037e-02;
const C2 = -1.38888888888741095749e-03;
const C3 = 2.48015872894767294178e-05;
const C4 = -2.75573143513906633035e-07;
const C5 = 2.08757232129817482790e-09;
const C6 = -1.13596475577881948265e-11;

function kernelSin(x: number): number {
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  return x + v * (S1 + z * r);
}

function kernelCos(x: number): number {
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  const hz = 0.5 * z;
  const w = 1.0 - hz;
  return w + (((1.0 - w) - hz) + z * r);
}

export function cosPi(u: number): number {
  if (u <= 0.25) return kernelCos(PI * u);
  if (u <= 0.75) return kernelSin(PI * (0.5 - u));
  return -kernelCos(PI * (1.0 - u));
}
