import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../math/index.js';
import { adjustBand, adjustCandidateSeries, adjustmentFor, fitSignalAdjustment, summariseSignals, type SignalExample } from './index.js';

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

describe('fitSignalAdjustment', () => {
  it('learns how much of log(actual / forecast) the signal explains, and measures the spread it leaves', () => {
    const model = fitSignalAdjustment(launches(300));
    const views = model.models.find((m) => m.measures.join() === 'views')!;
    // log(actual/forecast) = log(views/forecast) − log 40 (+ the 0.5 offsets): slope ≈ 1, intercept ≈ −log 40.
    expect(views.slopes[0]).toBeGreaterThan(0.9);
    expect(views.slopes[0]).toBeLessThan(1.05);
    expect(views.intercept).toBeCloseTo(-Math.log(40), 0);
    expect(views.sigma).toBeLessThan(0.25);
    expect(views.sigma0).toBeGreaterThan(0.6);
    // Too few launches record wish-lists: no wish-list set is fitted.
    expect(model.models.some((m) => m.measures.includes('wishlists'))).toBe(false);
  });

  it('moves a forecast towards the level its signal implies', () => {
    const model = fitSignalAdjustment(launches(300));
    const a = adjustmentFor(model, { views: 40 * 50 }, 25)!;
    expect(a.measures).toEqual(['views']);
    expect(25 * a.factor).toBeGreaterThan(44);
    expect(25 * a.factor).toBeLessThan(56);
    expect(a.spread).toBeLessThan(1);
  });

  it('leaves an item alone without signals, with only measures no set was fitted on, or when signals do not help', () => {
    const model = fitSignalAdjustment(launches(300));
    expect(adjustmentFor(model, undefined, 25)).toBeUndefined();
    expect(adjustmentFor(model, { preorders: 12 }, 25)).toBeUndefined();
    expect(adjustmentFor(model, { views: 1000 }, 0)).toBeUndefined();
    // Signals unrelated to the outcome: the leave-one-out error is no better than without them.
    const rand = mulberry32(9);
    const noise = launches(200).map((e) => ({ ...e, signals: { views: 1000 * rand() + 1 } }));
    expect(adjustmentFor(fitSignalAdjustment(noise), { views: 500 }, 25)).toBeUndefined();
  });

  it('falls back to the sets an item covers: an item without wish-lists uses views alone', () => {
    const model = fitSignalAdjustment(launches(400, { wishlists: true }));
    expect(model.models.some((m) => m.measures.join() === 'views,wishlists')).toBe(true);
    expect(adjustmentFor(model, { views: 2000 }, 25)!.measures).toEqual(['views']);
    expect(adjustmentFor(model, { wishlists: 60 }, 25)!.measures).toEqual(['wishlists']);
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
    expect(c1.params).toMatchObject({ refWeek: '2027-01-04', prelaunch: { measures: ['views'] } });
    expect(c1.points[0].mean).toBeGreaterThan(45);
    expect(c1.points[0].hi80 - c1.points[0].mean).toBeLessThan((30 - 20) * (c1.points[0].mean / 20));
  });
});
