import { describe, expect, it } from 'vitest';
import { buildModel } from './model.js';
import { expectedSales } from './newsvendor.js';
import { validateScenario } from './schema.js';
import type { Scenario } from './types.js';

/** One candidate, four weeks of coverage with weekly mean 25 and sd 10, no calendar effects. */
function one(demand: Partial<Scenario['demand']> = {}, cannibalisation?: Scenario['cannibalisation']): Scenario {
  return validateScenario({
    weeks: ['2026-11-30', '2026-12-07'],
    candidates: [
      {
        id: 'A',
        name: 'A',
        category: 'cat',
        group: 'g',
        price: 10,
        unitCost: 7,
        salvageValue: 1,
        holdingCostPerWeek: 0,
        moq: 0,
        leadTimeWeeks: 0,
        earliestWeek: 0,
        latestWeek: 0,
        curve: { mean: [25, 25, 25, 25], sd: [10, 10, 10, 10] },
      },
    ],
    demand: { horizonWeeks: 4, ...demand },
    rules: {},
    ...(cannibalisation ? { cannibalisation } : {}),
  });
}

describe('coverage demand of an option', () => {
  it('adds weekly variances when weeks are independent and weekly sds when they share one level error', () => {
    expect(buildModel(one()).options[0][0].sd).toBeCloseTo(20, 10); // sqrt(4 x 100)
    expect(buildModel(one({ weeklyCorrelation: 1 })).options[0][0].sd).toBeCloseTo(40, 10); // 4 x 10
    // (1 - 0.5) x 400 + 0.5 x 1600 = 1000.
    expect(buildModel(one({ weeklyCorrelation: 0.5 })).options[0][0].sd).toBeCloseTo(Math.sqrt(1000), 10);
  });

  it('orders less and expects less when the low-margin launch is more uncertain (critical ratio 1/3)', () => {
    const narrow = buildModel(one({ distribution: 'lognormal' })).options[0][0];
    const wide = buildModel(one({ distribution: 'lognormal', weeklyCorrelation: 1 })).options[0][0];
    expect(wide.qty).toBeLessThan(narrow.qty);
    expect(wide.margin).toBeLessThan(narrow.margin);
  });

  it('rejects a correlation outside [0, 1] with the field named', () => {
    expect(() => one({ weeklyCorrelation: 1.5 })).toThrow(/demand\.weeklyCorrelation: must be in \[0, 1\]/);
  });
});

describe('cannibalisation loss of an option', () => {
  it('is (p - s) x the expected sales lost when the rate is taken from demand and the quantity stays', () => {
    const o = buildModel(one({ distribution: 'lognormal', weeklyCorrelation: 1 }, { rate: 0.2, windowWeeks: 4 })).options[0][0];
    const lost = o.expectedUnits - expectedSales({ kind: 'lognormal', mean: 0.8 * o.mean, sd: 0.8 * o.sd }, o.qty);
    expect(o.cannibalLoss).toBeCloseTo(9 * lost, 8);
    // A lost sale becomes a salvaged leftover: at this critical ratio it costs more than rate x margin.
    expect(o.cannibalLoss).toBeGreaterThan(0.2 * o.margin);
  });

  it('is zero without a cannibalisation rule', () => {
    expect(buildModel(one()).options[0][0].cannibalLoss).toBe(0);
  });
});
