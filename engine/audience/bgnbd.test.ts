import { describe, expect, it } from 'vitest';
import { gammaDraw, logGamma, mulberry32 } from '../math/index.js';
import { bgnbdLogLikelihood, expectedOrders, expectedOrdersBetween, fitBgnbd, hyp2f1, probabilityAlive, type RfmSummary } from './bgnbd.js';

// The CDNOW estimates of Fader, Hardie & Lee (2005), "Counting your customers the easy way".
const CDNOW = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe('BG/NBD', () => {
  it('ln Γ and ₂F₁ match closed forms', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(30.5)).toBeCloseTo(72.95347118416939, 9);
    // ₂F₁(1, 1; 2; z) = −ln(1 − z) / z.
    for (const z of [0.1, 0.5, 0.9]) expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(-Math.log(1 - z) / z, 10);
  });

  it('reproduces the paper: a customer with 2 repeat purchases at 30.43 of 38.86 weeks expects 1.226 in the next 39', () => {
    const c = { x: 2, tx: 30.43, T: 38.86 };
    expect(expectedOrders(CDNOW, c, 39)).toBeCloseTo(1.226, 3);
    expect(expectedOrdersBetween(CDNOW, c, 0, 39)).toBeCloseTo(1.226, 3);
    // A window's expectation is the difference of the cumulative ones; nothing is expected in an empty one.
    expect(expectedOrdersBetween(CDNOW, c, 13, 39)).toBeCloseTo(expectedOrders(CDNOW, c, 39) - expectedOrders(CDNOW, c, 13), 12);
    expect(expectedOrdersBetween(CDNOW, c, 10, 10)).toBe(0);
  });

  it('a customer without repeat orders is alive; a long silence after many orders makes death likely', () => {
    expect(probabilityAlive(CDNOW, { x: 0, tx: 0, T: 30 })).toBe(1);
    const recent = probabilityAlive(CDNOW, { x: 5, tx: 29, T: 30 });
    const silent = probabilityAlive(CDNOW, { x: 5, tx: 5, T: 30 });
    expect(recent).toBeGreaterThan(0.8);
    expect(silent).toBeLessThan(0.2);
    expect(expectedOrders(CDNOW, { x: 5, tx: 5, T: 30 }, 20)).toBeLessThan(expectedOrders(CDNOW, { x: 5, tx: 29, T: 30 }, 20));
  });

  it('the likelihood of x = 0 is the NBD term alone: (α / (α + T))^r', () => {
    const p = { r: 0.7, alpha: 3, a: 2, b: 5 };
    expect(bgnbdLogLikelihood(p, { x: 0, tx: 0, T: 10 })).toBeCloseTo(0.7 * Math.log(3 / 13), 12);
  });

  it('recovers simulated parameters and forecasts the simulated holdout counts', () => {
    // Customers drawn from the model: rate λ ~ Gamma(r, 1/α), dropout p ~ Beta(a, b); after
    // each repeat order the customer dies with probability p.
    const truth = { r: 1.5, alpha: 6, a: 2, b: 6 };
    const rand = mulberry32(11);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    const T = 40;
    const horizon = 20;
    const calibration: RfmSummary[] = [];
    const future: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const lambda = gammaDraw(truth.r, 1 / truth.alpha, normal, rand);
      const ga = gammaDraw(truth.a, 1, normal, rand);
      const p = ga / (ga + gammaDraw(truth.b, 1, normal, rand));
      let t = 0;
      let x = 0;
      let tx = 0;
      let later = 0;
      for (;;) {
        t += -Math.log(1 - rand()) / lambda;
        if (t > T + horizon) break;
        if (t <= T) {
          x++;
          tx = t;
        } else later++;
        if (rand() < p) break;
      }
      calibration.push({ x, tx, T });
      future.push(later);
    }
    const fit = fitBgnbd(calibration);
    expect(fit.r).toBeGreaterThan(1);
    expect(fit.r).toBeLessThan(2.2);
    expect(fit.alpha).toBeGreaterThan(4);
    expect(fit.alpha).toBeLessThan(9);
    expect(fit.a / (fit.a + fit.b)).toBeCloseTo(truth.a / (truth.a + truth.b), 1);
    // Forecast vs realised holdout orders, in total and for the most frequent customers.
    const expected = calibration.map((c) => expectedOrders(fit, c, horizon));
    const sum = (v: number[]) => v.reduce((s, y) => s + y, 0);
    expect(sum(expected) / sum(future)).toBeGreaterThan(0.93);
    expect(sum(expected) / sum(future)).toBeLessThan(1.07);
    const heavy = calibration.map((c, i) => i).filter((i) => calibration[i].x >= 10);
    const heavyRatio = sum(heavy.map((i) => expected[i])) / sum(heavy.map((i) => future[i]));
    expect(heavyRatio).toBeGreaterThan(0.85);
    expect(heavyRatio).toBeLessThan(1.15);
  });
});
