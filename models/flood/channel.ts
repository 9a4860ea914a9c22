// Manning hydraulics of a prismatic channel: the plain-TS twin of assembly/flood/channel.ts (same
// operations in the same order, so depths agree bit for bit), plus the host-side helpers that
// choose sub-reach lengths.

export const DEPTH_MAX_ITERATIONS = 200;
export const DEPTH_TOLERANCE = 1e-13;

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
  /** √S0 / n. */
  conveyance: number;
}

export function makeChannel(bottomWidth: number, sideSlope: number, slope: number, manningN: number): Channel {
  return {
    bottomWidth, sideSlope, slope, manningN,
    perimeterFactor: 2 * Math.sqrt(1 + sideSlope * sideSlope),
    conveyance: Math.sqrt(slope) / manningN,
  };
}

export class DepthSolver {
  failures = 0;

  /** Normal depth for q > 0: Newton on A − (q/k)³·P²/A⁴ (see assembly/flood/channel.ts). */
  normalDepth(q: number, conveyance: number, bottomWidth: number, sideSlope: number, perimeterFactor: number, guess: number): number {
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
      if (!(next > 0)) next = 0.5 * h;
      const change = next - h;
      h = next;
      if ((change < 0 ? -change : change) <= DEPTH_TOLERANCE * h) return h;
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
  const h = new DepthSolver().normalDepth(q, channel.conveyance, channel.bottomWidth, channel.sideSlope, channel.perimeterFactor, 0);
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
