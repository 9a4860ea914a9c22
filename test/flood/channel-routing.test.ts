// Muskingum–Cunge–Todini (MCT) and kinematic-wave routing from channel geometry: analytic checks on
// prismatic channels, conservation, baseflow, and wasm against the plain-TS reference.
import { beforeAll, describe, expect, it } from 'vitest';
import { routeCaseWasm, routeMixedWasm } from '../../models/flood/kernel.ts';
import { routeMixedReference } from '../../models/flood/reference.ts';
import { formatRouteOutput, parseRouteCase } from '../../models/flood/route.ts';
import { DepthSolver, makeChannel } from '../../models/flood/channel.ts';
import { seededRandom } from '../../models/random.ts';
import type { Kernels } from '../../models/wasm.ts';
import { loadKernels } from '../../models/wasm-node.ts';

let kernels: Kernels;
beforeAll(async () => { kernels = await loadKernels(); });

function route(input: unknown) {
  const parsed = parseRouteCase(input);
  return formatRouteOutput(parsed, routeCaseWasm(kernels, parsed));
}

/** A flood wave on a baseflow: gamma-shaped, `steps` + 1 values. */
function wave(base: number, peak: number, peakStep: number, steps: number): number[] {
  return Array.from({ length: steps + 1 }, (_, t) => base + (peak - base) * Math.pow(t / peakStep, 3) * Math.exp(3 * (1 - t / peakStep)));
}

const rectangular = { shape: 'rectangular', width_m: 30 };
const trapezoid = { shape: 'trapezoid', bottom_width_m: 15, side_slope_h_per_v: 5 };

function channelReach(method: string, section: object, extra: object = {}) {
  return { id: 'R', downstream: null, method, length_m: 20000, slope: 0.0005, manning_n: 0.03, section, ...extra };
}

/** Manning for a rectangular channel, solved independently of the engine (bisection, Math.pow). */
function rectangularUniformFlow(q: number, width: number, slope: number, n: number) {
  const discharge = (h: number) => (Math.sqrt(slope) / n) * width * h * Math.pow((width * h) / (width + 2 * h), 2 / 3);
  let lo = 0;
  let hi = 100;
  for (let i = 0; i < 200; i++) { const mid = 0.5 * (lo + hi); if (discharge(mid) < q) lo = mid; else hi = mid; }
  const h = 0.5 * (lo + hi);
  const dh = 1e-6 * h;
  const celerity = (discharge(h + dh) - discharge(h - dh)) / (2 * dh * width);
  const velocity = q / (width * h);
  return { h, celerity, velocity, beta: celerity / velocity };
}

describe('Muskingum–Cunge (MCT, Todini 2007) on a prismatic channel', () => {
  it('with constant parameters equals linear Muskingum with K = Δx/v, X = ½ − Q/(2βBS0cΔx) (to 1e-9 relative)', () => {
    // Todini's corrected numbers C = cΔt/(βΔx), D = Q/(βBS0cΔx), β = c/v, give K = Δt/C = Δx/v (so
    // that storage at steady state is the channel's volume AΔx) and X = (1 − D)/2; classic Cunge is β = 1.
    const q = 100;
    const inflow = wave(20, 300, 12, 60);
    const mct = route({ dt_s: 3600, reaches: [channelReach('muskingum-cunge', rectangular, { reference_discharge_m3_per_s: q })], inflows: [{ reach: 'R', m3_per_s: inflow }] });
    const n = mct.reaches.R.subreaches!;
    const dx = 20000 / n;
    const f = rectangularUniformFlow(q, 30, 0.0005, 0.03);
    const kSeconds = dx / f.velocity;
    const x = 0.5 - q / (2 * f.beta * 30 * 0.0005 * f.celerity * dx);
    const chain = Array.from({ length: n }, (_, j) => ({ id: `S${j}`, downstream: j + 1 < n ? `S${j + 1}` : null, method: 'muskingum', K_s: kSeconds, X: x }));
    const linear = route({ dt_s: 3600, auto_subdivide: false, reaches: chain, inflows: [{ reach: 'S0', m3_per_s: inflow }], output: { reaches: [`S${n - 1}`] } });
    const expected = linear.reaches[`S${n - 1}`].outflow_m3_per_s;
    mct.reaches.R.outflow_m3_per_s.forEach((v, t) => expect(Math.abs(v - expected[t]) / expected[t]).toBeLessThan(1e-9));
  });

  for (const [name, section] of [['rectangular', rectangular], ['trapezoid', trapezoid]] as const) {
    it(`${name}: a steady inflow stays steady to 1e-12 (variable parameters)`, () => {
      const out = route({ dt_s: 3600, reaches: [channelReach('muskingum-cunge', section)], inflows: [{ reach: 'R', m3_per_s: new Array(49).fill(57.3) }] });
      for (const v of out.reaches.R.outflow_m3_per_s) expect(Math.abs(v - 57.3) / 57.3).toBeLessThan(1e-12);
    });

    it(`${name}: volume conserved to 1e-9 and no dip below baseflow under a sharp flood`, () => {
      const inflow = wave(10, 800, 4, 96);
      const out = route({ dt_s: 1800, reaches: [channelReach('muskingum-cunge', section)], inflows: [{ reach: 'R', m3_per_s: inflow }] });
      expect(Math.abs(out.mass_balance.relative_error)).toBeLessThan(1e-9);
      expect(Math.min(...out.reaches.R.outflow_m3_per_s)).toBeGreaterThanOrEqual(10 - 1e-9);
      // Routing attenuates and delays: the peak falls and comes later.
      expect(out.reaches.R.peak_m3_per_s).toBeLessThan(800);
      expect(out.reaches.R.peak_time_s).toBeGreaterThan(4 * 1800);
      // Nearly all the flood has left by the end: what is stored is close to the baseflow's volume.
      expect(out.mass_balance.outflow_m3 / out.mass_balance.inflow_m3).toBeGreaterThan(0.99);
    });
  }

  it('the storage reported is the channel volume at steady state (K·Q = A·L)', () => {
    const q = 80;
    const parsed = parseRouteCase({ dt_s: 3600, reaches: [channelReach('muskingum-cunge', rectangular)], inflows: [{ reach: 'R', m3_per_s: [q, q] }] });
    const run = routeCaseWasm(kernels, parsed);
    const f = rectangularUniformFlow(q, 30, 0.0005, 0.03);
    expect(run.initialStorage / (30 * f.h * 20000)).toBeCloseTo(1, 9);
  });
});

describe('kinematic wave (Chow et al. 1988 §9.6, four-point implicit)', () => {
  it('a steady inflow stays steady; never negative; conserves volume to 1e-9', () => {
    const steady = route({ dt_s: 3600, reaches: [channelReach('kinematic-wave', trapezoid)], inflows: [{ reach: 'R', m3_per_s: new Array(25).fill(40) }] });
    for (const v of steady.reaches.R.outflow_m3_per_s) expect(Math.abs(v - 40) / 40).toBeLessThan(1e-12);
    const flood = route({ dt_s: 900, reaches: [channelReach('kinematic-wave', rectangular)], inflows: [{ reach: 'R', m3_per_s: wave(0, 500, 8, 120) }] });
    expect(Math.min(...flood.reaches.R.outflow_m3_per_s)).toBeGreaterThanOrEqual(0);
    expect(Math.abs(flood.mass_balance.relative_error)).toBeLessThan(1e-9);
  });

  it('moves the peak at about the kinematic celerity: arrival within 2 steps of L/c at the peak flow', () => {
    const dt = 600;
    const inflow = wave(50, 400, 24, 200);
    const out = route({ dt_s: dt, reaches: [channelReach('kinematic-wave', rectangular)], inflows: [{ reach: 'R', m3_per_s: inflow }] });
    const f = rectangularUniformFlow(out.reaches.R.peak_m3_per_s, 30, 0.0005, 0.03);
    const expectedStep = 24 + 20000 / f.celerity / dt;
    expect(Math.abs(out.reaches.R.peak_time_s / dt - expectedStep)).toBeLessThanOrEqual(2);
  });
});

/** A random tree of reaches listed in shuffled order, methods mixed, with inflows and laterals. */
function randomCase(reaches: number, steps: number, seed: number) {
  const random = seededRandom(seed);
  const methods = ['muskingum', 'muskingum-cunge', 'kinematic-wave', 'diffusive-wave'];
  const list = Array.from({ length: reaches }, (_, i) => {
    const downstream = i + 1 < reaches ? `r${i + 1 + Math.floor(random() * Math.min(5, reaches - i - 1))}` : null;
    const method = methods[Math.floor(random() * methods.length)];
    if (method === 'muskingum') return { id: `r${i}`, downstream, method, K_s: 1800 + random() * 20000, X: 0.45 * random() };
    const section = random() < 0.5 ? { shape: 'rectangular', width_m: 5 + 50 * random() }
      : { shape: 'trapezoid', bottom_width_m: 50 * random(), side_slope_h_per_v: 0.5 + 4 * random() };
    return { id: `r${i}`, downstream, method, length_m: 1000 + 20000 * random(), slope: 1e-4 + 0.005 * random(), manning_n: 0.02 + 0.05 * random(), section };
  });
  for (let i = list.length - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); [list[i], list[j]] = [list[j], list[i]]; }
  const heads = Array.from({ length: Math.max(1, reaches >> 3) }, () => Math.floor(random() * reaches));
  return {
    dt_s: 1800, reaches: list,
    inflows: [...new Set(heads)].map((k) => ({ reach: `r${k}`, m3_per_s: wave(1 + 5 * random(), 50 + 300 * random(), 5 + 20 * random(), steps) })),
    lateral: [{ reach: `r${reaches - 1}`, m3_per_s: wave(0, 20, 10, steps) }],
  };
}

describe('mixed methods on networks', () => {
  it('wasm and the plain-TS reference agree bit for bit on random mixed networks (sub-reaches, sub-steps)', () => {
    let diffusiveReaches = 0;
    for (const [reaches, steps, seed] of [[1, 10, 1], [12, 40, 2], [300, 48, 3], [2000, 24, 4]]) {
      const parsed = parseRouteCase(randomCase(reaches, steps, seed));
      diffusiveReaches += parsed.reaches.filter((r) => r.method === 'diffusive-wave').length;
      const wasm = routeMixedWasm(kernels, parsed.mixed);
      const ts = routeMixedReference(parsed.mixed);
      expect(wasm.recorded).toEqual(ts.recorded);
      expect(wasm.state).toEqual(ts.state);
      expect(wasm.peakStep).toEqual(ts.peakStep);
      expect(wasm.outletVolume).toBe(ts.outletVolume);
      expect(wasm.finalStorage).toBe(ts.finalStorage);
      expect(wasm.depthFailures).toBe(0);
    }
    expect(diffusiveReaches).toBeGreaterThan(100);
  });

  it('random mixed networks close the mass balance to 1e-9 and give the same answer in any listing order', () => {
    for (const seed of [5, 6, 7]) {
      const input = randomCase(400, 60, seed);
      const out = route(input);
      expect(Math.abs(out.mass_balance.relative_error)).toBeLessThan(1e-9);
      const reversed = route({ ...input, reaches: [...input.reaches].reverse() });
      expect(reversed.reaches).toEqual(out.reaches);
    }
  });

  it('the mixed kernel reproduces the linear kernel bit for bit on an all-Muskingum network', () => {
    const input = { ...randomCase(500, 48, 8) };
    input.reaches = input.reaches.map((r, i) => ({ id: r.id, downstream: r.downstream, method: 'muskingum', K_s: 3600 + 100 * i, X: 0.1 })) as typeof input.reaches;
    const parsed = parseRouteCase(input);
    const linear = routeCaseWasm(kernels, parsed);
    const mixed = routeMixedWasm(kernels, parsed.mixed);
    expect(mixed.recorded).toEqual(linear.recorded);
    expect(mixed.outletVolume).toBe(linear.outletVolume);
  });

  it('the contract example: Muskingum into Muskingum–Cunge with lateral inflow', () => {
    const out = route({
      dt_s: 3600,
      reaches: [
        { id: 'A', downstream: 'C', method: 'muskingum', K_s: 8280, X: 0.15, initial_outflow_m3_per_s: 85 },
        { id: 'C', downstream: null, method: 'muskingum-cunge', length_m: 14000, slope: 0.001, manning_n: 0.035, section: trapezoid },
      ],
      inflows: [{ reach: 'A', m3_per_s: [93, 137, 208, 320, 442, 546, 630, 678, 691, 675, 634, 571, 477, 390, 329, 247, 184, 134, 108, 90] }],
      lateral: [{ reach: 'C', m3_per_s: [0, 5, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10] }],
    });
    expect(out.reaches.A.peak_m3_per_s).toBeCloseTo(641.7456, 3);
    expect(out.reaches.C.peak_m3_per_s).toBeGreaterThan(600);
    expect(out.reaches.C.peak_time_s).toBeGreaterThan(out.reaches.A.peak_time_s);
    expect(Math.abs(out.mass_balance.relative_error)).toBeLessThan(1e-12);
  });
});

describe('extreme random networks (lengths 10 m–1000 km, slopes 1e-6–0.3, steps 1 min–1 day, dry starts)', () => {
  // The diffusive-wave reaches get their own draws: mixed in, they would change the other draws,
  // and some of those have a Muskingum reach no split can stabilise blow up to 1e10 m³/s, where
  // rounding alone breaks 1e-9 (seed 23 with diffusive-wave among the methods, either way).
  it.each([false, true])('never break the mass balance (1e-9), never produce NaN, and warn whenever a flow goes negative (all diffusive-wave: %s)', (allDiffusive) => {
    for (let seed = 1; seed <= 80; seed++) {
      const rnd = seededRandom(1000 + seed);
      const n = 1 + Math.floor(rnd() * 20);
      const steps = 10 + Math.floor(rnd() * 80);
      const methods = ['muskingum', 'muskingum-cunge', 'kinematic-wave'];
      const reaches = Array.from({ length: n }, (_, i) => {
        const downstream = i + 1 < n ? `r${i + 1 + Math.floor(rnd() * (n - i - 1))}` : null;
        const method = allDiffusive ? 'diffusive-wave' : methods[Math.floor(rnd() * 3)];
        if (method === 'muskingum') return { id: `r${i}`, downstream, method, K_s: Math.exp(Math.log(60) + rnd() * Math.log(1e6 / 60)), X: 0.5 * rnd() };
        const section = rnd() < 0.5 ? { shape: 'rectangular', width_m: Math.exp(rnd() * 7) }
          : { shape: 'trapezoid', bottom_width_m: rnd() < 0.2 ? 0 : Math.exp(rnd() * 6), side_slope_h_per_v: 0.1 + 10 * rnd() };
        return { id: `r${i}`, downstream, method, length_m: Math.exp(Math.log(10) + rnd() * Math.log(1e5)), slope: Math.exp(Math.log(1e-6) + rnd() * Math.log(0.3 / 1e-6)), manning_n: 0.01 + 0.2 * rnd(), section };
      });
      const dry = rnd() < 0.3;
      const inflow = Array.from({ length: steps + 1 }, (_, t) => (dry ? 0 : rnd() * 5) + Math.exp(rnd() * 8) * Math.exp(-((t - steps / 3) ** 2) / (2 * (steps / 8) ** 2)));
      const out = route({ dt_s: Math.exp(Math.log(60) + rnd() * Math.log(86400 / 60)), reaches, inflows: [{ reach: 'r0', m3_per_s: inflow }] });
      expect(Math.abs(out.mass_balance.relative_error), `seed ${seed}`).toBeLessThan(1e-9);
      const negative = Object.values(out.reaches).some((r) => r.outflow_m3_per_s.some((q) => q < 0));
      if (negative) expect(out.warnings.some((w) => w.includes('fell below zero')), `seed ${seed}`).toBe(true);
      // Diffusive wave: non-negative weights (Pe ≤ 2, weight ≤ 1) keep flows ≥ 0; only a grid that had
      // to give one of them up, and said so, may dip.
      if (negative && allDiffusive) expect(out.warnings.some((w) => w.includes('may oscillate')), `seed ${seed}`).toBe(true);
    }
  });
});

describe('normal depth from a known one (tangent predictor + Halley, as MCT solves it)', () => {
  it('agrees with a cold Newton solve to 1e-12 relative on random sections, slopes and discharge changes', () => {
    const random = seededRandom(11);
    const solver = new DepthSolver();
    let worst = 0;
    for (let k = 0; k < 20000; k++) {
      const bottom = random() < 0.25 ? 0 : Math.exp(Math.log(0.5) + random() * Math.log(400));
      const channel = makeChannel(bottom, bottom === 0 || random() < 0.5 ? 0.1 + 3 * random() : 0, Math.exp(Math.log(1e-6) + random() * Math.log(0.3 / 1e-6)), 0.01 + 0.2 * random());
      const q0 = Math.exp(Math.log(1e-4) + random() * Math.log(1e8));
      const h0 = solver.normalDepth(q0, channel.resistance, channel.bottomWidth, channel.sideSlope, channel.perimeterFactor, 0);
      const change = Math.pow(10, -16 + 16.3 * random()) * (random() < 0.5 ? 1 : -0.9);
      const q = q0 * (1 + change);
      if (!(q > 0)) continue;
      const cold = solver.normalDepth(q, channel.resistance, channel.bottomWidth, channel.sideSlope, channel.perimeterFactor, 0);
      const warm = solver.normalDepthFrom(q, channel.resistance, channel.bottomWidth, channel.sideSlope, channel.perimeterFactor, h0, q0);
      worst = Math.max(worst, Math.abs(warm - cold) / cold);
    }
    expect(solver.failures).toBe(0);
    expect(worst).toBeLessThan(1e-12);
  });
});

describe('Muskingum–Cunge reach warnings with auto_subdivide off', () => {
  // Regression: the dip warning was suppressed for any reach unstable unsplit, on the grounds that
  // the capped sub-step names it; without auto_subdivide nothing is capped and nothing else names it.
  it('a steep 8 km trapezoid routed as given at dt 3600 s still says its outflow may dip at low flow', () => {
    const parsed = parseRouteCase({ dt_s: 3600, auto_subdivide: false, reaches: [{ ...channelReach('muskingum-cunge', trapezoid), id: 'r', length_m: 8000, slope: 0.01 }], inflows: [{ reach: 'r', m3_per_s: [5, 400, 50, 5] }] });
    expect(parsed.warnings).toEqual(['reach r: split into 1 sub-reaches, as many as stability allows (C − D ≤ 1 at its highest flow); C + D < 1 at its lowest flow, so the outflow may dip there']);
  });
});
