import { describe, expect, it } from 'vitest';
import { levelUpdate } from './index.js';
import { smoothCurve } from '../demand/index.js';
import { mixtureWeight, reshapeRemaining, roughness } from './level-update.js';

const prior = { mean: [10, 10, 10, 10], sd: [6, 6, 6, 6] };

describe('level update', () => {
  const update = levelUpdate({ weeklyCorrelation: 1, noiseCv: 0.5 });

  it('keeps the prior without observations', () => {
    expect(update(prior, [], [])).toBe(prior);
  });

  it('moves the level towards the observed ratio on the log scale, more with more weeks', () => {
    // vLevel = ln(1 + 0.6²) = 0.3075; one week: vObs = ln(1 + (0.25 * 100 + 10) / 100) = 0.3001,
    // k = 0.5061; level = (20.5 / 10.5)^k.
    const one = update(prior, [20], [false]);
    const k1 = Math.log1p(0.36) / (Math.log1p(0.36) + Math.log1p(0.35));
    expect(one.mean[3]).toBeCloseTo(10 * Math.pow(20.5 / 10.5, k1), 9);
    const two = update(prior, [20, 20], [false, false]);
    expect(two.mean[3]).toBeGreaterThan(one.mean[3]);
    expect(two.mean[3]).toBeLessThan(20);
    // Less level error is left, so less relative sd.
    expect(two.sd[3] / two.mean[3]).toBeLessThan(one.sd[3] / one.mean[3]);
  });

  it('leaves less weekly correlation where part of the error was weekly noise', () => {
    const u = levelUpdate({ weeklyCorrelation: 0.8, noiseCv: 0.5 })(prior, [20, 20], [false, false]);
    expect(u.weeklyCorrelation).toBeGreaterThan(0);
    expect(u.weeklyCorrelation).toBeLessThan(0.8);
  });

  it('lets censored weeks only raise the level', () => {
    // A stock-out week that sold 4 of a forecast 10 says nothing against a high level...
    const high = update(prior, [20, 4], [false, true]);
    expect(high.mean[0]).toBeCloseTo(update(prior, [20], [false]).mean[0], 12);
    // ...and a stock-out week that sold 30 raises it above the uncensored evidence.
    const raised = update(prior, [10, 30], [false, true]);
    expect(raised.mean[0]).toBeGreaterThan(update(prior, [10], [false]).mean[0]);
  });

  it('does not move a curve whose weekly errors are independent (no level error)', () => {
    expect(levelUpdate({ weeklyCorrelation: 0 })(prior, [30], [false])).toBe(prior);
  });
});

describe('ramp-up bias', () => {
  it('corrects the observed log ratio of the first n weeks before shrinkage', () => {
    const plain = levelUpdate({ weeklyCorrelation: 1, noiseCv: 0.5 });
    // A bias of log(2) for one observed week: 20.5 / 10.5 sold reads as half that ratio.
    const biased = levelUpdate({ weeklyCorrelation: 1, noiseCv: 0.5, rampBias: [Math.log(2)] });
    const k1 = Math.log1p(0.36) / (Math.log1p(0.36) + Math.log1p(0.35));
    expect(biased(prior, [20], [false]).mean[0]).toBeCloseTo(10 * Math.pow(20.5 / 10.5 / 2, k1), 9);
    // Beyond the list, no correction.
    expect(biased(prior, [20, 20], [false, false]).mean[0]).toBeCloseTo(plain(prior, [20, 20], [false, false]).mean[0], 12);
  });
});

describe('mixture weight (heavy-tailed level prior)', () => {
  it('is the Gaussian weight v / (v + vObs) with one component', () => {
    expect(mixtureWeight(1.7, 0.4, [{ p: 1, v: 0.5 }])).toBeCloseTo(0.5 / 0.9, 12);
  });

  it('weighs the components by their marginal density of the observed log ratio', () => {
    // x = 1, vObs = 0.5; components (0.7, v 0.5) and (0.3, v 4.5): marginal variances 1 and 5.
    const d = (p: number, t: number) => (p * Math.exp(-0.5 / t)) / Math.sqrt(t);
    const w1 = d(0.7, 1);
    const w2 = d(0.3, 5);
    const expected = (w1 * 0.5 + w2 * 0.9) / (w1 + w2);
    expect(mixtureWeight(1, 0.5, [{ p: 0.7, v: 0.5 }, { p: 0.3, v: 4.5 }])).toBeCloseTo(expected, 12);
    // A far-out ratio is believed nearly as the wide component believes it, without underflow.
    expect(mixtureWeight(60, 0.5, [{ p: 0.7, v: 0.5 }, { p: 0.3, v: 4.5 }])).toBeCloseTo(0.9, 9);
    // A ratio near 1 leans on the narrow component.
    expect(mixtureWeight(0, 0.5, [{ p: 0.7, v: 0.5 }, { p: 0.3, v: 4.5 }])).toBeLessThan(expected);
  });

  it('moves a surprising launch further than the Gaussian prior does, an ordinary one about as far', () => {
    const gauss = levelUpdate({ weeklyCorrelation: 1, noiseCv: 0.5 });
    const tailed = levelUpdate({ weeklyCorrelation: 1, noiseCv: 0.5, tailWeight: 0.3, tailScale: 16 });
    const hit = [100, 100];
    expect(tailed(prior, hit, [false, false]).mean[3]).toBeGreaterThan(gauss(prior, hit, [false, false]).mean[3]);
    expect(tailed(prior, hit, [false, false]).mean[3]).toBeLessThan(100);
    const ordinary = [12, 11];
    const r = tailed(prior, ordinary, [false, false]).mean[3] / gauss(prior, ordinary, [false, false]).mean[3];
    expect(r).toBeGreaterThan(1);
    expect(r).toBeLessThan(1.05);
  });

  it('rejects a tail weight of 1 or a tail scale below 1', () => {
    expect(() => levelUpdate({ weeklyCorrelation: 1, tailWeight: 1 })).toThrow(RangeError);
    expect(() => levelUpdate({ weeklyCorrelation: 1, tailWeight: 0.2, tailScale: 0.5 })).toThrow(RangeError);
  });
});

describe('prior smoothing', () => {
  const spiky = { mean: [2, 30, 2, 2, 30, 2], sd: [1.5, 19, 1.5, 1.5, 19, 1.5] };

  it('keeps the prior unchanged before any week is observed', () => {
    expect(levelUpdate({ weeklyCorrelation: 1, smoothing: 2 })(spiky, [], [])).toBe(spiky);
  });

  it('learns the level on the smoothed curve (kernel h + 1 − |j − s|, total kept) and keeps the season total × level', () => {
    const h = 1;
    const u = levelUpdate({ weeklyCorrelation: 1, noiseCv: 0.5, smoothing: h })(spiky, [10], [false]);
    // Week 0 smoothed: (2·2 + 1·30) / 3 = 11.33…, before rescaling to the total 68.
    const raw = spiky.mean.map((_, s) => {
      let a = 0;
      let w = 0;
      for (let j = Math.max(0, s - h); j <= Math.min(spiky.mean.length - 1, s + h); j++) {
        a += (h + 1 - Math.abs(j - s)) * spiky.mean[j];
        w += h + 1 - Math.abs(j - s);
      }
      return a / w;
    });
    const total = spiky.mean.reduce((a, b) => a + b, 0);
    const smooth = raw.map((v) => (v * total) / raw.reduce((a, b) => a + b, 0));
    const level = u.mean[0] / smooth[0];
    u.mean.forEach((m, s) => expect(m).toBeCloseTo(smooth[s] * level, 9));
    // Week 1's spike is gone: it is no longer 15× week 0.
    expect(u.mean[1] / u.mean[0]).toBeLessThan(3);
    // The weight is the unsmoothed one (totals kept, so the same vLevel; one week's vObs from the smoothed mean).
    const vLevel = Math.log1p((spiky.sd.reduce((a, b) => a + b, 0) / total) ** 2);
    const m0 = smooth[0];
    const vObs = Math.log1p((0.25 * m0 * m0 + m0) / (m0 * m0));
    expect(level).toBeCloseTo(Math.pow(10.5 / (m0 + 0.5), vLevel / (vLevel + vObs)), 9);
  });
});

describe('roughness-gated smoothing', () => {
  it('measures roughness as the share of units a one-week kernel moves', () => {
    // [0, 3, 0] smooths to [1, 1.5, 1], rescaled to the total 3: [6/7, 9/7, 6/7]; moved 24/7 of 3.
    expect(roughness([0, 3, 0])).toBeCloseTo(8 / 7, 12);
    expect(roughness([5, 5, 5, 5])).toBeCloseTo(0, 12);
    // A ramp loses only its ends: [1, 2, 3] → [4/3, 2, 8/3], moved 2/3 of 6.
    expect(roughness([1, 2, 3])).toBeCloseTo(1 / 9, 12);
    expect(roughness([0, 0])).toBe(0);
  });

  it('smooths a spiky prior fully, a smooth one not at all, and in between in proportion', () => {
    const spiky = { mean: [2, 30, 2, 2, 30, 2], sd: [1.5, 19, 1.5, 1.5, 19, 1.5] };
    const ramp = { mean: [5, 10, 15, 15, 10, 5], sd: [4, 7, 10, 10, 7, 4] };
    const band = [0.15, 0.3] as const;
    const gated = levelUpdate({ weeklyCorrelation: 1, noiseCv: 0.5, smoothing: 4, smoothingRoughness: band });
    const full = levelUpdate({ weeklyCorrelation: 1, noiseCv: 0.5, smoothing: 4 });
    const none = levelUpdate({ weeklyCorrelation: 1, noiseCv: 0.5 });
    expect(roughness(spiky.mean)).toBeGreaterThan(band[1]);
    expect(roughness(ramp.mean)).toBeLessThan(band[0]);
    expect(gated(spiky, [10], [false]).mean).toEqual(full(spiky, [10], [false]).mean);
    expect(gated(ramp, [10], [false]).mean).toEqual(none(ramp, [10], [false]).mean);
    // Halfway up the band: the prior moves half way to its smoothed curve, then takes one level.
    const r = roughness(spiky.mean);
    const half = levelUpdate({ weeklyCorrelation: 1, noiseCv: 0.5, smoothing: 4, smoothingRoughness: [r / 2, (3 * r) / 2] })(spiky, [10], [false]);
    const s = smoothCurve(spiky.mean, 4);
    const mid = spiky.mean.map((m, i) => 0.5 * m + 0.5 * s[i]);
    const level = half.mean[0] / mid[0];
    half.mean.forEach((m, i) => expect(m).toBeCloseTo(mid[i] * level, 9));
    expect(level).toBeGreaterThan(1);
  });

  it('rejects a band whose upper end is below its lower end', () => {
    expect(() => levelUpdate({ weeklyCorrelation: 1, smoothing: 4, smoothingRoughness: [0.3, 0.1] })).toThrow(RangeError);
  });
});

describe('reshaping the remaining weeks', () => {
  it('gives the weeks from n on the smoothed shape with their own total', () => {
    // smoothCurve([0, 3, 0], 1) = [6/7, 9/7, 6/7]; from week 1 on the own total is 3, the smoothed 15/7.
    const r = reshapeRemaining([0, 3, 0], 1, 1);
    expect(r[0]).toBe(0);
    expect(r[1]).toBeCloseTo(((9 / 7) * 3) / (15 / 7), 12);
    expect(r[2]).toBeCloseTo(((6 / 7) * 3) / (15 / 7), 12);
    // Nothing left in the prior's remaining weeks: nothing is moved into them from the weeks observed.
    expect(reshapeRemaining([4, 0, 0], 1, 1)).toEqual([4, 0, 0]);
  });

  it('leaves the level as learned on the prior and the remaining total × level unchanged', () => {
    const spiky = { mean: [2, 30, 2, 2, 30, 2], sd: [1.5, 19, 1.5, 1.5, 19, 1.5] };
    const plain = levelUpdate({ weeklyCorrelation: 1, noiseCv: 0.5 })(spiky, [10, 12], [false, false]);
    const reshaped = levelUpdate({ weeklyCorrelation: 1, noiseCv: 0.5, smoothRemaining: 4 })(spiky, [10, 12], [false, false]);
    const sum = (x: readonly number[]) => x.slice(2).reduce((a, b) => a + b, 0);
    expect(reshaped.mean.slice(0, 2)).toEqual(plain.mean.slice(0, 2));
    expect(sum(reshaped.mean)).toBeCloseTo(sum(plain.mean), 9);
    expect(sum(reshaped.sd)).toBeCloseTo(sum(plain.sd), 9);
    // Week 4's spike is spread over weeks 2–5.
    expect(reshaped.mean[4]).toBeLessThan(plain.mean[4]);
    expect(reshaped.mean[2]).toBeGreaterThan(plain.mean[2]);
  });
});
