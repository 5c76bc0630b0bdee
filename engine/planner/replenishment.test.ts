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
    // Spend by month: the opening (45 × 5) in the launch month, January; the 81 reorder units
    // follow the expected demand past the opening's 45 (5 units of week 4, then 10 a week in
    // weeks 5..11, 75 in all), each ordered 2 weeks (the lead time) earlier: weeks 4..7 of the
    // plan (2026-02-02..23: 81 × 35/75 = 37.8 units) in February, weeks 8..11 (43.2) in March.
    expect(d?.detail).toBe(
      'opening 45 units covers 3 weeks: 2 weeks lead time + 1 week review at 95% service; 126 units expected over 12 weeks with reorders; spends 225 (opening) in 2026-01 + 189 (planned reorders) in 2026-02 + 216 (planned reorders) in 2026-03',
    );
    expect(item.spendByMonth).toEqual([
      { month: '2026-01', opening: 225, reorders: 0 },
      { month: '2026-02', opening: 0, reorders: 189 },
      { month: '2026-03', opening: 0, reorders: 216 },
    ]);
    expect(item.rationale.summary).toContain('with 45 units');
  });

  it('is the coverage newsvendor quantity without replenishment', () => {
    const item = greedyPlan(scenario()).items[0];
    expect(item.openingQty).toBe(126);
    expect(item.seasonQty).toBeUndefined();
    expect(item.spendByMonth).toBeUndefined();
  });

  it('rejects a service level out of bounds', () => {
    expect(() => scenario({ reviewWeeks: 1, serviceLevel: 1 })).toThrow(/serviceLevel/);
  });
});
