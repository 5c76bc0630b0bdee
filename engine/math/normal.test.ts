import { describe, expect, it } from 'vitest';
import { dnorm, pnorm, qnorm, sdFromInterval80, Z90 } from './normal.js';

// Reference values: R 4.2.2, options(digits = 17); pnorm(x), qnorm(p), dnorm(x).
describe('standard normal helpers agree with R', () => {
  it('qnorm matches R to 1e-15 relative', () => {
    const cases: [number, number][] = [
      [0.975, 1.959963984540054],
      [0.9, 1.2815515655446004],
      [0.5, 0],
      [1e-10, -6.3613409024040557],
      [0.001, -3.0902323061678132],
      [2 / 3, 0.43072729929545733],
      [1 - 1e-12, 7.0344869100478356],
    ];
    for (const [p, z] of cases) expect(Math.abs(qnorm(p) - z)).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(z)));
    expect(qnorm(0)).toBe(-Infinity);
    expect(qnorm(1)).toBe(Infinity);
    expect(qnorm(1.5)).toBeNaN();
    expect(qnorm(NaN)).toBeNaN();
  });

  it('pnorm matches R to 1e-15 relative in every branch of Cody’s algorithm', () => {
    const cases: [number, number][] = [
      [0, 0.5],
      [1e-9, 0.50000000039894232],
      [0.5, 0.69146246127401301],
      [1, 0.8413447460685429],
      [-2.5, 0.0062096653257761349],
      [3, 0.9986501019683699],
      [-10, 7.6198530241605269e-24],
    ];
    for (const [x, p] of cases) expect(Math.abs(pnorm(x) - p)).toBeLessThanOrEqual(1e-15 * p);
    expect(pnorm(-40)).toBe(0);
    expect(pnorm(8.5)).toBe(1);
    expect(pnorm(Infinity)).toBe(1);
    expect(pnorm(-Infinity)).toBe(0);
    expect(pnorm(NaN)).toBeNaN();
  });

  it('qnorm inverts pnorm to 1e-13 on (-8, 0], and pnorm(-x) = 1 - pnorm(x)', () => {
    // Lower tail only: above 0 the probability itself carries 1e-16 absolute rounding.
    for (let x = -8; x <= 0; x += 0.0625) expect(Math.abs(qnorm(pnorm(x)) - x)).toBeLessThan(1e-13 * Math.max(1, Math.abs(x)));
    for (let x = 0; x <= 8; x += 0.0625) expect(Math.abs(pnorm(-x) - (1 - pnorm(x)))).toBeLessThan(2e-16);
  });

  it('dnorm(0) = 1/sqrt(2π), dnorm(1) = 0.24197072451914337', () => {
    expect(dnorm(0)).toBeCloseTo(0.3989422804014327, 16);
    expect(dnorm(1)).toBeCloseTo(0.24197072451914337, 16);
  });
});

describe('80% interval helpers', () => {
  it('Z90 is qnorm(0.9) and an [p10, p90] interval spans 2 x Z90 sds', () => {
    expect(Z90).toBeCloseTo(qnorm(0.9), 14);
    expect(sdFromInterval80(100 - 2 * Z90, 100 + 2 * Z90)).toBeCloseTo(2, 12);
    expect(sdFromInterval80(5, 3)).toBe(0);
  });
});
