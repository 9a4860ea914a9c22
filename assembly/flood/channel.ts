// Manning hydraulics of a prismatic channel (rectangular: side slope 0; trapezoid), using only
// + − × ÷ so the plain-TS reference (models/flood/channel.ts) agrees bit for bit: no pow/cbrt.
//
// Section: area A = (b + z·h)·h, top width T = b + 2·z·h, wetted perimeter P = b + pf·h with
// pf = 2·√(1 + z²). Manning: Q = k·A^(5/3)/P^(2/3), k = √S/n, i.e. A⁵ = (Q/k)³·P².

/** Most Newton iterations a depth solve may take before it counts as a failure. */
export const DEPTH_MAX_ITERATIONS: i32 = 200;
/** Relative change in depth at which Newton has converged. */
export const DEPTH_TOLERANCE: f64 = 1e-13;

/** Failures since the kernel started (depth solves that did not converge). */
export let depthFailures: i32 = 0;

export function resetDepthFailures(): void {
  depthFailures = 0;
}

/**
 * Normal depth for discharge q > 0, by Newton on f(h) = A − M·P²/A⁴ (M = (q/k)³). f rises with h
 * (4T/A > 2·pf/P for these sections) and bends down, so from far left the iterates climb
 * steadily and near the root converge quadratically; `guess` is the reach's last depth, which
 * makes a step's solve one or two iterations.
 */
export function normalDepth(q: f64, conveyance: f64, bottomWidth: f64, sideSlope: f64, perimeterFactor: f64, guess: f64): f64 {
  if (q <= 0) return 0;
  const ratio = q / conveyance;
  const m = ratio * ratio * ratio;
  let h = guess > 0 ? guess : 1.0;
  for (let iteration = 0; iteration < DEPTH_MAX_ITERATIONS; iteration++) {
    const area = (bottomWidth + sideSlope * h) * h;
    const top = bottomWidth + 2 * sideSlope * h;
    const perimeter = bottomWidth + perimeterFactor * h;
    const area2 = area * area;
    const r = m * perimeter * perimeter / (area2 * area2);
    const f = area - r;
    const slope = top + r * (4 * top / area - 2 * perimeterFactor / perimeter);
    let next = h - f / slope;
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
