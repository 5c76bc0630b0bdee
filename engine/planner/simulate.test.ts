import { describe, expect, it } from 'vitest';
import { comparePlans, naivePlan, simulateLaunches, type TruthProvider } from './simulate.js';
import type { Scenario } from './types.js';

const scenario: Scenario = {
  weeks: ['2026-11-30', '2026-12-07', '2026-12-14', '2026-12-21'],
  candidates: [
    {
      id: 'A',
      name: 'A',
      category: 'c',
      group: 'g',
      price: 10,
      unitCost: 4,
      salvageValue: 1,
      holdingCostPerWeek: 0.1,
      moq: 0,
      leadTimeWeeks: 1,
      earliestWeek: 0,
      latestWeek: 3,
      curve: { mean: [10, 10, 10], sd: [2, 2, 2] },
    },
  ],
  demand: { horizonWeeks: 3 },
  rules: {},
};

/** 10 units a week, 2 fewer per other launch of the plan (cannibalisation by the truth). */
const truth: TruthProvider = {
  demand: (_id, _w, weeks, launches) => Array.from({ length: weeks }, () => 10 - 2 * (launches.length - 1)),
};

describe('KPI simulation', () => {
  it('sells min(stock, demand), counts stock-out weeks and salvages leftovers', () => {
    // 25 units against 10 a week: sells 10, 10, 5; week 3 is a stock-out (5 units lost).
    const k = simulateLaunches(scenario, [{ candidateId: 'A', week: 1, qty: 25 }], truth);
    expect(k.unitsSold).toBe(25);
    expect(k.stockoutWeeks).toBe(1);
    expect(k.lostUnits).toBe(5);
    expect(k.revenue).toBe(250);
    expect(k.holdingCost).toBeCloseTo(0.1 * (15 + 5 + 0), 12);
    expect(k.margin).toBeCloseTo(250 - 100 - 2, 12);
    expect(k.fillRate).toBeCloseTo(25 / 30, 12);
    // Average end-of-week stock (15 + 5 + 0) / 3.
    expect(k.turnover).toBeCloseTo(25 / (20 / 3), 12);
  });

  it('salvages what is left after the coverage horizon', () => {
    const k = simulateLaunches(scenario, [{ candidateId: 'A', week: 1, qty: 40 }], truth);
    expect(k.unitsSold).toBe(30);
    expect(k.stockoutWeeks).toBe(0);
    expect(k.salvage).toBe(10);
    expect(k.margin).toBeCloseTo(300 + 10 - 160 - 0.1 * (30 + 20 + 10), 12);
  });

  it('builds the naive plan at the earliest week after lead time with a fixed cover', () => {
    const naive = naivePlan(scenario, 2);
    expect(naive).toEqual([{ candidateId: 'A', week: 1, qty: 20 }]);
  });

  it('reports lift against the naive plan', () => {
    const rows = comparePlans(scenario, truth, { naive: [{ candidateId: 'A', week: 1, qty: 20 }], plan: [{ candidateId: 'A', week: 1, qty: 30 }] });
    const naive = rows.find((r) => r.plan === 'naive')!;
    const plan = rows.find((r) => r.plan === 'plan')!;
    expect(naive.liftVsNaive).toBe(0);
    expect(plan.liftVsNaive).toBeCloseTo((plan.margin - naive.margin) / Math.abs(naive.margin), 12);
    expect(plan.margin).toBeGreaterThan(naive.margin);
  });
});
