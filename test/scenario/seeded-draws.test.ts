// The slope grid draws its blocks' soil from a filled array of draws instead of calling the
// generator's closure per block (so its loop is not compiled again at every ensemble member): the
// array must hold exactly the generator's stream, and the soil must be slopeSoil's, draw for draw.
import { describe, expect, it } from 'vitest';
import { fillSeededRandom, SeededRandom, seededRandom } from '../../models/random.ts';
import { slopeSoil, soilFromDraws } from '../../models/scenario/slope-coupling.ts';

describe('seeded draws filled into an array', () => {
  it('are the generator\'s stream, for small seeds and seeds past 2³¹', () => {
    for (const seed of [0, 20260714 + 0x5107e, 2 ** 31 + 12345, 2 ** 32 - 1]) {
      const random = seededRandom(seed);
      const filled = new Float64Array(1000);
      fillSeededRandom(seed, filled);
      const stream = Array.from({ length: 1000 }, () => random());
      expect(Array.from(filled)).toEqual(stream);
      // The class the per-member code draws through gives the same stream.
      const generator = new SeededRandom(seed);
      expect(Array.from({ length: 1000 }, () => generator.next())).toEqual(stream);
    }
  });

  it('give slopeSoil\'s soil, in draw order (depth, water table, cohesion, friction, Ks)', () => {
    const draws = new Float64Array(5 * 50);
    fillSeededRandom(7, draws);
    const random = new SeededRandom(7);
    for (let s = 0; s < 50; s++) {
      const slope = 15 + s;
      const o = 5 * s;
      expect(soilFromDraws(slope, draws[o], draws[o + 1], draws[o + 2], draws[o + 3], draws[o + 4])).toEqual(slopeSoil(slope, random));
    }
    // A draw out of order would show: the water table uses the second draw, not the first.
    expect(soilFromDraws(30, 0.5, 0, 0, 0, 0).water_table_depth_m).not.toBe(soilFromDraws(30, 0, 0.5, 0, 0, 0).water_table_depth_m);
  });
});
