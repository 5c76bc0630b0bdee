import { describe, expect, it } from 'vitest';
import { levelUpdate } from './index.js';

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
