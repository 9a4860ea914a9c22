// Manning hydraulics of a prismatic channel: the plain-TS twin of assembly/flood/channel.ts (same
// operations in the same order, so depths agree bit for bit), plus the host-side helpers that
// choose sub-reach lengths.

export const DEPTH_MAX_ITERATIONS = 200;
/** See assembly/flood/channel.ts: a 1e-7 last step leaves the depth good to ~1e-14 (quadratic). */
export const DEPTH_TOLERANCE = 1e-7;

/** See assembly/flood/channel.ts: Halley's cubic convergence leaves a 1e-5 last step good to ~1e-14. */
export const DEPTH_HALLEY_TOLERANCE = 1e-5;

/** A section as the kernels see it: rectangular is a trapezoid with side slope 0. */
export interface Section {
  bottomWidth: number;
  sideSlope: number;
  /** dP/dh = 2·√(1 + z²). */
  perimeterFactor: number;
}

export interface Channel extends Section {
  slope: number;
  manningN: number;
  /** n / √S0: Manning's Q = A^(5/3) / (P^(2/3)·resistance). */
  resistance: number;
}

export function makeChannel(bottomWidth: number, sideSlope: number, slope: number, manningN: number): Channel {
  return {
    bottomWidth, sideSlope, slope, manningN,
    perimeterFactor: 2 * Math.sqrt(1 + sideSlope * sideSlope),
    resistance: manningN / Math.sqrt(slope),
  };
}

export class DepthSolver {
  failures = 0;

  /** Normal depth for q > 0: Newton on A⁵ − (n·q/√S)³·P² (see assembly/flood/channel.ts). */
  normalDepth(q: number, resistance: number, bottomWidth: number, sideSlope: number, perimeterFactor: number, guess: number): number {
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
      let next = f < 0 && !(slope > 0) ? 2 * h : h - f / slope;
      if (!(next > 0)) next = 0.5 * h;
      const change = next - h;
      h = next;
      if ((change < 0 ? -change : change) <= DEPTH_TOLERANCE * h) return h;
    }
    this.failures++;
    return h;
  }

  /** Normal depth near a known one (h0 at q0): tangent predictor, then Halley (see assembly/flood/channel.ts). */
  normalDepthFrom(q: number, resistance: number, bottomWidth: number, sideSlope: number, perimeterFactor: number, h0: number, q0: number): number {
    if (!(h0 > 0 && q0 > 0)) return this.normalDepth(q, resistance, bottomWidth, sideSlope, perimeterFactor, h0);
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
    this.failures++;
    return h;
  }
}

export function sectionArea(h: number, bottomWidth: number, sideSlope: number): number {
  return (bottomWidth + sideSlope * h) * h;
}

export function celerity(q: number, h: number, bottomWidth: number, sideSlope: number, perimeterFactor: number): number {
  const area = (bottomWidth + sideSlope * h) * h;
  const top = bottomWidth + 2 * sideSlope * h;
  const perimeter = bottomWidth + perimeterFactor * h;
  return (q / 3) * (5 / area - 2 * perimeterFactor / (perimeter * top));
}

/** Hydraulics of steady uniform flow q in a channel: what sub-reach choices are made from. */
export function uniformFlow(channel: Channel, q: number) {
  const h = new DepthSolver().normalDepth(q, channel.resistance, channel.bottomWidth, channel.sideSlope, channel.perimeterFactor, 0);
  const area = sectionArea(h, channel.bottomWidth, channel.sideSlope);
  const top = channel.bottomWidth + 2 * channel.sideSlope * h;
  const wave = celerity(q, h, channel.bottomWidth, channel.sideSlope, channel.perimeterFactor);
  const velocity = q / area;
  const beta = wave / velocity;
  return {
    depth: h, area, top, celerity: wave, velocity, beta,
    /** Todini's Δx·D: D = this / Δx. */
    diffusionLength: q / (beta * top * channel.slope * wave),
  };
}
