// A synthetic river network for benchmarks: a random tree in topological order, where most reaches
// join one a short way downstream (as tributaries do) and a few jump far (main-stem confluences).
import { muskingumCoefficients, type PackedNetwork } from '../../models/flood/packed.ts';
import { makeChannel, uniformFlow } from '../../models/flood/channel.ts';
import { COEFFICIENTS_PER_REACH, METHOD_MCT, PARAMS_PER_SEGMENT } from '../../assembly/flood/layout.ts';
import type { MixedNetwork } from '../../models/flood/packed.ts';
import { seededRandom } from '../../models/random.ts';

export function syntheticNetwork(reaches: number, steps: number, seed = 1): PackedNetwork {
  const random = seededRandom(seed);
  const dtSeconds = 3600;
  const coefficients = new Float64Array(COEFFICIENTS_PER_REACH * reaches);
  const downstream = new Int32Array(reaches);
  const initialOutflow = new Float64Array(reaches);
  for (let i = 0; i < reaches; i++) {
    // Keep C0 ≥ 0 (dt ≥ 2KX) and C2 ≥ 0 (dt ≤ 2K(1 − X)) as a calibrated network would.
    const kSeconds = dtSeconds + random() * 5 * 3600;
    const x = Math.min(0.3, dtSeconds / (2 * kSeconds)) * random();
    const c = muskingumCoefficients(kSeconds, x, dtSeconds);
    coefficients.set([c.c0, c.c1, c.c2], COEFFICIENTS_PER_REACH * i);
    const remaining = reaches - 1 - i;
    const jump = random() < 0.02 ? remaining : Math.min(remaining, 8);
    downstream[i] = remaining === 0 ? -1 : i + 1 + Math.floor(random() * jump);
    initialOutflow[i] = 1 + 10 * random();
  }
  // One storm hydrograph (a gamma-like pulse) on every hundredth reach as lateral inflow.
  const lateralCount = Math.max(1, Math.floor(reaches / 100));
  const lateralReach = new Int32Array(lateralCount);
  const lateral = new Float64Array((steps + 1) * lateralCount);
  for (let k = 0; k < lateralCount; k++) {
    lateralReach[k] = Math.floor(random() * reaches);
    const peakStep = 6 + random() * 48;
    const peakFlow = 5 + 50 * random();
    for (let t = 0; t <= steps; t++) {
      const r = t / peakStep;
      lateral[t * lateralCount + k] = peakFlow * r * Math.exp(1 - r);
    }
  }
  const recordReach = Int32Array.from({ length: Math.min(reaches, 16) }, (_, k) => Math.floor((k * reaches) / 16));
  return {
    reaches, steps, dtSeconds, coefficients, downstream,
    boundaryReach: new Int32Array(0), boundary: new Float64Array(0),
    lateralReach, lateral, initialOutflow, recordReach,
  };
}

/** The binary form benchmarks/flood/muskingum.c reads. */
export function networkToBytes(net: PackedNetwork): Uint8Array {
  const header = new Int32Array([net.reaches, net.steps, net.boundaryReach.length, net.lateralReach.length, net.recordReach.length]);
  const parts: ArrayBufferView[] = [
    header, new Float64Array([net.dtSeconds]),
    net.coefficients, net.downstream, net.boundaryReach, net.boundary,
    net.lateralReach, net.lateral, net.initialOutflow, net.recordReach,
  ];
  const total = parts.reduce((sum, p) => sum + p.byteLength, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    bytes.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), offset);
    offset += p.byteLength;
  }
  return bytes;
}

/**
 * A synthetic network of Muskingum–Cunge (MCT) reaches with geometry, one segment per reach, laid
 * out as the mixed kernel reads it. Baseflow enters every tenth reach and a storm every hundredth;
 * each reach is no longer than the MCT sub-reach rule allows at its baseflow (C + D ≥ 1), as
 * `flood route` would have split it, so the run is free of dips below baseflow.
 */
export function syntheticChannelNetwork(reaches: number, steps: number, seed = 1): MixedNetwork {
  const random = seededRandom(seed);
  const dtSeconds = 3600;
  const method = new Int32Array(reaches).fill(METHOD_MCT);
  const downstream = new Int32Array(reaches);
  const params = new Float64Array(PARAMS_PER_SEGMENT * reaches);
  const initialOutflow = new Float64Array(reaches).fill(NaN);
  const channels = [];
  for (let i = 0; i < reaches; i++) {
    const trapezoid = random() < 0.5;
    channels.push(makeChannel(5 + 40 * random(), trapezoid ? 0.5 + 3 * random() : 0, 2e-4 + 2e-3 * random(), 0.025 + 0.03 * random()));
    const remaining = reaches - 1 - i;
    const jump = random() < 0.02 ? remaining : Math.min(remaining, 8);
    downstream[i] = remaining === 0 ? -1 : i + 1 + Math.floor(random() * jump);
  }
  const lateralCount = Math.max(1, Math.floor(reaches / 10));
  const lateralReach = new Int32Array(lateralCount);
  const lateral = new Float64Array((steps + 1) * lateralCount);
  const baseflow = new Float64Array(reaches);
  for (let k = 0; k < lateralCount; k++) {
    lateralReach[k] = Math.min(reaches - 1, k * 10);
    const storm = k % 10 === 0;
    const peakStep = 6 + random() * 48;
    const peakFlow = 5 + 50 * random();
    const base = 0.5 + random();
    baseflow[lateralReach[k]] += base;
    for (let t = 0; t <= steps; t++) {
      const r = t / peakStep;
      lateral[t * lateralCount + k] = base + (storm ? peakFlow * r * Math.exp(1 - r) : 0);
    }
  }
  for (let i = 0; i < reaches; i++) if (downstream[i] >= 0) baseflow[downstream[i]] += baseflow[i];
  for (let i = 0; i < reaches; i++) {
    const ch = channels[i];
    const low = uniformFlow(ch, Math.max(baseflow[i], 0.1));
    const longest = low.velocity * dtSeconds + low.diffusionLength;
    const length = Math.min(1500 + 3000 * random(), 0.95 * longest);
    params.set([length, ch.slope, ch.bottomWidth, ch.sideSlope, ch.perimeterFactor, ch.resistance, 0], PARAMS_PER_SEGMENT * i);
  }
  const recordReach = Int32Array.from({ length: Math.min(reaches, 16) }, (_, k) => Math.floor((k * reaches) / 16));
  return {
    segments: reaches, steps, dtSeconds, method, downstream, params,
    boundaryReach: new Int32Array(0), boundary: new Float64Array(0),
    lateralReach, lateral, initialOutflow, recordReach,
  };
}

/** The binary form benchmarks/flood/network.c reads. */
export function mixedNetworkToBytes(net: MixedNetwork): Uint8Array {
  const header = new Int32Array([net.segments, net.steps, net.boundaryReach.length, net.lateralReach.length, net.recordReach.length]);
  const parts: ArrayBufferView[] = [
    header, new Float64Array([net.dtSeconds]),
    net.method, net.downstream, net.params, net.boundaryReach, net.boundary,
    net.lateralReach, net.lateral, net.initialOutflow, net.recordReach,
  ];
  const total = parts.reduce((sum, p) => sum + p.byteLength, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    bytes.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), offset);
    offset += p.byteLength;
  }
  return bytes;
}
