import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../math/index.js';
import { adjustBand, adjustCandidateSeries, adjustmentFor, fitSignalAdjustment, minVarianceWeights, ridgeLoo, summariseSignals, type SignalExample } from './index.js';

/** Launches whose actual level is forecast^(1-b) · (views / 40)^b · noise: views carry most of the level. */
function launches(n: number, o: { seed?: number; noise?: number; wishlists?: boolean } = {}): SignalExample[] {
  const rand = mulberry32(o.seed ?? 1);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return Array.from({ length: n }, (_, i) => {
    const forecast = 5 + 100 * rand();
    const truth = forecast * Math.exp(0.8 * normal());
    const views = 40 * truth * Math.exp(0.1 * normal());
    const actual = truth * Math.exp((o.noise ?? 0.1) * normal());
    return { itemId: `I${i}`, forecast, actual, signals: { views, ...(o.wishlists && i % 2 === 0 ? { wishlists: views * 0.03 } : {}) }, group: i % 3 === 0 ? 'a' : 'b' };
  });
}

describe('summariseSignals', () => {
  it('averages each measure over the weeks that recorded it and drops items with nothing recorded', () => {
    const s = summariseSignals([
      { itemId: 'A', week: '2026-01-05', views: 100, wishlists: null, preorders: 2 },
      { itemId: 'A', week: '2026-01-12', views: 300, wishlists: 9 },
      { itemId: 'B', week: '2026-01-05', views: null, wishlists: null },
    ]);
    expect(s.get('A')).toEqual({ views: 200, wishlists: 9, preorders: 2 });
    expect(s.has('B')).toBe(false);
  });
});

describe('ridgeLoo', () => {
  it('fits an exact line with free columns and finds zero leave-one-out error', () => {
    const X = [0, 1, 2, 3].map((x) => [1, x]);
    const fit = ridgeLoo(X, [2, 5, 8, 11], [0, 0])!;
    expect(fit.beta[0]).toBeCloseTo(2, 10);
    expect(fit.beta[1]).toBeCloseTo(3, 10);
    fit.looResiduals.forEach((e) => expect(e).toBeCloseTo(0, 10));
  });
  it('measures each point\'s error as if it had not been fitted: the mean of the others', () => {
    // Intercept only on y = 1, 2, 6: leaving out 1 predicts 4 (error −3), 2 predicts 3.5 (−1.5), 6 predicts 1.5 (4.5).
    const fit = ridgeLoo([[1], [1], [1]], [1, 2, 6], [0])!;
    expect(fit.beta[0]).toBeCloseTo(3, 12);
    expect(fit.looResiduals[0]).toBeCloseTo(-3, 12);
    expect(fit.looResiduals[1]).toBeCloseTo(-1.5, 12);
    expect(fit.looResiduals[2]).toBeCloseTo(4.5, 12);
  });
  it('weighs launches: the weighted mean, and each point left out of it', () => {
    // y = 0, 0, 3 weighing 1, 1, 2: fit 6/4 = 1.5; without the 3 the rest predict 0 (error 3),
    // without a 0 the others predict (0 + 2·3)/3 = 2 (error −2).
    const fit = ridgeLoo([[1], [1], [1]], [0, 0, 3], [0], [1, 1, 2])!;
    expect(fit.beta[0]).toBeCloseTo(1.5, 12);
    expect(fit.looResiduals[0]).toBeCloseTo(-2, 12);
    expect(fit.looResiduals[2]).toBeCloseTo(3, 12);
  });
  it('shrinks a penalised column: a group shift d is fitted as d · m / (m + λ), m = n₁n₀/n', () => {
    const X = [...Array.from({ length: 4 }, () => [1, 1]), ...Array.from({ length: 4 }, () => [1, 0])];
    const fit = ridgeLoo(X, [2, 2, 2, 2, 0, 0, 0, 0], [0, 4])!;
    // d = 2, m = 4·4/8 = 2, λ = 4: β₁ = 2 · 2/6 = 2/3; the free intercept takes the rest of the mean, 1 − β₁/2.
    expect(fit.beta[1]).toBeCloseTo(2 / 3, 12);
    expect(fit.beta[0]).toBeCloseTo(2 / 3, 12);
  });
});

describe('minVarianceWeights', () => {
  it('weights independent estimates by their inverse variance', () => {
    const w = minVarianceWeights([[1, 0], [0, 4]])!;
    expect(w[0]).toBeCloseTo(0.8, 12);
    expect(w[1]).toBeCloseTo(0.2, 12);
  });
  it('counts correlated errors once: two estimates with the same error weigh as one', () => {
    // Errors: e0 independent (var 1); e1 and e2 share most of theirs (var 1, covariance 0.9).
    const w = minVarianceWeights([[1, 0, 0], [0, 1, 0.9], [0, 0.9, 1]])!;
    // C⁻¹1 = (1, 1/1.9, 1/1.9): the pair weighs as one estimate of variance 0.95, not two of 1.
    expect(w[0]).toBeCloseTo(1.9 / 3.9, 12);
    expect(w[1]).toBeCloseTo(1 / 3.9, 12);
    expect(w[2]).toBeCloseTo(1 / 3.9, 12);
  });
  it('drops an estimate whose best weight would be negative and re-solves without it', () => {
    // The second estimate's error is the first's plus more: unconstrained, w = (1.5, −0.5).
    const w = minVarianceWeights([[1, 1], [1, 2]])!;
    expect(w).toEqual([1, 0]);
    // Two identical estimates: either alone is the minimum, the first kept; nothing to weigh without a variance.
    expect(minVarianceWeights([[1, 1], [1, 1]])).toEqual([1, 0]);
    expect(minVarianceWeights([[0]])).toBeUndefined();
  });
  it('finds the least variance over every subset, not where dropping the most negative weight stops', () => {
    // A forecast (var 0.56) and two measures seen on different launches (views 0.0202, wish-lists
    // 0.0218, covariance 0.02145: more than their variances allow on one set of launches). The
    // three together put a negative weight on views; dropping it leaves wish-lists (variance
    // 0.0218), but views alone has 0.0202, and no mix of the two does better (wᵀCw is concave
    // along that edge).
    const C = [
      [0.565, 0.0201, 0.0215],
      [0.0201, 0.0202, 0.02145],
      [0.0215, 0.02145, 0.0218],
    ];
    const w = minVarianceWeights(C)!;
    const variance = (v: number[]) => v.reduce((s, a, i) => s + v.reduce((t, b, j) => t + a * b * C[i][j], 0), 0);
    expect(w[2]).toBe(0);
    expect(w[1]).toBeGreaterThan(0.99);
    expect(variance(w)).toBeLessThanOrEqual(0.0202);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});

describe('fitSignalAdjustment', () => {
  it('calibrates each measure on the launches that recorded it and measures its leave-one-out error', () => {
    const model = fitSignalAdjustment(launches(300, { wishlists: true }));
    expect(model.calibrations[0].measure).toBeUndefined();
    const views = model.calibrations.find((c) => c.measure === 'views')!;
    const wish = model.calibrations.find((c) => c.measure === 'wishlists')!;
    expect(views.examples).toBe(300);
    expect(wish.examples).toBe(150);
    // log(actual/forecast) = log(views/forecast) − log 40 (+ the 0.5 offsets): slope ≈ 1, intercept ≈ −log 40.
    expect(views.slope).toBeGreaterThan(0.9);
    expect(views.slope).toBeLessThan(1.05);
    expect(views.intercept + views.groupOffsets.b).toBeCloseTo(-Math.log(40), 0);
    const C = model.errorCovariance;
    const k = model.calibrations.indexOf(views);
    expect(Math.sqrt(C[k][k]!)).toBeLessThan(0.25);
    expect(Math.sqrt(C[0][0]!)).toBeGreaterThan(0.6);
    // Preorders and notify-me were never recorded: no calibration.
    expect(model.calibrations.map((c) => c.measure)).toEqual([undefined, 'views', 'wishlists']);
  });
  it('fits nothing, without throwing, when no launch or no launch with a measure is there to fit on', () => {
    expect(fitSignalAdjustment([], { minExamples: 0 }).calibrations).toEqual([]);
    // Every launch recorded views only: the other measures get no calibration, even with no minimum.
    const model = fitSignalAdjustment(launches(40), { minExamples: 0, minPairs: 0 });
    expect(model.calibrations.map((c) => c.measure)).toEqual([undefined, 'views']);
    expect(model.errorCovariance).toHaveLength(2);
  });
  it('moves a forecast towards the level its signal implies', () => {
    const model = fitSignalAdjustment(launches(300));
    const a = adjustmentFor(model, { views: 40 * 50 }, 25)!;
    expect(a.measures).toEqual(['views']);
    expect(25 * a.factor).toBeGreaterThan(44);
    expect(25 * a.factor).toBeLessThan(56);
    expect(a.factor).toBeCloseTo(Math.exp(a.logRatio), 12);
    expect(a.spread).toBeLessThan(1);
    // Most of the weight on the signal, some left on the forecast.
    expect(a.weights.views).toBeGreaterThan(0.8);
    expect(a.weights.views! + (a.weights.base ?? 0)).toBeCloseTo(1, 12);
  });
  it('leaves an item alone without signals, with only measures never calibrated, or when signals do not help', () => {
    const model = fitSignalAdjustment(launches(300));
    expect(adjustmentFor(model, undefined, 25)).toBeUndefined();
    expect(adjustmentFor(model, { preorders: 12 }, 25)).toBeUndefined();
    expect(adjustmentFor(model, { views: 1000 }, 0)).toBeUndefined();
    expect(adjustmentFor(fitSignalAdjustment(launches(10)), { views: 1000 }, 25)).toBeUndefined();
    // Signals unrelated to the outcome: their leave-one-out error is no better than without them.
    const rand = mulberry32(9);
    const noise = launches(200).map((e) => ({ ...e, signals: { views: 1000 * rand() + 1 } }));
    expect(adjustmentFor(fitSignalAdjustment(noise), { views: 500 }, 25)).toBeUndefined();
  });
  it('combines the measures an item recorded and falls back to those it has', () => {
    const model = fitSignalAdjustment(launches(400, { wishlists: true }));
    const both = adjustmentFor(model, { views: 2000, wishlists: 60 }, 25)!;
    expect(both.measures.length).toBeGreaterThan(0);
    expect(adjustmentFor(model, { views: 2000 }, 25)!.measures).toEqual(['views']);
    expect(adjustmentFor(model, { wishlists: 60 }, 25)!.measures).toEqual(['wishlists']);
  });
  it('weighs two noisy measures of the same level together, better than either alone', () => {
    // Views and wish-lists each see the level with independent noise of sd 0.3.
    const rand = mulberry32(3);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    const ex: SignalExample[] = Array.from({ length: 400 }, (_, i) => {
      const forecast = 10 + 50 * rand();
      const actual = forecast * Math.exp(0.8 * normal());
      return { itemId: `I${i}`, forecast, actual, signals: { views: 40 * actual * Math.exp(0.3 * normal()), wishlists: actual * Math.exp(0.3 * normal()) } };
    });
    const model = fitSignalAdjustment(ex);
    const a = adjustmentFor(model, { views: 40 * 30, wishlists: 30 }, 30)!;
    expect(a.measures.sort()).toEqual(['views', 'wishlists']);
    expect(a.weights.views).toBeGreaterThan(0.3);
    expect(a.weights.wishlists).toBeGreaterThan(0.3);
    const alone = adjustmentFor(model, { views: 40 * 30 }, 30)!;
    expect(a.spread).toBeLessThan(alone.spread);
  });
  it('shifts a group whose launches sell more per unit of signal', () => {
    const base = launches(300, { seed: 4 });
    const shifted = base.map((e) => (e.group === 'a' ? { ...e, actual: e.actual * 2 } : e));
    const model = fitSignalAdjustment(shifted);
    const a = adjustmentFor(model, { views: 2000 }, 25, 'a')!;
    const b = adjustmentFor(model, { views: 2000 }, 25, 'b')!;
    expect(a.factor / b.factor).toBeGreaterThan(1.6);
    expect(a.factor / b.factor).toBeLessThan(2.2);
  });
});

describe('adjustBand', () => {
  it('scales the level by the factor and the half-widths by factor × spread, bounds kept at or above 0', () => {
    const [p] = adjustBand([{ step: 1, mean: 10, lo80: 6, hi80: 16, lo95: 2, hi95: 20 }], { factor: 2, spread: 0.5 });
    expect(p).toEqual({ step: 1, mean: 20, lo80: 16, hi80: 26, lo95: 12, hi95: 30 });
    const [q] = adjustBand([{ step: 1, mean: 10, lo80: 0, hi80: 16, lo95: 0, hi95: 20 }], { factor: 0.2, spread: 1 });
    expect(q.lo80).toBeGreaterThanOrEqual(0);
    expect(q.mean).toBeCloseTo(2, 12);
  });
});

describe('adjustCandidateSeries', () => {
  const points = [1, 2, 3].map((step) => ({ step, mean: 20, lo80: 10, hi80: 30, lo95: 5, hi95: 40 }));
  const series = [
    { seriesKey: 'C1', params: { refWeek: '2027-01-04' }, points },
    { seriesKey: 'C2', params: {}, points },
    { seriesKey: 'C3', params: {}, error: 'no forecast produced', points: [] },
  ];

  it('returns the very same series when no item has signals', () => {
    const out = adjustCandidateSeries({ series, signals: new Map(), model: fitSignalAdjustment(launches(300)) });
    expect(out.adjusted).toEqual([]);
    out.series.forEach((s, i) => expect(s).toBe(series[i]));
  });

  it('rescales only the items with signals and records the factor in their params', () => {
    const model = fitSignalAdjustment(launches(300));
    const out = adjustCandidateSeries({ series, signals: new Map([['C1', { views: 40 * 60 }], ['C3', { views: 100 }]]), model });
    expect(out.adjusted.map((a) => a.itemId)).toEqual(['C1']);
    expect(out.series[1]).toBe(series[1]);
    expect(out.series[2]).toBe(series[2]);
    const c1 = out.series[0];
    expect(c1.params).toMatchObject({ refWeek: '2027-01-04', prelaunch: { measures: ['views'], weights: { views: expect.any(Number) } } });
    expect(c1.points[0].mean).toBeGreaterThan(45);
    expect(c1.points[0].hi80 - c1.points[0].mean).toBeLessThan((30 - 20) * (c1.points[0].mean / 20));
  });
});
