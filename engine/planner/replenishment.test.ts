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
    // Spend by month: the opening (45 × 5) in the launch month, January (launch 2026-01-19). The
    // 81 reorder units follow the (R, S) policy's weekly orders on expected demand: back up to
    // the level 44.8 at each review from week 1 (10 a week replacing the week's sales), until
    // the rest-of-season cap lowers it in week 8 (7 units), 77 in all, none arriving after the
    // season. Week 1 (2026-01-26) is in January (81 × 10/77 = 10.5 units), weeks 2..5 in
    // February (42.1), weeks 6..8 in March (28.4); the items round spend to cents.
    expect(d?.detail).toBe(
      'opening 45 units covers 3 weeks: 2 weeks lead time + 1 week review at 95% service; 126 units expected over 12 weeks with reorders; spends 278 (opening 225 + planned reorders 53) in 2026-01 + 210 (planned reorders) in 2026-02 + 142 (planned reorders) in 2026-03',
    );
    const split = item.spendByMonth!;
    expect(split.map((e) => [e.month, e.opening])).toEqual([
      ['2026-01', 225],
      ['2026-02', 0],
      ['2026-03', 0],
    ]);
    expect(split[0].reorders).toBeCloseTo((405 * 10) / 77, 1);
    expect(split[1].reorders).toBeCloseTo((405 * 40) / 77, 1);
    expect(split[2].reorders).toBeCloseTo((405 * 27) / 77, 1);
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
