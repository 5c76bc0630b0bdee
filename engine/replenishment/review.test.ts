import { describe, expect, it } from 'vitest';
import { reorderQuantity, reviewLaunchedItem, seasonEndRatio, trackingSignal, validateReplenishmentParams, type CurveUpdater } from './index.js';

describe('tracking signal', () => {
  it('is the cumulative error over the mean absolute error (hand computation)', () => {
    // Errors +2, −1, +5: cumulative 6, MAD 8/3, signal 2.25.
    const t = trackingSignal([10, 10, 10], [12, 9, 15]);
    expect(t).toMatchObject({ cumulativeError: 6, weeks: 3 });
    expect(t.meanAbsoluteError).toBeCloseTo(8 / 3, 12);
    expect(t.signal).toBeCloseTo(2.25, 12);
  });

  it('reaches n when the curve is too low every week, and never more', () => {
    expect(trackingSignal([1, 1, 1, 1, 1], [3, 4, 5, 6, 7]).signal).toBeCloseTo(5, 12);
    expect(trackingSignal([9, 9, 9], [1, 2, 3]).signal).toBeCloseTo(-3, 12);
  });

  it('leaves out sold-out weeks below the forecast (the error sign is unknown) and counts those above it', () => {
    const t = trackingSignal([10, 10, 10], [4, 13, 11], [true, true, false]);
    expect(t.weeks).toBe(2);
    expect(t.cumulativeError).toBe(4);
  });

  it('is 0 with no week or no error', () => {
    expect(trackingSignal([5], []).signal).toBe(0);
    expect(trackingSignal([5, 6], [5, 6]).signal).toBe(0);
  });
});

describe('review of a launched item', () => {
  const params = validateReplenishmentParams({ leadTimeWeeks: 1, reviewWeeks: 1, serviceLevel: 0.8, weeklyCorrelation: 0.5, distribution: 'normal' });
  const prior = { mean: [10, 10, 10, 10, 10, 10], sd: [3, 3, 3, 3, 3, 3] };
  const doubling: CurveUpdater = (p, observed) => ({ mean: p.mean.map((m, h) => (h < observed.length ? observed[h] : 2 * m)), sd: p.sd.map((s) => 2 * s) });

  it('reorders on the updated curve at review week n, as reorderQuantity does on that curve', () => {
    const r = reviewLaunchedItem({ prior, sales: [20, 20], censored: [false, false], onHand: 5, onOrder: 0, params, updateCurve: doubling });
    expect(r.reviewWeek).toBe(2);
    expect(r.level).toBeCloseTo(2, 12);
    expect(r.decision).toEqual(reorderQuantity({ curve: r.curve, reviewWeek: 2, onHand: 5, onOrder: 0, params }));
    expect(r.decision.qty).toBeGreaterThan(reorderQuantity({ curve: prior, reviewWeek: 2, onHand: 5, onOrder: 0, params }).qty);
    // The signal judges the launch curve, not the updated one.
    expect(r.tracking.signal).toBeCloseTo(2, 12);
  });

  it('passes the censored flags to the update and reads the launch curve without one', () => {
    const seen: boolean[][] = [];
    const spy: CurveUpdater = (p, _o, c) => (seen.push([...c]), p);
    reviewLaunchedItem({ prior, sales: [3, 10], censored: [true], onHand: 0, onOrder: 0, params, updateCurve: spy });
    expect(seen).toEqual([[true, false]]);
    const plain = reviewLaunchedItem({ prior, sales: [10], censored: [], onHand: 0, onOrder: 0, params });
    expect(plain.curve).toBe(prior);
  });

  it('orders nothing whose arrival would fall after the season', () => {
    const r = reviewLaunchedItem({ prior, sales: [10, 10, 10, 10, 10], censored: [], onHand: 0, onOrder: 0, params });
    expect(r.decision).toMatchObject({ qty: 0, skipped: 'arrives-after-season' });
  });
});

describe('season-end ratio', () => {
  it('is the newsvendor critical ratio (p − c) / (p − s), undefined when an order cannot pay or cannot lose', () => {
    expect(seasonEndRatio(10, 6, 2)).toBeCloseTo(0.5, 12);
    expect(seasonEndRatio(5, 6, 2)).toBeUndefined();
    expect(seasonEndRatio(10, 2, 2)).toBeUndefined();
  });
});
