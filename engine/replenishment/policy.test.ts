import { describe, expect, it } from 'vitest';
import { dnorm, pnorm } from '../math/index.js';
import {
  coverageDemand,
  meanSurvival,
  openingQuantity,
  orderUpToLevel,
  reorderQuantity,
  ReplenishmentParamError,
  roundOrderQuantity,
  validateReplenishmentParams,
} from './index.js';

// Weeks 0..3 after launch; sd proportional to the mean.
const curve = { mean: [10, 20, 30, 40], sd: [2, 4, 6, 8] };
const Z95 = 1.6448536269514722;

describe('order-up-to level', () => {
  it('covers L + R weeks from the review with correlated weekly errors (hand computation)', () => {
    const p = validateReplenishmentParams({ leadTimeWeeks: 2, reviewWeeks: 1, serviceLevel: 0.95, weeklyCorrelation: 0.5, distribution: 'normal' });
    // Weeks 1..3: mean 20 + 30 + 40 = 90; sum sd^2 = 16 + 36 + 64 = 116, sum sd = 18;
    // variance 0.5 * 116 + 0.5 * 18^2 = 58 + 162 = 220.
    const s = orderUpToLevel(curve, 1, p);
    expect(s.mean).toBe(90);
    expect(s.sd).toBeCloseTo(Math.sqrt(220), 12);
    expect(s.level).toBeCloseTo(90 + Math.sqrt(220) * Z95, 9);
    expect(s.level).toBeCloseTo(114.397122, 5);
  });

  it('is cut at the end of the season', () => {
    const c = coverageDemand(curve, 2, 5, 1);
    expect(c).toMatchObject({ fromWeek: 2, toWeek: 4, mean: 70, sd: 14 });
  });

  it('lognormal by moments: 60 ± 10 at 95% is exp(ln 60 - s²/2 + s z) with s² = ln(1 + 1/36)', () => {
    const p = validateReplenishmentParams({ leadTimeWeeks: 2, reviewWeeks: 1, serviceLevel: 0.95, weeklyCorrelation: 0.5 });
    // Weeks 0..2: mean 60, variance 0.5 * 56 + 0.5 * 144 = 100.
    expect(orderUpToLevel(curve, 0, p).level).toBeCloseTo(77.704386, 5);
  });
});

describe('order rounding', () => {
  it('raises to the MOQ, then to whole case packs', () => {
    expect(roundOrderQuantity(34.4, 40, 12)).toBe(48);
    expect(roundOrderQuantity(34.4, 0, 12)).toBe(36);
    expect(roundOrderQuantity(34.4, 0, 1)).toBe(35);
    expect(roundOrderQuantity(24.0000000001, 0, 12)).toBe(24);
    expect(roundOrderQuantity(61, 50, 1)).toBe(61);
  });

  it('orders nothing when nothing is wanted, whatever the MOQ', () => {
    expect(roundOrderQuantity(0, 40, 12)).toBe(0);
    expect(roundOrderQuantity(-5, 40, 12)).toBe(0);
  });
});

describe('reorder at a review', () => {
  const p = validateReplenishmentParams({ leadTimeWeeks: 2, reviewWeeks: 1, serviceLevel: 0.95, weeklyCorrelation: 0.5, distribution: 'normal', moq: 40, casePack: 12 });

  it('orders S minus on hand and on order, rounded', () => {
    // S = 114.397 (above), position 30 + 50 = 80, wanted 34.4 -> MOQ 40 -> 4 packs of 12.
    const d = reorderQuantity({ curve, reviewWeek: 1, onHand: 30, onOrder: 50, params: p });
    expect(d).toMatchObject({ qty: 48, arrivalWeek: 3, position: 80 });
  });

  it('orders nothing that would arrive after the season', () => {
    const d = reorderQuantity({ curve, reviewWeek: 2, onHand: 0, onOrder: 0, params: p });
    expect(d).toMatchObject({ qty: 0, skipped: 'arrives-after-season' });
  });

  it('orders only in review weeks', () => {
    const q = validateReplenishmentParams({ ...p, reviewWeeks: 2, leadTimeWeeks: 0 });
    expect(reorderQuantity({ curve, reviewWeek: 1, onHand: 0, onOrder: 0, params: q }).skipped).toBe('not-a-review-week');
    expect(reorderQuantity({ curve, reviewWeek: 0, onHand: 0, onOrder: 0, params: q }).skipped).toBe('not-a-review-week');
    expect(reorderQuantity({ curve, reviewWeek: 2, onHand: 0, onOrder: 0, params: q }).qty).toBeGreaterThan(0);
  });
});

describe('opening quantity', () => {
  it('covers lead time plus the first review period and says so', () => {
    const p = validateReplenishmentParams({ leadTimeWeeks: 2, reviewWeeks: 1, serviceLevel: 0.95, weeklyCorrelation: 0.5, distribution: 'normal' });
    const o = openingQuantity(curve, p);
    // Weeks 0..2: mean 60, sd 10 -> 60 + 16.45 = 76.45 -> 77.
    expect(o.qty).toBe(77);
    expect(o.coverWeeks).toBe(3);
    expect(o.rationale).toBe('covers 3 weeks: 2 weeks lead time + 1 week review at 95% service');
  });

  it('names the MOQ when it sets the quantity, and a season shorter than L + R', () => {
    const p = validateReplenishmentParams({ leadTimeWeeks: 5, reviewWeeks: 1, serviceLevel: 0.9, weeklyCorrelation: 1, distribution: 'normal', moq: 500 });
    const o = openingQuantity(curve, p);
    expect(o.qty).toBe(500);
    expect(o.rationale).toBe('covers 4 weeks: the whole season, shorter than 5 weeks lead time + 1 week review, at 90% service; raised to the MOQ of 500');
  });
});

describe('parameters', () => {
  it('fills defaults and names the bad field', () => {
    expect(validateReplenishmentParams({ leadTimeWeeks: 3 })).toMatchObject({ reviewWeeks: 1, serviceLevel: 0.95, casePack: 1, moq: 0 });
    const bad = (x: object, field: string) => {
      try {
        validateReplenishmentParams({ leadTimeWeeks: 2, ...x });
        throw new Error('accepted');
      } catch (e) {
        expect(e).toBeInstanceOf(ReplenishmentParamError);
        expect((e as ReplenishmentParamError).field).toBe(field);
      }
    };
    bad({ reviewWeeks: 0 }, 'reviewWeeks');
    bad({ reviewWeeks: 1.5 }, 'reviewWeeks');
    bad({ leadTimeWeeks: -1 }, 'leadTimeWeeks');
    bad({ serviceLevel: 1 }, 'serviceLevel');
    bad({ serviceLevel: Number.NaN }, 'serviceLevel');
    bad({ weeklyCorrelation: 1.3 }, 'weeklyCorrelation');
    bad({ moq: -1 }, 'moq');
    bad({ casePack: 0 }, 'casePack');
  });
});

describe('the season-end cap', () => {
  const p = validateReplenishmentParams({ leadTimeWeeks: 1, reviewWeeks: 1, serviceLevel: 0.95, weeklyCorrelation: 1, distribution: 'normal', seasonEndRatio: 0.5 });

  it('caps S at the ratio quantile of the rest of the season', () => {
    // Review 2 covers weeks 2..3 = the rest of the season: 70 ± 14; the median 70 is below
    // the 95% level 70 + 14 z, so the cap sets S.
    expect(orderUpToLevel(curve, 2, p)).toMatchObject({ level: 70, ratio: 0.5, capped: true });
  });

  it('leaves the service level where the rest of the season is large', () => {
    // Review 1: weeks 1..2 = 50 ± 10 -> 50 + 16.45 = 66.45; rest of season weeks 1..3 = 90 ± 18,
    // median 90 > 66.45: no cap.
    const s = orderUpToLevel(curve, 1, p);
    expect(s.capped).toBe(false);
    expect(s.level).toBeCloseTo(50 + 10 * Z95, 9);
  });

  it('explains a capped opening order', () => {
    const q = validateReplenishmentParams({ ...p, leadTimeWeeks: 3, seasonEndRatio: 0.3 });
    const o = openingQuantity(curve, q);
    // Whole season 100 ± 20 (rho 1): 30% quantile 100 - 20 * 0.5244 = 89.51 -> 90.
    expect(o.qty).toBe(90);
    expect(o.rationale).toMatch(/^covers 4 weeks \(3 weeks lead time \+ 1 week review\) up to the 30% critical-ratio quantile/);
  });
});

describe('MOQ against the rest of the season', () => {
  it('skips an order the MOQ would push past the season cap', () => {
    const p = validateReplenishmentParams({ leadTimeWeeks: 1, reviewWeeks: 1, serviceLevel: 0.95, weeklyCorrelation: 1, distribution: 'normal', seasonEndRatio: 0.5, moq: 100 });
    // Review 2: S = cap = 70 (median of weeks 2..3); position 60 wants 10, the MOQ makes it 100
    // and 160 units for a season that is likely to sell 70.
    expect(reorderQuantity({ curve, reviewWeek: 2, onHand: 60, onOrder: 0, params: p })).toMatchObject({ qty: 0, skipped: 'moq-above-season-need' });
    // Without the MOQ the 10 units are ordered.
    expect(reorderQuantity({ curve, reviewWeek: 2, onHand: 60, onOrder: 0, params: { ...p, moq: 0 } }).qty).toBe(10);
  });

  it('places an MOQ batch past the cap when its units sell on average often enough', () => {
    const p = validateReplenishmentParams({ leadTimeWeeks: 1, reviewWeeks: 1, serviceLevel: 0.95, weeklyCorrelation: 1, distribution: 'normal', seasonEndRatio: 0.5, moq: 60 });
    // Review 1: S = 50 + 10 z95 = 66.45 (weeks 1..2), cap = median of weeks 1..3 = 90. Position 40
    // wants 26.45; the MOQ makes it 60, to 100 > 90. Of the 60 units, E[min(60, (D - 40)+)] =
    // 50 - E[(D - 100)+] = 50 - 18 (phi(-0.556) - 0.556 Phi(-0.556)) = 46.7 sell for D ~ 90 ± 18:
    // 78% on average, above 1 - ratio = 50%, so the batch pays.
    expect(reorderQuantity({ curve, reviewWeek: 1, onHand: 40, onOrder: 0, params: p })).toMatchObject({ qty: 60 });
    // A batch of 150 sells about 50 of its units (33%): not placed.
    expect(reorderQuantity({ curve, reviewWeek: 1, onHand: 40, onOrder: 0, params: { ...p, moq: 150 } })).toMatchObject({ qty: 0, skipped: 'moq-above-season-need' });
    // A risk margin of 0.2 asks for 70%: still placed; 0.3 asks for 80%: not.
    expect(reorderQuantity({ curve, reviewWeek: 1, onHand: 40, onOrder: 0, params: validateReplenishmentParams({ ...p, moqBatchHurdle: 0.2 }) }).qty).toBe(60);
    expect(reorderQuantity({ curve, reviewWeek: 1, onHand: 40, onOrder: 0, params: validateReplenishmentParams({ ...p, moqBatchHurdle: 0.3 }) })).toMatchObject({ qty: 0, skipped: 'moq-above-season-need' });
    expect(() => validateReplenishmentParams({ ...p, moqBatchHurdle: 0.6 })).toThrow(/moqBatchHurdle/);
  });
});

describe('mean survival of a batch', () => {
  // E[(D - a)+] for D ~ N(mu, sigma): sigma (phi(z) + z Phi(z)), z = (mu - a) / sigma.
  const excess = (mu: number, sigma: number, a: number) => sigma * (dnorm((mu - a) / sigma) + ((mu - a) / sigma) * pnorm((mu - a) / sigma));

  it('is the expected share of the units from..to that demand reaches (normal)', () => {
    const expected = (excess(70, 14, 60) - excess(70, 14, 160)) / 100;
    expect(meanSurvival(70, 14, 60, 160, 'normal')).toBeCloseTo(expected, 5);
    expect(expected).toBeCloseTo(0.1195, 3);
  });

  it('is 1 for units far below a lognormal demand and 0 far above it', () => {
    expect(meanSurvival(1000, 100, 0, 10, 'lognormal')).toBeCloseTo(1, 9);
    expect(meanSurvival(10, 1, 1000, 2000, 'lognormal')).toBeCloseTo(0, 9);
    expect(meanSurvival(0, 1, 0, 10, 'lognormal')).toBe(0);
  });
});
