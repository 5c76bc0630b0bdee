import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../math/index.js';
import { estimateErrorCorrelation, type LaunchErrors } from './error-correlation.js';

/** Launches whose weekly errors are level + noise with known sds: rho = v_level / (v_level + v_noise). */
function simulate(n: number, H: number, sdLevel: number, sdNoise: number, seed: number): LaunchErrors[] {
  const rand = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const sd = Math.sqrt(sdLevel ** 2 + sdNoise ** 2);
  return Array.from({ length: n }, () => {
    const level = sdLevel * gauss();
    const mean = Array.from({ length: H }, () => 50);
    return { mean, sd: mean.map(() => sd), actual: mean.map((m) => m + level + sdNoise * gauss()) };
  });
}

describe('estimateErrorCorrelation', () => {
  it('recovers the share of a common level error (rho = 0.64) from 4,000 launches', () => {
    const r = estimateErrorCorrelation(simulate(4000, 12, 8, 6, 7));
    expect(r.rho).toBeGreaterThan(0.58);
    expect(r.rho).toBeLessThan(0.7);
    expect(r.sdScale).toBe(1);
  });

  it('finds independent weeks (rho near 0) and fully shared errors (rho near 1)', () => {
    expect(estimateErrorCorrelation(simulate(4000, 12, 0, 10, 3)).rho).toBeLessThan(0.03);
    expect(estimateErrorCorrelation(simulate(4000, 12, 10, 0, 5)).rho).toBeGreaterThan(0.95);
  });

  it('clips at 1 and reports how much wider the weekly sds must be when even rho = 1 is too narrow', () => {
    // Totals err by 12 x 20 = 240 while 12 weekly sds of 5 add up to 60 at most: scale 4.
    const launches = [1, -1, 1, -1, 1, -1].map((sign) => ({ mean: Array(12).fill(100), sd: Array(12).fill(5), actual: Array(12).fill(100 + sign * 20) }));
    const r = estimateErrorCorrelation(launches);
    expect(r.rho).toBe(1);
    expect(r.rawRho).toBeGreaterThan(1);
    expect(r.sdScale).toBeCloseTo(4, 10);
  });

  it('measures nothing (NaN) from fewer than 5 launches or launches without spread', () => {
    expect(estimateErrorCorrelation(simulate(4, 12, 8, 6, 1)).rho).toBeNaN();
    expect(estimateErrorCorrelation([]).rho).toBeNaN();
    const flat = Array.from({ length: 6 }, () => ({ mean: [10, 10], sd: [0, 0], actual: [12, 9] }));
    expect(estimateErrorCorrelation(flat).rho).toBeNaN();
  });

  it('names the launch and step of bad input', () => {
    expect(() => estimateErrorCorrelation([{ mean: [1, 2], sd: [1], actual: [1, 2] }])).toThrow(/launch 0: .*same length/);
    expect(() => estimateErrorCorrelation([{ mean: [1, 2], sd: [1, -1], actual: [1, 2] }])).toThrow(/launch 0, step 2/);
  });
});
