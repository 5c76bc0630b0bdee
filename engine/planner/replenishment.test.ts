import { describe, expect, it } from 'vitest';
import { greedyPlan, validateScenario, type Scenario } from './index.js';

// One candidate, 4 planning weeks, 12-week coverage of 10 ± 3 units a week with fully correlated
// weekly errors, lead time 2 weeks: the coverage demand is 120 ± 36.
function scenario(replenishment?: { reviewWeeks: number; serviceLevel: number }): Scenario {
  return validateScenario({
    weeks: ['2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26'],
    candidates: [
      {
        id: 'c1',
        name: 'Mug',
        category: 'home',
        group: 'mugs',
        price: 10,
        unitCost: 5,
        salvageValue: 1,
        holdingCostPerWeek: 0,
        moq: 0,
        leadTimeWeeks: 2,
        earliestWeek: 2,
        latestWeek: 2,
        curve: { mean: new Array(12).fill(10), sd: new Array(12).fill(3) },
      },
    ],
    demand: { horizonWeeks: 12, distribution: 'normal', weeklyCorrelation: 1, ...(replenishment ? { replenishment } : {}) },
    rules: {},
  });
}

describe('opening order with in-season replenishment', () => {
  it('covers lead time + first review, and says so; the coverage quantity stays the season need', () => {
    const plan = greedyPlan(scenario({ reviewWeeks: 1, serviceLevel: 0.95 }));
    const item = plan.items[0];
    // Weeks 0..2: 30 ± 9 at 95%: 30 + 9 × 1.6449 = 44.8 -> 45. Coverage newsvendor at the
    // critical ratio (10 - 5) / (10 - 1) = 0.556: 120 + 36 × 0.1397 = 125.03 -> 126.
    expect(item.openingQty).toBe(45);
    expect(item.seasonQty).toBe(126);
    const d = item.rationale.drivers.find((x) => x.kind === 'replenishment');
    expect(d?.detail).toBe('opening 45 units covers 3 weeks: 2 weeks lead time + 1 week review at 95% service; 126 units expected over 12 weeks with reorders');
    expect(item.rationale.summary).toContain('with 45 units');
  });

  it('is the coverage newsvendor quantity without replenishment', () => {
    const item = greedyPlan(scenario()).items[0];
    expect(item.openingQty).toBe(126);
    expect(item.seasonQty).toBeUndefined();
  });

  it('rejects a service level out of bounds', () => {
    expect(() => scenario({ reviewWeeks: 1, serviceLevel: 1 })).toThrow(/serviceLevel/);
  });
});
