import { describe, expect, it } from 'vitest';
import { quantileAt, unbiasedQuantileLevel } from './point-forecast.js';

const LEVELS = [0.1, 0.5, 0.9];

describe('point forecast from quantiles', () => {
  it('interpolates the quantile function linearly and is flat beyond the outer levels', () => {
    expect(quantileAt(LEVELS, [1, 3, 11], 0.5)).toBe(3);
    expect(quantileAt(LEVELS, [1, 3, 11], 0.7)).toBeCloseTo(7, 12);
    expect(quantileAt(LEVELS, [1, 3, 11], 0.3)).toBeCloseTo(2, 12);
    expect(quantileAt(LEVELS, [1, 3, 11], 0.05)).toBe(1);
    expect(quantileAt(LEVELS, [1, 3, 11], 0.99)).toBe(11);
    // Crossed quantiles are sorted first.
    expect(quantileAt(LEVELS, [3, 1, 11], 0.1)).toBe(1);
  });

  it('picks the level whose quantiles add up to the means', () => {
    // Quantiles [0, 2, 10] and [0, 1, 5]: at τ = 0.5 + 0.4 f they sum to 3 + 12 f; means sum 6 → f = 0.25, τ = 0.6.
    const tau = unbiasedQuantileLevel(LEVELS, [
      { quantiles: [0, 2, 10], mean: 4 },
      { quantiles: [0, 1, 5], mean: 2 },
    ]);
    expect(tau).toBeCloseTo(0.6, 9);
  });

  it('gives the median for symmetric distributions and clamps when the means lie outside the quantiles', () => {
    expect(unbiasedQuantileLevel(LEVELS, [{ quantiles: [1, 2, 3], mean: 2 }])).toBeCloseTo(0.5, 9);
    expect(unbiasedQuantileLevel(LEVELS, [{ quantiles: [1, 2, 3], mean: 9 }])).toBe(0.9);
    expect(unbiasedQuantileLevel(LEVELS, [{ quantiles: [1, 2, 3], mean: 0 }], { lo: 0.5, hi: 0.9 })).toBe(0.5);
  });
});
