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
