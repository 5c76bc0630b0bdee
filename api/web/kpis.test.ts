import { describe, expect, it } from 'vitest';
import { planKpis } from './kpis.js';

const item = (candidateId: string, category: string, launchWeek: string, openingQty: number, expectedMargin = 100) => ({ candidateId, category, launchWeek, openingQty, expectedMargin, fixed: false });

describe('planKpis', () => {
  it('counts opening spend in the month the launch week starts, against the monthly budget', () => {
    const k = planKpis({
      items: [item('a', 'phones', '2027-03-29', 10), item('b', 'phones', '2027-04-05', 4), item('c', 'tablets', '2027-03-01', 1)],
      unitCost: new Map([['a', 50], ['b', 25], ['c', 7.5]]),
      objective: { expectedMargin: 900, total: 700 },
      rules: { monthlyBudget: 400, maxLaunchesPerWeek: 2 },
    });
    // 2027-03-29 is a Monday in March although most of its week is in April: the budget rule counts it in March.
    expect(k.spendByMonth).toEqual([
      { month: '2027-03', spend: 507.5, reorders: 0, budget: 400, launches: 2 },
      { month: '2027-04', spend: 100, reorders: 0, budget: 400, launches: 1 },
    ]);
    expect(k.openingSpend).toBe(607.5);
    expect(k.openingUnits).toBe(15);
    expect(k.objective).toEqual({ expectedMargin: 900, total: 700 });
    expect(k.itemsNetMargin).toBe(300);
  });

  it('gives the launches per week with their categories against the launch capacity', () => {
    const k = planKpis({
      items: [item('a', 'phones', '2027-03-08', 1), item('b', 'tablets', '2027-03-08', 1), item('c', 'phones', '2027-03-01', 1)],
      unitCost: new Map(),
      objective: undefined,
      rules: { maxLaunchesPerWeek: 3 },
    });
    expect(k.loadByWeek).toEqual([
      { week: '2027-03-01', launches: 1, capacity: 3, byCategory: { phones: 1 } },
      { week: '2027-03-08', launches: 2, capacity: 3, byCategory: { phones: 1, tablets: 1 } },
    ]);
    expect(k.spendByMonth[0].budget).toBeNull();
    expect(k.objective).toBeNull();
  });

  it('adds the planned reorders to the months they are ordered in, as the budget rule with replenishment counts them', () => {
    const k = planKpis({
      items: [item('a', 'phones', '2027-03-29', 10)],
      unitCost: new Map([['a', 50]]),
      objective: undefined,
      rules: { monthlyBudget: 600, maxLaunchesPerWeek: 2 },
      plannedReorderSpend: [{ month: '2027-04', spend: 150 }, { month: '2027-05', spend: 75.5 }],
    });
    expect(k.spendByMonth).toEqual([
      { month: '2027-03', spend: 500, reorders: 0, budget: 600, launches: 1 },
      { month: '2027-04', spend: 150, reorders: 150, budget: 600, launches: 0 },
      { month: '2027-05', spend: 75.5, reorders: 75.5, budget: 600, launches: 0 },
    ]);
    // Opening spend stays what the openings cost.
    expect(k.openingSpend).toBe(500);
  });

  it('names items whose unit cost is unknown instead of pricing them silently', () => {
    const k = planKpis({ items: [item('gone', 'phones', '2027-03-01', 5)], unitCost: new Map(), objective: undefined, rules: { maxLaunchesPerWeek: 3 } });
    expect(k.missingCosts).toEqual(['gone']);
    expect(k.openingSpend).toBe(0);
  });
});
