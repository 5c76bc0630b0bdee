import { describe, expect, it } from 'vitest';
import { quantile, summariseLifts } from './index.js';

describe('lift summaries', () => {
  it('quantiles interpolate like R type 7', () => {
    // R: quantile(c(1, 2, 3, 4, 10), c(0.1, 0.5)) = 1.4, 3
    expect(quantile([10, 1, 3, 2, 4], 0.1)).toBeCloseTo(1.4, 12);
    expect(quantile([10, 1, 3, 2, 4], 0.5)).toBe(3);
  });

  it('the bootstrap interval brackets the median and is reproducible', () => {
    const xs = [0.1, 0.2, 0.15, -0.05, 0.3, 0.25, 0.12, 0.18, 0.22, 0.05];
    const s = summariseLifts(xs, { seed: 7 });
    expect(s.ci90[0]).toBeLessThanOrEqual(s.median);
    expect(s.ci90[1]).toBeGreaterThanOrEqual(s.median);
    expect(s.positiveShare).toBe(0.9);
    expect(summariseLifts(xs, { seed: 7 })).toEqual(s);
  });
});
