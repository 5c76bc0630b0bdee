import { describe, expect, it } from 'vitest';
import { scopeRulesSchema } from '../../contracts/scope-rules.js';
import { addWeeks } from '../calendar/index.js';
import { greedyPlan } from './index.js';
import { buildScenario } from './scenario.js';

// The scope's replenishment rules size the plan's opening orders when they say reorders follow.

const start = '2026-11-30';
const plan = (replenishment: object) => {
  const { scenario } = buildScenario({
    scopeId: 'phones/east',
    startWeek: start,
    rules: scopeRulesSchema.parse({ planningWeeks: 8, coverageWeeks: 8, replenishment }),
    candidates: [
      {
        id: 'A', name: 'A', category: 'phones', subcategory: 'flagship', price: 100, unitCost: 50, salvageValue: 30, moq: 10, leadTimeWeeks: 2,
        earliestWeek: start, latestWeek: addWeeks(start, 7), mustLaunch: true, launchedWeek: null, committedQty: null,
      },
    ],
    curves: new Map([['A', { refWeek: start, mean: new Array(8).fill(20), lo80: new Array(8).fill(12), hi80: new Array(8).fill(28) }]]),
    categoryHistory: new Map(),
    promotions: [],
  });
  return { scenario, item: greedyPlan(scenario).items[0] };
};

describe('opening orders under the scope replenishment rules', () => {
  it("cover the whole coverage by default, as before reorders existed", () => {
    const { scenario, item } = plan({});
    expect(scenario.demand.replenishment).toBeUndefined();
    expect(item.seasonQty).toBeUndefined();
    expect(item.openingQty).toBeGreaterThan(8 * 20 * 0.8);
  });

  it("cover lead time + the first review at the scope's opening service level with 'lead-time-and-review', and say so", () => {
    const { scenario, item } = plan({ opening: 'lead-time-and-review', openingServiceLevel: 0.95, curveSpreadScale: 1, reviewPeriodWeeks: 1 });
    expect(scenario.demand.replenishment).toEqual({ reviewWeeks: 1, serviceLevel: 0.95, spreadScale: 1 });
    // 3 weeks of 20 and a 95% margin: above 60, far below the 8 weeks the coverage needs.
    expect(item.openingQty).toBeGreaterThan(60);
    expect(item.openingQty).toBeLessThan(100);
    expect(item.seasonQty).toBeGreaterThan(item.openingQty);
    const said = item.rationale.drivers.map((d) => d.detail).join(' | ');
    expect(said).toMatch(/covers 3 weeks: 2 weeks lead time \+ 1 week review at 95% service/);
    // A longer review period lengthens the cover.
    expect(plan({ opening: 'lead-time-and-review', openingServiceLevel: 0.95, curveSpreadScale: 1, reviewPeriodWeeks: 2 }).item.openingQty).toBeGreaterThan(item.openingQty);
    // A wider calibrated spread raises an opening above its median.
    expect(plan({ opening: 'lead-time-and-review', openingServiceLevel: 0.95, curveSpreadScale: 2 }).item.openingQty).toBeGreaterThan(item.openingQty);
  });

  it("default to the KPI simulation's closed-loop opening: 65% service on the spread × 1.25", () => {
    const { scenario, item } = plan({ opening: 'lead-time-and-review' });
    expect(scenario.demand.replenishment).toEqual({ reviewWeeks: 1, serviceLevel: 0.65, spreadScale: 1.25 });
    expect(item.rationale.drivers.map((d) => d.detail).join(' | ')).toMatch(/at 65% service/);
    // The in-season service level no longer sizes the opening.
    expect(plan({ opening: 'lead-time-and-review', serviceLevel: 0.99 }).item.openingQty).toBe(item.openingQty);
  });
});
