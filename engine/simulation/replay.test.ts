import { describe, expect, it } from 'vitest';
import { replayItems, replayPolicies, type ReplayLaunch } from './index.js';

const launch: ReplayLaunch = {
  id: 'R1',
  category: 'cards',
  launchWeek: 2,
  price: 10,
  forecast: { mean: [5, 5, 5, 5], sd: [3, 3, 3, 3] },
  sold: [9, 12, 12, 6],
};
const assumptions = { costShare: 0.6, salvageShare: 0.5, holdingSharePerWeek: 0.01, leadTimeWeeks: 1, moq: 0, weeklyCorrelation: 1 };

describe('real-shop replay', () => {
  it('prices costs by the stated assumptions and takes sales as demand', () => {
    const [naive] = replayItems('naive', [launch], assumptions);
    expect(naive).toMatchObject({ unitCost: 6, salvageValue: 3, holdingCostPerWeek: 0.06, demand: [9, 12, 12, 6], openingLeadTimeWeeks: 1 });
    // 8 weeks of the flat forecast (5 a week).
    expect(naive.openingQty).toBe(40);
    expect(naive.reorder).toMatchObject({ kind: 'fixed-cover', weeklyForecast: 5, leadTimeWeeks: 1 });
  });

  it("takes an item's own supplier terms over the assumptions where it has them", () => {
    const own = { ...launch, terms: { unitCost: 4, leadTimeWeeks: 3, moq: 100 } };
    const [naive] = replayItems('naive', [own], assumptions);
    // Salvage and holding still follow the assumptions, as shares of the item's own cost.
    expect(naive).toMatchObject({ unitCost: 4, salvageValue: 2, holdingCostPerWeek: 0.04, openingLeadTimeWeeks: 3 });
    // The MOQ (100) is above 8 weeks of the flat forecast (40).
    expect(naive.openingQty).toBe(100);
    expect(naive.reorder).toMatchObject({ kind: 'fixed-cover', leadTimeWeeks: 3, moq: 100 });
  });

  it('plays every policy on the same demand over the same window', () => {
    const r = replayPolicies([launch], assumptions);
    for (const p of ['naive', 'naive-no-reorder', 'closed-loop'] as const) {
      expect(r[p].kpis.demandUnits).toBe(39);
      expect(r[p].windowWeeks).toBe(6);
    }
    // The closed loop opens for lead time + review (2 weeks), not the season.
    expect(r['closed-loop'].orders[0].qty).toBeLessThan(r.naive.orders[0].qty);
  });
});
