// Manning hydraulics of a prismatic channel (rectangular: side slope 0; trapezoid), using only
// + − × ÷ so the plain-TS reference (models/flood/channel.ts) agrees bit for bit: no pow/cbrt.
//
// Section: area A = (b + z·h)·h, top width T = b + 2·z·h, wetted perimeter P = b + pf·h with
// pf = 2·√(1 + z²). Manning: Q = A^(5/3)/(P^(2/3)·ρ) with the resistance ρ = n/√S, i.e. A⁵ = (ρQ)³·P².

/** Most Newton iterations a depth solve may take before it counts as a failure. */
export const DEPTH_MAX_ITERATIONS: i32 = 200;
/** Relative change in depth at which Newton has converged. */
/**
 * Newton stops when a step changes the depth by less than this fraction. Convergence is quadratic,
 * so the depth returned is then good to about the square of it (~1e-14), at one iteration fewer.
 */
export const DEPTH_TOLERANCE: f64 = 1e-7;

/** Failures since the kernel started (depth solves that did not converge). */
export let depthFailures: i32 = 0;

export function resetDepthFailures(): void {
  depthFailures = 0;
}

/**
 * Normal depth for discharge q > 0: the root of F(h) = A⁵ − M·P² (M = (ρq)³), by Newton.
 * Right of the root F' > 0 (5T > 2·pf·A/P for these sections); `guess` is the reach's last depth,
 * which makes a step's solve one or two iterations.
 */
export function normalDepth(q: f64, resistance: f64, bottomWidth: f64, sideSlope: f64, perimeterFactor: f64, guess: f64): f64 {
  if (q <= 0) return 0;
  const ratio = q * resistance;
  const m = ratio * ratio * ratio;
  let h = guess > 0 ? guess : 1.0;
  for (let iteration = 0; iteration < DEPTH_MAX_ITERATIONS; iteration++) {
    const area = (bottomWidth + sideSlope * h) * h;
    const top = bottomWidth + 2 * sideSlope * h;
    const perimeter = bottomWidth + perimeterFactor * h;
    const area2 = area * area;
    const area4 = area2 * area2;
    // F = A⁵ − M·P², F' = 5A⁴T − 2M·P·pf: convex and rising, so from the right Newton comes down
    // monotonically; a warm start is next to the root and needs one or two steps.
    const f = area4 * area - m * perimeter * perimeter;
    const slope = 5 * area4 * top - 2 * m * perimeter * perimeterFactor;
    // Left of the root F may still be falling (tiny depths: P² grows faster than A⁵): step out.
    let next: f64 = f < 0 && !(slope > 0) ? 2 * h : h - f / slope;
    // A jump to h ≤ 0 from far right of a tiny root: come down by halves instead.
    if (!(next > 0)) next = 0.5 * h;
    const change = next - h;
    h = next;
    if ((change < 0 ? -change : change) <= DEPTH_TOLERANCE * h) return h;
  }
  depthFailures++;
  return h;
}

/**
 * Halley stops when a step changes the depth by less than this fraction. Convergence is cubic, so
 * the depth returned is then good to about its cube (~1e-14 against an exact root on random
 * sections and discharges, as Newton's 1e-7 stop), and a close predictor needs only one step.
 */
export const DEPTH_HALLEY_TOLERANCE: f64 = 1e-5;

/**
 * Normal depth for discharge q > 0 near a known one (h0 at q0 > 0, h0 > 0; else as normalDepth):
 * predicted along the tangent dh/dQ = 3AP/(Q·(5PT − 2·pf·A)) at h0 (from the root's
 * A⁵ = M·P²), then Halley steps on F = A⁵ − M·P² with F'' = 20A³T² + 10zA⁴ − 2M·pf². The tangent
 * depends only on the stored depth, so its division overlaps the rest of the step, and the
 * predicted depth is within Halley's one-step reach for all but the largest changes (h is concave
 * in Q, so the tangent errs high, where F rises). Where Halley's denominator 2F'² − F·F'' is not
 * positive (far from the root) the step is Newton's; the guards are normalDepth's, branch-free.
 */
@inline export function normalDepthFrom(
  q: f64, resistance: f64, bottomWidth: f64, sideSlope: f64, perimeterFactor: f64, h0: f64, q0: f64,
): f64 {
  if (!(h0 > 0 && q0 > 0)) return normalDepth(q, resistance, bottomWidth, sideSlope, perimeterFactor, h0);
  if (q <= 0) return 0;
  const twoSide = 2 * sideSlope;
  const area0 = (bottomWidth + sideSlope * h0) * h0;
  const top0 = bottomWidth + twoSide * h0;
  const perimeter0 = bottomWidth + perimeterFactor * h0;
  const tangent = 3 * area0 * perimeter0 / (q0 * (5 * perimeter0 * top0 - 2 * perimeterFactor * area0));
  const predicted = h0 + tangent * (q - q0);
  let h = predicted > 0 ? predicted : 0.5 * h0;
  const ratio = q * resistance;
  const m = ratio * ratio * ratio;
  for (let iteration = 0; iteration < DEPTH_MAX_ITERATIONS; iteration++) {
    const area = (bottomWidth + sideSlope * h) * h;
    const top = bottomWidth + twoSide * h;
    const perimeter = bottomWidth + perimeterFactor * h;
    const area2 = area * area;
    const area3 = area2 * area;
    const area4 = area2 * area2;
    const f = area4 * area - m * perimeter * perimeter;
    const slope = 5 * area4 * top - 2 * m * perimeter * perimeterFactor;
    const curvature = 20 * area3 * top * top + 5 * area4 * twoSide - 2 * m * perimeterFactor * perimeterFactor;
    const denominator = 2 * slope * slope - f * curvature;
    const halley = denominator > 0;
    let next = h - (halley ? 2 * f * slope : f) / (halley ? denominator : slope);
    next = f < 0 && !(slope > 0) ? 2 * h : next;
    next = next > 0 ? next : 0.5 * h;
    const change = next - h;
    h = next;
    if ((change < 0 ? -change : change) <= DEPTH_HALLEY_TOLERANCE * h) return h;
  }
  depthFailures++;
  return h;
}

@inline export function sectionArea(h: f64, bottomWidth: f64, sideSlope: f64): f64 {
  return (bottomWidth + sideSlope * h) * h;
}

/** Kinematic celerity dQ/dA at depth h carrying q: (q/3)·(5/A − 2·pf/(P·T)). */
export function celerity(q: f64, h: f64, bottomWidth: f64, sideSlope: f64, perimeterFactor: f64): f64 {
  const area = (bottomWidth + sideSlope * h) * h;
  const top = bottomWidth + 2 * sideSlope * h;
  const perimeter = bottomWidth + perimeterFactor * h;
  return (q / 3) * (5 / area - 2 * perimeterFactor / (perimeter * top));
}
