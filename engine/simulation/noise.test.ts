import { describe, expect, it } from 'vitest';
import { realiseDemand } from './index.js';

describe('realised demand', () => {
  it('is the same draw for the same candidate and week, whatever else is simulated', () => {
    const a = realiseDemand([50, 50, 50], 'X', 4, { seed: 3, shape: 12 });
    expect(realiseDemand([50, 50, 50], 'X', 4, { seed: 3, shape: 12 })).toEqual(a);
    // Week 5 of a launch in week 4 is week 1 of a launch in week 5 (common random numbers).
    expect(realiseDemand([50, 50], 'X', 5, { seed: 3, shape: 12 })).toEqual(a.slice(1));
    expect(realiseDemand([50, 50, 50], 'Y', 4, { seed: 3, shape: 12 })).not.toEqual(a);
  });

  it('moves monotonically with the expected demand', () => {
    const lo = realiseDemand([40, 40, 40, 40], 'X', 0, { seed: 1, shape: 12 });
    const hi = realiseDemand([44, 44, 44, 44], 'X', 0, { seed: 1, shape: 12 });
    hi.forEach((h, i) => expect(h).toBeGreaterThanOrEqual(lo[i]));
  });

  it('has the negative binomial mean and variance (mean + mean² / shape)', () => {
    const n = 4000;
    const xs = realiseDemand(new Array<number>(n).fill(30), 'Z', 0, { seed: 9, shape: 12 });
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
    // sd of the sample mean ~ sqrt(105 / 4000) = 0.16; of the sample variance ~ 5.
    expect(mean).toBeGreaterThan(29.4);
    expect(mean).toBeLessThan(30.6);
    expect(variance).toBeGreaterThan(90);
    expect(variance).toBeLessThan(120);
  });
});
