import { describe, expect, it } from 'vitest';
import {
  calibrateCurveUpdate,
  censoredMean,
  CurveUpdateInputError,
  priorShapeFromInterval,
  ratioToDate,
  referenceShape,
  scoreCurveUpdate,
  smoothCurve,
  updateLaunchCurve,
  DEFAULT_CURVE_UPDATE,
  type CalibrationLaunch,
} from './curve-update.js';
import { mulberry32 } from '../math/index.js';

const poisson = { dispersion: Number.POSITIVE_INFINITY, recency: 1, shapeWeight: 0 };

describe('updateLaunchCurve', () => {
  it('matches the gamma-Poisson conjugate update computed by hand', () => {
    // a = 2, one week: alpha = 2 + 15 = 17, beta = 2 + 10 = 12.
    const u = updateLaunchCurve({ prior: { mean: [10, 10, 10] }, sales: [15], params: { ...poisson, priorShape: 2, noiseShape: 2 } });
    expect(u.level.shape).toBeCloseTo(17, 12);
    expect(u.level.rate).toBeCloseTo(12, 12);
    expect(u.level.mean).toBeCloseTo(17 / 12, 12);
    expect(u.level.sd).toBeCloseTo(Math.sqrt(17) / 12, 12);
    expect(u.weight).toBeCloseTo(10 / 12, 12);
    expect(u.remaining.map((r) => r.step)).toEqual([2, 3]);
    expect(u.remaining[0].mean).toBeCloseTo((10 * 17) / 12, 10);
    // Predictive variance: mean + m0^2 Var(theta) + m0^2 E[theta^2] / noiseShape
    //   = 170/12 + 100 * 17/144 + 100 * (17/144 + 289/144) / 2 = 132.2222...
    expect(u.remaining[0].sd).toBeCloseTo(Math.sqrt(170 / 12 + 1700 / 144 + 100 * (306 / 144) / 2), 10);
    expect(u.remaining[0].p10).toBeLessThan(u.remaining[0].mean);
    expect(u.remaining[0].p90).toBeGreaterThan(u.remaining[0].mean);
  });

  it('tempers each week by r / (r + mu) under a negative-binomial dispersion', () => {
    // r = 5, mu = 10: w = 1/3; alpha = 2 + 15/3 = 7, beta = 2 + 10/3.
    const u = updateLaunchCurve({ prior: { mean: [10, 10] }, sales: [15], params: { priorShape: 2, dispersion: 5, recency: 1 } });
    expect(u.level.mean).toBeCloseTo(7 / (2 + 10 / 3), 12);
  });

  it('discounts older weeks and the prior by recency^age', () => {
    // weights 0.5 (week 1) and 1 (week 2), prior 1 * 0.5^2: alpha = 0.25 + 0.5*20 + 10, beta = 0.25 + 0.5*10 + 10.
    const u = updateLaunchCurve({ prior: { mean: [10, 10, 10] }, sales: [20, 10], params: { ...poisson, priorShape: 1, recency: 0.5 } });
    expect(u.level.mean).toBeCloseTo(20.25 / 15.25, 12);
  });

  it('leaves the prior unchanged with no observed weeks', () => {
    const prior = { mean: [3, 5, 8, 2] };
    for (const params of [{}, { shapeWeight: 1 }]) {
      const u = updateLaunchCurve({ prior, sales: [], shape: [1, 1, 1, 1], params });
      expect(u.level.mean).toBe(1);
      expect(u.weight).toBe(0);
      expect(u.remaining.map((r) => r.mean)).toEqual(prior.mean);
    }
  });

  it('gives the observations more weight as evidence grows', () => {
    const prior = { mean: new Array<number>(13).fill(10) };
    const sales = new Array<number>(8).fill(30);
    let lastWeight = 0;
    let lastLevel = 1;
    for (let n = 1; n <= 8; n++) {
      const u = updateLaunchCurve({ prior, sales: sales.slice(0, n), params: { priorShape: 2, dispersion: 4, recency: 1 } });
      expect(u.weight).toBeGreaterThan(lastWeight);
      expect(u.level.mean).toBeGreaterThan(lastLevel);
      expect(u.level.mean).toBeLessThan(3);
      lastWeight = u.weight;
      lastLevel = u.level.mean;
    }
    // A bigger prior mean (more expected units) is more evidence per week, too.
    const small = updateLaunchCurve({ prior: { mean: [1, 1] }, sales: [3], params: { ...poisson, priorShape: 2 } });
    const big = updateLaunchCurve({ prior: { mean: [100, 100] }, sales: [300], params: { ...poisson, priorShape: 2 } });
    expect(big.weight).toBeGreaterThan(small.weight);
  });

  it('never lets a sold-out week lower the level below what its sales imply as demand', () => {
    const rnd = mulberry32(5);
    for (let k = 0; k < 200; k++) {
      const mean = Array.from({ length: 6 }, () => 0.5 + 40 * rnd());
      const sales = Array.from({ length: 3 }, () => Math.floor(60 * rnd()));
      const censored = sales.map(() => rnd() < 0.5);
      const params = { priorShape: 0.25 + 8 * rnd(), dispersion: 0.5 + 20 * rnd(), recency: 0.5 + 0.5 * rnd() };
      const asDemand = updateLaunchCurve({ prior: { mean }, sales, params });
      const cens = updateLaunchCurve({ prior: { mean }, sales, censored, params });
      expect(cens.level.mean).toBeGreaterThanOrEqual(asDemand.level.mean - 1e-12);
      cens.demand.forEach((d, s) => expect(d).toBeGreaterThanOrEqual(sales[s]));
    }
  });

  it('learns nothing from a week that had no stock at all, whatever the recency', () => {
    for (const recency of [1, 0.6]) {
      const params = { priorShape: 2, dispersion: 4, recency };
      const one = updateLaunchCurve({ prior: { mean: [10, 10, 10] }, sales: [15], params });
      const withEmpty = updateLaunchCurve({ prior: { mean: [10, 10, 10] }, sales: [15, 0], censored: [false, true], params });
      expect(withEmpty.level.mean).toBeCloseTo(one.level.mean, 6);
    }
  });

  it('moves the prior shape toward the reference shape, keeping its total', () => {
    // shaped = 0.5 * [4, 4, 4] + 0.5 * [1, 2, 1] * 12/4 = [3.5, 5, 3.5]; week 1 sells as expected
    // and the prior is held fixed, so the level stays 1 and the remaining means are the shaped prior.
    const u = updateLaunchCurve({ prior: { mean: [4, 4, 4] }, sales: [3.5], shape: [1, 2, 1], params: { ...poisson, priorShape: 1e9, shapeWeight: 0.5 } });
    expect(u.remaining.map((r) => r.mean)).toEqual([expect.closeTo(5, 6), expect.closeTo(3.5, 6)]);
  });

  it('smooths the prior with a triangular kernel, total kept, before the level scales it', () => {
    // h = 1 on [0, 30, 0]: [(2*0 + 30) / 3, (0 + 2*30 + 0) / 4, (30 + 2*0) / 3] = [10, 15, 10], total 35,
    // rescaled to 30: [60/7, 90/7, 60/7]. Week 1 sells its smoothed mean and the prior is held
    // fixed, so the level stays 1 and the remaining means are the smoothed prior.
    const u = updateLaunchCurve({ prior: { mean: [0, 30, 0] }, sales: [60 / 7], params: { ...poisson, priorShape: 1e9, smoothing: 1 } });
    expect(u.remaining.map((r) => r.mean)).toEqual([expect.closeTo(90 / 7, 6), expect.closeTo(60 / 7, 6)]);
    // Without smoothing a spike in the prior is multiplied by the level: a launch selling 3x its
    // first weeks' prior is forecast 3x the spike. The default update spreads the spike first.
    const prior = { mean: [5, 5, 60, 5, 5, 5, 5, 5] };
    const raw = updateLaunchCurve({ prior, sales: [15, 15], params: { ...DEFAULT_CURVE_UPDATE, smoothing: 0 } });
    const smooth = updateLaunchCurve({ prior, sales: [15, 15] });
    expect(smooth.remaining[0].mean).toBeLessThan(raw.remaining[0].mean / 2);
    const spread = (u: typeof raw) => Math.max(...u.remaining.map((r) => r.mean)) / Math.min(...u.remaining.map((r) => r.mean));
    expect(spread(raw)).toBeCloseTo(12, 6);
    expect(spread(smooth)).toBeLessThan(3);
  });

  it('rejects invalid input with errors naming the field', () => {
    const prior = { mean: [1, 2, 3] };
    const cases: Array<[() => unknown, string]> = [
      [() => updateLaunchCurve({ prior, sales: [1, -2] }), 'sales[1]'],
      [() => updateLaunchCurve({ prior, sales: [1, 2, 3, 4] }), 'sales'],
      [() => updateLaunchCurve({ prior, sales: [1, 2], censored: [true] }), 'censored'],
      [() => updateLaunchCurve({ prior: { mean: [1, Number.NaN] }, sales: [] }), 'prior.mean[1]'],
      [() => updateLaunchCurve({ prior: { mean: [1, 2], sd: [1] }, sales: [] }), 'prior.sd'],
      [() => updateLaunchCurve({ prior, sales: [1], params: { recency: 0 } }), 'params.recency'],
      [() => updateLaunchCurve({ prior, sales: [1], params: { priorShape: -1 } }), 'params.priorShape'],
      [() => updateLaunchCurve({ prior, sales: [1], params: { shapeWeight: 0.5 } }), 'shape'],
      [() => updateLaunchCurve({ prior, sales: [1], params: { smoothing: -1 } }), 'params.smoothing'],
      [() => updateLaunchCurve({ prior, sales: [1], params: { priorShape: 'from-interval' } }), 'prior.sd'],
      [() => ratioToDate([1, 2], [1, 2, 3]), 'sales'],
    ];
    for (const [call, field] of cases) {
      expect(call).toThrow(CurveUpdateInputError);
      expect(call).toThrow(new RegExp(`^${field.replace(/[[\]().]/g, '\\$&')}: `));
    }
  });
});

describe('censoredMean', () => {
  it('is E[Y | Y >= y] of the Poisson and negative binomial', () => {
    // Poisson(2): E[Y | Y >= 1] = 2 / (1 - e^-2).
    expect(censoredMean(1, 2, Number.POSITIVE_INFINITY)).toBeCloseTo(2 / (1 - Math.exp(-2)), 10);
    expect(censoredMean(0, 7.5, 3)).toBe(7.5);
    // Far in the upper tail, against a direct sum of the pmf.
    let p = Math.exp(-2);
    let s = 0;
    let sk = 0;
    for (let k = 0; k < 200; k++) {
      if (k >= 10) {
        s += p;
        sk += k * p;
      }
      p *= 2 / (k + 1);
    }
    expect(censoredMean(10, 2, Number.POSITIVE_INFINITY)).toBeCloseTo(sk / s, 8);
    // NB(mean 4, shape 2) from its pmf by recurrence, both branches (y below and above the mean).
    for (const y of [3, 12]) {
      let q = Math.pow(2 / 6, 2);
      let ss = 0;
      let ssk = 0;
      for (let k = 0; k < 2000; k++) {
        if (k >= y) {
          ss += q;
          ssk += k * q;
        }
        q *= ((k + 2) / (k + 1)) * (4 / 6);
      }
      expect(censoredMean(y, 4, 2)).toBeCloseTo(ssk / ss, 8);
    }
  });
});

describe('referenceShape, priorShapeFromInterval, ratioToDate, smoothCurve', () => {
  it('keeps a flat curve flat and any curve\'s total, and spreads a spike symmetrically', () => {
    expect(smoothCurve([4, 4, 4, 4], 3)).toEqual([4, 4, 4, 4].map((v) => expect.closeTo(v, 12)));
    const s = smoothCurve([0, 0, 0, 12, 0, 0, 0], 2);
    expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(12, 12);
    expect(s[2]).toBeCloseTo(s[4], 12);
    expect(s[3]).toBeGreaterThan(s[2]);
    expect(s[0]).toBe(0);
    expect(smoothCurve([1, 5, 2], 0)).toEqual([1, 5, 2]);
  });

  it('chains step ratios over the launches observed at both steps', () => {
    expect(referenceShape([[10, 5, 2], [20, 10]], 3)).toEqual([1, 0.5, 0.2]);
  });

  it('recovers the prior shape a from the variance it implies', () => {
    // r = 4, a = 2: var = 10 + 100/4 + 100 (1 + 1/4) / 2 = 97.5.
    expect(priorShapeFromInterval({ mean: [10] , sd: [Math.sqrt(97.5)] }, 4)).toBeCloseTo(2, 10);
  });

  it('rescales the remaining prior by sales to date over prior to date', () => {
    expect(ratioToDate([2, 4, 6], [4])).toEqual([8, 12]);
    expect(ratioToDate([2, 4, 6], [])).toEqual([2, 4, 6]);
  });
});

describe('calibrateCurveUpdate', () => {
  it('chooses parameters no worse than any set in its grid on the same launches', () => {
    const rnd = mulberry32(11);
    const launches: CalibrationLaunch[] = Array.from({ length: 60 }, () => {
      const level = Math.exp(1.2 * (rnd() - 0.5) * 2);
      const mean = Array.from({ length: 8 }, (_, s) => 20 * Math.exp(-0.1 * s));
      return { prior: { mean }, actual: mean.map((m) => Math.round(m * level * (0.7 + 0.6 * rnd()))) };
    });
    const grid = { priorShape: [0.25, 1, 8], dispersion: [4, 64], recency: [1], smoothing: [0], noiseShape: [1, 4, 16] };
    const c = calibrateCurveUpdate({ launches, observedWeeks: [1, 2], grid });
    const loss = (w: number[]) => w.reduce((a, b) => a + b, 0);
    expect(loss(c.scores.map((x) => x.wape))).toBeLessThanOrEqual(loss([1, 2].map((n) => scoreCurveUpdate(launches, n, { priorShape: 1, dispersion: 4, recency: 1, smoothing: 0 }).wape)) + 1e-12);
    // Levels vary by a factor of ~3 around the prior: the data should be trusted, not the prior.
    expect(c.params.priorShape).toBe(0.25);
    expect(c.scores[0].coverage).toBeGreaterThan(0.6);
  });
});
