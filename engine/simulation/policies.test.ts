import { describe, expect, it } from 'vitest';
import { openingQuantity, validateReplenishmentParams } from '../replenishment/index.js';
import { closedLoopItem, DEFAULT_POLICY_CONFIG } from './policies.js';
import type { CurveUpdate } from './types.js';

const flat = (v: number, n: number) => new Array<number>(n).fill(v);

// One launch: 100 a week ± 40 for 8 weeks, price 10, cost 6, salvage 2 (critical ratio 0.5).
const base = {
  candidateId: 'A',
  launchWeek: 0,
  openingLeadTimeWeeks: 2,
  price: 10,
  unitCost: 6,
  salvageValue: 2,
  holdingCostPerWeek: 0,
  forecast: { mean: flat(100, 8), sd: flat(40, 8) },
  demand: flat(100, 8),
};
const supplier = { leadTimeWeeks: 2, moq: 0, price: 10, unitCost: 6, salvageValue: 2 };
const keep: CurveUpdate = (prior) => prior;
const demand = { weeklyCorrelation: 1, distribution: 'lognormal' as const, update: keep };

describe('closed-loop item', () => {
  it('sizes the opening at the opening service level and reorders at the in-season one', () => {
    const cfg = { ...DEFAULT_POLICY_CONFIG, serviceLevel: 0.8, openingServiceLevel: 0.6, sdScale: 1 };
    const item = closedLoopItem(base, supplier, demand, cfg);
    const at = (serviceLevel: number) =>
      openingQuantity(base.forecast, validateReplenishmentParams({ leadTimeWeeks: 2, reviewWeeks: 1, serviceLevel, weeklyCorrelation: 1, distribution: 'lognormal', seasonEndRatio: 0.5 })).qty;
    // L + R = 3 weeks: 300 ± 120 (correlation 1); the 60% quantile, below the season's median cap.
    expect(item.openingQty).toBe(at(0.6));
    expect(item.openingQty).toBeLessThan(at(0.8));
    expect(item.reorder).toMatchObject({ kind: 'order-up-to', params: { serviceLevel: 0.8 } });
  });

  it('plans on the curve with its spread scaled by sdScale', () => {
    const item = closedLoopItem(base, supplier, demand, { ...DEFAULT_POLICY_CONFIG, sdScale: 1.25 });
    expect(item.forecast.sd).toEqual(flat(50, 8));
    expect(item.forecast.mean).toEqual(base.forecast.mean);
    // Without a scale the launch curve is used as it is.
    expect(closedLoopItem(base, supplier, demand, { ...DEFAULT_POLICY_CONFIG, sdScale: 1 }).forecast).toBe(base.forecast);
  });
});
