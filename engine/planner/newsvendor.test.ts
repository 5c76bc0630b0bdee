import { describe, expect, it } from 'vitest';
import { criticalRatio, demandQuantile, expectedSales, newsvendor } from './newsvendor.js';
import { normalCdf, normalQuantile } from './normal.js';

// Golden values from Python 3.11 `statistics.NormalDist()` (inv_cdf, cdf, pdf), e.g.
// NormalDist().inv_cdf(2/3) = 0.43072729929545733.
describe('normal helpers', () => {
  it('match NormalDist quantiles and cdf to 1e-6', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.9599639845400536, 6);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 6);
    expect(normalQuantile(2 / 3)).toBeCloseTo(0.43072729929545733, 6);
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 6);
    expect(normalCdf(-2.5)).toBeCloseTo(0.006209665325776159, 6);
  });
});

describe('newsvendor', () => {
  it('uses the critical ratio (p - c) / (p - s)', () => {
    expect(criticalRatio({ price: 10, unitCost: 4, salvageValue: 1 })).toBeCloseTo(6 / 9, 12);
  });

  it('adds holding to the overage and goodwill to the underage cost', () => {
    // cu = 10 - 4 + 2 = 8, co = 4 - 1 + 0.5 * 2 = 4 -> 8 / 12.
    expect(criticalRatio({ price: 10, unitCost: 4, salvageValue: 1, holdingCostPerWeek: 0.5, holdingWeeks: 2, stockoutCostPerUnit: 2 })).toBeCloseTo(2 / 3, 12);
  });

  it('orders the normal quantile mu + sigma z_CR rounded up, with E[min(q, D)] in closed form', () => {
    const r = newsvendor({ price: 10, unitCost: 4, salvageValue: 1, demand: { kind: 'normal', mean: 100, sd: 20 } });
    // 100 + 20 * 0.4307273 = 108.6145 -> 109 units.
    expect(r.qty).toBe(109);
    // mu - sigma * L((q - mu) / sigma) with NormalDist: 95.72665773335832.
    expect(r.expectedSales).toBeCloseTo(95.72665773335832, 3);
    expect(r.expectedProfit).toBeCloseTo(10 * r.expectedSales + 1 * (109 - r.expectedSales) - 4 * 109, 9);
    expect(r.moqBinding).toBe(false);
  });

  it('takes the smallest sample with empirical F >= CR in the discrete option', () => {
    const samples = [3, 9, 1, 7, 5, 2, 10, 4, 8, 6];
    // CR = 0.65: F(6) = 0.6 < 0.65 <= F(7) = 0.7.
    expect(demandQuantile({ kind: 'empirical', samples }, 0.65)).toBe(7);
    const r = newsvendor({ price: 13, unitCost: 6, salvageValue: 2.5 /* CR = 7 / 10.5 */, demand: { kind: 'empirical', samples } });
    expect(r.qty).toBe(7);
    expect(expectedSales({ kind: 'empirical', samples }, 7)).toBeCloseTo((1 + 2 + 3 + 4 + 5 + 6 + 7 * 4) / 10, 12);
  });

  it('raises the order to the MOQ and says so', () => {
    const r = newsvendor({ price: 10, unitCost: 4, salvageValue: 1, moq: 150, demand: { kind: 'normal', mean: 100, sd: 20 } });
    expect(r.qty).toBe(150);
    expect(r.unconstrainedQty).toBe(109);
    expect(r.moqBinding).toBe(true);
  });

  it('refuses a launch earlier than the lead time', () => {
    expect(() => newsvendor({ price: 10, unitCost: 4, salvageValue: 1, leadTimeWeeks: 3, launchWeek: 2, demand: { kind: 'normal', mean: 10, sd: 1 } })).toThrow(/lead time/);
  });
});

// Golden values from Python 3.11's statistics module: sigma^2 = log1p(0.25), mu = log(100) - sigma^2/2,
// exp(mu + sigma * NormalDist().inv_cdf(0.3)) = 69.81729195683623, and E[min(90, D)] by midpoint
// integration of min(e^y, 90) * NormalDist(mu, sigma).pdf(y) over 400,000 steps = 76.83128978243236.
describe('lognormal coverage demand', () => {
  const dist = { kind: 'lognormal', mean: 100, sd: 50 } as const;

  it('has the quantile and expected sales of the moment-matched lognormal', () => {
    expect(demandQuantile(dist, 0.3)).toBeCloseTo(69.81729195683623, 8);
    expect(expectedSales(dist, 90)).toBeCloseTo(76.83128978243236, 6);
  });

  it('tends to the mean for a large order and to q for a tiny one, never negative demand', () => {
    expect(expectedSales(dist, 1e7)).toBeCloseTo(100, 6);
    expect(expectedSales(dist, 1e-3)).toBeCloseTo(1e-3, 6);
    expect(demandQuantile(dist, 0.001)).toBeGreaterThan(0);
  });

  it('orders less than the normal with the same mean and sd when the critical ratio is low', () => {
    // CR = (10 - 7) / (10 - 1) = 1/3: the skewed distribution's 1/3-quantile sits below the normal's.
    const k = { price: 10, unitCost: 7, salvageValue: 1 };
    const ln = newsvendor({ ...k, demand: dist });
    const nm = newsvendor({ ...k, demand: { kind: 'normal', mean: 100, sd: 50 } });
    expect(ln.qty).toBeLessThan(nm.qty);
    expect(ln.expectedProfit).toBeGreaterThan(0);
  });
});
